// Checks the kill options of a job with the kill command's own definition: the same commander
// options and the same value parsers, so what install accepts is exactly what the job will accept
// when it runs, minus the options that make no sense unattended.
import { isAbsolute } from 'node:path';
import { Command, CommanderError } from 'commander';
import { resolveScanOptions, type RawScanOptions } from '../cli/common.js';
import type { Io } from '../cli/io.js';
import { registerKill } from '../cli/kill.js';
import { parseMetricsFile } from '../cli/metrics.js';
import { UsageError } from '../errors.js';
import { normalizeSignal } from '../reap/signal.js';
import { parseDuration } from '../util/duration.js';
import { parseSize } from '../util/size.js';

interface RawKill extends RawScanOptions {
  idle?: string;
  olderThan?: string;
  minRss?: string;
  pid?: string[];
  dryRun?: boolean;
  plan?: string;
  signal: string;
  grace: string;
  log: boolean;
  metricsFile?: string;
}

// Options a job refuses, and why, in words for the one-line error.
const REFUSED: [keyof RawKill, string][] = [
  ['dryRun', '--dry-run: the job would never reap anything'],
  ['plan', '--plan: a saved plan names processes that are gone by the next run'],
  ['pid', '--pid: a pid does not outlive its process'],
];

/** Throws UsageError (one line) unless `kill --yes <args>` is a good unattended kill. */
export function checkKillArgs(args: readonly string[], env: NodeJS.ProcessEnv): void {
  const raw = parseWithKill(args, env);
  for (const [key, why] of REFUSED) if (raw[key] !== undefined) throw new UsageError(`a scheduled kill cannot take ${why}`);
  if (raw.log === false) throw new UsageError('a scheduled kill cannot take --no-log: the job always writes the audit log');
  if (raw.config !== undefined && !isAbsolute(raw.config)) {
    throw new UsageError(`--config '${raw.config}': a scheduled job needs an absolute path (it does not run in this directory)`);
  }
  if (raw.metricsFile !== undefined && !isAbsolute(raw.metricsFile)) {
    throw new UsageError(`--metrics-file '${raw.metricsFile}': a scheduled job needs an absolute path (it does not run in this directory)`);
  }
  parseMetricsFile(raw.metricsFile);
  if (!normalizeSignal(raw.signal)) throw new UsageError(`invalid --signal '${raw.signal}': not a signal name or number on this system`);
  parseDuration(raw.grace, '--grace', { allowZero: true });
  if (raw.idle !== undefined) parseDuration(raw.idle, '--idle');
  if (raw.olderThan !== undefined) parseDuration(raw.olderThan, '--older-than');
  if (raw.minRss !== undefined) parseSize(raw.minRss, '--min-rss');
  resolveScanOptions(raw, quietIo(env));
}

function parseWithKill(args: readonly string[], env: NodeJS.ProcessEnv): RawKill {
  let said = '';
  const program = new Command('claude-reaper')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: (str) => (said = str) });
  registerKill(program, quietIo(env), () => {});
  let raw: RawKill | null = null;
  // The same options and parsers, but an action that only keeps what was parsed.
  program.commands.find((c) => c.name() === 'kill')!.action((opts: RawKill) => {
    raw = opts;
  });
  try {
    program.parse(['kill', '--yes', ...args], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    const message = (said || err.message).trim().replace(/^error:\s*/, '');
    throw new UsageError(`invalid kill options for the job: ${err.exitCode === 0 ? 'help and version are not kill options' : message}`);
  }
  return raw!;
}

function quietIo(env: NodeJS.ProcessEnv): Io {
  return { stdout: () => {}, stderr: () => {}, isTTY: false, stdinIsTTY: false, columns: undefined, env };
}
