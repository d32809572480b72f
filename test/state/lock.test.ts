// The reaper lock: one reaper acts at a time, a dead holder's lock is taken over, and the hook's
// detached reaper waits its turn rather than act beside another.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config.js';
import { reapAfter } from '../../src/hook/reap.js';
import { createProcfsSource } from '../../src/platform/procfs.js';
import { acquireLock, LOCK_FILE } from '../../src/state/lock.js';

const source = createProcfsSource();
const dir = () => mkdtempSync(join(tmpdir(), 'reaper-lock-'));

describe.skipIf(process.platform !== 'linux')('the reaper lock', () => {
  it('is held by one process at a time, and says who holds it', async () => {
    const d = dir();
    const first = await acquireLock(d, source, 'watch');
    expect('lock' in first).toBe(true);
    const second = await acquireLock(d, source, 'kill');
    expect(second).toEqual({ heldBy: expect.objectContaining({ pid: process.pid, command: 'watch' }) });
    if ('lock' in first) first.lock.release();
    expect('lock' in (await acquireLock(d, source, 'kill'))).toBe(true);
  });

  it("takes over a lock whose holder's start time no longer matches (its pid was reused)", async () => {
    const d = dir();
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, startId: 'not-this-one', since: '2026-01-01T00:00:00Z', command: 'watch' }));
    const got = await acquireLock(d, source, 'kill');
    expect('lock' in got).toBe(true);
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'kill' });
  });

  it("keeps the hook's reaper from acting while another reaper holds the lock", async () => {
    const d = dir();
    const held = await acquireLock(d, source, 'watch');
    // Everything protected: even if the lock were ignored, this plan could signal nothing.
    const config = { ...emptyConfig(), protect: [/./] };
    const outcome = await reapAfter({ after: null, waitMs: 300, source, config, stateDir: d, lockDir: d });
    expect(outcome).toEqual({ kind: 'busy', waitedMs: 300 });
    if ('lock' in held) held.lock.release();
  });
});
