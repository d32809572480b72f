// The rules on built snapshots: pure, no processes, no clock.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/classify/thresholds.js';
import type { Finding } from '../../src/report.js';
import { historyKey, type History } from '../../src/state/history.js';
import type { SampledProcess, Snapshot } from '../../src/types.js';
import { NOW, UID, claude, proc, record, snapshot, transcript } from '../helpers/snapshot.js';

function run(snap: Snapshot, extra: { history?: History; allUsers?: boolean; patterns?: RegExp[]; pidFiles?: Map<string, number> } = {}): Map<number, Finding> {
  return classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: extra.history ?? new Map(), allUsers: extra.allUsers ?? false, patterns: extra.patterns ?? [], pidFiles: extra.pidFiles });
}

const daemon = (pid: number, script = '/home/dev/.claude/plugins/marketplaces/x/worker-service.cjs', ageMs = 7_200_000) =>
  proc({ pid, ppid: 1, name: 'node', exe: '/usr/bin/node', argv: ['node', script, '--daemon'], ageMs, cpuTimeMs: 60_000 });

describe('orphan', () => {
  it('flags a claude reparented to init', () => {
    const f = run(snapshot([claude({ pid: 100, ppid: 1 })])).get(100)!;
    expect(f.flags).toContain('orphan');
    expect(f.reasons.find((r) => r.flag === 'orphan')!.text).toMatch(/reparented to init/);
    expect(f.reapable).toBe(true);
  });

  it('flags a claude adopted by systemd --user, and names the subreaper', () => {
    const f = run(snapshot([
      proc({ pid: 50, ppid: 1, name: 'systemd', argv: ['/usr/lib/systemd/systemd', '--user'] }),
      claude({ pid: 100, ppid: 50, pgid: 77, sid: 77 }),
    ])).get(100)!;
    expect(f.reasons.find((r) => r.flag === 'orphan')!.text).toBe('reparented to subreaper systemd (pid 50)');
  });

  it('flags a claude whose process group leader is gone and whose parent is outside that group, whatever the parent is called', () => {
    const f = run(snapshot([
      proc({ pid: 60, ppid: 1, name: 'my-supervisor', pgid: 60, sid: 60 }),
      claude({ pid: 100, ppid: 60, pgid: 77, sid: 77 }),
    ])).get(100)!;
    expect(f.flags).toContain('orphan');
    expect(f.reasons[0]!.evidence).toMatchObject({ pgidLeader: 77 });
  });

  it('does not flag a child sharing its live parent group, even when the group leader is gone', () => {
    const f = run(snapshot([
      proc({ pid: 60, ppid: 1, name: 'node', argv: ['node', 'server.js'], pgid: 55, sid: 55 }),
      claude({ pid: 100, ppid: 60, pgid: 55, sid: 55 }),
    ])).get(100)!;
    expect(f.flags).not.toContain('orphan');
  });

  it('flags a claude nobody holds the stdio of', () => {
    const f = run(snapshot([
      proc({ pid: 60, ppid: 1, name: 'node', argv: ['node', 'server.js'] }),
      claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, sockets: { remoteTcp: 0, tcpEstablished: 0, listeningPorts: [], deadStdioPeers: 3, stdioSockets: 3 } }),
    ])).get(100)!;
    expect(f.reasons.find((r) => r.flag === 'orphan')!.text).toMatch(/nobody holds the other end of its stdio/);
  });

  it("never calls Claude's own background agent an orphan", () => {
    const f = run(snapshot([claude({ pid: 100, ppid: 1, argv: ['claude', 'daemon', 'run'] })])).get(100)!;
    expect(f.flags).not.toContain('orphan');
    expect(f.protection?.id).toBe('background-agent');
  });

  it('on Windows, flags a process whose parent pid now names a younger process', () => {
    const f = run(snapshot([proc({ pid: 70, ppid: 1, name: 'explorer.exe', ageMs: 60_000 }), claude({ pid: 100, ppid: 70, ageMs: 3_600_000, pgid: null, sid: null })], { reparent: 'windows' })).get(100)!;
    expect(f.reasons.find((r) => r.flag === 'orphan')!.text).toMatch(/younger process/);
  });
});

describe('idle, with evidence that spans the duration', () => {
  it("takes Claude's session record as the strongest evidence", () => {
    const c = claude({ pid: 100, ppid: 1, cpuTimeMs: 90_000, session: record({ status: 'idle', statusSince: NOW - 300_000 }) });
    expect(run(snapshot([c])).get(100)!.idle).toEqual({ forMs: 300_000, evidence: 'session-record' });
  });

  it('takes the later of the record and the transcript, so a turn the record has not caught up with counts', () => {
    const c = claude({ pid: 100, ppid: 1, session: record({ statusSince: NOW - 300_000 }), transcript: transcript('turn-over', NOW - 120_000) });
    expect(run(snapshot([c])).get(100)!.idle).toEqual({ forMs: 120_000, evidence: 'transcript' });
  });

  it('is not idle when the session record says busy or waiting, whatever the CPU', () => {
    for (const status of ['busy', 'waiting']) {
      const c = claude({ pid: 100, ppid: 1, session: record({ status, statusSince: NOW - 300_000 }) });
      expect(run(snapshot([c])).get(100)!.flags).not.toContain('idle');
    }
  });

  it("reads a legacy CLI's transcript when its record has no status: turn over since then", () => {
    const c = claude({ pid: 100, ppid: 1, session: record({ status: null, statusSince: null }), transcript: transcript('turn-over', NOW - 240_000) });
    expect(run(snapshot([c])).get(100)!.idle).toEqual({ forMs: 240_000, evidence: 'transcript' });
  });

  it('is not idle when the transcript shows a request, a tool or a reply under way', () => {
    for (const state of ['request-outstanding', 'tool-running', 'responding'] as const) {
      const c = claude({ pid: 100, ppid: 1, session: record({ status: null, statusSince: null }), transcript: transcript(state, NOW - 240_000) });
      expect(run(snapshot([c])).get(100)!.flags, state).not.toContain('idle');
    }
  });

  it('never takes a small CPU delta since an earlier sample as proof that claude was idle: a turn costs less', () => {
    // 10 ms over 10 minutes: a turn every few minutes looks the same.
    const c = claude({ pid: 100, ppid: 1, cpuTimeMs: 50_000, ageMs: 3_600_000 });
    const history = new Map([[`100:${c.startId}`, [{ at: NOW - 600_000, cpuTimeMs: 49_990 }]]]);
    expect(run(snapshot([c]), { history }).get(100)!.idle).toEqual({ forMs: null, evidence: 'window' });
  });

  it('proves idle time for a process other than claude with the CPU since earlier samples, every stretch under the threshold', () => {
    const d = daemon(60);
    const history = new Map([[`60:${d.startId}`, [{ at: NOW - 600_000, cpuTimeMs: 59_990 }, { at: NOW - 300_000, cpuTimeMs: 59_995 }]]]);
    expect(run(snapshot([d, claude({ pid: 100, ppid: 60, pgid: 60, sid: 60 })]), { history }).get(60)!.idle).toEqual({ forMs: 600_000, evidence: 'earlier-sample' });
  });

  it('proves only the quiet stretch since the last one that shows work', () => {
    const d = daemon(60);
    // 6 s of CPU between the two samples (2 %), none since.
    const history = new Map([[`60:${d.startId}`, [{ at: NOW - 600_000, cpuTimeMs: 54_000 }, { at: NOW - 300_000, cpuTimeMs: 60_000 }]]]);
    expect(run(snapshot([d, claude({ pid: 100, ppid: 60, pgid: 60, sid: 60 })]), { history }).get(60)!.idle).toEqual({ forMs: 300_000, evidence: 'earlier-sample' });
  });

  it("doubts Claude's word when the CPU shows work since it said idle: idle now, for an unknown time", () => {
    const c = claude({ pid: 100, ppid: 1, cpuTimeMs: 100_000, cpuPercent: 0.2, session: record({ statusSince: NOW - 1_200_000 }) });
    // 6 s of CPU (5 %) in the last 2 minutes: something ran.
    const history = new Map([[`100:${c.startId}`, [{ at: NOW - 120_000, cpuTimeMs: 94_000 }]]]);
    expect(run(snapshot([c]), { history }).get(100)!.idle).toEqual({ forMs: null, evidence: 'window' });
  });

  it('never uses the lifetime average over the age as a duration', () => {
    const c = claude({ pid: 100, ppid: 1, cpuTimeMs: 2_000, ageMs: 6_000_000 });
    const f = run(snapshot([c])).get(100)!;
    expect(f.idle).toEqual({ forMs: null, evidence: 'window' });
    expect(f.reasons.find((r) => r.flag === 'idle')!.text).toMatch(/idle now, for an unknown time: a later run/);
  });

  it('is not idle when busy over the window', () => {
    expect(run(snapshot([claude({ pid: 100, ppid: 1, cpuPercent: 40 })])).get(100)!.flags).not.toContain('idle');
  });
});

describe('abandoned', () => {
  it('flags an SDK child of a live daemon idle past the threshold by its record, and names the owner', () => {
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 900_000, session: record({ statusSince: NOW - 700_000 }) })]);
    const f = run(snap).get(100)!;
    expect(f.flags).toEqual(['idle', 'abandoned']);
    expect(f.reasons.find((r) => r.flag === 'abandoned')!.evidence).toMatchObject({ owner: 60, ownerName: 'node', evidence: 'session-record', idleForMs: 700_000 });
    expect(f.reapable).toBe(true);
  });

  it('never calls an interactive claude idle for an hour under a Windows shell abandoned: PowerShell 7, Git Bash, cmd', () => {
    const win = { pgid: null, sid: null, tty: null } as const;
    const exe = 'C:\\Users\\u\\.local\\bin\\claude.exe';
    for (const [name, path] of [['pwsh.exe', 'C:\\Program Files\\PowerShell\\7\\pwsh.exe'], ['bash.exe', 'C:\\Program Files\\Git\\usr\\bin\\bash.exe'], ['cmd.exe', 'C:\\WINDOWS\\system32\\cmd.exe']] as const) {
      const shell = proc({ pid: 60, ppid: 4400, name, exe: path, argv: [path], ageMs: 7_200_000, ...win });
      const session = claude({ pid: 100, ppid: 60, name: 'claude.exe', exe, argv: [exe], ageMs: 3_600_000, session: record({ entrypoint: 'cli', statusSince: NOW - 3_000_000 }), ...win });
      const f = run(snapshot([shell, session], { reparent: 'windows' })).get(100)!;
      expect(f.flags, name).not.toContain('abandoned');
      expect(f.reapable, name).toBe(false);
    }
  });

  it('flags it whatever keep-alive connection it holds: its record says idle', () => {
    const sockets = { remoteTcp: 1, tcpEstablished: 1, listeningPorts: [], deadStdioPeers: 0, stdioSockets: 3 };
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, sockets, session: record({ statusSince: NOW - 700_000 }) })]);
    expect(run(snap).get(100)!.flags).toContain('abandoned');
  });

  it('leaves alone a child that is idle for less than the threshold', () => {
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ statusSince: NOW - 60_000 }) })]);
    expect(run(snap).get(100)!.flags).toEqual(['idle']);
  });

  it('leaves alone, at every age, a child with no record or transcript: idle now proves no duration', () => {
    for (const ageMs of [30_000, 120_000, 600_000, 3_600_000, 86_400_000]) {
      const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs, cpuTimeMs: 10 })]);
      expect(run(snap).get(100)!.flags, `age ${ageMs}`).toEqual(['idle']);
    }
  });

  it('leaves alone a claude run from a shell (a script, a cron job)', () => {
    const snap = snapshot([proc({ pid: 60, ppid: 1, name: 'sh', argv: ['/bin/sh', '-c', 'claude -p x'] }), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 900_000, session: record({ statusSince: NOW - 900_000 }) })]);
    expect(run(snap).get(100)!.flags).not.toContain('abandoned');
  });
});

describe('hung', () => {
  const sockets = { remoteTcp: 1, tcpEstablished: 1, listeningPorts: [], deadStdioPeers: 0, stdioSockets: 3 };

  it('never calls an open connection alone hung: a live session keeps one between turns', () => {
    for (const session of [null, record({ statusSince: NOW - 3_000_000 })]) {
      const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 3_600_000, cpuTimeMs: 1_000, sockets, session })]);
      expect(run(snap).get(100)!.flags).not.toContain('hung');
    }
  });

  it("flags a request the transcript shows unanswered past the threshold, with the CPU quiet, and counts the re-sends", () => {
    const t = transcript('request-outstanding', NOW - 780_000, { unansweredRequests: 3 });
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 900_000, session: record({ status: 'busy', statusSince: NOW - 780_000 }), transcript: t })]);
    const f = run(snap).get(100)!;
    expect(f.flags).toContain('hung');
    expect(f.reasons.find((r) => r.flag === 'hung')!.text).toBe("the transcript's last request has no answer for 13m00s, sent 3 times, with no CPU progress");
    expect(f.reapable).toBe(true);
  });

  it('flags a claude whose record says busy past the threshold when there is no transcript to read, its CPU quiet', () => {
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 3_600_000, session: record({ status: 'busy', statusSince: NOW - 900_000 }) })]);
    expect(run(snap).get(100)!.reasons.find((r) => r.flag === 'hung')!.evidence).toMatchObject({ evidence: 'session-record', outstandingForMs: 900_000 });
  });

  it('does not flag a claude whose record says busy while its Bash tool runs a command', () => {
    const toolCmd = ['/bin/bash', '-c', "source /home/dev/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'make test' && pwd -P >| /tmp/claude-ab12-cwd"];
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ status: 'busy', statusSince: NOW - 900_000 }) }), proc({ pid: 101, ppid: 100, name: 'bash', argv: toolCmd })]);
    expect(run(snap).get(100)!.flags).not.toContain('hung');
  });

  it('does not flag a request while the transcript shows a tool running, or the record says idle', () => {
    const tool = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ status: 'busy', statusSince: NOW - 900_000 }), transcript: transcript('tool-running', NOW - 900_000) });
    const idle = claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, session: record({ status: 'idle', statusSince: NOW - 900_000 }), transcript: transcript('request-outstanding', NOW - 900_000) });
    const f = run(snapshot([daemon(60), tool, idle]));
    expect(f.get(100)!.flags).not.toContain('hung');
    expect(f.get(101)!.flags).not.toContain('hung');
  });

  it('does not flag a request while the CPU shows a reply streaming in', () => {
    const t = transcript('request-outstanding', NOW - 900_000);
    const busy = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, cpuPercent: 12, session: record({ status: 'busy', statusSince: NOW - 900_000 }), transcript: t });
    const c = claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, cpuTimeMs: 20_000, cpuPercent: 0.1, session: record({ status: 'busy', statusSince: NOW - 900_000 }), transcript: t });
    // 8 s of CPU since a sample taken 4 minutes ago, after the request was sent.
    const history = new Map([[`101:${c.startId}`, [{ at: NOW - 240_000, cpuTimeMs: 12_000 }]]]);
    const f = run(snapshot([daemon(60), busy, c]), { history });
    expect(f.get(100)!.flags).not.toContain('hung');
    expect(f.get(101)!.flags).not.toContain('hung');
  });

  it('does not flag a request younger than the threshold, at any age of the process', () => {
    for (const ageMs of [60_000, 600_000, 3_600_000]) {
      const c = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs, session: record({ status: 'busy', statusSince: NOW - 500_000 }), transcript: transcript('request-outstanding', NOW - 500_000) });
      expect(run(snapshot([daemon(60), c])).get(100)!.flags, `age ${ageMs}`).not.toContain('hung');
    }
  });

  it('cannot tell without any CPU measurement (no window, no sample since the request)', () => {
    const c = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, cpuPercent: null, session: record({ status: 'busy', statusSince: NOW - 900_000 }), transcript: transcript('request-outstanding', NOW - 900_000) });
    expect(run(snapshot([daemon(60), c], { sampleMs: 0 })).get(100)!.flags).not.toContain('hung');
  });
});

describe('runaway', () => {
  it('flags an orphan burning CPU', () => {
    const f = run(snapshot([claude({ pid: 100, ppid: 1, cpuPercent: 97, cpuTimeMs: 3_000_000 })])).get(100)!;
    expect(f.flags).toEqual(['orphan', 'runaway']);
  });

  it('does not flag a busy child of a live daemon: it is working for it', () => {
    const f = run(snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, cpuPercent: 97, cpuTimeMs: 3_000_000 })])).get(100)!;
    expect(f.flags).toEqual([]);
  });
});

describe('runaway, on CPU held since an earlier run (a quarter of a core for a day, anthropics/claude-code#89625)', () => {
  const MIN = 60_000;
  // An orphaned Bash-tool shell of a claude that is gone: stray-shell by its environment.
  const shell = (cpuPercent: number | null, cpuTimeMs: number) =>
    proc({ pid: 92318, ppid: 1, name: 'zsh', exe: '/bin/zsh', argv: ['/bin/zsh'], pgid: 92300, sid: 92300, ageMs: 25 * 60 * MIN, cpuPercent, cpuTimeMs });
  const markers = new Map([[92318, { claudeCode: true, claudePid: 812 }]]);
  /** Earlier samples at these minutes before now, each at `percent` of a core up to now. */
  const history = (percent: number, ...minutesAgo: number[]) => {
    const cpuNow = 5_000_000;
    return new Map([[historyKey(92318, shell(0, 0).startId), minutesAgo.map((m) => ({ at: NOW - m * MIN, cpuTimeMs: cpuNow - (m * MIN * percent) / 100 }))]]);
  };

  it('flags a stray held at 21 % since a sample 10 minutes old or more, at several ages, and says for how long', () => {
    for (const minutesAgo of [10, 45, 24 * 60]) {
      const f = run(snapshot([shell(21, 5_000_000)], { markers }), { history: history(21, minutesAgo) }).get(92318)!;
      expect(f.flags).toEqual(expect.arrayContaining(['stray-shell', 'runaway']));
      const r = f.reasons.find((x) => x.flag === 'runaway')!;
      expect(r.evidence).toMatchObject({ averagePercent: 21, thresholdPercent: 15, busyForMs: minutesAgo * MIN });
      expect(r.text).toMatch(/^21 % of a core for \S+ with no owner \(since an earlier run's sample, 21 % now\)$/);
    }
  });

  it('does not flag it on one reading, however long it has run: the window alone proves nothing held', () => {
    expect(run(snapshot([shell(28, 5_000_000)], { markers })).get(92318)!.flags).not.toContain('runaway');
  });

  it('does not flag it when the earlier sample is younger than 10 minutes', () => {
    expect(run(snapshot([shell(28, 5_000_000)], { markers }), { history: history(28, 9) }).get(92318)!.flags).not.toContain('runaway');
  });

  it('does not flag it when a stretch between samples ran below the bar (busy once, idle since, busy now)', () => {
    const h = new Map([[historyKey(92318, shell(0, 0).startId), [{ at: NOW - 60 * MIN, cpuTimeMs: 1_000_000 }, { at: NOW - 5 * MIN, cpuTimeMs: 1_010_000 }]]]);
    // 60→5 min ago: 10 s of CPU in 55 minutes; 5 min ago→now: 25 %.
    expect(run(snapshot([shell(25, 1_010_000 + 75_000)], { markers }), { history: h }).get(92318)!.flags).not.toContain('runaway');
  });

  it('does not flag it when the window shows it quiet now', () => {
    expect(run(snapshot([shell(0.2, 5_000_000)], { markers }), { history: history(21, 30) }).get(92318)!.flags).not.toContain('runaway');
  });

  it('decides from the samples alone when the window was not sampled', () => {
    expect(run(snapshot([shell(null, 5_000_000)], { markers, sampleMs: 0 }), { history: history(21, 30) }).get(92318)!.flags).toContain('runaway');
  });

  it("never flags a live session's child, however long it burns", () => {
    const live = claude({ pid: 812, ppid: 1, tty: 'pts/3', tpgid: 812, pgid: 812, ageMs: 48 * 60 * MIN });
    const f = run(snapshot([live, { ...shell(25, 5_000_000), ppid: 812 }], { markers }), { history: history(25, 120) }).get(92318)!;
    expect(f.flags).not.toContain('runaway');
    expect(f.reapable).toBe(false);
  });

  it('keeps the 50 % bar for one window', () => {
    const f = run(snapshot([shell(60, 5_000_000)], { markers })).get(92318)!;
    expect(f.reasons.find((x) => x.flag === 'runaway')!.text).toBe('60 % of a core with no owner');
  });
});

describe('duplicate-daemon', () => {
  it('keeps the oldest of two copies from two install paths, and names the keeper', () => {
    const snap = snapshot([
      daemon(60, '/home/dev/.claude/plugins/marketplaces/thedotmack/plugin/scripts/worker-service.cjs', 7_200_000),
      daemon(61, '/home/dev/.claude/plugins/cache/thedotmack/claude-mem/10.2.4/scripts/worker-service.cjs', 3_600_000),
    ]);
    const findings = run(snap);
    expect(findings.get(60)!.flags).not.toContain('duplicate-daemon');
    expect(findings.get(61)!.reasons.find((r) => r.flag === 'duplicate-daemon')!.evidence).toMatchObject({ keeper: 60, keeperBy: 'the oldest' });
  });

  it('keeps the copy holding the listening port, even when it is younger', () => {
    const young = { ...daemon(61, '/b/worker-service.cjs', 60_000), sockets: { remoteTcp: 0, tcpEstablished: 0, listeningPorts: [37777], deadStdioPeers: 0, stdioSockets: 0 } };
    const findings = run(snapshot([daemon(60, '/a/worker-service.cjs'), young]));
    expect(findings.get(60)!.flags).toContain('duplicate-daemon');
    expect(findings.get(61)!.flags).not.toContain('duplicate-daemon');
  });

  it('keeps the copy its pid file names', () => {
    const findings = run(snapshot([daemon(60, '/a/worker-service.cjs'), daemon(61, '/b/worker-service.cjs', 60_000)]), { pidFiles: new Map([['claude-mem worker', 61]]) });
    expect(findings.get(60)!.reasons.find((r) => r.flag === 'duplicate-daemon')!.evidence).toMatchObject({ keeper: 61, keeperBy: 'named by its pid file' });
  });

  it('does not count copies with different arguments or owners as duplicates', () => {
    const other = { ...daemon(61, '/b/worker-service.cjs'), uid: 1001 };
    const findings = run(snapshot([daemon(60, '/a/worker-service.cjs'), other]), { allUsers: true });
    expect(findings.get(60)!.flags).not.toContain('duplicate-daemon');
    expect(findings.get(61)!.flags).not.toContain('duplicate-daemon');
  });
});

describe('duplicate-session', () => {
  it('flags all but the newest of several processes resuming one session', () => {
    const resume = (pid: number, ageMs: number) => claude({ pid, ppid: 60, pgid: 60, sid: 60, ageMs, argv: [...claude({ pid, ppid: 0 }).argv!, '--resume', 'f00d'] });
    const findings = run(snapshot([daemon(60), resume(100, 600_000), resume(101, 300_000), resume(102, 60_000)]));
    expect(findings.get(100)!.flags).toContain('duplicate-session');
    expect(findings.get(101)!.reasons.find((r) => r.flag === 'duplicate-session')!.evidence).toMatchObject({ newest: 102, copies: 3 });
    expect(findings.get(102)!.flags).not.toContain('duplicate-session');
  });
});

describe('defunct', () => {
  it('names the parent that must reap a zombie, and never makes it a kill target', () => {
    const f = run(snapshot([daemon(60), proc({ pid: 100, ppid: 60, name: 'claude', exe: null, argv: [], state: 'Z' })])).get(100)!;
    expect(f.flags).toEqual(['defunct']);
    expect(f.reasons[0]!.text).toMatch(/parent node \(60\)/);
    expect(f.reapable).toBe(false);
  });
});

describe('stray-shell and stray-mcp', () => {
  const toolCmd = ['/bin/bash', '-c', "source /home/dev/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'npm run dev' && pwd -P >| /tmp/claude-ab12-cwd"];

  it('flags a reparented Bash-tool shell whose claude is gone', () => {
    const snap = snapshot([proc({ pid: 200, ppid: 1, name: 'bash', argv: toolCmd })], { markers: new Map([[200, { claudePid: 123 }]]) });
    const f = run(snap).get(200)!;
    expect(f.flags).toEqual(['idle', 'stray-shell']);
    expect(f.reasons.find((r) => r.flag === 'stray-shell')!.text).toMatch(/claude 123 is gone/);
  });

  it('leaves a reparented tool shell alone while its claude lives', () => {
    const snap = snapshot([claude({ pid: 123, ppid: 60, ageMs: 7_200_000 }), daemon(60), proc({ pid: 200, ppid: 1, name: 'bash', argv: toolCmd })], { markers: new Map([[200, { claudePid: 123 }]]) });
    expect(run(snap).get(200)!.flags).not.toContain('stray-shell');
  });

  it('flags an MCP server left behind by a SIGKILLed claude, found by its environment markers', () => {
    const mcp = proc({ pid: 300, ppid: 1, name: 'node', argv: ['node', '/opt/memory/index.js'] });
    const snap = snapshot([mcp], { markers: new Map([[300, { sessionId: 's1', messagingSocket: '/tmp/cc-socks/4242.sock' }]]) });
    const f = run(snap).get(300)!;
    expect(snap.related.get(300)).toMatchObject({ kind: 'mcp-server', owner: 4242 });
    expect(f.flags).toContain('stray-mcp');
  });

  it('does not flag the MCP servers of a live claude', () => {
    const snap = snapshot([daemon(60), claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, ageMs: 60_000 }), proc({ pid: 300, ppid: 100, name: 'node', argv: ['npx', '-y', '@modelcontextprotocol/server-memory'], ageMs: 50_000 })]);
    expect(snap.related.get(300)?.kind).toBe('mcp-server');
    expect(run(snap).get(300)!.flags).toEqual(['idle']);
  });
});

describe('protection', () => {
  it('protects the claude session this tool runs inside, and its tool shell', () => {
    const snap = snapshot([claude({ pid: 500, ppid: 1, ageMs: 900_000 })], { selfUnder: 500 });
    const f = run(snap).get(500)!;
    expect(f.flags).toContain('orphan');
    expect(f.protection).toMatchObject({ id: 'ancestor' });
    expect(f.reapable).toBe(false);
  });

  it('protects an interactive session in the foreground of its terminal', () => {
    const f = run(snapshot([claude({ pid: 500, ppid: 1, argv: ['claude'], tty: 'pts/3', pgid: 500, tpgid: 500, sid: 499 })])).get(500)!;
    expect(f.protection).toMatchObject({ id: 'live-tty', text: 'in the foreground of pts/3' });
  });

  it('protects an interactive session whose shell is alive, even in the background', () => {
    const snap = snapshot([proc({ pid: 499, ppid: 1, name: 'bash', argv: ['-bash'], tty: 'pts/3' }), claude({ pid: 500, ppid: 499, argv: ['claude'], tty: 'pts/3', pgid: 500, tpgid: 499, sid: 499 })]);
    expect(run(snap).get(500)!.protection?.id).toBe('live-tty');
  });

  it("protects other users' processes unless asked", () => {
    const other = claude({ pid: 100, ppid: 1, uid: UID + 1, user: 'alice' });
    expect(run(snapshot([other])).get(100)!.protection).toMatchObject({ id: 'other-user' });
    expect(run(snapshot([other]), { allUsers: true }).get(100)!.protection).toBeNull();
  });

  it('protects what the config protects', () => {
    const f = run(snapshot([claude({ pid: 100, ppid: 1 })]), { patterns: [/stream-json/] }).get(100)!;
    expect(f.protection).toMatchObject({ id: 'config' });
    expect(f.reapable).toBe(false);
  });
});

describe("Claude's background agents", () => {
  const exe = '/usr/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe';
  const bgDaemon = (pid: number) => proc({ pid, ppid: 1, name: 'claude.exe', exe, argv: [exe, 'daemon', 'run', '--origin', 'transient', '--spawned-by', '{"label":"claude --bg"}'], ageMs: 600_000 });
  const host = (pid: number, ppid: number) => proc({ pid, ppid, pgid: pid, sid: pid, name: 'claude.exe', exe, argv: ['claude bg-pty-host', '--bg-pty-host', `/tmp/cc-daemon-0/e0/spare/${pid}.pty.sock`, '200', '50', '--', exe, '--bg-spare', `/tmp/cc-daemon-0/e0/spare/${pid}.claim.sock`], ageMs: 500_000 });
  const spare = (pid: number, ppid: number, extra: Partial<SampledProcess> = {}) => proc({ pid, ppid, pgid: ppid, sid: ppid, name: 'claude.exe', exe, argv: ['claude bg-spare', '--bg-spare', `/tmp/cc-daemon-0/e0/spare/${ppid}.claim.sock`], ageMs: 400_000, ...extra });
  const claimed = { session: record({ kind: 'bg', jobId: 'a27ce35d', entrypoint: 'cli' }), tty: 'pts/4', tpgid: 31, pgid: 31, sid: 31 };

  it('recognises the daemon, its pty hosts, spares and the claimed session, and protects them all while the daemon runs', () => {
    const f = run(snapshot([bgDaemon(10), host(20, 10), spare(21, 20), host(30, 10), spare(31, 30, claimed)]));
    expect([10, 20, 21, 30, 31].map((pid) => f.get(pid)!.protection?.id)).toEqual(Array(5).fill('background-agent'));
    expect([10, 20, 21, 30, 31].every((pid) => !f.get(pid)!.reapable)).toBe(true);
  });

  it('once the daemon is gone, makes unclaimed spares and their hosts orphans, and keeps the claimed session and its host with `claude stop`', () => {
    const snap = snapshot([host(20, 1), spare(21, 20), host(30, 1), spare(31, 30, claimed)]);
    expect([20, 21, 30, 31].map((pid) => snap.related.get(pid)?.role)).toEqual(['bg-pty-host', 'bg-spare', 'bg-pty-host', 'bg-spare']);
    const f = run(snap);
    for (const pid of [20, 21]) {
      expect(f.get(pid)!.flags, String(pid)).toContain('orphan');
      expect(f.get(pid)!.reapable, String(pid)).toBe(true);
    }
    expect(f.get(21)!.reasons.find((r) => r.flag === 'orphan')!.text).toMatch(/^Claude's background daemon is gone/);
    for (const pid of [30, 31]) {
      expect(f.get(pid)!.protection, String(pid)).toEqual({ id: 'background-session', text: 'a background session Claude still lists (its daemon is gone); end it with `claude stop a27ce35d`' });
      expect(f.get(pid)!.reapable).toBe(false);
    }
  });

  it('treats a job running as its own process under the daemon as a background session', () => {
    const job = proc({ pid: 40, ppid: 20, name: 'claude.exe', exe, argv: [exe, '--session-id', 'f2b8', 'say hi'], ageMs: 300_000 });
    const snap = snapshot([bgDaemon(10), host(20, 10), job]);
    expect(snap.related.get(40)?.role).toBe('bg-session');
    expect(run(snap).get(40)!.protection?.id).toBe('background-agent');
  });

  it('makes an orphaned spare burning CPU a runaway', () => {
    const f = run(snapshot([host(20, 1), spare(21, 20, { cpuPercent: 99, cpuTimeMs: 3_000_000 })])).get(21)!;
    expect(f.flags).toEqual(expect.arrayContaining(['orphan', 'runaway']));
  });
});

describe('Claude Desktop sessions', () => {
  const desktopCli = '/Users/dev/Library/Application Support/Claude/claude-code/2.1.332/claude.app/Contents/MacOS/claude';
  const app = proc({ pid: 50, ppid: 1, name: 'Claude', exe: '/Applications/Claude.app/Contents/MacOS/Claude', argv: ['/Applications/Claude.app/Contents/MacOS/Claude'], ageMs: 86_400_000 });
  const session = (ppid: number) => proc({ pid: 51, ppid, pgid: 50, sid: 50, name: 'claude', exe: desktopCli, argv: [desktopCli, '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--permission-prompt-tool', 'stdio'], session: record({ statusSince: NOW - 3_600_000 }) });

  it('protects an idle Desktop session while the app runs, and never calls it abandoned', () => {
    const f = run(snapshot([app, session(50)])).get(51)!;
    expect(f.protection).toEqual({ id: 'desktop-session', text: 'a Claude Desktop session under the running app (Claude, pid 50)' });
    expect(f.flags).not.toContain('abandoned');
    expect(f.reapable).toBe(false);
  });

  it('makes it an orphan once the app is gone', () => {
    const f = run(snapshot([session(1)])).get(51)!;
    expect(f.flags).toContain('orphan');
    expect(f.reapable).toBe(true);
  });

  describe('on Windows, where the app and its helpers are claude.exe too', () => {
    const exe = 'C:\\Program Files\\WindowsApps\\Claude_1.7196.0.0_x64__pzs8sxrjxfjjc\\app\\claude.exe';
    const cli = 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude-code\\2.1.138\\claude.exe';
    const win = { pgid: null, sid: null, tty: null } as const;
    const main = proc({ pid: 5800, ppid: 4400, name: 'claude.exe', exe, argv: [exe], ageMs: 86_400_000, ...win });
    const node = proc({ pid: 5810, ppid: 5800, name: 'claude.exe', exe, argv: [exe, '--type=utility', '--utility-sub-type=node.mojom.NodeService'], ageMs: 86_000_000, ...win });
    const renderer = proc({ pid: 5820, ppid: 5800, name: 'claude.exe', exe, argv: [exe, '--type=renderer'], ageMs: 86_000_000, ...win });
    const code = (ppid: number) => proc({ pid: 7000, ppid, name: 'claude.exe', exe: cli, argv: [cli, '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--resume', 'a1'], ageMs: 3_600_000, ...win });

    it('lists neither the app nor its helpers, and protects its Code session at every age', () => {
      for (const ageMs of [60_000, 3_600_000, 20 * 3_600_000]) {
        const snap = snapshot([main, node, renderer, { ...code(5800), startTime: NOW - ageMs, elapsedMs: ageMs }], { reparent: 'windows' });
        const f = run(snap);
        expect([...snap.related.keys()].filter((pid) => pid >= 5800 && pid < 6000)).toEqual([]);
        expect(f.get(7000)!.protection).toEqual({ id: 'desktop-session', text: 'a Claude Desktop session under the running app (claude.exe, pid 5800)' });
        expect(f.get(7000)!.reapable).toBe(false);
      }
    });

    it('makes the Code session an orphan once the app is gone, also when its pid names a newer process', () => {
      const gone = run(snapshot([code(5800)], { reparent: 'windows' })).get(7000)!;
      expect(gone.flags).toContain('orphan');
      expect(gone.reapable).toBe(true);
      const reused = run(snapshot([proc({ pid: 5800, ppid: 1, name: 'notepad.exe', argv: ['notepad.exe'], ageMs: 60_000, ...win }), code(5800)], { reparent: 'windows' })).get(7000)!;
      expect(reused.protection).toBeNull();
      expect(reused.reasons.find((r) => r.flag === 'orphan')!.text).toMatch(/younger process/);
    });
  });
});

describe('what a claude started follows it', () => {
  const toolCmd = ['/bin/bash', '-c', "source /home/dev/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'while :; do :; done & echo $!' && pwd -P >| /tmp/claude-ab12-cwd"];
  const leaked = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ statusSince: NOW - 900_000 }) });
  const liveOne = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ statusSince: NOW - 5_000 }) });

  it("flags a Bash-tool loop whose claude is itself abandoned, and a runaway when it burns CPU; the reason names its claude", () => {
    const loop = proc({ pid: 200, ppid: 1, name: 'bash', argv: toolCmd, pgid: 190, sid: 190, cpuPercent: 99, cpuTimeMs: 600_000 });
    const f = run(snapshot([daemon(60), leaked, loop], { markers: new Map([[200, { claudePid: 100 }]]) })).get(200)!;
    expect(f.flags).toEqual(expect.arrayContaining(['stray-shell', 'runaway']));
    expect(f.reasons.find((r) => r.flag === 'stray-shell')!.text).toBe('Bash-tool shell left running: claude 100 is itself abandoned, reparented to init (pid 1, systemd)');
    expect(f.reapable).toBe(true);
  });

  it('flags a command the Bash tool started (CLAUDE_PID in its environment) whose claude is gone, as a stray-shell', () => {
    const job = proc({ pid: 200, ppid: 1, name: 'sleep', argv: ['sleep', '1000'], pgid: 190, sid: 190 });
    const snap = snapshot([job], { markers: new Map([[200, { claudePid: 123, claudeCode: true, sessionId: 's', messagingSocket: '/tmp/cc-socks/123.sock' }]]) });
    expect(snap.related.get(200)).toMatchObject({ kind: 'child', owner: 123 });
    const f = run(snap).get(200)!;
    expect(f.flags).toContain('stray-shell');
    expect(f.flags).not.toContain('orphan');
  });

  it("keeps what a live claude that is no leak started, however it was reparented (a session's dev server)", () => {
    const job = proc({ pid: 200, ppid: 1, name: 'node', argv: ['node', 'server.js'], pgid: 190, sid: 190, cpuPercent: 80, cpuTimeMs: 60_000 });
    const f = run(snapshot([daemon(60), liveOne, job], { markers: new Map([[200, { claudePid: 100 }]]) })).get(200)!;
    expect(f.flags).not.toContain('stray-shell');
    expect(f.flags).not.toContain('runaway');
    expect(f.reapable).toBe(false);
  });

  it('flags an MCP server reparented away from a hung claude as stray-mcp', () => {
    const hung = claude({ pid: 100, ppid: 60, pgid: 60, sid: 60, session: record({ status: 'busy', statusSince: NOW - 900_000 }), transcript: transcript('request-outstanding', NOW - 900_000) });
    const mcp = proc({ pid: 300, ppid: 1, name: 'node', argv: ['node', '/opt/memory/index.js'] });
    const f = run(snapshot([daemon(60), hung, mcp], { markers: new Map([[300, { sessionId: 's1', messagingSocket: '/tmp/cc-socks/100.sock' }]]) })).get(300)!;
    expect(f.reasons.find((r) => r.flag === 'stray-mcp')!.text).toMatch(/^MCP server left running: claude 100 is itself hung/);
  });
});
