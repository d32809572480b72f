import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childrenOf, cleanup, isAlive, isSameProcess, killHard, procStat, readStartId, startClaude, startDaemon, startOrphan, track, useProcessCleanup, waitFor } from './procs.js';

useProcessCleanup();

describe('cleanup', () => {
  it('leaves none of the started pids alive, checked by pid and start time', async () => {
    const started = await Promise.all([
      startClaude({ mode: 'busy' }),
      startClaude({ ignoreTerm: true, childCommands: ['exec sleep 1000'] }),
      startClaude({ variant: 'npm-cli', ignoreTerm: true, mode: 'sleep' }),
      startOrphan({ ignoreTerm: true }),
      startDaemon({ mode: 'sleep' }),
    ]);
    const ids = started.flatMap((c) => [c.pid, ...c.childPids]).map((pid) => [pid, readStartId(pid)!] as const);
    await cleanup();
    for (const [pid, startId] of ids) expect(isSameProcess(pid, startId) && isAlive(pid)).toBe(false);
  });

  it('ends what the started processes started in turn, also once their parent was killed', async () => {
    // Each claude's child shell forks a sleep of its own, as a Bash-tool shell runs its command.
    const [a, b] = await Promise.all([0, 1].map(() => startClaude({ childCommands: ['sleep 1000 & wait'] })));
    const grandchild = (c: { childPids: number[] }) =>
      waitFor(() => childrenOf(c.childPids[0]!).find((pid) => procStat(pid)?.comm === 'sleep'), { what: 'the shell to fork sleep' });
    const ids = await Promise.all([a!, b!].map(async (c) => [await grandchild(c)].map((pid) => [pid, readStartId(pid)!] as const)[0]!));
    await killHard(b!.pid); // its shell and that shell's sleep are orphans now
    await cleanup();
    for (const [pid, startId] of ids) expect(isSameProcess(pid, startId) && isAlive(pid), `pid ${pid}`).toBe(false);
  });

  it('does not signal a pid whose start time no longer matches', async () => {
    const other = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      track(other.pid!, undefined, 'not-its-start-time');
      await cleanup();
      expect(isAlive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
  });
});

describe('waitFor', () => {
  it('says what it was waiting for when it times out', async () => {
    await expect(waitFor(() => false, { timeoutMs: 50, what: 'nothing' })).rejects.toThrow(/50 ms waiting for nothing/);
  });
});
