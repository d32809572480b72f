// What every rule sees: the snapshot, the clock (passed in, never read), thresholds, earlier
// samples, and the flags earlier rules in the registry have set.
import type { FlagId, IdleInfo, Reason } from '../report.js';
import { historyKey, type History } from '../state/history.js';
import type { Match, SampledProcess, Snapshot } from '../types.js';
import { windowsParentGone } from '../platform/windows-orphan.js';
import { isAdopter } from './adopters.js';
import type { Thresholds } from './thresholds.js';

export interface ClassifyInput {
  snapshot: Snapshot;
  now: number;
  thresholds: Thresholds;
  history: History;
  /** Daemon name -> the pid its pid file names, read by the caller where configured. */
  pidFiles?: ReadonlyMap<string, number>;
}

export interface Target {
  proc: SampledProcess;
  match: Match;
}

export class RuleContext {
  readonly reasons = new Map<number, Reason[]>();
  private readonly idleCache = new Map<number, IdleInfo | null>();
  private targetList: Target[] | null = null;

  constructor(readonly input: ClassifyInput) {}

  get snapshot(): Snapshot {
    return this.input.snapshot;
  }

  get thresholds(): Thresholds {
    return this.input.thresholds;
  }

  /** The related processes, in pid order: listed once, as every rule walks them. */
  targets(): readonly Target[] {
    if (!this.targetList) {
      const { related, processes } = this.snapshot;
      this.targetList = [];
      for (const [pid, match] of related) this.targetList.push({ proc: processes.get(pid)!, match });
    }
    return this.targetList;
  }

  has(pid: number, flag: FlagId): boolean {
    return this.reasons.get(pid)?.some((r) => r.flag === flag) ?? false;
  }

  reason(pid: number, flag: FlagId): Reason | undefined {
    return this.reasons.get(pid)?.find((r) => r.flag === flag);
  }

  /** The parent, unless it is gone or its pid now names a younger process. */
  parentOf(proc: SampledProcess): SampledProcess | null {
    const parent = this.snapshot.processes.get(proc.ppid);
    return parent && parent.startTime <= proc.startTime ? parent : null;
  }

  /** Whether the process was handed to init or a subreaper (or, on Windows, lost its parent). */
  reparented(proc: SampledProcess): { to: SampledProcess | null; how: string } | null {
    const parent = this.snapshot.processes.get(proc.ppid);
    if (this.snapshot.reparent === 'windows') {
      if (!windowsParentGone(proc, this.snapshot.processes)) return null;
      return { to: null, how: parent ? `its parent ${proc.ppid} is gone (that pid now names a younger process)` : `its parent ${proc.ppid} is gone` };
    }
    if (parent && isAdopter(parent) && !this.snapshot.related.has(parent.pid)) {
      return { to: parent, how: parent.pid === 1 ? `reparented to init (pid 1, ${parent.name})` : `reparented to subreaper ${parent.name} (pid ${parent.pid})` };
    }
    if (!parent) return { to: null, how: `its parent ${proc.ppid} is gone` };
    return null;
  }

  /** The owner (claude or daemon) still runs, and is the process that started this one's tree. */
  ownerAlive(owner: number | null, proc: SampledProcess): boolean {
    if (owner === null) return false;
    const o = this.snapshot.processes.get(owner);
    return !!o && o.startTime <= proc.startTime && o.state !== 'Z' && this.snapshot.related.has(owner);
  }

  idle(proc: SampledProcess): IdleInfo | null {
    if (!this.idleCache.has(proc.pid)) this.idleCache.set(proc.pid, idleEvidence(proc, this.input, true));
    return this.idleCache.get(proc.pid)!;
  }

  /** How long the CPU has made no progress, ignoring what Claude's record says (for `hung`). */
  quiet(proc: SampledProcess): IdleInfo | null {
    return idleEvidence(proc, this.input, false);
  }
}

const IDLE_STATUSES = new Set(['idle', 'waiting']);

/**
 * How long a process has been idle, from the strongest evidence there is, strongest first:
 * Claude's own session record, an earlier run's sample of the same (pid, start time), and the
 * lifetime average over the process's age. Stronger evidence that says "not idle" is final.
 */
export function idleEvidence(proc: SampledProcess, input: ClassifyInput, useSession: boolean): IdleInfo | null {
  const { now, thresholds, history, snapshot } = input;
  const limit = thresholds.idleCpuPercent;
  if (proc.cpuPercent !== null && proc.cpuPercent >= limit) return null;
  const window = proc.cpuPercent !== null ? { forMs: snapshot.sampleMs, evidence: 'window' as const } : null;

  if (useSession && proc.session?.status) {
    if (!IDLE_STATUSES.has(proc.session.status)) return null;
    if (proc.session.statusSince !== null) return { forMs: Math.max(0, Math.round(now - proc.session.statusSince)), evidence: 'session-record' };
  }
  // The lifetime average: weakest, as busy work early in life could hide a busy spell since.
  const age = proc.cpuTimeMs !== null && proc.elapsedMs > 0 && (proc.cpuTimeMs / proc.elapsedMs) * 100 < limit
    ? { forMs: proc.elapsedMs, evidence: 'age' as const }
    : null;
  const samples = history.get(historyKey(proc.pid, proc.startId));
  if (samples && samples.length > 0 && proc.cpuTimeMs !== null) {
    for (const [i, s] of samples.entries()) {
      const span = now - s.at;
      if (span <= 0 || ((proc.cpuTimeMs - s.cpuTimeMs) / span) * 100 >= limit) continue;
      const proven = { forMs: Math.round(span), evidence: 'earlier-sample' as const };
      // Every sample agrees (none shows work since): the age may prove a longer stretch.
      return i === 0 && age && age.forMs > proven.forMs ? age : proven;
    }
    return window;
  }
  if (age) return age;
  return window;
}
