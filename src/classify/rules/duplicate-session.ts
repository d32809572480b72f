import type { SampledProcess } from '../../types.js';
import { isBackground } from '../background.js';
import { argvSessionId, claudeArgs } from '../match.js';
import type { Rule } from './rule.js';

export const duplicateSession: Rule = {
  id: 'duplicate-session',
  description: 'several live claude processes resuming one session id; all but the newest',
  reapable: true,
  *evaluate(ctx) {
    const groups = new Map<string, SampledProcess[]>();
    for (const { proc, match } of ctx.targets()) {
      if (match.kind !== 'claude' || isBackground(match.role) || proc.state === 'Z' || !match.variant) continue;
      const id = argvSessionId(claudeArgs(proc, match.variant)) ?? proc.session?.sessionId ?? null;
      if (!id) continue;
      const group = groups.get(id);
      if (group) group.push(proc);
      else groups.set(id, [proc]);
    }
    for (const [sessionId, procs] of groups) {
      if (procs.length < 2) continue;
      const newest = procs.reduce((a, b) => (b.startTime > a.startTime || (b.startTime === a.startTime && b.pid > a.pid) ? b : a));
      for (const p of procs) {
        if (p === newest) continue;
        yield [p.pid, {
          text: `${procs.length} processes resume session ${sessionId}; the newest is ${newest.pid}`,
          evidence: { sessionId, newest: newest.pid, copies: procs.length },
        }];
      }
    }
  },
};
