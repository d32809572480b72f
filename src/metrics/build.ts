// All the metrics of one run: the tool, whether and how the scan went, its gauges, and the audit
// log's counters.
import type { AuditEntry } from '../reap/audit.js';
import type { ProcessReport } from '../report.js';
import { VERSION } from '../version.js';
import { auditCounters } from './audit-counters.js';
import type { MetricFamily } from './family.js';
import { gauge, scanGauges } from './scan-gauges.js';

export interface MetricsInput {
  /**
   * The scan's processes (after a kill, those still running), or null when the process table
   * could not be read: then scan_success is 0 and no process gauge is written, never zeros.
   */
  processes: readonly ProcessReport[] | null;
  /** When the scan ran, epoch ms. */
  at: number;
  durationMs: number;
  /** The audit log's entries, or null when it could not be read (the counters are left out). */
  reaped: readonly AuditEntry[] | null;
}

export function buildMetrics(input: MetricsInput): MetricFamily[] {
  return [
    { name: 'claude_reaper_build', type: 'info', unit: null, help: 'The claude-reaper that wrote these metrics.', samples: [{ labels: { version: VERSION }, value: 1 }] },
    gauge('claude_reaper_scan_success', null, 'Whether the scan could read the process table (1) or not (0).', input.processes === null ? 0 : 1),
    gauge('claude_reaper_scan_duration_seconds', 'seconds', 'How long the scan took, CPU sample window included.', input.durationMs / 1000),
    gauge('claude_reaper_scan_timestamp_seconds', 'seconds', 'When the scan ran, in seconds since the Unix epoch.', input.at / 1000),
    ...(input.processes === null ? [] : scanGauges(input.processes)),
    ...(input.reaped === null ? [] : auditCounters(input.reaped)),
  ];
}
