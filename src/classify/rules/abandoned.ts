import { formatAge } from '../../render/format.js';
import { isBackground } from '../background.js';
import { isTerminalOrShell } from '../terminals.js';
import type { Rule } from './rule.js';
import { EVIDENCE_WORDS } from './idle.js';

export const abandoned: Rule = {
  id: 'abandoned',
  description: 'no tty, parent alive but not a terminal or shell, idle past --abandoned-after (by Claude\'s record or transcript): the leak under a live daemon',
  reapable: true,
  *evaluate(ctx) {
    const limit = ctx.thresholds.abandonedAfterMs;
    for (const { proc, match } of ctx.targets()) {
      if ((match.kind !== 'claude' && match.kind !== 'agent') || isBackground(match.role) || match.variant === 'desktop') continue;
      if (proc.tty !== null || proc.state === 'Z' || ctx.has(proc.pid, 'orphan')) continue;
      const owner = ctx.parentOf(proc);
      if (!owner || isTerminalOrShell(owner)) continue;
      // Only a proven duration counts: "idle now" says nothing of the minutes before.
      const info = ctx.idle(proc, match);
      if (!info || info.forMs === null || info.forMs < limit) continue;
      yield [proc.pid, {
        text: `idle ${formatAge(info.forMs)} under ${owner.name} (${owner.pid}), no tty (${EVIDENCE_WORDS[info.evidence]})`,
        evidence: { owner: owner.pid, ownerName: owner.name, idleForMs: info.forMs, evidence: info.evidence, thresholdMs: limit },
      }];
    }
  },
};
