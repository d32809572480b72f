// Builds snapshots by hand for the pure rule tests: records with sensible defaults, the tree
// indexes, and the related set worked out by the real matcher.
import type { Known } from '../../src/snapshot/known.js';
import { findSeeds, relate } from '../../src/snapshot/related.js';
import { childrenIndex, descendants } from '../../src/snapshot/tree.js';
import type { ClaudeMarkers, SampledProcess, SessionRecord, Snapshot, TranscriptInfo } from '../../src/types.js';

export const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
export const SELF_PID = 9000;
export const UID = 1000;

export type ProcSpec = Partial<SampledProcess> & { pid: number; ppid: number };

/** A process record; started `ageMs` before NOW, idle (0 % CPU, no CPU time) unless told. */
export function proc(spec: ProcSpec & { ageMs?: number }): SampledProcess {
  const ageMs = spec.ageMs ?? 3_600_000;
  const { ageMs: _omit, ...rest } = spec;
  return {
    pgid: spec.pid,
    sid: spec.pid,
    uid: UID,
    user: 'dev',
    name: 'sleep',
    exe: '/usr/bin/sleep',
    argv: ['sleep', '1000'],
    startTime: NOW - ageMs,
    startId: String(1_000_000 - Math.round(ageMs / 10)),
    elapsedMs: ageMs,
    cpuTimeMs: 0,
    rssBytes: 100_000_000,
    tty: null,
    tpgid: null,
    state: 'S',
    threads: 1,
    fdCount: 13,
    cwd: '/home/dev',
    cpuPercent: 0.1,
    markers: null,
    session: null,
    transcript: null,
    sockets: null,
    ...rest,
  };
}

export const SDK_ARGV = ['/srv/app/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'];

export function claude(spec: ProcSpec & { ageMs?: number }): SampledProcess {
  return proc({ name: 'claude', exe: SDK_ARGV[0]!, argv: SDK_ARGV, ...spec });
}

/** Claude's session record of a process, as the snapshot reads it. */
export function record(fields: Partial<SessionRecord> = {}): SessionRecord {
  return { path: '/home/dev/.claude/sessions/x.json', sessionId: 's-1', cwd: '/srv/app', entrypoint: 'sdk-ts', kind: 'interactive', jobId: null, version: '2.1.332', status: 'idle', statusSince: NOW, startedAt: null, ...fields };
}

/** What the end of a transcript says, as the snapshot reads it. */
export function transcript(state: TranscriptInfo['state'], since: number | null, fields: Partial<TranscriptInfo> = {}): TranscriptInfo {
  return { path: '/home/dev/.claude/projects/-srv-app/s-1.jsonl', state, since, lastActivity: since, unansweredRequests: state === 'request-outstanding' ? 1 : 0, ...fields };
}

/** init, this tool and its parent shell: present in every built snapshot. */
function base(selfUnder: number): SampledProcess[] {
  return [
    proc({ pid: 1, ppid: 0, name: 'systemd', exe: '/usr/lib/systemd/systemd', argv: ['/sbin/init'], uid: 0, user: 'root', ageMs: 86_400_000 }),
    proc({ pid: 8999, ppid: selfUnder, name: 'bash', exe: '/usr/bin/bash', argv: ['bash'], ageMs: 60_000 }),
    proc({ pid: SELF_PID, ppid: 8999, name: 'node', exe: '/usr/bin/node', argv: ['node', 'claude-reaper', 'scan'], ageMs: 1000, pgid: 8999, sid: 8999 }),
  ];
}

export interface SnapshotSpec {
  sampleMs?: number;
  reparent?: 'posix' | 'windows';
  markers?: Map<number, ClaudeMarkers>;
  /** The parent of this tool's shell (default init): a claude, to run the tool from its Bash tool. */
  selfUnder?: number;
  /** What earlier runs and Claude's configuration tell (see src/snapshot/known.ts). */
  known?: Omit<Known, 'reparent'>;
}

export function snapshot(procs: SampledProcess[], opts: SnapshotSpec = {}): Snapshot {
  const all = [...base(opts.selfUnder ?? 1), ...procs];
  const processes = new Map(all.map((p) => [p.pid, p]));
  for (const [pid, m] of opts.markers ?? []) processes.get(pid)!.markers = m;
  const children = childrenIndex(processes);
  const markers = new Map([...processes.values()].map((p) => [p.pid, p.markers]));
  const self = [SELF_PID, 8999];
  for (let p = processes.get(8999)!.ppid; p > 0 && !self.includes(p); p = processes.get(p)?.ppid ?? 0) self.push(p);
  const exclude = new Set([SELF_PID, ...descendants(SELF_PID, children)]);
  const known = opts.known && { ...opts.known, reparent: opts.reparent ?? 'posix' };
  const related = relate(processes, children, findSeeds(processes), markers, exclude, known);
  return {
    source: 'procfs',
    platform: 'linux',
    reparent: opts.reparent ?? 'posix',
    takenAt: NOW,
    sampleMs: opts.sampleMs ?? 1000,
    processes,
    children,
    related,
    self,
    selfUid: UID,
    warnings: [],
  };
}
