// Carries out a plan: the first signal, a grace period polled with a doubling interval, then
// SIGKILL for what is left. Every signal is preceded by a fresh read of the process: a pid whose
// start token changed is another process and is left alone. Failures are collected, never fatal.
import { setTimeout as sleep } from 'node:timers/promises';
import { signalsReach } from '../platform/reach.js';
import type { ProcessSource } from '../platform/source.js';
import { VERSION } from '../version.js';
import { planProcesses, type KillPlan, type PlanProcess } from './plan.js';
import { assertSignallable, sendSignal, type SignalSender } from './signal.js';

export type OutcomeId = 'terminated' | 'killed' | 'gone' | 'pid-reused' | 'denied' | 'survived' | 'refused';

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
  /** After SIGKILL, how long to wait before calling a process a survivor. */
  killWaitMs?: number;
  clock?: () => number;
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
  const reach = signalsReach(opts.source);
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
    const r = await signalIfSame(opts.source, send, p, plan.signal, o);
    if (r === 'sent') pending.push(p);
  }

  const forceful = plan.signal === 'SIGKILL';
  const left = await waitForExit(opts.source, pending, outcomes, plan.graceMs, forceful ? 'killed' : 'terminated');
  if (!forceful) {
    const killed: PlanProcess[] = [];
    for (const p of left) if ((await signalIfSame(opts.source, send, p, 'SIGKILL', outcomes.get(p.pid)!, 'terminated')) === 'sent') killed.push(p);
    await waitForExit(opts.source, killed, outcomes, opts.killWaitMs ?? KILL_WAIT_MS, 'killed');
  }

  const list = [...outcomes.values()];
  const summary = { terminated: 0, killed: 0, gone: 0, 'pid-reused': 0, denied: 0, survived: 0, refused: 0, freedRssBytes: 0 };
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

/**
 * Reads the process again and signals it only if it is still the one in the plan. A process that
 * is gone, or exited and awaits its parent, gets `ifGone` ("gone" before any signal, "terminated"
 * when it went after ours); a changed start token is another process: `pid-reused`.
 */
async function signalIfSame(source: ProcessSource, send: SignalSender, p: PlanProcess, signal: string, o: Outcome, ifGone: 'gone' | 'terminated' = 'gone'): Promise<'sent' | 'done'> {
  let now;
  try {
    now = await source.identify(p.pid);
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
    r = await send(p.pid, signal);
  } catch (err) {
    o.outcome = 'survived';
    o.detail = (err as Error).message;
    return 'done';
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
  return 'sent';
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
