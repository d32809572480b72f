// `claude-reaper watch`
import type { Command } from 'commander';
import { openSource } from '../platform/index.js';
import { runtimeDir, stateDir } from '../platform/dirs.js';
import { watch, type CycleReport } from '../commands/watch.js';
import { EXIT, UsageError } from '../errors.js';
import { formatBytes } from '../render/format.js';
import { parseDuration } from '../util/duration.js';
import { addScanOptions, resolveScanOptions, type RawScanOptions } from './common.js';
import type { Io } from './io.js';
import { takeLock } from './lock.js';
import { addMetricsFileOption, parseMetricsFile } from './metrics.js';
import { addSelectionOptions, parseGrace, parseSelection, parseSignal, type RawSelection } from './selection.js';

interface RawWatchOptions extends RawScanOptions, RawSelection {
  interval: string;
  kill?: boolean;
  cycles?: string;
  wait?: boolean;
  json?: boolean;
  metricsFile?: string;
  notify?: boolean;
}

export function registerWatch(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('watch')
    .description('scan (and with --kill, reap) every interval until stopped; one line per cycle')
    .option('--interval <duration>', 'time between cycles', '1m')
    .option('--kill', 'reap each cycle (no questions asked: the selection below, as for `kill --yes`)')
    .option('--notify', 'with --kill, a desktop notification for each cycle that reaped something (one that cannot be shown is a note on stderr)')
    .option('--cycles <n>', 'stop after this many cycles')
    .option('--wait', 'when another reaper holds the lock, wait for it instead of leaving')
    .option('--json', 'one JSON object per cycle (JSON lines)');
  addMetricsFileOption(addScanOptions(addSelectionOptions(cmd))).addHelpText('after', WATCH_HELP).action(async (raw: RawWatchOptions) => setExit(await run(raw, io)));
}

async function run(raw: RawWatchOptions, io: Io): Promise<number> {
  const intervalMs = parseDuration(raw.interval, '--interval');
  const cycles = raw.cycles === undefined ? undefined : parseCycles(raw.cycles);
  if (raw.notify && !raw.kill) throw new UsageError('--notify tells of what was reaped: it goes with --kill');
  const kill = raw.kill ? { selection: parseSelection(raw), signal: parseSignal(raw.signal), graceMs: parseGrace(raw.grace), auditDir: raw.log ? stateDir(io.env) : null, notify: raw.notify ? { env: io.env } : null } : null;
  const scan = resolveScanOptions(raw, io);
  const metricsFile = parseMetricsFile(raw.metricsFile);
  const source = openSource(scan.source as Parameters<typeof openSource>[0]);

  const stop = new AbortController();
  let signals = 0;
  const onSignal = () => {
    // The first signal ends the loop after the cycle under way; a second one ends it now.
    if (++signals > 1) {
      lock?.release();
      process.exit(EXIT.ok);
    }
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const lock = await takeLock(source, io, raw.wait ?? false, 'watch', stop.signal);
  try {
    if (!lock) return EXIT.ok;
    if (!raw.json) io.stderr(`claude-reaper: watching every ${raw.interval}${kill ? ', reaping' : ''} (lock ${runtimeDir(io.env)}); Ctrl-C to stop\n`);
    const metrics = metricsFile ? { file: metricsFile, auditDir: stateDir(io.env) } : null;
    let lastNote: string | null = null;
    const onCycle = (r: CycleReport) => {
      io.stdout(raw.json ? `${JSON.stringify(r)}\n` : `${cycleLine(r)}\n`);
      // Once per reason: a machine without a desktop would otherwise say so every cycle.
      if (r.notifyNote && r.notifyNote !== lastNote) io.stderr(`claude-reaper: note: ${r.notifyNote}\n`);
      lastNote = r.notifyNote ?? lastNote;
    };
    await watch({ scan: { ...scan, source }, intervalMs, kill, cycles, stop: stop.signal, metrics, onCycle });
    return EXIT.ok;
  } finally {
    lock?.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseCycles(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`invalid --cycles '${text}': expected a whole number of cycles, 1 or more`);
  return Number(text);
}

/** `2026-11-22T08:30:00Z  12 found, 3 leaked (1.2 GB); reaped 3, freed 1.2 GB` */
export function cycleLine(r: CycleReport): string {
  let line = `${r.time}  ${r.found} found, ${r.reapable} leaked (${formatBytes(r.reclaimableRssBytes)})`;
  if (r.reaped !== null) line += `; reaped ${r.reaped}, freed ${formatBytes(r.freedRssBytes)}`;
  if (r.problems) line += `; ${Object.entries(r.problems).map(([k, n]) => `${n} ${k}`).join(', ')}`;
  if (r.error) line += `; error: ${r.error}`;
  return line;
}

const WATCH_HELP = `
Stops cleanly (exit 0) on Ctrl-C or SIGTERM: between cycles at once, during one when it ends
(a second signal stops at once). A lock keeps two reapers from acting together: a second watch
(or kill) leaves with a clear line, or waits with --wait.

Examples:
  claude-reaper watch                                  report every minute
  claude-reaper watch --kill --orphans --interval 5m   reap orphans and strays every 5 minutes
  claude-reaper watch --kill --idle 10m --json         JSON lines, one per cycle
  claude-reaper watch --kill --orphans --notify        a desktop notification when a cycle reaps
  claude-reaper watch --kill --orphans --metrics-file /var/lib/prometheus/node-exporter/claude-reaper.prom
`;
