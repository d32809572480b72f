// A plan narrowed to the targets a person chose (the picker): the others move to `skipped`, saying
// so, and the summary is counted again. Each chosen target keeps what goes with it.
import type { KillPlan } from './plan.js';

export function narrowPlan(plan: KillPlan, chosen: ReadonlySet<number>): KillPlan {
  const targets = plan.targets.filter((t) => chosen.has(t.pid));
  const left = plan.targets.filter((t) => !chosen.has(t.pid));
  const all = targets.flatMap((t) => [t, ...t.descendants]);
  return {
    ...plan,
    targets,
    skipped: [...left.map((t) => ({ pid: t.pid, startId: t.startId, name: t.name, reason: 'left out in the picker', protection: null })), ...plan.skipped],
    summary: { targets: targets.length, processes: all.length, rssBytes: all.reduce((n, p) => n + (p.rssBytes ?? 0), 0) },
  };
}
