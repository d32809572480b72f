// The one redaction step for what leaves the process: command lines carry tokens (an inline
// `--mcp-config` with an MCP server's env, `--api-key`, `Authorization` headers), and the scan
// table, the JSON documents, plans, kill results, the audit log and the logs all print or keep
// them. The classifier works on the real argv in memory; only copies on their way out are redacted.
// Identity is (pid, start time), so a redacted plan still names exactly the processes it named.
import { redactArgv } from './argv.js';
import { redactText } from './text.js';

export { REDACTED } from './rules.js';
export { redactArg, redactArgv } from './argv.js';
export { redactText } from './text.js';

/** A record with its command line redacted (the same record when there was nothing to redact). */
export function redactCommand<T extends { argv: string[] | null }>(record: T): T {
  if (record.argv === null) return record;
  const argv = redactArgv(record.argv);
  return argv === record.argv ? record : { ...record, argv };
}

/** Any JSON-like value with every string in it redacted as text (a scheduler's plan quotes the user's crontab). */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map(redactStrings) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)])) as T;
}

/** A line of text that may quote a command line (what started a target, an error message). */
export function redactLine<T extends string | null>(text: T): T {
  return (text === null ? text : redactText(text)) as T;
}
