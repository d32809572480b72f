// Counters from the audit log: every process a reaper ended, and the memory that freed, by the
// first flag of the target it went with (as `claude-reaper stats` counts them). The log only
// grows, so these only grow; a log someone removed starts them again from zero, which Prometheus
// reads as a counter reset.
import type { AuditEntry } from '../reap/audit.js';
import { tally, type MetricFamily } from './family.js';
import { FLAG_IDS } from './scan-gauges.js';

/** A target asked for by --pid may carry no flag. */
const NO_FLAG = 'none';

export function auditCounters(entries: readonly AuditEntry[]): MetricFamily[] {
  const ended = entries.filter((e) => e.outcome === 'terminated' || e.outcome === 'killed');
  const flagOf = (e: AuditEntry) => e.flags[0] ?? NO_FLAG;
  return [
    tally(
      { name: 'claude_reaper_reaped_processes', type: 'counter', unit: null, help: 'Processes reaped (ended by SIGTERM or SIGKILL), from the audit log, by flag.' },
      FLAG_IDS,
      (flag) => ({ flag }),
      (add) => ended.forEach((e) => add(flagOf(e), 1)),
    ),
    tally(
      { name: 'claude_reaper_freed_bytes', type: 'counter', unit: 'bytes', help: 'Resident memory of the reaped processes, from the audit log, by flag.' },
      FLAG_IDS,
      (flag) => ({ flag }),
      (add) => ended.forEach((e) => add(flagOf(e), e.rssBytes ?? 0)),
    ),
  ];
}
