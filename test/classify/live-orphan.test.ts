// `orphan` and `runaway` on real reparented processes: under init, under a subreaper that no name
// list knows, and Claude's own background agents, which are detached on purpose.
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, killHard, procStat, startDaemon, startOrphan, startUnderSubreaper, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson, writeConfig } from '../helpers/scan-cli.js';
import { startDetachedUnderSubreaper } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

describe('orphan', () => {
  it("flags the SDK children a SIGKILLed daemon leaves mid-request, reparented, as reapable orphans", async () => {
    const d = await startDaemon({ count: 2, mode: 'sleep' });
    await killHard(d.pid);
    for (const pid of d.childPids) await waitFor(() => procStat(pid)?.ppid !== d.pid, { what: `pid ${pid} to be reparented` });
    const doc = await scanJson(box, ['--sample', '500ms']);
    for (const pid of d.childPids) {
      const p = find(doc, pid);
      expect(p.flags).toContain('orphan');
      // pid 1 on a plain machine, or the nearest subreaper above the test: a known one (systemd
      // --user) by name, any other by the daemon's process group, which it is not in.
      expect(reasonText(p, 'orphan')).toMatch(new RegExp(`^(reparented to (init \\(pid 1, .+\\)|subreaper .+ \\(pid \\d+\\))|its process group leader ${d.pid} is gone .*)$`));
      expect(reasonOf(p, 'orphan')!.evidence.ppid).toBe(procStat(pid)!.ppid);
      expect(p.pgid).toBe(d.pid);
      expect(p.reapable).toBe(true);
      expect(p.protection).toBeNull();
    }
  });

  it('flags an orphan adopted by an unknown subreaper in its own group because nobody holds its stdio', async () => {
    const s = await startUnderSubreaper({ args: SDK_ARGS });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, s.orphanPid);
    expect(p.ppid).toBe(s.subreaperPid);
    // The subreaper shares the orphan's group and session, so only the dead stdio peers tell.
    expect(p.pgid).toBe(procStat(s.subreaperPid)!.pgid);
    expect(reasonText(p, 'orphan')).toBe('nobody holds the other end of its stdio (3 sockets)');
    expect(reasonOf(p, 'orphan')!.evidence).toEqual({ ppid: s.subreaperPid, deadStdioPeers: 3 });
    expect(p.sockets).toMatchObject({ stdioSockets: 3, deadStdioPeers: 3 });
    expect(p.reapable).toBe(true);
  });

  it('flags an orphan adopted by an unknown subreaper because its process group leader is gone', async () => {
    const o = await startDetachedUnderSubreaper(SDK_ARGS);
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, o.pid);
    expect(p.ppid).toBe(o.subreaperPid);
    expect(reasonText(p, 'orphan')).toBe(`its process group leader ${o.leaderPid} is gone and its parent ${o.subreaperPid} is outside that process group`);
    expect(reasonOf(p, 'orphan')!.evidence).toEqual({ ppid: o.subreaperPid, pgidLeader: o.leaderPid });
  });

  it("never calls Claude's background daemon an orphan (it is detached on purpose), and protects it", async () => {
    const o = await startOrphan({ args: ['daemon', 'run', '--origin', 'transient'] });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, o.pid);
    expect(p.role).toBe('bg-daemon');
    expect(p.flags).not.toContain('orphan');
    expect(p.protection?.id).toBe('background-agent');
    expect(p.reapable).toBe(false);
  });

  it('flags a background pty host whose daemon is gone and which hosts no claimed session', async () => {
    const o = await startOrphan({ args: ['--bg-pty-host', '/tmp/cc-daemon-0/x/spare/a.pty.sock', '200', '50'] });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, o.pid);
    expect(p.role).toBe('bg-pty-host');
    expect(p.flags).toContain('orphan');
    expect(p.protection).toBeNull();
    expect(p.reapable).toBe(true);
  });
});

describe('runaway', () => {
  it('flags an orphaned claude burning CPU as orphan and runaway', async () => {
    // Half a core (the default) is not guaranteed on two shared cores; the rule is the same at 10 %.
    const config = writeConfig(box, { runawayCpuPercent: 10 });
    const o = await startOrphan({ args: SDK_ARGS, mode: 'busy' });
    const doc = await scanJson(box, ['--sample', '1s', '--config', config]);
    const p = find(doc, o.pid);
    expect(p.flags).toEqual(expect.arrayContaining(['orphan', 'runaway']));
    expect(p.flags).not.toContain('idle');
    expect(p.cpuPercent).toBeGreaterThan(10);
    expect(reasonText(p, 'runaway')).toMatch(/^\d+ % of a core with no owner$/);
    expect(reasonOf(p, 'runaway')!.evidence).toMatchObject({ thresholdPercent: 10, windowMs: 1000 });
    expect(p.reapable).toBe(true);
  });

  it('does not call a busy child of a live daemon a runaway', async () => {
    const config = writeConfig(box, { runawayCpuPercent: 10 });
    const d = await startDaemon({ count: 1, mode: 'busy' });
    const doc = await scanJson(box, ['--sample', '1s', '--config', config]);
    const p = find(doc, d.childPids[0]!);
    expect(p.cpuPercent).toBeGreaterThan(10);
    expect(p.flags).not.toContain('runaway');
    expect(p.flags).not.toContain('orphan');
  });
});
