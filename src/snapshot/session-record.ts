// Claude Code's own record of a live process: `$CLAUDE_CONFIG_DIR/sessions/<pid>.json` (default
// ~/.claude/sessions). A clean exit removes it; a SIGKILLed CLI leaves it behind, and the pid may
// since belong to another process, so it is used only when its `procStart` matches (or, for the
// legacy node CLI, whose record has no procStart, when its `startedAt` follows the process's start
// closely).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRecord, SessionRecord } from '../types.js';

// procStart is the stat starttime ticks on Linux (exact) and `ps lstart` text on macOS (seconds,
// in the local time zone); a second either way is as close as the latter can say.
const LSTART_TOLERANCE_MS = 1000;
// The legacy CLI writes `startedAt` (epoch ms) as it starts, well under a second after the process
// began on an idle machine; a loaded machine may take seconds. A record of an earlier process on the same
// pid is older than the process by far more, unless the pid came round again within this window.
const STARTED_AT_AFTER_START_MS = 30_000;

export function readSessionRecord(rec: Pick<ProcessRecord, 'pid' | 'startId' | 'startTime'>, configDir: string): SessionRecord | null {
  const path = join(configDir, 'sessions', `${rec.pid}.json`);
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return null;
    data = parsed as Record<string, unknown>;
  } catch {
    return null; // absent, unreadable or half-written: no record
  }
  if (data.procStart !== undefined ? !sameStart(data.procStart, rec) : !startedJustAfter(data.startedAt, rec)) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    path,
    sessionId: str(data.sessionId),
    cwd: str(data.cwd),
    entrypoint: str(data.entrypoint),
    kind: str(data.kind),
    jobId: str(data.jobId),
    version: str(data.version),
    status: str(data.status),
    statusSince: num(data.statusUpdatedAt) ?? num(data.updatedAt),
    startedAt: num(data.startedAt),
  };
}

function sameStart(procStart: unknown, rec: Pick<ProcessRecord, 'startId' | 'startTime'>): boolean {
  if (typeof procStart === 'number') return String(procStart) === rec.startId;
  if (typeof procStart !== 'string' || procStart === '') return false;
  if (procStart === rec.startId) return true;
  if (/^\d+$/.test(procStart)) return false; // ticks that differ: another process
  const parsed = Date.parse(procStart);
  return Number.isFinite(parsed) && Math.abs(parsed - rec.startTime) < LSTART_TOLERANCE_MS;
}

function startedJustAfter(startedAt: unknown, rec: Pick<ProcessRecord, 'startTime'>): boolean {
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt)) return false;
  const after = startedAt - rec.startTime;
  return after >= -LSTART_TOLERANCE_MS && after <= STARTED_AT_AFTER_START_MS;
}
