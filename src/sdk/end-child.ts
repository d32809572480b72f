// Ending one child: ask first (`close()` on its query, which closes claude's stdin; claude exits
// within milliseconds of that when it is idle), wait the grace, and only then signal it through the
// CLI's executor: identity re-read before each signal, SIGTERM, the grace again, SIGKILL.
import type { ChildProcess } from 'node:child_process';
import type { ProcessSource } from '../platform/source.js';
import { executePlan } from '../reap/execute.js';
import { planEnding } from './plan.js';
import type { EndOutcome } from './types.js';

// An exited child is reaped on node's next turn of the event loop; this only bounds a wait that
// should never be long.
const REAP_WAIT_MS = 2_000;

export interface Ending {
  outcome: EndOutcome;
  signals: string[];
  detail: string | null;
}

export interface EndTarget {
  pid: number;
  /** The start token read at spawn; null when that read has not come back yet. */
  startId: string | null;
  child: ChildProcess;
  /** The gentle first step: the query's close(), or closing claude's stdin. */
  close(): void;
}

/** Whether node has reaped the child (it saw the exit). Until it does, the pid cannot name another process. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves true when the child exits within `ms`, false otherwise. */
export function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

export async function endChild(t: EndTarget, graceMs: number, source: ProcessSource, reason: string): Promise<Ending> {
  if (hasExited(t.child)) return { outcome: 'exited', signals: [], detail: null };
  try {
    t.close();
  } catch {
    // A query already closed, or a stdin already gone: the signals below still follow.
  }
  if (await exitWithin(t.child, graceMs)) return { outcome: 'exited', signals: [], detail: null };

  // Not yet reaped, so the pid is still this child's: a start token read now is its own.
  const startId = t.startId ?? (await source.identify(t.pid).catch(() => null))?.startId ?? null;
  if (startId === null) return hasExited(t.child) ? { outcome: 'exited', signals: [], detail: null } : { outcome: 'survived', signals: [], detail: 'its start time cannot be read, so nothing was sent' };
  const listing = await source.list({ sampleMs: 0 }).catch(() => null);
  const plan = planEnding([{ pid: t.pid, startId }], listing, source.id, reason, graceMs);
  const result = await executePlan(plan, { source, never: [process.pid] });
  const mine = result.outcomes.find((o) => o.pid === t.pid);
  if (!mine) return { outcome: 'gone', signals: [], detail: null };
  // The executor counts an exited child that node has not reaped yet (a zombie) as ended; the
  // ending is over once node has reaped it, so that the daemon never lists it afterwards.
  if (mine.outcome === 'terminated' || mine.outcome === 'killed') await exitWithin(t.child, REAP_WAIT_MS);
  return { outcome: mine.outcome, signals: mine.signals, detail: mine.detail };
}
