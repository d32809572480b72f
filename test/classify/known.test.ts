// Leftovers with no mark of their own, tied to claude by what is known: an earlier run's view of the
// same process, a claude parent an earlier run saw (Windows), and Claude's MCP configuration. Pure:
// built snapshots, earlier runs' state given by hand.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/classify/thresholds.js';
import type { DeclaredServer } from '../../src/classify/declared-mcp.js';
import type { Finding } from '../../src/report.js';
import type { Known } from '../../src/snapshot/known.js';
import { historyKey, type Sample, type Seen } from '../../src/state/history.js';
import type { SampledProcess, Snapshot } from '../../src/types.js';
import { NOW, proc, snapshot, type SnapshotSpec } from '../helpers/snapshot.js';

const win = { pgid: null, sid: null, tty: null, uid: 1000 } as const;
const CLAUDE = 'C:\\Users\\u\\.local\\bin\\claude.exe';
const NPX_MEMORY = ['C:\\WINDOWS\\system32\\cmd.exe', '/c', 'npx', '-y', '@modelcontextprotocol/server-memory'];

const MIN = 60_000;
const HOUR = 3_600_000;

function run(snap: Snapshot): Map<number, Finding> {
  return classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: new Map(), allUsers: false, patterns: [] });
}

/** Earlier runs' state: what each (pid, start) was, and when it was last sampled. */
function earlier(entries: [SampledProcess | { pid: number; startId: string; startTime: number }, Omit<Seen, 'startTime'>, number][], declared: DeclaredServer[] = []): Omit<Known, 'reparent'> {
  const seen = new Map<string, Seen>();
  const samples = new Map<string, Sample[]>();
  for (const [p, s, lastSeenAt] of entries) {
    const key = historyKey(p.pid, p.startId);
    seen.set(key, { ...s, startTime: p.startTime });
    samples.set(key, [{ at: lastSeenAt, cpuTimeMs: 1000 }]);
  }
  return { seen, samples, declaredServers: () => declared };
}

const winClaude = (pid: number, ageMs: number) => proc({ pid, ppid: 4, name: 'claude.exe', exe: CLAUDE, argv: [CLAUDE], ageMs, ...win });
const cmdMcp = (ppid: number, ageMs: number) => proc({ pid: 7100, ppid, name: 'cmd.exe', exe: 'C:\\WINDOWS\\system32\\cmd.exe', argv: NPX_MEMORY, ageMs, ...win });
const npxNode = proc({ pid: 7101, ppid: 7100, name: 'node.exe', exe: 'C:\\Program Files\\nodejs\\node.exe', argv: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js', '-y', '@modelcontextprotocol/server-memory'], ageMs: 2 * HOUR, ...win });

describe('on Windows, an MCP server whose claude is gone (no environment, no reparenting)', () => {
  // The claude that started it: pid 6000, gone now; an earlier run saw it.
  const deadClaude = { pid: 6000, startId: '2026-11-22T08:00:00.0000000Z', startTime: NOW - 4 * HOUR };
  const spec = (known: Omit<Known, 'reparent'>): SnapshotSpec => ({ reparent: 'windows', known });

  it('is listed nowhere when nothing is known of it: nothing in `cmd.exe /c npx …` says claude', () => {
    const snap = snapshot([cmdMcp(6000, 2 * HOUR), npxNode], spec(earlier([])));
    expect(snap.related.has(7100)).toBe(false);
    expect(snap.related.has(7101)).toBe(false);
  });

  it('is a stray MCP server of that claude when an earlier run saw its parent pid as claude alive after it started, with its npx chain', () => {
    for (const ageMs of [5 * MIN, 2 * HOUR, 3 * HOUR]) {
      const snap = snapshot([cmdMcp(6000, ageMs), { ...npxNode, startTime: NOW - ageMs }], spec(earlier([[deadClaude, { kind: 'claude', owner: null, ownerIsClaude: false }, NOW - MIN]])));
      expect(snap.related.get(7100)).toMatchObject({ kind: 'mcp-server', owner: 6000 });
      expect(snap.related.get(7100)!.via).toMatch(/its parent 6000 was claude/);
      const f = run(snap);
      expect(f.get(7100)!.flags).toContain('stray-mcp');
      expect(f.get(7100)!.reasons.find((r) => r.flag === 'stray-mcp')!.text).toBe('MCP server left running: claude 6000 is gone, its parent 6000 is gone');
      expect(f.get(7100)!.reapable).toBe(true);
      // The npx chain under it goes with it, and is not a finding of its own.
      expect(snap.related.get(7101)).toMatchObject({ kind: 'child', owner: 6000 });
      expect(f.get(7101)!.reapable).toBe(false);
    }
  });

  it('is tied the same when its parent pid now names a newer process', () => {
    const reused = proc({ pid: 6000, ppid: 4, name: 'notepad.exe', argv: ['notepad.exe'], ageMs: 10 * MIN, ...win });
    const snap = snapshot([reused, cmdMcp(6000, 2 * HOUR)], spec(earlier([[deadClaude, { kind: 'claude', owner: null, ownerIsClaude: false }, NOW - MIN]])));
    expect(snap.related.get(7100)).toMatchObject({ kind: 'mcp-server', owner: 6000 });
    expect(run(snap).get(7100)!.reasons.find((r) => r.flag === 'stray-mcp')!.text).toMatch(/that pid now names a younger process/);
  });

  it('is not tied to a claude last seen before it started: that pid may have named another process by then', () => {
    const snap = snapshot([cmdMcp(6000, 30 * MIN)], spec(earlier([[deadClaude, { kind: 'claude', owner: null, ownerIsClaude: false }, NOW - HOUR]])));
    expect(snap.related.has(7100)).toBe(false);
  });

  it('is not tied to a claude that started after it (the history says another process had that pid)', () => {
    const young = { ...deadClaude, startTime: NOW - HOUR, startId: 'later' };
    const snap = snapshot([cmdMcp(6000, 2 * HOUR)], spec(earlier([[young, { kind: 'claude', owner: null, ownerIsClaude: false }, NOW - MIN]])));
    expect(snap.related.has(7100)).toBe(false);
  });

  it("is a stray MCP server when its command line is, word for word, one Claude's configuration declares", () => {
    const memory: DeclaredServer = { name: 'memory', source: 'C:\\Users\\u\\.claude.json', command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory'] };
    const snap = snapshot([cmdMcp(6000, 2 * HOUR), npxNode], spec(earlier([], [memory])));
    expect(snap.related.get(7100)).toMatchObject({ kind: 'mcp-server', owner: null });
    expect(snap.related.get(7100)!.via).toBe("MCP server 'memory' as declared in C:\\Users\\u\\.claude.json, word for word; its parent 6000 is gone");
    const f = run(snap).get(7100)!;
    expect(f.flags).toContain('stray-mcp');
    expect(f.reapable).toBe(true);
  });

  it('leaves a declared server alone while its parent lives (Cursor or Claude Desktop may run the same one)', () => {
    const cursor = proc({ pid: 6000, ppid: 4, name: 'Cursor.exe', argv: ['C:\\Users\\u\\AppData\\Local\\Programs\\cursor\\Cursor.exe'], ageMs: 5 * HOUR, ...win });
    const memory: DeclaredServer = { name: 'memory', source: '~/.claude.json', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] };
    const snap = snapshot([cursor, cmdMcp(6000, 2 * HOUR)], spec(earlier([], [memory])));
    expect(snap.related.has(7100)).toBe(false);
  });

  it('does not read the configuration when no process needs it', () => {
    let reads = 0;
    const known = { ...earlier([]), declaredServers: () => (reads++, []) };
    snapshot([winClaude(6000, HOUR), cmdMcp(6000, 30 * MIN)], spec(known));
    expect(reads).toBe(0);
    snapshot([cmdMcp(6000, 30 * MIN), proc({ pid: 7200, ppid: 6100, name: 'node.exe', argv: ['node.exe', 'C:\\srv\\mcp\\index.js'], ageMs: HOUR, ...win })], spec(known));
    expect(reads).toBe(1);
  });

  it("does not read it for another user's process, nor for a bare shell no declaration could name", () => {
    let reads = 0;
    const known = { ...earlier([]), configUid: 1000, declaredServers: () => (reads++, []) };
    const posix = { known };
    snapshot([proc({ pid: 7300, ppid: 1, uid: 0, user: 'root', name: 'python3', argv: ['/usr/bin/python3', '/usr/bin/networkd-dispatcher'] })], posix);
    snapshot([proc({ pid: 92318, ppid: 1, name: 'zsh', argv: ['/bin/zsh'] })], posix);
    expect(reads).toBe(0);
    snapshot([proc({ pid: 7301, ppid: 1, name: 'node', argv: ['node', '/srv/mcp/index.js'] })], posix);
    expect(reads).toBe(1);
  });
});

describe('a process an earlier run listed as claude\'s helper (same pid and start time)', () => {
  const claude = { pid: 6000, startId: 'c', startTime: NOW - 4 * HOUR };

  it('on Windows, keeps the tie of a Git-Bash command whose tool shell and claude are gone (anthropics/claude-code#92583)', () => {
    const tail = proc({ pid: 66532, ppid: 66352, name: 'tail.exe', exe: 'C:\\Program Files\\Git\\usr\\bin\\tail.exe', argv: ['tail', '-f', 'tr11.log'], ageMs: 44 * HOUR, ...win });
    const snap = snapshot([tail], { reparent: 'windows', known: earlier([[claude, { kind: 'claude', owner: null, ownerIsClaude: false }, NOW - 50 * HOUR], [tail, { kind: 'child', owner: 6000, ownerIsClaude: true }, NOW - 40 * HOUR]]) });
    expect(snap.related.get(66532)).toMatchObject({ kind: 'child', owner: 6000 });
    expect(snap.related.get(66532)!.via).toBe("an earlier run saw it as a process claude 6000's tree started (same pid and start time)");
    const f = run(snap).get(66532)!;
    expect(f.flags).toContain('orphan');
    expect(f.reapable).toBe(true);
  });

  it('calls a command an earlier run saw under a tool shell what the Bash tool left running', () => {
    const sleep = proc({ pid: 22064, ppid: 64932, name: 'sleep.exe', argv: ['C:\\Program Files\\Git\\usr\\bin\\sleep.exe', '601'], ageMs: 5 * HOUR, ...win });
    const snap = snapshot([sleep], { reparent: 'windows', known: earlier([[sleep, { kind: 'child', owner: 6000, ownerIsClaude: true, bashTool: true }, NOW - 4 * HOUR]]) });
    expect(snap.related.get(22064)).toMatchObject({ kind: 'child', owner: 6000, bashTool: true });
    const f = run(snap).get(22064)!;
    expect(f.flags).toContain('stray-shell');
    expect(f.flags).not.toContain('orphan');
    expect(f.reasons.find((r) => r.flag === 'stray-shell')!.text).toBe('command the Bash tool started left running: claude 6000 is gone, its parent 64932 is gone');
  });

  it('on macOS, keeps the tie of a Bash-tool zsh whose environment macOS hides (anthropics/claude-code#89625)', () => {
    const zsh = proc({ pid: 92318, ppid: 1, name: 'zsh', exe: null, argv: ['/bin/zsh'], ageMs: 25 * HOUR, pgid: 92300, sid: 92300 });
    const snap = snapshot([zsh], { known: earlier([[zsh, { kind: 'tool-shell', owner: 812, ownerIsClaude: true }, NOW - 24 * HOUR]]) });
    expect(snap.related.get(92318)).toMatchObject({ kind: 'tool-shell', owner: 812 });
    const f = run(snap).get(92318)!;
    expect(f.reasons.find((r) => r.flag === 'stray-shell')!.text).toBe('Bash-tool shell left running: claude 812 is gone, reparented to init (pid 1, systemd)');
    expect(f.reapable).toBe(true);
  });

  it('never takes a process with the same pid but another start time for it', () => {
    const zsh = proc({ pid: 92318, ppid: 1, name: 'zsh', argv: ['/bin/zsh'], ageMs: 25 * HOUR });
    const snap = snapshot([zsh], { known: earlier([[{ ...zsh, startId: 'another' }, { kind: 'tool-shell', owner: 812, ownerIsClaude: true }, NOW - 24 * HOUR]]) });
    expect(snap.related.has(92318)).toBe(false);
  });

  it("does not keep the tie of a daemon's own child: only what claude started follows it", () => {
    const db = proc({ pid: 700, ppid: 1, name: 'chroma', argv: ['chroma', 'run'], ageMs: 5 * HOUR });
    const snap = snapshot([db], { known: earlier([[db, { kind: 'child', owner: 600, ownerIsClaude: false }, NOW - HOUR]]) });
    expect(snap.related.has(700)).toBe(false);
  });

  it('gives a tool shell found by its signature alone the claude an earlier run saw it under', () => {
    const shell = proc({ pid: 33880, ppid: 30000, name: 'bash.exe', argv: ['C:\\Program Files\\Git\\usr\\bin\\bash.exe', '-c', "source /c/Users/u/.claude/shell-snapshots/snapshot-bash-1786-x1.sh && eval 'tail -f x.log' && pwd -P >| /tmp/claude-fcf3-cwd"], ageMs: 54 * HOUR, ...win });
    const snap = snapshot([shell], { reparent: 'windows', known: earlier([[shell, { kind: 'tool-shell', owner: 6000, ownerIsClaude: true }, NOW - 53 * HOUR]]) });
    expect(snap.related.get(33880)).toMatchObject({ kind: 'tool-shell', owner: 6000 });
    expect(run(snap).get(33880)!.reasons.find((r) => r.flag === 'stray-shell')!.text).toMatch(/^Bash-tool shell left running: claude 6000 is gone/);
  });
});
