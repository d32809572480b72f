// The library API. The CLI is a thin layer over these: scan, plan, then act.
import { carryOut, DEFAULT_GRACE_MS } from './commands/kill.js';
import { runScan, type ScanOptions, type ScanResult } from './commands/scan.js';
import { openSource, type SourceChoice } from './platform/index.js';
import type { ProcessSource } from './platform/source.js';
import { stateDir } from './platform/dirs.js';
import type { KillResult } from './reap/execute.js';
import type { KillPlan, Selection } from './reap/plan.js';
import { emptySelection, planKill as planFromScan } from './reap/select.js';
import { ancestors } from './snapshot/tree.js';

/** Reads the process table, samples CPU, and classifies every claude-related process. */
export function scan(opts: ScanOptions = {}): Promise<ScanResult> {
  return runScan(opts);
}

export interface PlanKillOptions {
  /** The first signal (default SIGTERM; SIGKILL follows after the grace period). */
  signal?: string;
  /** How long to wait for the first signal to work, ms (default 5000). */
  graceMs?: number;
}

/**
 * Builds the plan for a selection (selectors combine as a union; none at all means "everything
 * the scan marks reapable"). Protected processes are skipped, with the reason, in `plan.skipped`;
 * asking for one by pid throws a UsageError.
 */
export function planKill(result: ScanResult, selection: Partial<Selection> = {}, opts: PlanKillOptions = {}): KillPlan {
  const full: Selection = { ...emptySelection(), ...selection };
  const { reapable: _ignored, ...selectors } = selection;
  full.reapable = selection.reapable ?? Object.values(selectors).every((v) => v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0));
  return planFromScan(result, full, { signal: opts.signal ?? 'SIGTERM', graceMs: opts.graceMs ?? DEFAULT_GRACE_MS });
}

export interface ExecuteOptions {
  source?: SourceChoice | ProcessSource;
  /** Append to the audit log: true (the default state dir), a directory, or false. */
  log?: boolean | string;
}

/**
 * Carries out a plan: re-reads every process before every signal, ends descendants first,
 * SIGTERM then SIGKILL after the grace period. Never signals this process or its ancestors,
 * whatever the plan says.
 */
export async function executePlan(plan: KillPlan, opts: ExecuteOptions = {}): Promise<KillResult> {
  const source = typeof opts.source === 'object' ? opts.source : openSource(opts.source ?? 'auto');
  const listing = await source.list({ sampleMs: 0 });
  const never = [process.pid, ...ancestors(process.pid, listing.records)];
  const auditDir = opts.log === false ? null : typeof opts.log === 'string' ? opts.log : stateDir();
  const { result } = await carryOut({ plan, never, source }, { auditDir });
  return result;
}

export { openSource, AUTO_CHAIN } from './platform/index.js';
export type { SourceChoice } from './platform/index.js';
export type { CpuReading, Details, Identity, Listing, ProcessSource } from './platform/source.js';
export type { ScanOptions, ScanResult } from './commands/scan.js';
export { DEFAULT_SAMPLE_MS } from './commands/scan.js';
export { DEFAULT_GRACE_MS } from './commands/kill.js';
export { DEFAULT_THRESHOLDS } from './classify/thresholds.js';
export type { Thresholds } from './classify/thresholds.js';
export { RULES, REAPABLE_FLAGS } from './classify/registry.js';
export type { Rule } from './classify/rules/rule.js';
export { matchClaude } from './classify/match.js';
export { loadConfig, parseConfig } from './config.js';
export type { Config } from './config.js';
export { PLAN_VERSION } from './reap/plan.js';
export type { KillPlan, PlanProcess, PlanTarget, Selection, Skipped } from './reap/plan.js';
export type { KillResult, Outcome, OutcomeId } from './reap/execute.js';
export type { AuditEntry } from './reap/audit.js';
export * from './report.js';
export type * from './types.js';
export { UsageError, PlatformError } from './errors.js';
export { parseDuration } from './util/duration.js';
export { REDACTED, redactArgv, redactText } from './redact/index.js';
