// The planner on built snapshots: which processes a selection takes, what goes with them, and
// what it refuses. Pure: no processes, no clock.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/classify/thresholds.js';
import type { ScanResult } from '../../src/commands/scan.js';
import { buildDocument } from '../../src/document.js';
import { UsageError } from '../../src/errors.js';
import { planProcesses } from '../../src/reap/plan.js';
import { emptySelection, planKill } from '../../src/reap/select.js';
import type { SampledProcess } from '../../src/types.js';
import { NOW, claude, proc, record, snapshot, type SnapshotSpec } from '../helpers/snapshot.js';

function scan(procs: SampledProcess[], spec: SnapshotSpec = {}): ScanResult {
  const snap = snapshot(procs, spec);
  const findings = classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: new Map(), allUsers: false, patterns: [] });
  return { snapshot: snap, findings, document: buildDocument(snap, findings, DEFAULT_THRESHOLDS) };
}
const plan = (s: ScanResult, sel: Partial<ReturnType<typeof emptySelection>>) =>
  planKill(s, { ...emptySelection(), ...sel }, { signal: 'SIGTERM', graceMs: 5000 });
const daemon = proc({ pid: 60, ppid: 1, name: 'node', argv: ['node', '/srv/chat/server.js'], ageMs: 7_200_000, cpuTimeMs: 90_000 });

describe('planKill', () => {
  it('takes what the classifier marks reapable when no selector is given', () => {
    const s = scan([daemon, claude({ pid: 100, ppid: 1 }), claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, ageMs: 30_000, cpuTimeMs: 500 })]);
    const p = plan(s, { reapable: true });
    expect(p.targets.map((t) => t.pid)).toEqual([100]);
    expect(p.targets[0]!.reason).toMatch(/^orphan: reparented to init/);
  });

  it('combines selectors as a union', () => {
    const s = scan([daemon, claude({ pid: 100, ppid: 1 }), claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, ageMs: 30_000, cpuTimeMs: 500, rssBytes: 900_000_000 })]);
    const p = plan(s, { orphans: true, minRssBytes: 500_000_000 });
    expect(p.targets.map((t) => t.pid).sort()).toEqual([100, 101]);
  });

  it("selects by idle time with Claude's evidence, never by age or a lifetime average", () => {
    const busyOnce = claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, ageMs: 600_000, cpuTimeMs: 120_000, session: record({ statusSince: NOW - 60_000 }) });
    const idle = claude({ pid: 102, ppid: 60, pgid: 60, sid: 60, ageMs: 600_000, cpuTimeMs: 1_000, session: record({ statusSince: NOW - 590_000 }) });
    const unknown = claude({ pid: 103, ppid: 60, pgid: 60, sid: 60, ageMs: 6_000_000, cpuTimeMs: 10 });
    const p = plan(scan([daemon, busyOnce, idle, unknown]), { idleMs: 120_000 });
    expect(p.targets.map((t) => t.pid)).toEqual([102]);
    expect(p.targets[0]!.reason).toMatch(/idle 9m50s \(evidence: session-record\)/);
  });

  it('never selects "idle now" by --idle, however short the duration asked for', () => {
    const p = plan(scan([daemon, claude({ pid: 103, ppid: 60, pgid: 60, sid: 60, cpuTimeMs: 10 })]), { idleMs: 1 });
    expect(p.targets).toEqual([]);
  });

  it('skips protected processes with the reason, and never makes them targets', () => {
    const session = claude({ pid: 500, ppid: 1, argv: ['claude'], tty: 'pts/3', pgid: 500, tpgid: 500 });
    const p = plan(scan([session]), { olderThanMs: 1 });
    expect(p.targets).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ pid: 500, reason: 'protected: in the foreground of pts/3' })]);
  });

  it('refuses --pid for a protected or unrelated process', () => {
    const s = scan([claude({ pid: 500, ppid: 1, uid: 4242, user: 'alice' })]);
    expect(() => plan(s, { pids: [500] })).toThrow(UsageError);
    expect(() => plan(s, { pids: [500] })).toThrow(/protected \(belongs to alice/);
    expect(() => plan(s, { pids: [8999] })).toThrow(/not a claude-related process/);
  });

  it('sends the descendants with their root, deepest first, root last', () => {
    const s = scan([
      claude({ pid: 100, ppid: 1 }),
      proc({ pid: 110, ppid: 100, name: 'node', argv: ['npx', '-y', '@modelcontextprotocol/server-memory'] }),
      proc({ pid: 111, ppid: 110, name: 'node', argv: ['node', 'server-memory/dist/index.js'] }),
      proc({ pid: 120, ppid: 100, name: 'bash', argv: ['/bin/bash', '-c', 'source /h/.claude/shell-snapshots/snapshot-bash-1.sh; sleep 9'] }),
    ]);
    const p = plan(s, { pids: [100] });
    expect(p.targets).toHaveLength(1);
    expect(planProcesses(p).map((x) => x.pid)).toEqual([111, 110, 120, 100]);
    expect(p.summary).toMatchObject({ targets: 1, processes: 4 });
  });

  it('takes the helpers that name the target as owner, even when they were reparented away', () => {
    const mcp = proc({ pid: 300, ppid: 1, name: 'node', argv: ['node', '/opt/memory/index.js'] });
    const s = scan([claude({ pid: 100, ppid: 1 }), mcp], { markers: new Map([[300, { messagingSocket: '/tmp/cc-socks/100.sock', sessionId: 's' }]]) });
    expect(planProcesses(plan(s, { pids: [100] })).map((x) => x.pid)).toEqual([300, 100]);
  });

  it('takes no helper older than the target: its owner pid was reused by the target (Windows)', () => {
    // The MCP server names claude 100 as its owner, but started two hours before this claude 100.
    const mcp = proc({ pid: 300, ppid: 1, name: 'node', argv: ['node', '/opt/memory/index.js'], ageMs: 7_200_000 });
    const s = scan([claude({ pid: 100, ppid: 1, ageMs: 600_000 }), mcp], { markers: new Map([[300, { messagingSocket: '/tmp/cc-socks/100.sock', sessionId: 's' }]]) });
    expect(planProcesses(plan(s, { pids: [100] })).map((x) => x.pid)).toEqual([100]);
  });

  it('takes no older process whose parent pid the target reused (Windows never reparents)', () => {
    const node = proc({ pid: 50244, ppid: 100, name: 'node.exe', argv: ['node.exe', 'C:\\srv\\serve.js'], ageMs: 86_400_000, pgid: null, sid: null });
    const s = scan([claude({ pid: 100, ppid: 4, ageMs: 600_000, pgid: null, sid: null }), node], { reparent: 'windows' });
    expect(s.document.processes.map((p) => p.pid)).not.toContain(50244);
    expect(planProcesses(plan(s, { pids: [100] })).map((x) => x.pid)).toEqual([100]);
  });

  it('puts a selected process that another target started under that target, once', () => {
    const s = scan([claude({ pid: 100, ppid: 1, ageMs: 7_200_000 }), claude({ pid: 101, ppid: 100, ageMs: 3_600_000 })]);
    const p = plan(s, { pids: [100, 101] });
    expect(p.targets.map((t) => t.pid)).toEqual([100]);
    expect(p.targets[0]!.descendants.map((d) => d.pid)).toEqual([101]);
  });

  it('skips a zombie: only its parent can reap it', () => {
    const s = scan([daemon, proc({ pid: 130, ppid: 60, name: 'claude', exe: null, argv: [], state: 'Z' })]);
    const p = plan(s, { olderThanMs: 1 });
    expect(p.targets.map((t) => t.pid)).not.toContain(130);
    expect(p.skipped.find((x) => x.pid === 130)!.reason).toMatch(/a zombie/);
  });
});
