// `kill`: scan, plan, and (once confirmed) execute; or execute a reviewed plan file. Prints nothing.
import { UsageError } from '../errors.js';
import { hostPlatform } from '../platform/dirs.js';
import { openSource } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import { showNotification } from '../platform/notify.js';
import { appendAudit, appendAuditNote, earlierAttempts } from '../reap/audit.js';
import { notificationOf } from '../render/notification.js';
import { executePlan, type KillResult } from '../reap/execute.js';
import type { KillPlan, Selection } from '../reap/plan.js';
import { readPlanFile } from '../reap/plan-file.js';
import { planKill } from '../reap/select.js';
import type { ScanDocument } from '../report.js';
import { ancestors } from '../snapshot/tree.js';
import { runScan, type ScanOptions } from './scan.js';

export const DEFAULT_GRACE_MS = 5000;

export interface KillPlanOptions extends ScanOptions {
  selection: Selection;
  signal?: string;
  graceMs?: number;
  unknownPids?: 'refuse' | 'ignore';
}

export interface Planned {
  plan: KillPlan;
  /** The scan the plan was made from (absent for a plan read from a file). */
  document?: ScanDocument;
  /** This tool and its ancestors: never signalled, whatever a plan says. */
  never: number[];
  source: ProcessSource;
}

/** Scans and builds the plan. */
export async function makePlan(opts: KillPlanOptions): Promise<Planned> {
  const source = typeof opts.source === 'object' ? opts.source : openSource(opts.source ?? 'auto');
  const scan = await runScan({ ...opts, source });
  const plan = planKill(scan, opts.selection, { signal: opts.signal ?? 'SIGTERM', graceMs: opts.graceMs ?? DEFAULT_GRACE_MS, unknownPids: opts.unknownPids });
  return { plan, document: scan.document, never: [...scan.snapshot.self], source };
}

/** Loads a reviewed plan; it runs only on the platform that made it. */
export async function loadPlan(path: string, opts: Pick<ScanOptions, 'source'> = {}): Promise<Planned> {
  const plan = readPlanFile(path);
  if (plan.platform !== hostPlatform()) throw new UsageError(`plan ${path}: made on ${plan.platform}, this is ${hostPlatform()}`);
  const source = typeof opts.source === 'object' ? opts.source : openSource(opts.source ?? 'auto');
  const listing = await source.list({ sampleMs: 0 });
  return { plan, never: [process.pid, ...ancestors(process.pid, listing.records)], source };
}

export interface ExecuteKillOptions {
  /** Where the audit log goes; null skips it (`--no-log`). */
  auditDir: string | null;
  /**
   * Raise a desktop notification when something was reaped, in the environment given (its
   * session bus, display). Where it cannot be shown, `notifyNote` says why; with `noteInAudit`
   * that line also goes to the audit log (what a scheduled job's user reads later).
   */
  notify?: { env: NodeJS.ProcessEnv; noteInAudit: boolean } | null;
}

export interface CarriedOut {
  result: KillResult;
  auditError: string | null;
  /** Why the notification was not shown, or null (shown, not asked for, or nothing reaped). */
  notifyNote: string | null;
}

export async function carryOut(planned: Planned, opts: ExecuteKillOptions): Promise<CarriedOut> {
  // The audit log remembers processes that resisted before: one that resists again is unkillable.
  const history = opts.auditDir ? earlierAttempts(opts.auditDir) : undefined;
  const result = await executePlan(planned.plan, { source: planned.source, never: planned.never, history });
  const notifyNote = opts.notify ? await notifyOf(result, opts.notify.env) : null;
  let auditError: string | null = null;
  if (opts.auditDir) {
    try {
      appendAudit(opts.auditDir, result);
      if (notifyNote && opts.notify?.noteInAudit) appendAuditNote(opts.auditDir, { time: new Date().toISOString(), note: notifyNote });
    } catch (err) {
      auditError = `cannot write the audit log in ${opts.auditDir}: ${(err as Error).message}`;
    }
  }
  return { result, auditError, notifyNote };
}

/** Shows the notification of a reap; whatever happens, the reap stands: a failure is a note. */
async function notifyOf(result: KillResult, env: NodeJS.ProcessEnv): Promise<string | null> {
  const n = notificationOf(result);
  if (!n) return null;
  try {
    const why = await showNotification(n, env);
    return why && `desktop notification not shown: ${why}`;
  } catch (err) {
    return `desktop notification not shown: ${(err as Error).message}`;
  }
}
