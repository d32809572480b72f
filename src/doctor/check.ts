// What `doctor` finds: one check per thing that decides what a scan can see and do, each with a
// level, a line for people, the fix where there is one, and the facts behind it as raw values.

/**
 * ok: as it should be. info: worth knowing, changes nothing. warning: a problem with a fix that
 * does not make a scan less true (state files others can read). limit: a scan here misses
 * something (doctor exits 1).
 */
export type Level = 'ok' | 'info' | 'warning' | 'limit';

export interface Check {
  /** Stable, for scripts: `source`, `hidepid`, `state-private`, ... */
  id: string;
  level: Level;
  /** One line: what was found. */
  text: string;
  /** What to do about it (warnings and limits), as a command or a step. */
  fix: string | null;
  facts: Record<string, unknown>;
}

export const DOCTOR_VERSION = 1;

export interface DoctorReport {
  doctorVersion: typeof DOCTOR_VERSION;
  tool: { name: 'claude-reaper'; version: string };
  platform: string;
  /** ISO 8601 */
  checkedAt: string;
  /** No check limits a scan: what it reports can be trusted. */
  trusted: boolean;
  checks: Check[];
}

export function check(id: string, level: Level, text: string, facts: Record<string, unknown> = {}, fix: string | null = null): Check {
  return { id, level, text, fix, facts };
}
