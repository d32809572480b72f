// Secrets on a command line, argument by argument: a secret flag's value (`--api-key X`,
// `--password=X`), a secret variable (`GITHUB_TOKEN=X`), inline JSON (`--mcp-config '{…}'`: the
// values under `env`, `headers` and secret-looking keys), then the free-text rules of text.ts.
// The array keeps its length and order, so the command line still reads as it ran.
import { MAY_HOLD_SECRET, REDACTED, isSecretContainer, isSecretFlag, isSecretKey, isSecretVariable } from './rules.js';
import { redactText, spacedSecrets } from './text.js';

const BARE_FLAG = /^--?[A-Za-z][\w.-]*$/;
const FLAG_WITH_VALUE = /^(--?[A-Za-z][\w.-]*)=([\s\S]*)$/;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]+)$/;

/**
 * The argv with every secret replaced by REDACTED; the same array when there was none, so the
 * common case allocates nothing. Idempotent: a redacted argv comes back unchanged.
 */
export function redactArgv(argv: readonly string[]): string[] {
  let out: string[] | null = null;
  let valueNext = false;
  let suspect = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let text = arg;
    if (valueNext && arg !== '' && !arg.startsWith('--')) {
      text = REDACTED;
      valueNext = false;
    } else if (MAY_HOLD_SECRET.test(arg)) {
      suspect = true;
      valueNext = BARE_FLAG.test(arg) && isSecretFlag(arg);
      if (!valueNext) text = redactArg(arg);
    } else {
      valueNext = false;
    }
    if (text !== arg) (out ??= [...argv])[i] = text;
  }
  if (suspect) {
    const rejoined = rejoinSplitSecrets(argv);
    if (rejoined !== argv) return redactArgv(rejoined);
  }
  return out ?? (argv as string[]);
}

/**
 * macOS `ps` (and a process that rewrote its own argv area) joins the arguments with spaces, so
 * one argument holding a space arrives as two: `…"Authorization":"Bearer` and `tok…"}}`. Where a
 * secret with a space in it covers more than one argument, those arguments are joined again, and
 * the rules see the secret whole. The same array when nothing spans.
 */
function rejoinSplitSecrets(argv: readonly string[]): readonly string[] {
  const spans = spacedSecrets(argv.join(' '));
  if (spans.length === 0) return argv;
  // joinNext[i]: argument i and i + 1 were one.
  const joinNext = new Array<boolean>(argv.length).fill(false);
  let any = false;
  let offset = 0;
  for (let i = 0; i < argv.length - 1; i++) {
    offset += argv[i]!.length; // the space after argument i is at `offset`
    if (spans.some(([from, to]) => from <= offset && offset < to)) joinNext[i] = any = true;
    offset += 1;
  }
  if (!any) return argv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (i > 0 && joinNext[i - 1]) out[out.length - 1] += ` ${argv[i]}`;
    else out.push(argv[i]!);
  }
  return out;
}

/** One argument on its own (and a string value inside inline JSON). */
export function redactArg(arg: string): string {
  if (!MAY_HOLD_SECRET.test(arg)) return arg;
  const flag = FLAG_WITH_VALUE.exec(arg);
  if (flag) {
    const [, name, value] = flag as unknown as [string, string, string];
    if (value === '') return arg;
    const redacted = isSecretFlag(name) ? REDACTED : redactArg(value);
    return redacted === value ? arg : `${name}=${redacted}`;
  }
  const first = arg.trimStart()[0];
  if (first === '{' || first === '[') {
    const json = redactJsonText(arg);
    if (json !== null) return json;
  }
  const variable = VARIABLE.exec(arg);
  if (variable && isSecretVariable(variable[1]!)) return `${variable[1]}=${REDACTED}`;
  return redactText(arg);
}

/** Inline JSON, parsed and walked; null when it does not parse (the text rules take it then). */
function redactJsonText(text: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object') return null;
  const redacted = redactJson(data, false);
  return redacted === data ? text : JSON.stringify(redacted);
}

/**
 * A JSON value with its secrets replaced: under a secret key or inside `env`/`headers`, every
 * leaf (`all`); elsewhere, arrays of strings as argv (an MCP server's `args`) and strings as
 * arguments. Returns the same value when nothing changed.
 */
function redactJson(value: unknown, all: boolean): unknown {
  if (typeof value === 'string') return all ? (value === '' ? value : REDACTED) : redactArg(value);
  if (value === null || typeof value !== 'object') return all && value !== null ? REDACTED : value;
  if (Array.isArray(value)) {
    if (!all && value.every((v) => typeof v === 'string')) return redactArgv(value as string[]);
    return sameOr(value, value.map((v) => redactJson(v, all)));
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, v]) => {
    const redacted = redactJson(v, all || isSecretKey(key) || isSecretContainer(key));
    if (redacted !== v) changed = true;
    return [key, redacted] as const;
  });
  // fromEntries defines each key as data, so even a `__proto__` key from JSON stays a plain key.
  return changed ? Object.fromEntries(entries) : value;
}

function sameOr(before: unknown[], after: unknown[]): unknown[] {
  return after.every((v, i) => v === before[i]) ? before : after;
}
