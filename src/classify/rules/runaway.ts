import { round } from './idle.js';
import type { Rule } from './rule.js';

// A busy child of a live daemon is working for it; only a process nobody owns any more is a
// runaway when it burns CPU (interactive sessions that outlived their terminal, for days).
export const runaway: Rule = {
  id: 'runaway',
  description: 'orphaned (or a stray) and burning CPU: over 50 % of a core across the window by default',
  reapable: true,
  *evaluate(ctx) {
    const limit = ctx.thresholds.runawayCpuPercent;
    for (const { proc } of ctx.targets()) {
      if (proc.cpuPercent === null || proc.cpuPercent < limit) continue;
      if (!ctx.has(proc.pid, 'orphan') && !ctx.has(proc.pid, 'stray-shell') && !ctx.has(proc.pid, 'stray-mcp')) continue;
      yield [proc.pid, {
        text: `${Math.round(proc.cpuPercent)} % of a core with no owner`,
        evidence: { cpuPercent: round(proc.cpuPercent), thresholdPercent: limit, windowMs: ctx.snapshot.sampleMs },
      }];
    }
  },
};
