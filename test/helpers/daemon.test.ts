import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INSTALL_PATH,
  SDK_ARGS,
  fdTargets,
  isAlive,
  killHard,
  procStat,
  readCmdline,
  readComm,
  readEnviron,
  socketInode,
  startDaemon,
  unixSocketInodes,
  useProcessCleanup,
  waitFor,
} from './procs.js';

useProcessCleanup();

describe('startDaemon', () => {
  it('runs node on worker-service.cjs --daemon in a session of its own', async () => {
    const d = await startDaemon({ count: 1 });
    expect(readComm(d.pid)).toBe('node');
    expect(readCmdline(d.pid)).toEqual(['node', d.scriptPath, '--daemon']);
    expect(d.scriptPath.endsWith(`${DEFAULT_INSTALL_PATH}/worker-service.cjs`)).toBe(true);
    const stat = procStat(d.pid)!;
    expect([stat.pgid, stat.sid]).toEqual([d.pid, d.pid]);
  });

  it('starts SDK-shaped children that share its group and session and have unix sockets on fds 0-2', async () => {
    const d = await startDaemon({ count: 3 });
    expect(d.childPids).toHaveLength(3);
    const sockets = unixSocketInodes();
    for (const pid of d.childPids) {
      const stat = procStat(pid)!;
      expect(stat.ppid).toBe(d.pid);
      expect([stat.pgid, stat.sid]).toEqual([d.pid, d.pid]);
      expect(stat.ttyNr).toBe(0);
      expect(readComm(pid)).toBe('claude');
      expect(readCmdline(pid)!.slice(1)).toEqual(SDK_ARGS);
      expect(readCmdline(pid)![0]).toMatch(/claude-agent-sdk-linux-x64\/claude$/);
      expect(readEnviron(pid)!.CLAUDE_CODE_ENTRYPOINT).toBe('sdk-ts');
      const fds = fdTargets(pid)!;
      for (const fd of [0, 1, 2]) expect(sockets.has(socketInode(fds.get(fd))!)).toBe(true);
    }
  });

  it('leaves children that were mid-request running, reparented, after a SIGKILL', async () => {
    const d = await startDaemon({ count: 2, mode: 'sleep' });
    await killHard(d.pid);
    for (const pid of d.childPids) {
      await waitFor(() => procStat(pid)?.ppid !== d.pid, { what: `pid ${pid} to be reparented` });
      expect(isAlive(pid)).toBe(true);
      const stat = procStat(pid)!;
      expect([stat.pgid, stat.sid]).toEqual([d.pid, d.pid]);
    }
  });

  it('loses its idle children with it, as their stdin reaches EOF', async () => {
    const d = await startDaemon({ count: 2 });
    await killHard(d.pid);
    for (const pid of d.childPids) await waitFor(() => !isAlive(pid), { what: `idle pid ${pid} to exit` });
  });

  it('runs from two install paths side by side', async () => {
    const [a, b] = await Promise.all([startDaemon({ count: 1 }), startDaemon({ count: 1, installPath: 'opt/other/scripts' })]);
    expect(readCmdline(a.pid)![1]).not.toBe(readCmdline(b.pid)![1]);
    expect(readCmdline(b.pid)![1]).toMatch(/\/opt\/other\/scripts\/worker-service\.cjs$/);
  });

  it('gives its children child commands of their own', async () => {
    const d = await startDaemon({ count: 1, childCommands: ['exec sleep 1000'] });
    const [claude] = d.claudes;
    expect(claude!.children).toHaveLength(1);
    expect(procStat(claude!.children[0]!)!.ppid).toBe(claude!.pid);
  });
});
