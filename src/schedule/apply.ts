// Carries out a scheduler's plan, step by step. When a required step fails, the files this plan
// wrote or removed are put back as they were, so a failed install leaves nothing half-done.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../state/private.js';
import { shQuote, windowsCommandLine } from './quote.js';
import { why } from './run.js';
import { ScheduleError, type Context, type Plan, type Step } from './scheduler.js';

type RunStep = Extract<Step, { kind: 'run' }>;

export async function applyPlan(plan: Plan, ctx: Context): Promise<void> {
  const saved: { path: string; previous: Buffer | null }[] = [];
  const save = (path: string) => saved.push({ path, previous: readOrNull(path) });
  try {
    for (const step of plan.steps) {
      // The one directory a plan makes is the state dir (launchd's log goes there): private, as always.
      if (step.kind === 'mkdir') ensurePrivateDir(step.path);
      else if (step.kind === 'write') {
        save(step.path);
        mkdirSync(dirname(step.path), { recursive: true });
        writeFileSync(step.path, step.content);
      } else if (step.kind === 'remove') {
        save(step.path);
        rmSync(step.path, { force: true });
      } else await runStep(step, plan, ctx);
    }
  } catch (err) {
    for (const { path, previous } of saved.reverse()) {
      if (previous === null) rmSync(path, { force: true });
      else writeFileSync(path, previous);
    }
    throw err;
  }
}

async function runStep(step: RunStep, plan: Plan, ctx: Context): Promise<void> {
  let r = await ctx.run(step.file, step.args, step.input === undefined ? {} : { input: step.input });
  if (r.failed && step.orElse) {
    const first = r;
    r = await ctx.run(step.orElse.file, step.orElse.args);
    if (r.failed && !step.optional) throw new ScheduleError(`${commandLine(plan, step.file, step.args)} failed (${why(first)}), and so did ${commandLine(plan, step.orElse.file, step.orElse.args)} (${why(r)})`);
  }
  if (r.failed && !step.optional) throw new ScheduleError(`${commandLine(plan, step.file, step.args)} failed: ${why(r)}`);
}

/** A command as a person would type it in the scheduler's own shell. */
export function commandLine(plan: Pick<Plan, 'scheduler'>, file: string, args: readonly string[]): string {
  return plan.scheduler === 'schtasks' ? windowsCommandLine([file, ...args]) : [file, ...args].map(shQuote).join(' ');
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}
