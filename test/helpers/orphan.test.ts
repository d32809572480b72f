import { describe, expect, it } from 'vitest';
import { SDK_ARGS, fdTargets, isAlive, killHard, procStat, readCmdline, readComm, startOrphan, startUnderSubreaper, useProcessCleanup, waitFor } from './procs.js';

useProcessCleanup();

/** Our pid and our ancestors': the only places an orphan of ours can be reparented to. */
function ancestors(): number[] {
  const out: number[] = [];
  for (let pid = process.pid; pid > 0; pid = procStat(pid)?.ppid ?? 0) out.push(pid);
  return out;
}

describe('startOrphan', () => {
  it('reparents the claude to pid 1 or to a subreaper above us, away from the process that started it', async () => {
    const o = await startOrphan({ args: SDK_ARGS });
    const stat = procStat(o.pid)!;
    expect(stat.ppid).not.toBe(o.intermediatePid);
    expect(stat.ppid).not.toBe(process.pid);
    expect(stat.ppid === 1 || ancestors().includes(stat.ppid)).toBe(true);
    expect(readComm(o.pid)).toBe('claude');
    expect(readCmdline(o.pid)).toEqual([o.binPath, ...SDK_ARGS]);
  });

  it('keeps the process group and session of the process that started it', async () => {
    const o = await startOrphan();
    const mine = procStat(process.pid)!;
    const stat = procStat(o.pid)!;
    expect([stat.pgid, stat.sid]).toEqual([mine.pgid, mine.sid]);
    expect(isAlive(o.intermediatePid)).toBe(false);
  });

  it('leaves stdio sockets behind whose other end we closed', async () => {
    const o = await startOrphan();
    const fds = fdTargets(o.pid)!;
    for (const fd of [0, 1, 2]) expect(fds.get(fd)).toMatch(/^socket:/);
  });

  it('orphans the npm-cli variant too', async () => {
    const o = await startOrphan({ variant: 'npm-cli' });
    expect(readCmdline(o.pid)).toEqual(['node', o.binPath]);
    expect(procStat(o.pid)!.ppid).not.toBe(o.intermediatePid);
  });
});

describe('startUnderSubreaper', () => {
  it('reparents the orphan to the subreaper', async () => {
    const s = await startUnderSubreaper({ args: SDK_ARGS });
    expect(procStat(s.orphanPid)!.ppid).toBe(s.subreaperPid);
    expect(readComm(s.subreaperPid)).toBe('subreaper');
    expect(procStat(s.subreaperPid)!.ppid).toBe(process.pid);
    expect(readCmdline(s.orphanPid)).toEqual([s.binPath, ...SDK_ARGS]);
  });

  it('hands the orphan on up the tree when the subreaper dies', async () => {
    const s = await startUnderSubreaper();
    await killHard(s.subreaperPid);
    await waitFor(() => procStat(s.orphanPid)?.ppid !== s.subreaperPid, { what: 'reparenting' });
    expect(isAlive(s.orphanPid)).toBe(true);
  });
});
