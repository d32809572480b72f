// What every rule sees: the snapshot, the clock (passed in, never read), thresholds, earlier
// samples, and the flags earlier rules in the registry have set.
import type { FlagId, IdleInfo, Protection, Reason } from '../report.js';
import type { History } from '../state/history.js';
import type { Match, SampledProcess, Snapshot } from '../types.js';
import { windowsParentGone } from '../platform/windows-orphan.js';
import { idleEvidence, type ActivityInput } from './activity.js';
import { isAdopter } from './adopters.js';
import { protectionOf, type ProtectOptions } from './protect.js';
import type { Thresholds } from './thresholds.js';

export interface ClassifyInput extends ProtectOptions {
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
  private readonly protectionCache = new Map<number, Protection | null>();
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

  idle(proc: SampledProcess, match: Match): IdleInfo | null {
    if (!this.idleCache.has(proc.pid)) this.idleCache.set(proc.pid, idleEvidence(proc, match, this.activityInput()));
    return this.idleCache.get(proc.pid)!;
  }

  activityInput(): ActivityInput {
    return { now: this.input.now, history: this.input.history, idleCpuPercent: this.thresholds.idleCpuPercent };
  }

  /** Why the process is never a target, or null (memoized: rules ask it of owners). */
  protection(proc: SampledProcess, match: Match): Protection | null {
    let p = this.protectionCache.get(proc.pid);
    if (p === undefined) {
      p = protectionOf(proc, match, this.snapshot, this.input);
      this.protectionCache.set(proc.pid, p);
    }
    return p;
  }

  /**
   * The leak flag of a process's owner, when the owner is itself a leak (flagged reapable by the
   * rules that ran so far, and not protected): what a leaked claude started follows it.
   */
  ownerLeak(owner: number | null, proc: SampledProcess): FlagId | null {
    if (owner === null || !this.ownerAlive(owner, proc)) return null;
    const o = this.snapshot.processes.get(owner)!;
    const flag = this.reasons.get(owner)?.find((r) => REAPABLE_OWNER_FLAGS.has(r.flag))?.flag ?? null;
    if (flag === null || this.protection(o, this.snapshot.related.get(owner)!)) return null;
    return flag;
  }
}

/** Flags that make a claude a leak whose helpers follow it. */
const REAPABLE_OWNER_FLAGS: ReadonlySet<FlagId> = new Set(['orphan', 'abandoned', 'hung', 'duplicate-session', 'duplicate-daemon']);
