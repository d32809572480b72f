// The kill plan: which processes to end and why, what goes with each (its MCP servers and tool
// shells), and what was skipped and why. Versioned JSON: `kill --dry-run --json` prints it and
// `kill --plan <file>` carries out exactly it.
import type { FlagId, Protection } from '../report.js';
import type { ProcessKind } from '../types.js';

export const PLAN_VERSION = 1;

/** One process the plan will signal, identified by pid and exact start token. */
export interface PlanProcess {
  pid: number;
  startId: string;
  name: string;
  argv: string[] | null;
  kind: ProcessKind;
  user: string | null;
  rssBytes: number | null;
}

export interface PlanTarget extends PlanProcess {
  /** ISO 8601 */
  startTime: string;
  flags: FlagId[];
  /** Why it is in the plan, in words. */
  reason: string;
  /**
   * What started it, where that still runs (`worker-service.cjs --daemon`): the tool whose leaks
   * these are, for the audit log's statistics. Null when it was reparented (its starter is gone).
   */
  startedBy: string | null;
  /** What goes with it: its descendants and marker-linked helpers, deepest first. */
  descendants: PlanProcess[];
}

export interface Skipped {
  pid: number;
  startId: string;
  name: string;
  reason: string;
  protection: Protection | null;
}

export interface Selection {
  /** No selector given: everything the classifier marks reapable. */
  reapable: boolean;
  idleMs: number | null;
  orphans: boolean;
  duplicates: boolean;
  hung: boolean;
  pids: number[];
  olderThanMs: number | null;
  minRssBytes: number | null;
}

export interface KillPlan {
  planVersion: typeof PLAN_VERSION;
  tool: { name: 'claude-reaper'; version: string };
  /** ISO 8601 */
  createdAt: string;
  platform: string;
  source: string;
  selection: Selection;
  /** The first signal (SIGKILL follows after the grace period). */
  signal: string;
  graceMs: number;
  targets: PlanTarget[];
  skipped: Skipped[];
  summary: { targets: number; processes: number; rssBytes: number };
}

/** Every process the plan signals, each target's descendants first (deepest first), then it. */
export function planProcesses(plan: KillPlan): PlanProcess[] {
  return plan.targets.flatMap((t) => [...t.descendants, t]);
}
