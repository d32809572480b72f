// The numbers the rules decide by. Each default has its reason beside it.

export interface Thresholds {
  /** A claude with no tty under a live non-shell parent, idle this long, is a leak. */
  abandonedAfterMs: number;
  /** A request outstanding (by Claude's transcript or record) with no CPU progress this long: hung. */
  hungAfterMs: number;
  /** Below this % of one core over a window counts as idle. */
  idleCpuPercent: number;
  /** At or above this % of one core over the window counts as busy, for `runaway`. */
  runawayCpuPercent: number;
  /** At or above this % of one core, held since an earlier run's sample at least `sustainedAfterMs` old: `runaway` too. */
  sustainedCpuPercent: number;
  sustainedAfterMs: number;
}

// An idle SDK child measures 0.1-0.3 % of a core (its event loop and timers); a child at work
// uses tens of %. 1 % sits between, with room for measurement noise over a 1 s window.
// (Never ps %cpu: on Linux it is a lifetime average, and would call a busy-then-idle process busy.)
export const IDLE_CPU_PERCENT = 1;

// Ten minutes. An SDK child idle between turns is indistinguishable from a leaked one except by
// how long it waits: a chat server's user may read for minutes before typing again, and ending that
// child ends the live session. Leaks idle for hours (121 children in 6 hours, 35 in a day), so ten
// minutes ends them all while leaving a person time to think; `kill --idle 2m` is there to be
// stricter on purpose.
export const ABANDONED_AFTER_MS = 10 * 60_000;

// Ten minutes: the CLI itself gives up on an unanswered request and re-sends it every 6 minutes,
// forever, so a request with no progress past one retry cycle is not coming back.
export const HUNG_AFTER_MS = 10 * 60_000;

// Half a core across the window: a real spin shows 44-100 % even under contention on 2 cores,
// while an orphan finishing a last write shows a few %.
export const RUNAWAY_CPU_PERCENT = 50;

// A quarter of a core does not show in one window as a spin does, yet burned for a day it is one:
// anthropics/claude-code#89625 found 30 orphaned shells of a Bash tool at 21-28 % of a core each
// for 25 hours, 7.6 of 10 cores together. 15 % sits below the least of them with room for a
// machine so loaded that each spinner gets less; a leftover that only waits (tail -f, a server
// between requests) uses well under 1 %. It counts only when held, by every earlier run's
// sample and the window, for at least SUSTAINED_AFTER_MS.
export const SUSTAINED_CPU_PERCENT = 15;
// Ten minutes: longer than any orphan's last burst of work (a build finishing, a flush), far
// shorter than the leaks reported (a day, 48 minutes); a schedule every few minutes proves it.
export const SUSTAINED_AFTER_MS = 10 * 60_000;

export const DEFAULT_THRESHOLDS: Thresholds = {
  abandonedAfterMs: ABANDONED_AFTER_MS,
  hungAfterMs: HUNG_AFTER_MS,
  idleCpuPercent: IDLE_CPU_PERCENT,
  runawayCpuPercent: RUNAWAY_CPU_PERCENT,
  sustainedCpuPercent: SUSTAINED_CPU_PERCENT,
  sustainedAfterMs: SUSTAINED_AFTER_MS,
};
