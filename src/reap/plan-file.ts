// Reads a reviewed plan back (`kill --plan <file>`). Anything that is not a plan this version
// wrote is refused with one line (exit 2): a plan decides what gets signalled. Its command lines
// are redacted again (a plan from an earlier version or edited by hand may hold them whole): they
// are only shown and logged, never used to identify a process.
import { UsageError } from '../errors.js';
import { redactCommand, redactLine } from '../redact/index.js';
import { readJsonFile } from '../util/json-file.js';
import { PLAN_VERSION, type KillPlan, type PlanProcess, type PlanTarget } from './plan.js';

export function readPlanFile(path: string): KillPlan {
  const plan = validatePlan(readJsonFile(path, 'plan'), path);
  return { ...plan, targets: plan.targets.map(redactTarget) };
}

function redactTarget(t: PlanTarget): PlanTarget {
  return { ...redactCommand(t), startedBy: redactLine(t.startedBy ?? null), descendants: t.descendants.map(redactCommand) };
}

export function validatePlan(data: unknown, path: string): KillPlan {
  const bad = (msg: string): never => {
    throw new UsageError(`plan ${path}: ${msg}`);
  };
  if (!data || typeof data !== 'object') bad('expected the JSON object `kill --dry-run --json` prints');
  const plan = data as Partial<KillPlan>;
  if (plan.planVersion !== PLAN_VERSION) bad(`planVersion ${String(plan.planVersion)} is not ${PLAN_VERSION}`);
  if (typeof plan.signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(plan.signal)) bad('signal: expected a name like SIGTERM');
  if (typeof plan.graceMs !== 'number' || !(plan.graceMs >= 0)) bad('graceMs: expected a number of milliseconds');
  if (!Array.isArray(plan.targets)) bad('targets: expected an array');
  const seen = new Set<number>();
  for (const [i, t] of plan.targets!.entries()) {
    checkProcess(t, `targets[${i}]`, bad, seen);
    if (!Array.isArray(t.descendants)) bad(`targets[${i}].descendants: expected an array`);
    for (const [j, d] of t.descendants.entries()) checkProcess(d, `targets[${i}].descendants[${j}]`, bad, seen);
    if (!Array.isArray(t.flags)) bad(`targets[${i}].flags: expected an array`);
  }
  if (!Array.isArray(plan.skipped)) bad('skipped: expected an array');
  return plan as KillPlan;
}

function checkProcess(p: PlanProcess, where: string, bad: (m: string) => never, seen: Set<number>): void {
  if (!p || typeof p !== 'object') bad(`${where}: expected an object`);
  if (!Number.isSafeInteger(p.pid) || p.pid <= 1) bad(`${where}.pid: expected a process id above 1`);
  if (typeof p.startId !== 'string' || p.startId === '') bad(`${where}.startId: expected the start token the plan recorded`);
  if (seen.has(p.pid)) bad(`${where}: pid ${p.pid} appears twice`);
  seen.add(p.pid);
  if (typeof p.name !== 'string') bad(`${where}.name: expected a string`);
  if (p.argv !== null && !(Array.isArray(p.argv) && p.argv.every((a) => typeof a === 'string'))) bad(`${where}.argv: expected an array of strings, or null`);
}
