// `doctor`: what this machine lets a scan see and do, as checks with fixes. Reads only; prints
// nothing. A check that fails unexpectedly becomes a warning saying so, never a crashed doctor.
import { check, DOCTOR_VERSION, type Check, type DoctorReport } from '../doctor/check.js';
import { claudeChecks } from '../doctor/claude.js';
import { hookCheck, scheduleCheck } from '../doctor/jobs.js';
import { sourceCheck } from '../doctor/source.js';
import { stateChecks } from '../doctor/state.js';
import { platformChecks } from '../platform/doctor.js';
import { hostPlatform } from '../platform/dirs.js';
import { openSource, type SourceChoice } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import { userContext } from '../schedule/index.js';
import { VERSION } from '../version.js';

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  source?: SourceChoice;
  /** Where proc is mounted (tests point it at a tree of their own). */
  procRoot?: string;
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const platform = hostPlatform();
  const choice = opts.source ?? 'auto';
  const probe = { env: opts.env, platform, procRoot: opts.procRoot };
  const checks: Check[] = [];
  const add = async (id: string, fn: () => Check | Check[] | Promise<Check | Check[]>) => {
    try {
      checks.push(...[await fn()].flat());
    } catch (err) {
      checks.push(check(id, 'warning', `could not check: ${(err as Error).message}`, {}));
    }
  };
  await add('source', () => sourceCheck(choice, platform, probe));
  await add('platform', () => platformChecks(probe));
  await add('claude', () => claudeChecks(opts.env, platform));
  await add('schedule', () => scheduleCheck(userContext(opts.env)));
  await add('hook', () => hookCheck(opts.env));
  await add('state', () => stateChecks(opts.env, platform, sourceOrNull(choice)));
  return {
    doctorVersion: DOCTOR_VERSION,
    tool: { name: 'claude-reaper', version: VERSION },
    platform,
    checkedAt: new Date().toISOString(),
    trusted: !checks.some((c) => c.level === 'limit'),
    checks,
  };
}

function sourceOrNull(choice: SourceChoice): ProcessSource | null {
  try {
    return openSource(choice);
  } catch {
    return null; // the source check has said why
  }
}
