// Builds the versioned scan document from a snapshot and its findings. The document is what leaves
// the process (JSON, the table, plans, the audit log), so its command lines are redacted here; the
// snapshot keeps the real ones for the classifier.
import { SCHEMA_VERSION, type Finding, type ProcessReport, type ScanDocument, type ScanSummary } from './report.js';
import type { Thresholds } from './classify/thresholds.js';
import type { Match, SampledProcess, Snapshot } from './types.js';
import { redactArgv } from './redact/index.js';
import { VERSION } from './version.js';

export function buildDocument(snapshot: Snapshot, findings: ReadonlyMap<number, Finding>, thresholds: Thresholds): ScanDocument {
  const processes: ProcessReport[] = [];
  for (const [pid, match] of snapshot.related) {
    processes.push(processReport(snapshot.processes.get(pid)!, match, findings.get(pid)));
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'claude-reaper', version: VERSION },
    platform: snapshot.platform,
    source: snapshot.source,
    scannedAt: new Date(snapshot.takenAt).toISOString(),
    sampleMs: snapshot.sampleMs,
    thresholds: { ...thresholds },
    summary: summarize(processes),
    processes,
    warnings: snapshot.warnings,
  };
}

function processReport(p: SampledProcess, match: Match, finding: Finding | undefined): ProcessReport {
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    sid: p.sid,
    uid: p.uid,
    user: p.user,
    name: p.name,
    exe: p.exe,
    argv: p.argv === null ? null : redactArgv(p.argv),
    startTime: new Date(p.startTime).toISOString(),
    startId: p.startId,
    elapsedMs: p.elapsedMs,
    cpuTimeMs: p.cpuTimeMs,
    cpuPercent: p.cpuPercent === null ? null : Math.round(p.cpuPercent * 100) / 100,
    rssBytes: p.rssBytes,
    fdCount: p.fdCount,
    threads: p.threads,
    tty: p.tty,
    state: p.state,
    cwd: p.cwd,
    kind: match.kind,
    variant: match.variant,
    role: match.role,
    owner: match.owner,
    matchedBy: match.via,
    session: p.session,
    transcript: p.transcript,
    sockets: p.sockets,
    flags: finding?.flags ?? [],
    reasons: finding?.reasons ?? [],
    protection: finding?.protection ?? null,
    reapable: finding?.reapable ?? false,
    idle: finding?.idle ?? null,
  };
}

function summarize(processes: readonly ProcessReport[]): ScanSummary {
  const summary: ScanSummary = { processes: processes.length, byKind: {}, rssBytes: 0, flagged: 0, byFlag: {}, protected: 0, reapable: 0, reclaimableRssBytes: 0 };
  for (const p of processes) {
    summary.byKind[p.kind] = (summary.byKind[p.kind] ?? 0) + 1;
    summary.rssBytes += p.rssBytes ?? 0;
    if (p.flags.length > 0) summary.flagged++;
    for (const f of p.flags) summary.byFlag[f] = (summary.byFlag[f] ?? 0) + 1;
    if (p.protection) summary.protected++;
    if (p.reapable) {
      summary.reapable++;
      summary.reclaimableRssBytes += p.rssBytes ?? 0;
    }
  }
  return summary;
}
