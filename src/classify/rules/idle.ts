import { formatAge } from '../../render/format.js';
import type { Rule } from './rule.js';

const EVIDENCE_WORDS = {
  'session-record': "Claude's session record says idle",
  'earlier-sample': 'no CPU since an earlier sample',
  age: 'lifetime CPU under the idle threshold',
  window: 'over the sample window',
} as const;

export const idle: Rule = {
  id: 'idle',
  description: 'CPU over the sample window under the idle threshold; how long, where evidence spans it',
  reapable: false,
  *evaluate(ctx) {
    for (const { proc } of ctx.targets()) {
      if (proc.state === 'Z') continue;
      const info = ctx.idle(proc);
      if (!info) continue;
      yield [proc.pid, {
        text: `idle ${formatAge(info.forMs)} (${EVIDENCE_WORDS[info.evidence]})`,
        evidence: { idleForMs: info.forMs, evidence: info.evidence, cpuPercent: round(proc.cpuPercent), thresholdPercent: ctx.thresholds.idleCpuPercent },
      }];
    }
  },
};

export function round(n: number | null): number | null {
  return n === null ? null : Math.round(n * 100) / 100;
}
