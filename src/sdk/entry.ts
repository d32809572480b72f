// One child the guard started: what it knows of it, and the two things it does with one alone
// (asks it to end, describes it for the daemon).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readActivity } from './activity.js';
import type { Ending } from './end-child.js';
import type { SpawnRequest } from './spawn.js';
import type { QueryLike } from './track.js';
import type { ClaudeActivity, EndReason, GuardedChild } from './types.js';

export type SpawnHook = (request: SpawnRequest) => ChildProcessWithoutNullStreams;

/**
 * What one options() call made: the spawn hook, and the query's abort controller, the only handle
 * on a query whose SDK ignores the hook (releases before 0.1.65 have no close(); aborting ends
 * their claude).
 */
export interface Slot {
  hook: SpawnHook;
  controller: AbortController;
  /** The SDK called the hook. */
  spawned: boolean;
  /** A track() call took it. */
  claimed: boolean;
}

export interface Entry {
  pid: number;
  /** Read just after the spawn; null until then. */
  startId: string | null;
  /** epoch ms */
  spawnedAt: number;
  child: ChildProcessWithoutNullStreams;
  /** The options() hook the SDK called to start it. */
  hook: SpawnHook;
  env: SpawnRequest['env'];
  cwd: string;
  sessionId: string | null;
  /** A track()ed query owns it. */
  claimed: boolean;
  query: QueryLike<unknown> | null;
  ending: Promise<Ending> | null;
  endReason: EndReason | null;
}

const UNKNOWN: ClaudeActivity = { state: 'unknown', since: null, evidence: null };

/** What Claude says the child is doing (unknown until its start token is known: its record is checked against it). */
export function activityOf(e: Entry): ClaudeActivity {
  if (e.startId === null) return UNKNOWN;
  const { activity, sessionId } = readActivity({ ...e, startId: e.startId });
  e.sessionId ??= sessionId;
  return activity;
}

export function describe(e: Entry, now: number): GuardedChild {
  const activity = activityOf(e);
  const idleForMs = activity.state === 'idle' && activity.since !== null ? Math.max(0, now - activity.since) : null;
  return { pid: e.pid, startId: e.startId, spawnedAt: e.spawnedAt, sessionId: e.sessionId, tracked: e.claimed, state: e.ending ? 'ending' : 'running', ending: e.endReason, activity: { ...activity, idleForMs } };
}

/** The first step of an ending: the query's close() (claude's stdin closes), else its stdin. */
export function closeGently(e: Entry): void {
  const q = e.query as { close?: () => void } | null;
  if (q && typeof q.close === 'function') q.close();
  else e.child.stdin.end();
}
