// Reading the audit log back: what was reaped and when, and the leak rate it shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_FILE, type AuditEntry, type AuditNote } from '../reap/audit.js';
import { redactArgv, redactText } from '../redact/index.js';

export interface AuditRead {
  path: string;
  entries: AuditEntry[];
  /** Notes about runs (a notification that could not be shown). */
  notes: AuditNote[];
  /** Lines that did not parse (a torn write, a hand edit): skipped, and counted. */
  skipped: number;
}

export function readAudit(dir: string, opts: { sinceMs?: number | null; now?: number } = {}): AuditRead {
  const path = join(dir, AUDIT_FILE);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const from = opts.sinceMs ? (opts.now ?? Date.now()) - opts.sinceMs : -Infinity;
  const entries: AuditEntry[] = [];
  const notes: AuditNote[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as AuditEntry | AuditNote;
      if ('note' in parsed && typeof parsed.note === 'string' && typeof parsed.time === 'string') {
        if (Date.parse(parsed.time) >= from) notes.push(parsed);
        continue;
      }
      const e = parsed as AuditEntry;
      if (typeof e.pid !== 'number' || typeof e.time !== 'string' || typeof e.outcome !== 'string') throw new Error('not an entry');
      if (Date.parse(e.time) >= from) entries.push(redacted(e));
    } catch {
      skipped++;
    }
  }
  return { path, entries, notes, skipped };
}

/** Entries written before command lines were redacted hold them whole: what is shown is redacted. */
function redacted(e: AuditEntry): AuditEntry {
  const argv = Array.isArray(e.argv) ? redactArgv(e.argv) : null;
  const startedBy = typeof e.startedBy === 'string' ? redactText(e.startedBy) : null;
  return argv === e.argv && startedBy === e.startedBy ? e : { ...e, argv, startedBy };
}

export interface Tally {
  processes: number;
  /** Ended by us: terminated or killed. */
  reaped: number;
  freedRssBytes: number;
}

export interface Stats {
  first: string | null;
  last: string | null;
  total: Tally;
  byOutcome: Record<string, number>;
  /** Each reaped process once, by the first flag of the target it went with. */
  byFlag: Record<string, Tally>;
  byKind: Record<string, Tally>;
  /** Which tools leak: what started the targets (where it was still running). */
  byStarter: ({ startedBy: string } & Tally)[];
  /** UTC days, oldest first. */
  byDay: ({ day: string } & Tally)[];
}

export function auditStats(entries: readonly AuditEntry[]): Stats {
  const stats: Stats = { first: null, last: null, total: tally(), byOutcome: {}, byFlag: {}, byKind: {}, byStarter: [], byDay: [] };
  const starters = new Map<string, Tally>();
  const days = new Map<string, Tally>();
  for (const e of entries) {
    if (stats.first === null || e.time < stats.first) stats.first = e.time;
    if (stats.last === null || e.time > stats.last) stats.last = e.time;
    stats.byOutcome[e.outcome] = (stats.byOutcome[e.outcome] ?? 0) + 1;
    const groups = [
      stats.total,
      (stats.byFlag[e.flags[0] ?? 'none'] ??= tally()),
      (stats.byKind[e.kind] ??= tally()),
      getOr(starters, e.startedBy ?? 'unknown (reparented)'),
      getOr(days, e.time.slice(0, 10)),
    ];
    for (const g of groups) add(g, e);
  }
  stats.byStarter = [...starters].map(([startedBy, t]) => ({ startedBy, ...t })).sort((a, b) => b.processes - a.processes);
  stats.byDay = [...days].map(([day, t]) => ({ day, ...t })).sort((a, b) => a.day.localeCompare(b.day));
  return stats;
}

function tally(): Tally {
  return { processes: 0, reaped: 0, freedRssBytes: 0 };
}

function getOr(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = tally()));
  return t;
}

function add(t: Tally, e: AuditEntry): void {
  t.processes++;
  if (e.outcome === 'terminated' || e.outcome === 'killed') {
    t.reaped++;
    t.freedRssBytes += e.rssBytes ?? 0;
  }
}
