import { formatAge } from '../../render/format.js';
import { busySince } from '../activity.js';
import { round } from './idle.js';
import type { Rule } from './rule.js';

const LEAKS = ['orphan', 'stray-shell', 'stray-mcp'] as const;

// A busy child of a live daemon is working for it; only a process nobody owns any more is a
// runaway when it burns CPU (interactive sessions that outlived their terminal, for days; a Bash
// tool's leftover shells spinning at a quarter of a core each, for a day). Either at once, over
// the window, or held since an earlier run: a lower rate counts only when every earlier sample
// since then and the window show it (see SUSTAINED_CPU_PERCENT), never on one reading.
export const runaway: Rule = {
  id: 'runaway',
  description: 'orphaned (or a stray) and burning CPU: over 50 % of a core across the window, or over 15 % held since an earlier run at least 10m before (defaults)',
  reapable: true,
  *evaluate(ctx) {
    const { runawayCpuPercent: limit, sustainedCpuPercent: held, sustainedAfterMs: heldFor } = ctx.thresholds;
    for (const { proc } of ctx.targets()) {
      if (!LEAKS.some((flag) => ctx.has(proc.pid, flag))) continue;
      if (proc.cpuPercent !== null && proc.cpuPercent >= limit) {
        yield [proc.pid, {
          text: `${Math.round(proc.cpuPercent)} % of a core with no owner`,
          evidence: { cpuPercent: round(proc.cpuPercent), thresholdPercent: limit, windowMs: ctx.snapshot.sampleMs },
        }];
        continue;
      }
      if (proc.cpuPercent !== null && proc.cpuPercent < held) continue;
      const busy = busySince(proc, held, ctx.activityInput());
      const forMs = busy === null ? 0 : ctx.input.now - busy.since;
      if (busy === null || forMs < heldFor) continue;
      const now = proc.cpuPercent === null ? '' : `, ${Math.round(proc.cpuPercent)} % now`;
      yield [proc.pid, {
        text: `${Math.round(busy.percent)} % of a core for ${formatAge(forMs)} with no owner (since an earlier run's sample${now})`,
        evidence: { cpuPercent: round(proc.cpuPercent), averagePercent: round(busy.percent), busyForMs: Math.round(forMs), thresholdPercent: held, thresholdMs: heldFor, windowMs: ctx.snapshot.sampleMs },
      }];
    }
  },
};
