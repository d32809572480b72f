// idleAfter: a timer that asks Claude's record and transcript about each child and ends the ones
// idle that long. It never keeps a daemon alive by itself.
import { hasExited } from './end-child.js';
import { activityOf, type Entry } from './entry.js';
import type { ClaudeActivity } from './types.js';

// Often enough that a child goes soon after `idleAfter`; never more often than this (each check
// reads two small files per child) nor less often than this (a long idleAfter needs no hurry).
const MIN_CHECK_MS = 250;
const MAX_CHECK_MS = 30_000;
const CHECKS_PER_IDLE_AFTER = 4;

/** Starts the checks; returns what stops them. */
export function watchIdle(entries: ReadonlyMap<number, Entry>, idleAfterMs: number, end: (e: Entry, activity: ClaudeActivity) => void): () => void {
  const period = Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, Math.round(idleAfterMs / CHECKS_PER_IDLE_AFTER)));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const e of entries.values()) {
      if (e.ending || hasExited(e.child)) continue;
      const activity = activityOf(e);
      if (activity.state === 'idle' && activity.since !== null && now - activity.since >= idleAfterMs) end(e, activity);
    }
  }, period);
  timer.unref();
  return () => clearInterval(timer);
}
