// One reaper acts at a time: a lock file holding the holder's pid and start token. A lock whose
// holder is gone (or whose pid now names another process) is stale and is taken over.
import { readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessSource } from '../platform/source.js';
import { ensurePrivateDir, openPrivate } from './private.js';

export const LOCK_FILE = 'reaper.lock';

export interface LockHolder {
  pid: number;
  startId: string;
  /** ISO 8601 */
  since: string;
  command: string;
}

export interface Lock {
  path: string;
  release(): void;
}

export type Acquired = { lock: Lock } | { heldBy: LockHolder };

/**
 * Takes the lock, or says who holds it. A holder that no longer runs (checked by pid and start
 * token) left a stale lock, which is removed and taken. Advisory: two reapers racing over a stale
 * lock could both act for one cycle, and even then every signal re-checks its target first.
 */
export async function acquireLock(dir: string, source: ProcessSource, command: string): Promise<Acquired> {
  ensurePrivateDir(dir);
  const path = join(dir, LOCK_FILE);
  const me = await source.identify(process.pid);
  const holder: LockHolder = { pid: process.pid, startId: me?.startId ?? 'unknown', since: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openPrivate(path, 'wx');
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      return { lock: { path, release: () => releaseIfOurs(path, holder) } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readHolder(path);
    if (current && (await stillHolds(current, source))) return { heldBy: current };
    removeIfUnchanged(path, current);
  }
  const current = readHolder(path);
  return { heldBy: current ?? { pid: 0, startId: '', since: '', command: 'unknown' } };
}

/** Waits (polling) until the lock is ours, or until `signal` aborts. */
export async function waitForLock(dir: string, source: ProcessSource, command: string, opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<Lock | null> {
  for (;;) {
    const got = await acquireLock(dir, source, command);
    if ('lock' in got) return got.lock;
    if (opts.signal?.aborted) return null;
    try {
      await sleep(opts.pollMs ?? 1000, undefined, { signal: opts.signal });
    } catch {
      return null; // aborted while waiting
    }
  }
}

/** Who holds the lock in `dir`, if anyone, and whether that holder still runs (for `doctor`). */
export async function lockState(dir: string, source: ProcessSource): Promise<{ path: string; holder: LockHolder | null; live: boolean }> {
  const path = join(dir, LOCK_FILE);
  const holder = readHolder(path);
  return { path, holder, live: holder !== null && (await stillHolds(holder, source)) };
}

function readHolder(path: string): LockHolder | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof data.pid === 'number' && typeof data.startId === 'string' ? (data as LockHolder) : null;
  } catch {
    return null; // gone, or half-written: treated as stale
  }
}

async function stillHolds(holder: LockHolder, source: ProcessSource): Promise<boolean> {
  const now = await source.identify(holder.pid).catch(() => null);
  return !!now && !now.zombie && (holder.startId === 'unknown' || now.startId === holder.startId);
}

function removeIfUnchanged(path: string, seen: LockHolder | null): void {
  const again = readHolder(path);
  if (JSON.stringify(again) !== JSON.stringify(seen)) return; // someone else took it meanwhile
  try {
    unlinkSync(path);
  } catch {
    // Already removed by the other contender.
  }
}

function releaseIfOurs(path: string, holder: LockHolder): void {
  const current = readHolder(path);
  if (current?.pid === holder.pid && current.startId === holder.startId) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
}
