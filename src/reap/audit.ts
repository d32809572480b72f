// The audit log: one JSON line per process signalled (or found gone), in the user's state dir,
// so the leak rate of the tools people run stays visible (`claude-reaper log`, `stats`). Private:
// mode 600 in a directory of 700.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { redactArgv, redactLine, redactText } from '../redact/index.js';
import type { FlagId } from '../report.js';
import { appendPrivate } from '../state/private.js';
import type { EarlierAttempts, KillResult, OutcomeId } from './execute.js';

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

/**
 * A line about a run rather than a process: what did not work beside the reap (a desktop
 * notification that could not be shown). Readers tell it from an entry by its `note`.
 */
export interface AuditNote {
  /** ISO 8601 */
  time: string;
  note: string;
}

export function appendAuditNote(dir: string, note: AuditNote): void {
  appendPrivate(dir, AUDIT_FILE, `${JSON.stringify({ ...note, note: redactText(note.note) })}\n`);
}

export function appendAudit(dir: string, result: KillResult): void {
  const entries = auditEntries(result);
  if (entries.length === 0) return;
  appendPrivate(dir, AUDIT_FILE, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

// The log's tail is enough to recognize a process that resisted before: one line per process a
// run touched, a few hundred bytes each. Older history is not read (the file only grows).
const HISTORY_TAIL_BYTES = 1024 * 1024;
const RESISTED: ReadonlySet<string> = new Set<OutcomeId>(['survived', 'denied', 'unkillable']);

/**
 * What earlier runs saw of processes that did not go: per `(pid, start id)`, how many of its
 * outcomes were survived, denied or unkillable, and since when. A log that is missing or cannot
 * be read gives no history; lines that do not parse are skipped.
 */
export function earlierAttempts(dir: string): (pid: number, startId: string) => EarlierAttempts | null {
  const seen = new Map<string, EarlierAttempts>();
  for (const line of readTail(join(dir, AUDIT_FILE), HISTORY_TAIL_BYTES).split('\n')) {
    if (!line.includes('"outcome"')) continue;
    let e: Partial<AuditEntry>;
    try {
      e = JSON.parse(line) as Partial<AuditEntry>;
    } catch {
      continue;
    }
    if (typeof e.pid !== 'number' || typeof e.startId !== 'string' || typeof e.time !== 'string' || !RESISTED.has(String(e.outcome))) continue;
    const key = `${e.pid} ${e.startId}`;
    const known = seen.get(key);
    if (known) {
      known.attempts++;
      if (e.time < known.since) known.since = e.time;
    } else seen.set(key, { attempts: 1, since: e.time });
  }
  return (pid, startId) => seen.get(`${pid} ${startId}`) ?? null;
}

/** The last `max` bytes of a file (from a line start on), or '' when it cannot be read. */
function readTail(path: string, max: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, max);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const text = buf.toString('utf8');
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}
