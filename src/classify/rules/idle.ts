import { formatAge } from '../../render/format.js';
import type { Rule } from './rule.js';

export const EVIDENCE_WORDS = {
  'session-record': "Claude's session record says idle",
  transcript: "the session's transcript shows the turn over",
  'earlier-sample': 'no CPU since an earlier run sampled it',
  window: 'over the sample window',
} as const;

/** What would prove a duration, for a process idle now with nothing to say since when. */
const UNKNOWN_DURATION = 'idle now, for an unknown time: a later run (watch, or a schedule) would show how long';

export const idle: Rule = {
  id: 'idle',
  description: 'CPU over the sample window under the idle threshold; how long, where evidence spans it',
  reapable: false,
  *evaluate(ctx) {
    for (const { proc, match } of ctx.targets()) {
      if (proc.state === 'Z') continue;
      const info = ctx.idle(proc, match);
      if (!info) continue;
      const text = info.forMs === null ? UNKNOWN_DURATION : `idle ${formatAge(info.forMs)} (${EVIDENCE_WORDS[info.evidence]})`;
      yield [proc.pid, {
        text,
        evidence: { idleForMs: info.forMs, evidence: info.evidence, cpuPercent: round(proc.cpuPercent), thresholdPercent: ctx.thresholds.idleCpuPercent },
      }];
    }
  },
};

export function round(n: number | null): number | null {
  return n === null ? null : Math.round(n * 100) / 100;
}
