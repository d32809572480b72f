// What schedule prints: a plan (with --print, every file in full and every command as typed),
// what was done, and the status of each scheduler.
import { commandLine } from './apply.js';
import type { Done } from './actions.js';
import { describeEvery } from './job.js';
import type { JobStatus, Plan } from './scheduler.js';

export function renderPlan(plan: Plan): string {
  const out: string[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'write') out.push(`==> write ${step.path} <==`, step.content.replace(/\n$/, ''));
    else if (step.kind === 'remove') out.push(`==> remove ${step.path} <==`);
    else if (step.kind === 'mkdir') out.push(`==> create directory ${step.path} (if missing) <==`);
    else {
      const extra = [step.optional ? 'a failure is ignored' : '', step.orElse ? `if it fails: ${commandLine(plan, step.orElse.file, step.orElse.args)}` : ''].filter(Boolean);
      out.push(`==> run ${commandLine(plan, step.file, step.args)}${extra.length ? ` (${extra.join('; ')})` : ''} <==`);
      if (step.input !== undefined) out.push(`with this on stdin:`, step.input.replace(/\n$/, ''));
    }
  }
  if (plan.steps.length === 0) out.push('nothing to do');
  return `${out.join('\n')}\n`;
}

export function renderDone(verb: 'installed' | 'removed', done: Done): string {
  const { plan } = done;
  const head = plan.steps.length === 0 ? `${plan.scheduler}: ${plan.notes[0] ?? 'nothing to do'}` : `${plan.scheduler}: ${verb}`;
  const notes = plan.steps.length === 0 ? [] : plan.notes.map((n) => `  ${n}`);
  return `${[head, ...notes].join('\n')}\n`;
}

export function renderStatus(jobs: readonly JobStatus[]): string {
  const out: string[] = [];
  for (const j of jobs) {
    if (!j.installed) {
      out.push(`${j.scheduler}: not installed${j.available ? '' : `; ${j.detail ?? 'not available here'}`}`);
      continue;
    }
    out.push(`${j.scheduler}: installed, ${describeEvery(j.everyMs)}`);
    out.push(`  command:  ${j.command ?? '?'}`);
    out.push(`  last run: ${j.lastRun ?? 'unknown'}`);
    if (j.detail) out.push(`  ${j.detail}`);
  }
  return `${out.join('\n')}\n`;
}
