// Every process a test starts is registered here with its start id, and cleanup() ends exactly
// those, and what they started in turn (a tool shell's command, a daemon's grandchildren): one
// SIGKILL per pid, only while (pid, start id) still names the same process, so a reused pid is
// never hit. No process groups, no names: an orphaned claude keeps its dead parent's group.
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { isAlive, isSameProcess, procStat, readStartId } from './proc-read.js';

interface Entry {
  startId: string;
  /** Set when the process is our direct child, so its zombie is reaped by waiting on it. */
  child?: ChildProcess;
}

const registry = new Map<number, Entry>();
const onDone: (() => void)[] = [];
const onStart: (() => void)[] = [];

const GONE_TIMEOUT_MS = 5_000;
const POLL_MS = 10;

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Said in the error on timeout. */
  what?: string;
}

/** Polls until predicate returns a truthy value, and returns that value. */
export async function waitFor<T>(predicate: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = POLL_MS, what = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Registers a started pid; its start id is read now unless given. Returns the start id. */
export function track(pid: number, child?: ChildProcess, startId?: string): string {
  const id = startId ?? readStartId(pid);
  if (id === null) throw new Error(`process ${pid} is already gone`);
  const known = registry.get(pid);
  if (known && known.startId === id) {
    if (child) known.child = child;
  } else {
    registry.set(pid, child ? { startId: id, child } : { startId: id });
  }
  return id;
}

/** The start id a pid was registered with. */
export function trackedStartId(pid: number): string | undefined {
  return registry.get(pid)?.startId;
}

/** Runs fn at the next cleanup (after the processes are gone): closing servers, removing files. */
export function onCleanup(fn: () => void): void {
  onDone.push(fn);
}

/**
 * Runs fn at the start of the next cleanup, before anything is signalled, to register processes
 * that are ours but not descendants of a registered one (a detached daemon reparented to init, and
 * what it respawned since). fn must be synchronous.
 */
export function onBeforeCleanup(fn: () => void): void {
  onStart.push(fn);
}

function runBeforeHooks(keep: boolean): void {
  for (const fn of keep ? [...onStart] : onStart.splice(0)) {
    try {
      fn();
    } catch {
      // A finder that fails must not stop the rest of the cleanup.
    }
  }
}

/**
 * Registers the live descendants of the registered processes: what they started is ours too, and
 * would outlive them as orphans. Read from each process's parent pid, before any is signalled.
 */
function trackDescendants(): void {
  const children = new Map<number, number[]>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return; // no /proc: the registered pids are all there is to end
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (!st) continue;
    const list = children.get(st.ppid);
    if (list) list.push(st.pid);
    else children.set(st.ppid, [st.pid]);
  }
  const queue = [...registry].filter(([pid, entry]) => isSameProcess(pid, entry.startId)).map(([pid]) => pid);
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (registry.has(child)) continue;
      const startId = readStartId(child);
      if (startId === null) continue;
      registry.set(child, { startId });
      queue.push(child);
    }
  }
}

/** Sends a signal to one pid only if it is still the process we registered (or, if unregistered, exists). */
export function signalIfSame(pid: number, signal: NodeJS.Signals): boolean {
  const startId = registry.get(pid)?.startId ?? readStartId(pid);
  if (startId === null || !isSameProcess(pid, startId)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Gone: no such pid, a new process on it, or a zombie we cannot reap (not our child). */
function isGone(pid: number, entry: Entry): boolean {
  if (!isSameProcess(pid, entry.startId)) return true;
  if (isAlive(pid)) return false;
  // A zombie child of ours is reaped by libuv on its own; keep waiting until it has been.
  return !entry.child || procStat(pid)?.ppid !== process.pid;
}

/** SIGKILLs one registered pid (a daemon crash, in tests) and waits until it is gone. */
export async function killHard(pid: number): Promise<void> {
  const entry = registry.get(pid);
  if (!entry) throw new Error(`killHard: ${pid} was not started by these helpers`);
  trackDescendants(); // its children outlive it, reparented: cleanup() still knows them
  signalIfSame(pid, 'SIGKILL');
  await waitFor(() => isGone(pid, entry), { timeoutMs: GONE_TIMEOUT_MS, what: `pid ${pid} to exit` });
}

/** Ends every registered process, waits for all of them, clears the registry. */
export async function cleanup(): Promise<void> {
  runBeforeHooks(false);
  trackDescendants();
  const entries = [...registry];
  registry.clear();
  for (const [pid, entry] of entries) {
    if (isSameProcess(pid, entry.startId) && isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited between the check and the kill.
      }
    }
  }
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  let left = entries;
  while (left.length > 0 && Date.now() < deadline) {
    left = left.filter(([pid, entry]) => !isGone(pid, entry));
    if (left.length > 0) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  for (const [, entry] of entries) {
    entry.child?.stdin?.destroy();
    entry.child?.stdout?.destroy();
    entry.child?.stderr?.destroy();
  }
  for (const fn of onDone.splice(0)) fn();
  if (left.length > 0) throw new Error(`cleanup: still running after SIGKILL: ${left.map(([pid]) => pid).join(', ')}`);
}

/** Registers cleanup() after each test and after the file, so a failing test leaks nothing. */
export function useProcessCleanup(): void {
  afterEach(cleanup);
  afterAll(cleanup);
}

// Last resort when the worker ends without running the hooks: synchronous, same identity check.
// vitest stops a fork worker with SIGTERM, which would skip 'exit' unless we handle it.
function killAllNow(): void {
  runBeforeHooks(true);
  trackDescendants();
  for (const [pid, entry] of registry) {
    if (isSameProcess(pid, entry.startId) && isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
process.once('exit', killAllNow);
process.once('SIGTERM', () => {
  killAllNow();
  process.exit(128 + 15);
});
