// What reaps unattended here: a scheduled job (and when it, or anything, last reaped, from the
// audit log) and Claude Code's SessionEnd hook (and when it last ran, from its log).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAudit } from '../commands/log.js';
import { HOOK_EVENT, removeHook } from '../hook/merge.js';
import { HOOK_LOG } from '../hook/reap.js';
import { readSettings, settingsPath } from '../hook/settings.js';
import { stateDir } from '../platform/dirs.js';
import { jobStatus } from '../schedule/actions.js';
import { describeEvery } from '../schedule/job.js';
import type { Context } from '../schedule/scheduler.js';
import { check, type Check } from './check.js';

export async function scheduleCheck(ctx: Context): Promise<Check> {
  const jobs = await jobStatus({}, ctx);
  const lastReap = lastAuditTime(ctx.stateDir);
  const installed = jobs.filter((j) => j.installed);
  const reaped = lastReap ? `the audit log's last reap: ${lastReap}` : 'nothing reaped in the audit log yet';
  if (installed.length === 0) {
    return check('schedule', 'info', `no scheduled job (claude-reaper schedule install); ${reaped}`, { jobs, lastReap });
  }
  const words = installed.map((j) => `${j.scheduler}, ${describeEvery(j.everyMs)}, last run ${j.lastRun ?? 'unknown'}${j.detail ? ` (${j.detail})` : ''}`);
  return check('schedule', 'ok', `scheduled: ${words.join('; ')}; ${reaped}`, { jobs, lastReap });
}

export function hookCheck(env: NodeJS.ProcessEnv): Check {
  const path = settingsPath(env);
  let installed: boolean;
  try {
    installed = removeHook(readSettings(path).data, `settings ${path}`).changed;
  } catch (err) {
    return check('hook', 'warning', `cannot tell whether the ${HOOK_EVENT} hook is installed: ${(err as Error).message}`, { settings: path, installed: null }, `fix ${path} (it must be a JSON object), then: claude-reaper hook install`);
  }
  const lastRun = lastLineTime(join(stateDir(env), HOOK_LOG));
  if (!installed) return check('hook', 'info', `no ${HOOK_EVENT} hook in ${path} (claude-reaper hook install)`, { settings: path, installed, lastRun });
  return check('hook', 'ok', `the ${HOOK_EVENT} hook is in ${path}; last ran ${lastRun ?? 'never (no hook log yet)'}`, { settings: path, installed, lastRun });
}

function lastAuditTime(dir: string): string | null {
  try {
    return readAudit(dir).entries.reduce<string | null>((last, e) => (last === null || e.time > last ? e.time : last), null);
  } catch {
    return null;
  }
}

/** The log's lines start with an ISO time. */
function lastLineTime(path: string): string | null {
  try {
    const last = readFileSync(path, 'utf8').trimEnd().split('\n').at(-1) ?? '';
    return /^\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(last)?.[0] ?? null;
  } catch {
    return null;
  }
}
