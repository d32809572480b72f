// The audit log: one JSON line per process signalled (or found gone), in the user's state dir,
// so the leak rate of the tools people run stays visible (`claude-reaper log`, `stats`). Private:
// mode 600 in a directory of 700.
import { redactArgv, redactLine } from '../redact/index.js';
import type { FlagId } from '../report.js';
import { appendPrivate } from '../state/private.js';
import type { KillResult, OutcomeId } from './execute.js';

export const AUDIT_FILE = 'reaped.jsonl';

export interface AuditEntry {
  /** ISO 8601 */
  time: string;
  pid: number;
  startId: string;
  name: string;
  argv: string[] | null;
  kind: string;
  user: string | null;
  /** The flags of the target this process went with. */
  flags: FlagId[];
  target: number;
  /** What started the target, where known (see PlanTarget.startedBy). */
  startedBy: string | null;
  outcome: OutcomeId;
  rssBytes: number | null;
}

/** One entry per outcome. Command lines are redacted again: a plan from a file or the library may carry them whole. */
export function auditEntries(result: KillResult): AuditEntry[] {
  const byPid = new Map(result.plan.targets.flatMap((t) => [t, ...t.descendants].map((p) => [p.pid, { p, target: t }] as const)));
  return result.outcomes.map((o) => {
    const { p, target } = byPid.get(o.pid)!;
    return { time: result.finishedAt, pid: o.pid, startId: o.startId, name: p.name, argv: p.argv && redactArgv(p.argv), kind: p.kind, user: p.user, flags: target.flags, target: target.pid, startedBy: redactLine(target.startedBy ?? null), outcome: o.outcome, rssBytes: o.rssBytes };
  });
}

export function appendAudit(dir: string, result: KillResult): void {
  const entries = auditEntries(result);
  if (entries.length === 0) return;
  appendPrivate(dir, AUDIT_FILE, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}
