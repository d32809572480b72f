// `watch`: a scan (and, with kill, a reap) every interval, one report per cycle, until stopped.
// Nothing is carried from one cycle to the next but what the state files hold, so memory stays
// flat however long it runs.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KillResult } from '../reap/execute.js';
import { redactLine } from '../redact/index.js';
import type { Selection } from '../reap/plan.js';
import type { ScanDocument } from '../report.js';
import { carryOut, makePlan } from './kill.js';
import { writeMetrics } from './metrics.js';
import { runScan, type ScanOptions } from './scan.js';

export interface WatchOptions {
  scan: ScanOptions;
  intervalMs: number;
  /** Reap what the selection picks each cycle (no questions: this is the unattended mode). */
  kill: { selection: Selection; signal: string; graceMs: number; auditDir: string | null; notify?: { env: NodeJS.ProcessEnv } | null } | null;
  /** Stop after this many cycles (default: until stopped). */
  cycles?: number;
  /** Stops the loop: between cycles at once, during one after it ends. */
  stop: AbortSignal;
  /** Rewritten every cycle with the metrics (the audit log for the counters is in `auditDir`). */
  metrics?: { file: string; auditDir: string } | null;
  onCycle: (report: CycleReport) => void;
}

export interface CycleReport {
  /** ISO 8601 */
  time: string;
  cycle: number;
  /** Claude-related processes found. */
  found: number;
  flagged: number;
  reapable: number;
  reclaimableRssBytes: number;
  /** With kill: processes that went (terminated or killed), and what that freed. */
  reaped: number | null;
  freedRssBytes: number | null;
  /** With kill: outcomes other than success (denied, survived, ...). */
  problems: Partial<Record<string, number>> | null;
  error: string | null;
  /** With --notify: why this cycle's notification could not be shown, or null. */
  notifyNote: string | null;
  /** This reaper's own memory, to show it stays flat. */
  memory: { rssBytes: number; heapUsedBytes: number };
}

export async function watch(opts: WatchOptions): Promise<number> {
  let cycle = 0;
  while (!opts.stop.aborted && (opts.cycles === undefined || cycle < opts.cycles)) {
    cycle++;
    opts.onCycle(await runCycle(cycle, opts));
    if (opts.stop.aborted || (opts.cycles !== undefined && cycle >= opts.cycles)) break;
    try {
      await sleep(opts.intervalMs, undefined, { signal: opts.stop });
    } catch {
      break; // stopped while waiting
    }
  }
  return cycle;
}

async function runCycle(cycle: number, opts: WatchOptions): Promise<CycleReport> {
  const report: CycleReport = {
    time: new Date().toISOString(),
    cycle,
    found: 0,
    flagged: 0,
    reapable: 0,
    reclaimableRssBytes: 0,
    reaped: null,
    freedRssBytes: null,
    problems: null,
    error: null,
    notifyNote: null,
    memory: { rssBytes: 0, heapUsedBytes: 0 },
  };
  const startedAt = Date.now();
  let scanned: { document: ScanDocument; durationMs: number } | null = null;
  let result: KillResult | null = null;
  try {
    if (opts.kill) {
      // A --pid that has since gone is nothing to do, not an error, cycle after cycle.
      const planned = await makePlan({ ...opts.scan, selection: opts.kill.selection, signal: opts.kill.signal, graceMs: opts.kill.graceMs, unknownPids: 'ignore' });
      scanned = { document: planned.document!, durationMs: Date.now() - startedAt };
      fillScan(report, planned.document!.summary);
      if (planned.plan.targets.length > 0 && !opts.stop.aborted) {
        const notify = opts.kill.notify ? { env: opts.kill.notify.env, noteInAudit: false } : null;
        const carried = await carryOut(planned, { auditDir: opts.kill.auditDir, notify });
        result = carried.result;
        report.notifyNote = carried.notifyNote;
        fillKill(report, result);
        if (carried.auditError) report.error = redactLine(carried.auditError);
      } else {
        report.reaped = 0;
        report.freedRssBytes = 0;
      }
    } else {
      const { document } = await runScan(opts.scan);
      scanned = { document, durationMs: Date.now() - startedAt };
      fillScan(report, document.summary);
    }
  } catch (err) {
    report.error = redactLine((err as Error).message);
  }
  if (opts.metrics) {
    // A cycle whose scan failed says so: scan_success 0, and no process gauges.
    const run = { document: scanned?.document ?? null, startedAt, durationMs: scanned?.durationMs ?? Date.now() - startedAt, result, auditDir: opts.metrics.auditDir };
    try {
      writeMetrics(opts.metrics.file, run);
    } catch (err) {
      report.error ??= `cannot write the metrics file ${opts.metrics.file}: ${(err as Error).message}`;
    }
  }
  // Where the runtime allows it (NODE_OPTIONS=--expose-gc, as the memory test runs watch), measure
  // after a full collection: what survives one is what a leak would grow; without it, the heap
  // holds whatever garbage V8 has not yet chosen to collect.
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  report.memory = { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed };
  return report;
}

function fillScan(report: CycleReport, s: { processes: number; flagged: number; reapable: number; reclaimableRssBytes: number }): void {
  report.found = s.processes;
  report.flagged = s.flagged;
  report.reapable = s.reapable;
  report.reclaimableRssBytes = s.reclaimableRssBytes;
}

function fillKill(report: CycleReport, result: KillResult): void {
  const s = result.summary;
  report.reaped = s.terminated + s.killed;
  report.freedRssBytes = s.freedRssBytes;
  const problems = Object.fromEntries((['denied', 'survived', 'unkillable', 'refused'] as const).filter((k) => s[k] > 0).map((k) => [k, s[k]]));
  report.problems = Object.keys(problems).length > 0 ? problems : null;
}
