import { formatAge } from '../../render/format.js';
import { isTerminalOrShell } from '../terminals.js';
import type { Rule } from './rule.js';

export const abandoned: Rule = {
  id: 'abandoned',
  description: 'no tty, parent alive but not a terminal or shell, idle past --abandoned-after: the leak under a live daemon',
  reapable: true,
  *evaluate(ctx) {
    const limit = ctx.thresholds.abandonedAfterMs;
    for (const { proc, match } of ctx.targets()) {
      if ((match.kind !== 'claude' && match.kind !== 'agent') || match.role === 'background') continue;
      if (proc.tty !== null || proc.state === 'Z' || ctx.has(proc.pid, 'orphan')) continue;
      const owner = ctx.parentOf(proc);
      if (!owner || isTerminalOrShell(owner)) continue;
      // Mid-request is not idle: an open API connection or Claude's word "busy" is for `hung`.
      if ((proc.sockets?.tcpEstablished ?? 0) > 0) continue;
      const info = ctx.idle(proc);
      if (!info || info.forMs < limit) continue;
      yield [proc.pid, {
        text: `idle ${formatAge(info.forMs)} under ${owner.name} (${owner.pid}), no tty`,
        evidence: { owner: owner.pid, ownerName: owner.name, idleForMs: info.forMs, evidence: info.evidence, thresholdMs: limit },
      }];
    }
  },
};
