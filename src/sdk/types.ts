// The public vocabulary of `claude-reaper/sdk`: what a guard reports about the claude processes it
// started for a daemon. Raw values only (epoch ms, durations in ms, pids and start tokens).
import type { OutcomeId } from '../reap/execute.js';

/** Why the guard ends a child. */
export type EndReason =
  /** The tracked query's iteration completed, threw, or was left early (`break`, `return`). */
  | 'query-ended'
  /** Claude's own record or transcript shows it idle past `idleAfter`. */
  | 'idle'
  /** `guard.shutdown()` was called. */
  | 'shutdown'
  /** The daemon took SIGINT, SIGTERM or SIGHUP with no handler of its own. */
  | 'signal'
  /** The daemon is exiting (`process.exit()`, the end of the event loop, an uncaught exception). */
  | 'exit';

/**
 * How an ending went: `exited` after `close()` (no signal needed), else the outcome of the signals
 * (SIGTERM, then SIGKILL after the grace), as `claude-reaper kill` reports them.
 */
export type EndOutcome = 'exited' | OutcomeId;

/** What Claude itself says the session is doing, and since when (as `scan` reads it). */
export type { ClaudeActivity } from '../classify/activity.js';
import type { ClaudeActivity } from '../classify/activity.js';

/** One child the guard started, as `guard.children()` lists it. */
export interface GuardedChild {
  pid: number;
  /** The start token, the CLI's identity (`pid` + `startId`); null until read, just after the spawn. */
  startId: string | null;
  /** epoch ms */
  spawnedAt: number;
  /** Claude's session id, once the query's messages or Claude's record have named it. */
  sessionId: string | null;
  /** A `track()`ed query owns it (its end ends the child). */
  tracked: boolean;
  state: 'running' | 'ending';
  /** Why it is being ended, while it is. */
  ending: EndReason | null;
  activity: ClaudeActivity & { /** How long it has been idle, ms (null unless idle). */ idleForMs: number | null };
}

/** A previous run's child that the guard found still running at start-up, and what it did. */
export interface Reaped {
  pid: number;
  startId: string;
  /** The run of the daemon that started it (gone now). */
  owner: { pid: number; startId: string };
  outcome: OutcomeId;
  signals: string[];
  detail: string | null;
}

/**
 * What the guard did, for the daemon's log (`onEvent`). An ending for `exit` has no `ended` event:
 * the daemon is gone before its child is.
 */
export type GuardEvent =
  | { type: 'spawned'; pid: number; startId: string }
  | { type: 'ending'; pid: number; reason: EndReason; activity: ClaudeActivity | null }
  | { type: 'ended'; pid: number; reason: EndReason; outcome: EndOutcome; signals: string[]; detail: string | null }
  | { type: 'exited'; pid: number; code: number | null; signal: string | null }
  | ({ type: 'reaped' } & Reaped)
  | { type: 'warning'; message: string };
