import { formatAge } from '../../render/format.js';
import type { Rule } from './rule.js';

export const hung: Rule = {
  id: 'hung',
  description: 'Claude says busy, or it holds an API connection, but its CPU has made no progress past --hung-after',
  reapable: true,
  *evaluate(ctx) {
    const limit = ctx.thresholds.hungAfterMs;
    for (const { proc, match } of ctx.targets()) {
      if (match.kind !== 'claude' || match.role === 'background' || proc.state === 'Z') continue;
      const busy = proc.session?.status === 'busy';
      const connections = proc.sockets?.tcpEstablished ?? 0;
      if (!busy && connections === 0) continue;
      let quiet = ctx.quiet(proc);
      // "Busy since 14m" plus an idle window is better evidence than the window alone.
      if (busy && quiet?.evidence === 'window' && proc.session?.statusSince != null) {
        quiet = { forMs: Math.max(0, Math.round(ctx.input.now - proc.session.statusSince)), evidence: 'session-record' };
      }
      if (!quiet || quiet.forMs < limit) continue;
      const what = busy ? "Claude's record says busy" : `${connections} open TCP connection${connections === 1 ? '' : 's'}`;
      yield [proc.pid, {
        text: `${what}, no CPU progress for ${formatAge(quiet.forMs)}`,
        evidence: { sessionStatus: proc.session?.status ?? null, tcpEstablished: connections, quietForMs: quiet.forMs, evidence: quiet.evidence, thresholdMs: limit },
      }];
    }
  },
};
