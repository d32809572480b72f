// cron: one line in the user's crontab, marked with a trailing comment so that uninstall removes
// exactly that line. Read with `crontab -l`, written whole with `crontab -` (crontab(1)).
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import { shQuote } from './quote.js';
import { why } from './run.js';
import { notInstalled, ScheduleError, type Context, type Job, type JobStatus, type Plan, type Scheduler } from './scheduler.js';

/** Ends our line. cron hands the command to /bin/sh, where `#` starts a comment. */
export const CRON_MARKER = '# claude-reaper schedule';
const MARKED = /#\s*claude-reaper schedule\s*$/;
const MINUTE = 60_000;

/** The five time fields for a job every `everyMs`; cron can only count in steps that divide evenly. */
export function cronSpec(everyMs: number): string {
  const m = everyMs / MINUTE;
  if (Number.isInteger(m) && m < 60 && 60 % m === 0) return m === 1 ? '* * * * *' : `*/${m} * * * *`;
  const h = m / 60;
  if (Number.isInteger(h) && h < 24 && 24 % h === 0) return h === 1 ? '0 * * * *' : `0 */${h} * * *`;
  if (h === 24) return '0 0 * * *';
  throw new UsageError(
    `cron cannot run a job every ${formatDuration(everyMs)}: use minutes that divide an hour (1m 2m 3m 4m 5m 6m 10m 12m 15m 20m 30m), hours that divide a day (1h 2h 3h 4h 6h 8h 12h), 1d, or another scheduler (--with)`,
  );
}

/** The interval the five fields stand for, when they are one that cronSpec writes. */
export function everyOfSpec(fields: readonly string[]): number | null {
  const spec = fields.join(' ');
  if (spec === '* * * * *') return MINUTE;
  if (spec === '0 * * * *') return 60 * MINUTE;
  if (spec === '0 0 * * *') return 24 * 60 * MINUTE;
  const m = /^\*\/(\d+) \* \* \* \*$/.exec(spec);
  if (m) return Number(m[1]) * MINUTE;
  const h = /^0 \*\/(\d+) \* \* \*$/.exec(spec);
  return h ? Number(h[1]) * 60 * MINUTE : null;
}

/**
 * The crontab line. stdout (the plan printed every run) is dropped; stderr is kept, so cron mails
 * warnings and errors as it does for any job. An unescaped `%` would end the command (crontab(5)).
 */
export function cronLine(job: Job): string {
  const command = job.argv.map(shQuote).join(' ').replace(/%/g, '\\%');
  return `${cronSpec(job.everyMs)} ${command} >/dev/null ${CRON_MARKER}`;
}

/** The table with our line in place of the old one (where it was), or appended. */
export function withJob(table: string, line: string): string {
  const lines = splitLines(table);
  const at = lines.findIndex((l) => MARKED.test(l));
  const kept = lines.filter((l, i) => i === at || !MARKED.test(l));
  if (at >= 0) kept[kept.findIndex((l) => MARKED.test(l))] = line;
  else kept.push(line);
  return joinLines(kept);
}

export function withoutJob(table: string): string {
  return joinLines(splitLines(table).filter((l) => !MARKED.test(l)));
}

export function findJob(table: string): string | null {
  return splitLines(table).find((l) => MARKED.test(l)) ?? null;
}

function splitLines(table: string): string[] {
  const lines = table.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * The user's table; no crontab yet reads as empty (`crontab -l` exits 1 saying "no crontab for").
 * Without the crontab tool, `missing: 'empty'` reads as empty too: a plan to show (--print; install
 * itself checks the tool first), perhaps for another machine's crontab.
 */
export async function readTable(ctx: Context, opts: { missing?: 'throw' | 'empty' } = {}): Promise<string> {
  const r = await ctx.run('crontab', ['-l']);
  if (!r.failed) return r.stdout;
  if (/no crontab for/i.test(r.stderr)) return '';
  if (r.code === 'ENOENT') {
    if (opts.missing === 'empty') return '';
    throw new ScheduleError('crontab not found: install cron, or choose another scheduler with --with');
  }
  throw new ScheduleError(`crontab -l failed: ${why(r)}`);
}

export const cron: Scheduler = {
  id: 'cron',
  description: "a line in your crontab (crontab -l), marked '# claude-reaper schedule'",
  platforms: ['linux', 'darwin', 'freebsd', 'openbsd'],
  checkEvery: (ms) => void cronSpec(ms),

  async unavailable(ctx) {
    const r = await ctx.run('crontab', ['-l']);
    return r.code === 'ENOENT' ? 'crontab not found (is cron installed?)' : null;
  },

  async planInstall(job, ctx) {
    const table = await readTable(ctx, { missing: 'empty' });
    const next = withJob(table, cronLine(job));
    if (next === table) return { scheduler: 'cron', steps: [], notes: ['already installed, unchanged'] };
    return { scheduler: 'cron', steps: [{ kind: 'run', file: 'crontab', args: ['-'], input: next }], notes: NOTES };
  },

  async planUninstall(ctx) {
    const table = await readTable(ctx);
    const next = withoutJob(table);
    if (next === table) return { scheduler: 'cron', steps: [], notes: ['not installed: nothing to remove'] };
    // Nothing else in the table: remove it, as it was before install made one.
    const step = next === '' ? { kind: 'run' as const, file: 'crontab', args: ['-r'] } : { kind: 'run' as const, file: 'crontab', args: ['-'], input: next };
    return { scheduler: 'cron', steps: [step], notes: [] };
  },

  async status(ctx): Promise<JobStatus> {
    let table: string;
    try {
      table = await readTable(ctx);
    } catch (err) {
      return notInstalled('cron', false, (err as Error).message);
    }
    const line = findJob(table);
    if (!line) return notInstalled('cron', true);
    const m = /^\s*((?:\S+\s+){5})(.*)$/.exec(line);
    const everyMs = m ? everyOfSpec(m[1]!.trim().split(/\s+/)) : null;
    const command = m ? m[2]!.replace(MARKED, '').trim() : null;
    return { scheduler: 'cron', available: true, installed: true, everyMs, command, lastRun: null, detail: 'cron keeps no record of when a job last ran' };
  },
};

const NOTES = ['stdout is dropped; cron mails what the job writes to stderr (warnings, errors)', 'what was reaped goes to the audit log (reaped.jsonl in the state dir)'];
