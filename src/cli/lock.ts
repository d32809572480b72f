// Taking the reaper lock from the CLI: leave with a clear line when another reaper acts, or wait.
import { runtimeDir } from '../platform/dirs.js';
import type { ProcessSource } from '../platform/source.js';
import { acquireLock, waitForLock, type Lock } from '../state/lock.js';
import type { Io } from './io.js';

export async function takeLock(source: ProcessSource, io: Io, wait: boolean, command: string, signal?: AbortSignal): Promise<Lock | null> {
  const dir = runtimeDir(io.env);
  const got = await acquireLock(dir, source, command);
  if ('lock' in got) return got.lock;
  const holder = `another claude-reaper (${got.heldBy.command}, pid ${got.heldBy.pid}, since ${got.heldBy.since})`;
  if (!wait) {
    io.stderr(`claude-reaper: ${holder} is acting; nothing was done (use --wait to wait for it)\n`);
    return null;
  }
  io.stderr(`claude-reaper: waiting for ${holder}\n`);
  return waitForLock(dir, source, command, { signal });
}
