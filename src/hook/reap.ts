// `hook reap`: the detached half of the hook. Waits until the session's claude process has exited,
// then reaps orphans and strays exactly as `kill --orphans --yes --sample 0` does: the leftovers of
// that session and of any earlier one. The planner's protections apply unchanged, and nothing
// outside that selection is ever signalled.
import { carryOut, DEFAULT_GRACE_MS, makePlan } from '../commands/kill.js';
import type { Config } from '../config.js';
import type { ProcessSource } from '../platform/source.js';
import type { KillResult } from '../reap/execute.js';
import { redactLine } from '../redact/index.js';
import { emptySelection } from '../reap/select.js';
import { resultLine } from '../render/result-line.js';
import { waitForLock } from '../state/lock.js';
import { appendPrivate } from '../state/private.js';
import type { ClaudeIdentity } from './run.js';

// A claude still running a minute after its SessionEnd hook fired has not exited: /clear ends a
// session but not the process. Its helpers are still its own then, so nothing is reaped.
export const WAIT_MS = 60_000;
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;
export const HOOK_LOG = 'hook.log';

/** True once the process is gone (exited, a zombie, or its pid now names another process). */
export async function waitGone(source: ProcessSource, who: ClaudeIdentity, waitMs: number, sleep = delay): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (let poll = FIRST_POLL_MS; ; poll = Math.min(poll * 2, MAX_POLL_MS)) {
    try {
      const now = await source.identify(who.pid);
      if (!now || now.zombie || now.startId !== who.startId) return true;
    } catch {
      // Could not read it this time: that is not "gone".
    }
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(poll, Math.max(0, deadline - Date.now())));
  }
}

export interface ReapAfterOptions {
  after: ClaudeIdentity | null;
  waitMs?: number;
  source: ProcessSource;
  config: Config;
  stateDir: string;
  /** Where the reaper lock lives: two reapers never act at once. */
  lockDir: string;
}

export type ReapOutcome =
  | { kind: 'reaped'; result: KillResult; auditError: string | null }
  | { kind: 'still-running'; claude: ClaudeIdentity; waitedMs: number }
  | { kind: 'busy'; waitedMs: number };

export async function reapAfter(opts: ReapAfterOptions): Promise<ReapOutcome> {
  const waitMs = opts.waitMs ?? WAIT_MS;
  if (opts.after && !(await waitGone(opts.source, opts.after, waitMs))) return { kind: 'still-running', claude: opts.after, waitedMs: waitMs };
  const planned = await makePlan({
    source: opts.source,
    sampleMs: 0,
    config: opts.config,
    allUsers: opts.config.allUsers,
    stateDir: opts.stateDir,
    selection: { ...emptySelection(), orphans: true },
    signal: 'SIGTERM',
    graceMs: DEFAULT_GRACE_MS,
  });
  // Another reaper (a watch, a scheduled kill) acting now will find these leftovers too; wait a
  // while for it rather than act alongside it.
  const lock = await waitForLock(opts.lockDir, opts.source, 'hook reap', { signal: AbortSignal.timeout(waitMs), pollMs: MAX_POLL_MS });
  if (!lock) return { kind: 'busy', waitedMs: waitMs };
  try {
    const { result, auditError } = await carryOut(planned, { auditDir: opts.stateDir });
    return { kind: 'reaped', result, auditError };
  } finally {
    lock.release();
  }
}

/** One line per hook run in the state dir: the reaper runs detached, with nowhere else to say it. */
export function logLine(outcome: ReapOutcome | { kind: 'error'; message: string }, after: ClaudeIdentity | null, sessionId: string | null): string {
  const who = `${after ? `after claude ${after.pid}` : 'no claude found'}${sessionId ? ` (session ${sessionId})` : ''}`;
  const what =
    outcome.kind === 'reaped' ? resultLine(outcome.result) + (outcome.auditError ? ` warning: ${outcome.auditError}` : '')
    : outcome.kind === 'still-running' ? `claude ${outcome.claude.pid} still running after ${outcome.waitedMs / 1000}s: nothing reaped`
    : outcome.kind === 'busy' ? `another reaper held the lock for ${outcome.waitedMs / 1000}s: nothing reaped`
    : `error: ${outcome.message}`;
  return `${new Date().toISOString()} ${who}: ${redactLine(what)}`;
}

export function appendHookLog(stateDir: string, line: string): void {
  try {
    appendPrivate(stateDir, HOOK_LOG, `${line}\n`);
  } catch {
    // The audit log has what was signalled; this line is only a convenience.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
