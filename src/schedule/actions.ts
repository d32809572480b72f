// `schedule install | uninstall | status`: pick the scheduler, make its plan, carry it out (or
// only return it, for --print). Returns data; the CLI prints it.
import { UsageError } from '../errors.js';
import type { ReaperCommand } from '../util/entry.js';
import { applyPlan } from './apply.js';
import { candidates, defaultScheduler, SCHEDULERS } from './index.js';
import { buildJob } from './job.js';
import { ScheduleError, type Context, type JobStatus, type Plan, type Scheduler, type SchedulerId } from './scheduler.js';

export interface InstallOptions {
  everyMs: number;
  /** Already checked (checkKillArgs). */
  killArgs: readonly string[];
  command: ReaperCommand;
  with?: SchedulerId;
  /** Make the plan, carry out nothing. */
  print?: boolean;
}

export interface Done {
  plan: Plan;
  /** False with --print: nothing was written or run. */
  applied: boolean;
  /**
   * With --print: why the scheduler could not be used here (its tool is missing, another
   * platform), or null. The plan is still shown: it may be meant for another machine.
   */
  unusable?: string | null;
}

export async function installJob(opts: InstallOptions, ctx: Context): Promise<Done> {
  const scheduler = opts.with ? SCHEDULERS[opts.with] : await defaultScheduler(ctx);
  scheduler.checkEvery(opts.everyMs);
  const job = buildJob(opts.command, opts.killArgs, opts.everyMs);
  if (opts.print) return { plan: await scheduler.planInstall(job, ctx), applied: false, unusable: await whyUnusable(scheduler, ctx) };
  await mustBeUsable(scheduler, ctx);
  const plan = await scheduler.planInstall(job, ctx);
  await applyPlan(plan, ctx);
  return { plan, applied: true };
}

/** Removes the job from the named scheduler, or from every scheduler here that holds it. */
export async function uninstallJob(opts: { with?: SchedulerId; print?: boolean }, ctx: Context): Promise<Done[]> {
  let from: Scheduler[];
  if (opts.with) {
    from = [SCHEDULERS[opts.with]];
  } else {
    const held = await Promise.all(candidates(ctx.platform).map(async (s) => ((await s.status(ctx)).installed ? s : null)));
    from = held.filter((s): s is Scheduler => s !== null);
  }
  const done: Done[] = [];
  for (const s of from) {
    if (opts.print) {
      done.push({ plan: await planOrNothing(s, ctx), applied: false, unusable: await whyUnusable(s, ctx) });
      continue;
    }
    mustBeHere(s, ctx);
    const plan = await s.planUninstall(ctx);
    await applyPlan(plan, ctx);
    done.push({ plan, applied: true });
  }
  return done;
}

export async function jobStatus(opts: { with?: SchedulerId }, ctx: Context): Promise<JobStatus[]> {
  const which = opts.with ? [SCHEDULERS[opts.with]] : candidates(ctx.platform);
  return Promise.all(which.map((s) => s.status(ctx)));
}

function mustBeHere(s: Scheduler, ctx: Context): void {
  if (!s.platforms.includes(ctx.platform)) {
    throw new UsageError(`${s.id} runs on ${s.platforms.join(', ')}, not ${ctx.platform}; --print shows what it would do`);
  }
}

/** The uninstall plan; where the scheduler cannot even be asked (no crontab), nothing, saying why. */
async function planOrNothing(s: Scheduler, ctx: Context): Promise<Plan> {
  try {
    return await s.planUninstall(ctx);
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    return { scheduler: s.id, steps: [], notes: [err.message] };
  }
}

/** Why install or uninstall with this scheduler would be refused here, or null when it would not. */
async function whyUnusable(s: Scheduler, ctx: Context): Promise<string | null> {
  if (!s.platforms.includes(ctx.platform)) return `${s.id} runs on ${s.platforms.join(', ')}, not ${ctx.platform}`;
  return s.unavailable(ctx);
}

async function mustBeUsable(s: Scheduler, ctx: Context): Promise<void> {
  mustBeHere(s, ctx);
  const reason = await s.unavailable(ctx);
  if (reason) throw new ScheduleError(`cannot install with ${s.id}: ${reason}; nothing was written${HINTS[s.id] ?? ''}`);
}

const HINTS: Partial<Record<SchedulerId, string>> = {
  systemd: ' (use --with cron, or run it in a login session whose systemd user manager is running)',
  cron: ' (install cron, or choose another scheduler with --with)',
};
