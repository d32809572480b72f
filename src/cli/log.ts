// `claude-reaper log` and `claude-reaper stats`
import type { Command } from 'commander';
import { auditStats, readAudit, type Tally } from '../commands/log.js';
import { EXIT, UsageError } from '../errors.js';
import { stateDir } from '../platform/dirs.js';
import { cut, formatBytes } from '../render/format.js';
import { parseDuration } from '../util/duration.js';
import { tableWidth, type Io, jsonText } from './io.js';

interface RawLogOptions {
  since?: string;
  limit: string;
  json?: boolean;
  wide?: boolean;
  color: boolean;
}

export function registerLog(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('log')
    .description('what was reaped, newest last (from the audit log)')
    .option('--since <duration>', 'only entries this recent, e.g. 1d')
    .option('--limit <n>', 'at most this many entries (0 = all)', '50')
    .option('--json', 'the entries as one JSON document')
    .option('-w, --wide', 'do not cut lines to the terminal width')
    .addHelpText('after', LOG_EXAMPLES)
    .action((raw: RawLogOptions) => {
      const limit = parseLimit(raw.limit);
      const read = readAudit(stateDir(io.env), { sinceMs: raw.since ? parseDuration(raw.since, '--since') : null });
      const entries = limit === 0 ? read.entries : read.entries.slice(-limit);
      // Notes (a notification not shown) from the time the entries shown cover, listed after them.
      const notes = read.notes.filter((n) => entries.length > 0 && n.time >= entries[0]!.time);
      if (raw.json) {
        io.stdout(jsonText({ path: read.path, skipped: read.skipped, entries, notes }, io));
      } else if (entries.length === 0) {
        io.stdout(`Nothing reaped yet${raw.since ? ` in the last ${raw.since}` : ''} (${read.path}).\n`);
      } else {
        const width = tableWidth(io, { color: false, wide: raw.wide });
        for (const e of entries) {
          const cmd = e.argv?.join(' ') ?? `[${e.name}]`;
          io.stdout(`${cut(`${e.time.slice(0, 19).replace('T', ' ')}  ${String(e.pid).padStart(7)}  ${e.outcome.padEnd(10)}  ${formatBytes(e.rssBytes).padStart(7)}  ${(e.flags.join(',') || '-').padEnd(16)}  ${cmd}`, width)}\n`);
        }
        for (const n of notes) io.stdout(`${cut(`${n.time.slice(0, 19).replace('T', ' ')}  note: ${n.note}`, width)}\n`);
      }
      if (read.skipped > 0) io.stderr(`claude-reaper: warning: ${read.skipped} lines of ${read.path} did not parse and were skipped\n`);
      setExit(EXIT.ok);
    });

  program
    .command('stats')
    .description('the leak rate: reaped processes and memory freed, per day, by flag and by the tool that started them')
    .option('--since <duration>', 'only this recent, e.g. 30d')
    .option('--json', 'the statistics as one JSON document')
    .addHelpText('after', STATS_EXAMPLES)
    .action((raw: { since?: string; json?: boolean }) => {
      const read = readAudit(stateDir(io.env), { sinceMs: raw.since ? parseDuration(raw.since, '--since') : null });
      const stats = auditStats(read.entries);
      if (raw.json) io.stdout(jsonText({ path: read.path, ...stats }, io));
      else io.stdout(renderStats(stats, read.path));
      setExit(EXIT.ok);
    });
}

const LOG_EXAMPLES = `
Examples:
  claude-reaper log                          the last 50 processes reaped
  claude-reaper log --since 1d --limit 0     everything reaped in the last day
  claude-reaper log --json | jq '.entries[] | select(.outcome == "killed")'
`;

const STATS_EXAMPLES = `
Examples:
  claude-reaper stats                        since the audit log began
  claude-reaper stats --since 30d            the last 30 days
  claude-reaper stats --json | jq .total
`;

function parseLimit(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`invalid --limit '${text}': expected a whole number (0 for all)`);
  return Number(text);
}

function renderStats(s: ReturnType<typeof auditStats>, path: string): string {
  if (s.total.processes === 0) return `Nothing reaped yet (${path}).\n`;
  const line = (label: string, t: Tally) => `  ${label.padEnd(40)} ${String(t.reaped).padStart(6)} reaped  ${formatBytes(t.freedRssBytes).padStart(8)} freed`;
  const out = [
    `Since ${s.first!.slice(0, 10)}: reaped ${s.total.reaped} of ${s.total.processes} processes, freed ${formatBytes(s.total.freedRssBytes)}.`,
    `Outcomes: ${Object.entries(s.byOutcome).map(([k, n]) => `${n} ${k}`).join(', ')}`,
    'Per day:',
    ...s.byDay.map((d) => line(d.day, d)),
    'By flag:',
    ...Object.entries(s.byFlag).sort((a, b) => b[1].processes - a[1].processes).map(([f, t]) => line(f, t)),
    'Started by:',
    ...s.byStarter.slice(0, 10).map((t) => line(cut(t.startedBy, 40), t)),
  ];
  return `${out.join('\n')}\n`;
}
