// The details procfs reads for a candidate, on a real child: everything, or its environment alone
// (what decides whether a candidate is related; the rest is read for the related ones only).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createProcfsSource } from '../../src/platform/procfs.js';
import { track, useProcessCleanup, waitFor } from '../helpers/procs.js';

useProcessCleanup();
const linux = process.platform === 'linux';

describe.skipIf(!linux)('procfs details (Linux: /proc)', () => {
  async function child(): Promise<{ pid: number; cwd: string }> {
    const cwd = mkdtempSync(`${tmpdir()}/details-`);
    const c = spawn('sleep', ['1000'], { cwd, env: { PATH: process.env.PATH, CLAUDE_PID: '4242', CLAUDE_CODE_SESSION_ID: 's-1' }, stdio: 'ignore' });
    track(c.pid!, c);
    const source = createProcfsSource();
    await waitFor(async () => (await source.details([c.pid!], new Map(), { only: 'environment' })).get(c.pid!)?.markers?.claudePid === 4242, { what: 'the child to exec sleep' });
    return { pid: c.pid!, cwd };
  }

  it('reads the markers, the executable, the owner, the cwd and the fd count of a candidate', async () => {
    const { pid, cwd } = await child();
    const d = (await createProcfsSource().details([pid], new Map())).get(pid)!;
    expect(d.markers).toEqual({ claudePid: 4242, sessionId: 's-1' });
    expect(d.exe).toMatch(/\/sleep$/);
    expect(d.uid).toBe(process.getuid!());
    expect(d.cwd).toBe(cwd);
    expect(d.fdCount).toBeGreaterThanOrEqual(3);
  });

  it('reads the environment alone when asked for it alone, and everything but it when asked without', async () => {
    const { pid, cwd } = await child();
    const source = createProcfsSource();
    const env = (await source.details([pid], new Map(), { only: 'environment' })).get(pid)!;
    expect(env).toEqual({ markers: { claudePid: 4242, sessionId: 's-1' }, fdCount: null, cwd: null, denied: [] });
    const rest = (await source.details([pid], new Map(), { environment: false })).get(pid)!;
    expect(rest).toMatchObject({ markers: null, cwd });
    expect(rest.exe).toMatch(/\/sleep$/);
  });

  it('gives a process that is gone no markers and no denial', async () => {
    const source = createProcfsSource();
    const gone = 2 ** 22 + 1; // above the largest pid_max Linux allows
    expect((await source.details([gone], new Map(), { only: 'environment' })).get(gone)).toEqual({ markers: null, fdCount: null, cwd: null, denied: [] });
  });
});
