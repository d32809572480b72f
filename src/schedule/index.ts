// The schedulers, in one table, and which one a platform uses when none is named.
import { hostPlatform, stateDir, userHome } from '../platform/dirs.js';
import { selfUid } from '../platform/users.js';
import { cron } from './cron.js';
import { launchd } from './launchd.js';
import { createRunner } from './run.js';
import type { Context, Scheduler, SchedulerId } from './scheduler.js';
import { schtasks } from './schtasks.js';
import { systemd } from './systemd.js';

export const SCHEDULERS: Readonly<Record<SchedulerId, Scheduler>> = { cron, systemd, launchd, schtasks };
export const SCHEDULER_IDS = Object.keys(SCHEDULERS) as SchedulerId[];

/**
 * Linux: a systemd user timer when a user manager answers (it logs to the journal and survives
 * cron not being installed), else cron. macOS: launchd (cron there is deprecated). Windows: Task
 * Scheduler. Anything else: cron.
 */
export async function defaultScheduler(ctx: Context): Promise<Scheduler> {
  switch (ctx.platform) {
    case 'linux':
      return (await systemd.unavailable(ctx)) === null ? systemd : cron;
    case 'darwin':
      return launchd;
    case 'win32':
      return schtasks;
    default:
      return cron;
  }
}

/** The schedulers that may hold the job on this platform (what status and uninstall look at). */
export function candidates(platform: NodeJS.Platform): Scheduler[] {
  const here = Object.values(SCHEDULERS).filter((s) => s.platforms.includes(platform));
  return here.length > 0 ? here : [cron];
}

/** The context for this user: paths from `env` (HOME, XDG_*), the schedulers found on its PATH. */
export function userContext(env: NodeJS.ProcessEnv): Context {
  return { env, home: userHome(env), stateDir: stateDir(env), uid: selfUid(), platform: hostPlatform(), run: createRunner(env) };
}
