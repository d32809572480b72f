// Carries out a plan: the first signal, a grace period polled with a doubling interval, then
// SIGKILL for what is left. Every signal is preceded by a fresh read of the process: a pid whose
// start token changed is another process and is left alone. Failures are collected, never fatal.
import { setTimeout as sleep } from 'node:timers/promises';
import { signalsReach } from '../platform/reach.js';
import type { ProcessSource } from '../platform/source.js';
import { VERSION } from '../version.js';
import { planProcesses, type KillPlan, type PlanProcess } from './plan.js';
import { assertSignallable, SendFailed, sendSignal, type SignalSender } from './signal.js';

export type OutcomeId = 'terminated' | 'killed' | 'gone' | 'pid-reused' | 'denied' | 'survived' | 'unkillable' | 'refused';

export interface Outcome {
  pid: number;
  startId: string;
  name: string;
  /** The plan target this process belongs to (itself, for a target). */
  target: number;
  outcome: OutcomeId;
  /** Signals actually sent, in order. */
  signals: string[];
  rssBytes: number | null;
  detail: string | null;
}

export interface KillResult {
  resultVersion: 1;
  tool: { name: 'claude-reaper'; version: string };
  plan: KillPlan;
  /** ISO 8601 */
  startedAt: string;
  finishedAt: string;
  outcomes: Outcome[];
  summary: Record<OutcomeId, number> & { freedRssBytes: number };
}

export interface ExecuteOptions {
  source: ProcessSource;
  /** Pids never to signal, whatever the plan says: this tool and its ancestors. */
  never: readonly number[];
  send?: SignalSender;
  /**
   * The platform whose pids `send` signals (default: this one). Only with a sender of its own: a
   * test of Windows outcomes on Linux passes 'win32' and a sender that runs a stand-in taskkill.
   */
  platform?: NodeJS.Platform;
  /** After SIGKILL, how long to wait before calling a process a survivor. */
  killWaitMs?: number;
  clock?: () => number;
  /**
   * Earlier runs that forced this very process, `(pid, start id)`, and saw it survive or be
   * refused (the audit log's survived, denied and unkillable entries); null when none did.
   */
  history?: (pid: number, startId: string) => EarlierAttempts | null;
}

export interface EarlierAttempts {
  /** How many earlier outcomes of this process were survived, denied or unkillable. */
  attempts: number;
  /** ISO 8601 time of the first of them. */
  since: string;
}

// Start fast (an idle claude exits ~60 ms after SIGTERM), then back off to spare the CPU.
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 500;
// SIGKILL cannot be caught; only a process stuck in the kernel (state D) outlives this.
const KILL_WAIT_MS = 2_000;

export async function executePlan(plan: KillPlan, opts: ExecuteOptions): Promise<KillResult> {
  const send = opts.send ?? sendSignal;
  const clock = opts.clock ?? Date.now;
  const startedAt = new Date(clock()).toISOString();
  const never = new Set(opts.never);
  const targetOf = new Map<number, number>();
  for (const t of plan.targets) for (const p of [...t.descendants, t]) targetOf.set(p.pid, t.pid);

  const outcomes = new Map<number, Outcome>();
  const pending: PlanProcess[] = [];
  if (opts.platform && !opts.send) throw new RangeError('executePlan: a platform other than this one needs its own sender');
  const reach = signalsReach(opts.source, opts.platform);
  const ctx: SendContext = { source: opts.source, send, forced: new Set(), windows: opts.source.reparent === 'windows' };
  for (const p of planProcesses(plan)) {
    const o: Outcome = { pid: p.pid, startId: p.startId, name: p.name, target: targetOf.get(p.pid)!, outcome: 'survived', signals: [], rssBytes: p.rssBytes, detail: null };
    outcomes.set(p.pid, o);
    if (never.has(p.pid) || !signallable(p.pid)) {
      o.outcome = 'refused';
      o.detail = 'this claude-reaper, one of its ancestors, or a pid that is never a target';
      continue;
    }
    if (!reach) {
      o.outcome = 'refused';
      o.detail = `the ${opts.source.id} source lists another platform's processes: pid ${p.pid} here is not that process`;
      continue;
    }
    const r = await signalIfSame(ctx, p, plan.signal, o);
    if (r === 'sent') pending.push(p);
  }

  const forceful = plan.signal === 'SIGKILL';
  const left = await waitForExit(opts.source, pending, outcomes, plan.graceMs, forceful ? 'killed' : 'terminated');
  if (!forceful) {
    const killed: PlanProcess[] = [];
    for (const p of left) if ((await signalIfSame(ctx, p, 'SIGKILL', outcomes.get(p.pid)!, 'terminated')) === 'sent') killed.push(p);
    await waitForExit(opts.source, killed, outcomes, opts.killWaitMs ?? KILL_WAIT_MS, 'killed');
  }
  for (const o of outcomes.values()) markUnkillable(o, ctx, opts.history);

  const list = [...outcomes.values()];
  const summary = { terminated: 0, killed: 0, gone: 0, 'pid-reused': 0, denied: 0, survived: 0, unkillable: 0, refused: 0, freedRssBytes: 0 };
  for (const o of list) {
    summary[o.outcome]++;
    if (o.outcome === 'terminated' || o.outcome === 'killed') summary.freedRssBytes += o.rssBytes ?? 0;
  }
  return { resultVersion: 1, tool: { name: 'claude-reaper', version: VERSION }, plan, startedAt, finishedAt: new Date(clock()).toISOString(), outcomes: list, summary };
}

function signallable(pid: number): boolean {
  try {
    assertSignallable(pid);
    return true;
  } catch {
    return false;
  }
}

interface SendContext {
  source: ProcessSource;
  send: SignalSender;
  /** Pids a forceful kill reached this run: SIGKILL, or any taskkill /F (Windows has no other). */
  forced: Set<number>;
  windows: boolean;
}

/**
 * Reads the process again and signals it only if it is still the one in the plan. A process that
 * is gone, or exited and awaits its parent, gets `ifGone` ("gone" before any signal, "terminated"
 * when it went after ours); a changed start token is another process: `pid-reused`.
 */
async function signalIfSame(ctx: SendContext, p: PlanProcess, signal: string, o: Outcome, ifGone: 'gone' | 'terminated' = 'gone'): Promise<'sent' | 'done'> {
  let now;
  try {
    now = await ctx.source.identify(p.pid);
  } catch (err) {
    o.outcome = 'survived';
    o.detail = `cannot re-read it, so nothing was sent: ${(err as Error).message}`;
    return 'done';
  }
  if (now === null) {
    o.outcome = ifGone;
    return 'done';
  }
  if (now.startId !== p.startId) {
    // Before our first signal it is another process; after it, ours exited and the pid moved on.
    o.outcome = ifGone === 'gone' ? 'pid-reused' : 'terminated';
    o.detail = `pid ${p.pid} now names a process started at ${now.startId}, not ${p.startId}`;
    return 'done';
  }
  if (now.zombie) {
    o.outcome = ifGone;
    return 'done';
  }
  let r;
  try {
    r = await ctx.send(p.pid, signal);
  } catch (err) {
    return afterFailedSend(ctx, p, o, err as Error, ifGone);
  }
  if (r === 'gone') {
    o.outcome = ifGone;
    return 'done';
  }
  if (r === 'denied') {
    o.outcome = 'denied';
    o.detail = `no permission to send ${signal}`;
    return 'done';
  }
  o.signals.push(signal);
  if (signal === 'SIGKILL' || ctx.windows) ctx.forced.add(p.pid);
  return 'sent';
}

/**
 * A signal that failed says nothing by itself about the process: taskkill answers "There is no
 * running instance of the task." for a process that was exiting, and the same (in the user's
 * language) for one Windows keeps listed (anthropics/claude-code#84454). So it is read again: gone
 * (or its pid now someone else's) is `ifGone`; still the same process after the system said no is
 * `denied`; still there after a signal that could not even be sent is `survived`. The system's own
 * words go in the detail.
 */
async function afterFailedSend(ctx: SendContext, p: PlanProcess, o: Outcome, err: Error, ifGone: 'gone' | 'terminated'): Promise<'done'> {
  const answered = err instanceof SendFailed && err.answered;
  if (answered) ctx.forced.add(p.pid);
  let now;
  try {
    now = await ctx.source.identify(p.pid);
  } catch (readErr) {
    o.outcome = 'survived';
    o.detail = `${err.message}; then it could not be read again: ${(readErr as Error).message}`;
    return 'done';
  }
  if (now === null || now.zombie || now.startId !== p.startId) {
    o.outcome = ifGone;
    o.detail = `${err.message}; read again, it was gone`;
    return 'done';
  }
  o.outcome = answered ? 'denied' : 'survived';
  o.detail = answered ? `${err.message}; read again, it is still running` : err.message;
  return 'done';
}

/**
 * A process that a forceful kill left running on this run, as on an earlier one (the audit log
 * has the same pid and start time surviving or refused before): more attempts will not end it.
 * On Windows that is a process object the kernel keeps after taskkill /F, which only a reboot
 * clears (anthropics/claude-code#84454); elsewhere, one stuck in the kernel (state D).
 */
function markUnkillable(o: Outcome, ctx: SendContext, history: ExecuteOptions['history']): void {
  if ((o.outcome !== 'survived' && o.outcome !== 'denied') || !ctx.forced.has(o.pid) || !history) return;
  const before = history(o.pid, o.startId);
  if (!before) return;
  const times = `${before.attempts} earlier ${before.attempts === 1 ? 'run' : 'runs'} since ${before.since}`;
  const now = o.detail ? `${o.detail}. ` : '';
  o.detail = ctx.windows
    ? `${now}Still listed after taskkill /F, as after ${times}: Windows keeps this process until a reboot (anthropics/claude-code#84454)${o.outcome === 'denied' ? ', unless it runs elevated and an elevated claude-reaper can end it' : ''}`
    : `${now}Still running after SIGKILL, as after ${times}: it is stuck in the kernel, and only what it waits on, or a reboot, ends it`;
  o.outcome = 'unkillable';
}

/** Polls with a doubling interval until each process is gone or the time is up; returns those left. */
async function waitForExit(source: ProcessSource, procs: PlanProcess[], outcomes: Map<number, Outcome>, limitMs: number, exited: 'terminated' | 'killed'): Promise<PlanProcess[]> {
  let left = procs;
  const deadline = performance.now() + limitMs;
  let interval = FIRST_POLL_MS;
  while (left.length > 0) {
    const still: PlanProcess[] = [];
    for (const p of left) {
      const now = await source.identify(p.pid).catch(() => undefined);
      if (now === null || now?.zombie || (now && now.startId !== p.startId)) outcomes.get(p.pid)!.outcome = exited;
      else still.push(p);
    }
    left = still;
    const remaining = deadline - performance.now();
    if (left.length === 0 || remaining <= 0) break;
    await sleep(Math.min(interval, remaining));
    interval = Math.min(interval * 2, MAX_POLL_MS);
  }
  for (const p of left) outcomes.get(p.pid)!.outcome = 'survived';
  return left;
}
