// The job every scheduler runs: `<node> <script> kill --yes <kill options>`, with absolute paths
// because cron, launchd and Task Scheduler start it from an almost empty environment.
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import { parseDuration } from '../util/duration.js';
import type { ReaperCommand } from '../util/entry.js';
import type { Job } from './scheduler.js';

export const DEFAULT_EVERY = '5m';
// Each run reads every process and samples CPU for a second; once a minute is plenty for leaks
// that cost their damage over hours, and it is the finest step cron and Task Scheduler have.
export const MIN_EVERY_MS = 60_000;

export function parseEvery(text: string): number {
  const ms = parseDuration(text, '--every');
  if (ms < MIN_EVERY_MS) throw new UsageError(`invalid --every '${text}': at least ${formatDuration(MIN_EVERY_MS)} (each run scans every process)`);
  return ms;
}

/** The job for these kill options (already checked); `--yes` is always there, once. */
export function buildJob(cmd: ReaperCommand, killArgs: readonly string[], everyMs: number): Job {
  const rest = killArgs.filter((a) => a !== '--yes' && a !== '-y');
  return { everyMs, argv: [cmd.node, cmd.script, 'kill', '--yes', ...rest] };
}

/** `every 5m` for people; the unit the scheduler counts in is its own business. */
export function describeEvery(ms: number | null): string {
  return ms === null ? 'unknown interval' : `every ${formatDuration(ms)}`;
}
