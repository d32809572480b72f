// The metrics model and its two renderings, on built records: what each family counts, the zero
// series, the labels, and where OpenMetrics and the Prometheus text format differ.
import { describe, expect, it } from 'vitest';
import { buildMetrics } from '../../src/metrics/build.js';
import type { AuditEntry } from '../../src/reap/audit.js';
import { renderOpenMetrics, renderPrometheusText } from '../../src/render/metrics.js';
import type { FlagId, ProcessReport, ProtectionId } from '../../src/report.js';
import { VERSION } from '../../src/version.js';
import { samples, valueOf } from '../helpers/metrics.js';

function report(p: Partial<ProcessReport> & { pid: number }): ProcessReport {
  return { kind: 'claude', role: 'sdk', flags: [], rssBytes: 0, reapable: false, protection: null, ...p } as ProcessReport;
}

function entry(flags: FlagId[], outcome: AuditEntry['outcome'], rssBytes: number | null): AuditEntry {
  return { time: '2026-11-22T08:00:00.000Z', pid: 1, startId: '1', name: 'claude', argv: ['claude'], kind: 'claude', user: 'u', flags, target: 1, startedBy: null, outcome, rssBytes };
}

const protectedBy = (id: ProtectionId) => ({ id, text: 'why' });

const PROCESSES = [
  report({ pid: 10, flags: ['orphan', 'runaway'], rssBytes: 300, reapable: true }),
  report({ pid: 11, flags: ['idle', 'abandoned'], rssBytes: 200, reapable: true }),
  report({ pid: 12, role: 'interactive', flags: ['idle'], rssBytes: 50, protection: protectedBy('live-tty') }),
  report({ pid: 13, kind: 'mcp-server', role: null, flags: ['stray-mcp'], rssBytes: null, reapable: true }),
  report({ pid: 14, kind: 'agent-daemon', role: null, rssBytes: 1000, protection: protectedBy('config') }),
];

const REAPED = [entry(['orphan', 'runaway'], 'terminated', 100), entry(['orphan'], 'killed', 50), entry(['abandoned'], 'gone', 999), entry([], 'terminated', 7)];

const text = renderPrometheusText(buildMetrics({ processes: PROCESSES, at: 1_700_000_000_500, durationMs: 1250, reaped: REAPED }));

describe('the metrics of a scan', () => {
  it('count processes by kind and role, with every pair present', () => {
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'claude', role: 'sdk' })).toBe(2);
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'claude', role: 'interactive' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'claude', role: 'print' })).toBe(0);
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'mcp-server', role: 'none' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'tool-shell', role: 'none' })).toBe(0);
    // Seven roles of claude (three of them Claude's background agents), and five other kinds.
    expect(samples(text).filter((s) => s.name === 'claude_reaper_processes')).toHaveLength(12);
  });

  it('count processes and RSS by flag, a process under each of its flags, unknown RSS as none', () => {
    expect(valueOf(text, 'claude_reaper_flagged_processes', { flag: 'idle' })).toBe(2);
    expect(valueOf(text, 'claude_reaper_flagged_rss_bytes', { flag: 'idle' })).toBe(250);
    expect(valueOf(text, 'claude_reaper_flagged_processes', { flag: 'stray-mcp' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_flagged_rss_bytes', { flag: 'stray-mcp' })).toBe(0);
    expect(valueOf(text, 'claude_reaper_flagged_processes', { flag: 'hung' })).toBe(0);
  });

  it('sum the leaked (reapable) processes and their RSS, and count the protected by reason', () => {
    expect(valueOf(text, 'claude_reaper_leaked_processes')).toBe(3);
    expect(valueOf(text, 'claude_reaper_leaked_rss_bytes')).toBe(500);
    expect(valueOf(text, 'claude_reaper_protected_processes', { reason: 'live-tty' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_protected_processes', { reason: 'config' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_protected_processes', { reason: 'ancestor' })).toBe(0);
  });

  it('say the scan read the table, how long it took, when, and which version wrote them', () => {
    expect(valueOf(text, 'claude_reaper_scan_success')).toBe(1);
    expect(valueOf(text, 'claude_reaper_scan_duration_seconds')).toBe(1.25);
    expect(valueOf(text, 'claude_reaper_scan_timestamp_seconds')).toBe(1_700_000_000.5);
    expect(valueOf(text, 'claude_reaper_build_info', { version: VERSION })).toBe(1);
  });

  it('count from the audit log only the processes that were ended, by the first flag, a target without one as "none"', () => {
    expect(valueOf(text, 'claude_reaper_reaped_processes_total', { flag: 'orphan' })).toBe(2);
    expect(valueOf(text, 'claude_reaper_freed_bytes_total', { flag: 'orphan' })).toBe(150);
    expect(valueOf(text, 'claude_reaper_reaped_processes_total', { flag: 'abandoned' })).toBe(0);
    expect(valueOf(text, 'claude_reaper_reaped_processes_total', { flag: 'none' })).toBe(1);
    expect(valueOf(text, 'claude_reaper_freed_bytes_total', { flag: 'none' })).toBe(7);
  });

  it('carry no pid, argv or session id in any label', () => {
    const labelNames = new Set(samples(text).flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['flag', 'kind', 'reason', 'role', 'version']);
  });
});

describe('a scan that could not read the process table', () => {
  const failed = renderPrometheusText(buildMetrics({ processes: null, at: 1_700_000_000_000, durationMs: 3, reaped: [] }));

  it('says 0, and writes no process gauge rather than zeros', () => {
    expect(valueOf(failed, 'claude_reaper_scan_success')).toBe(0);
    expect(samples(failed).some((s) => /processes$|rss_bytes$/.test(s.name))).toBe(false);
    expect(valueOf(failed, 'claude_reaper_reaped_processes_total', { flag: 'orphan' })).toBe(0);
  });

  it('leaves the counters out when the audit log cannot be read, rather than resetting them', () => {
    const noLog = renderPrometheusText(buildMetrics({ processes: [], at: 0, durationMs: 0, reaped: null }));
    expect(samples(noLog).some((s) => s.name.endsWith('_total'))).toBe(false);
  });
});

describe('the two formats', () => {
  const families = buildMetrics({ processes: PROCESSES, at: 0, durationMs: 0, reaped: REAPED });
  const om = renderOpenMetrics(families);

  it('name a counter family without _total in OpenMetrics, with it in the text format', () => {
    expect(om).toContain('# TYPE claude_reaper_freed_bytes counter\n# UNIT claude_reaper_freed_bytes bytes\n# HELP claude_reaper_freed_bytes ');
    expect(om).toContain('\nclaude_reaper_freed_bytes_total{flag="orphan"} 150\n');
    expect(text).toContain('# HELP claude_reaper_freed_bytes_total Resident memory of the reaped processes, from the audit log, by flag.\n# TYPE claude_reaper_freed_bytes_total counter\n');
  });

  it('write the version as an info metric in OpenMetrics and as a gauge of 1 in the text format', () => {
    expect(om).toContain(`# TYPE claude_reaper_build info\n# HELP claude_reaper_build The claude-reaper that wrote these metrics.\nclaude_reaper_build_info{version="${VERSION}"} 1\n`);
    expect(text).toContain(`# TYPE claude_reaper_build_info gauge\nclaude_reaper_build_info{version="${VERSION}"} 1\n`);
  });

  it('end OpenMetrics with # EOF and the text format without it', () => {
    expect(om.endsWith('\n# EOF\n')).toBe(true);
    expect(text).not.toContain('# EOF');
    expect(text).not.toContain('# UNIT');
  });

  it('hold the same samples', () => {
    expect(samples(om)).toEqual(samples(renderPrometheusText(families)));
  });
});
