// The plan and the outcome of a kill, for people.
import { Chalk } from 'chalk';
import type { KillResult, Outcome, OutcomeId } from '../reap/execute.js';
import type { KillPlan, PlanProcess } from '../reap/plan.js';
import { cut, formatBytes, formatDuration } from './format.js';
import { resultLine } from './result-line.js';
import { plural } from './summary.js';

export interface KillRenderOptions {
  color: boolean;
  width: number;
}


export function renderPlan(plan: KillPlan, opts: KillRenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines: string[] = [];
  if (plan.targets.length === 0) {
    lines.push('Nothing to reap.');
  } else {
    const { summary: s } = plan;
    const then = plan.signal === 'SIGKILL' ? '' : `, then SIGKILL after ${formatDuration(plan.graceMs)}`;
    lines.push(c.bold(`Plan: reap ${plural(s.processes, ['process', 'processes'])} (${plural(s.targets, ['target', 'targets'])}), ${formatBytes(s.rssBytes)}; ${plan.signal}${then}`));
    for (const t of plan.targets) {
      lines.push(planRow(t, 0, opts.width));
      lines.push(c.dim(cut(`      ↳ ${t.reason}`, opts.width)));
      for (const d of [...t.descendants].reverse()) lines.push(planRow(d, 1, opts.width));
    }
  }
  for (const s of plan.skipped) lines.push(c.green(cut(`skipped ${s.pid} (${s.name}): ${s.reason}`, opts.width)));
  return `${lines.join('\n')}\n`;
}

/** One process of a plan (or the picker): pid, memory, kind and its command line, cut to the width. */
export function planRow(p: Pick<PlanProcess, 'pid' | 'rssBytes' | 'kind' | 'argv' | 'name'>, depth: number, width: number): string {
  const cmd = p.argv === null ? `[${p.name}]` : p.argv.length === 0 ? `[${p.name}]` : p.argv.join(' ');
  const head = `${String(p.pid).padStart(7)}  ${formatBytes(p.rssBytes).padStart(7)}  ${p.kind.padEnd(12)}  `;
  return cut(`${head}${depth > 0 ? '└ ' : ''}${cmd}`, width);
}

const OUTCOME_WORDS: Record<OutcomeId, string> = {
  terminated: 'exited on the first signal',
  killed: 'needed SIGKILL',
  gone: 'already gone',
  'pid-reused': 'pid reused: left alone',
  denied: 'permission denied',
  survived: 'SURVIVED',
  unkillable: 'UNKILLABLE: more attempts will not end it',
  refused: 'refused: never a target',
};

export function renderResult(result: KillResult, opts: KillRenderOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const paint = (o: Outcome) => (o.outcome === 'survived' || o.outcome === 'unkillable' || o.outcome === 'denied' || o.outcome === 'refused' ? c.red : o.outcome === 'pid-reused' ? c.yellow : (s: string) => s);
  const lines = result.outcomes.map((o) => paint(o)(cut(`${String(o.pid).padStart(7)}  ${o.outcome.padEnd(10)}  ${OUTCOME_WORDS[o.outcome]}${o.detail ? ` (${o.detail})` : ''}  ${o.name}`, opts.width)));
  lines.push(resultLine(result));
  return `${lines.join('\n')}\n`;
}
