// The metrics of one scan (and, after a kill, of what it left running), with the audit log's
// counters. Returns data; the CLI prints it or writes the file.
import { buildMetrics } from '../metrics/build.js';
import type { MetricFamily } from '../metrics/family.js';
import { writeMetricsFile } from '../metrics/write-file.js';
import type { KillResult, OutcomeId } from '../reap/execute.js';
import { renderPrometheusText } from '../render/metrics.js';
import type { ProcessReport, ScanDocument } from '../report.js';
import { readAudit } from './log.js';

export interface MetricsRun {
  /** The scan, or null when the process table could not be read. */
  document: ScanDocument | null;
  /** When the scan started, epoch ms, and how long it took. */
  startedAt: number;
  durationMs: number;
  /** What a kill did with it: the processes it ended are no longer counted. */
  result?: KillResult | null;
  /** Where the audit log is (the state dir), for the counters. */
  auditDir: string;
}

/** Outcomes after which the process no longer runs. */
const ENDED: ReadonlySet<OutcomeId> = new Set(['terminated', 'killed', 'gone']);

export function collectMetrics(run: MetricsRun): MetricFamily[] {
  return buildMetrics({
    processes: run.document ? stillRunning(run.document, run.result ?? null) : null,
    at: run.startedAt,
    durationMs: run.durationMs,
    reaped: auditEntries(run.auditDir),
  });
}

/** Writes the metrics in the Prometheus text format, which node_exporter's textfile collector reads. */
export function writeMetrics(path: string, run: MetricsRun): void {
  writeMetricsFile(path, renderPrometheusText(collectMetrics(run)));
}

/** The scan's processes minus those the kill ended: the gauges describe what is left. */
export function stillRunning(doc: ScanDocument, result: KillResult | null): ProcessReport[] {
  if (!result) return doc.processes;
  const ended = new Set(result.outcomes.filter((o) => ENDED.has(o.outcome)).map((o) => o.pid));
  return doc.processes.filter((p) => !ended.has(p.pid));
}

function auditEntries(dir: string) {
  try {
    return readAudit(dir).entries;
  } catch {
    return null; // unreadable: the counters are left out rather than reset to zero
  }
}
