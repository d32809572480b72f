import { formatAge } from '../../render/format.js';
import { noProgressSince, outstandingRequest } from '../activity.js';
import { isBackground } from '../background.js';
import type { RuleContext } from '../context.js';
import type { Rule } from './rule.js';

const WHO_SAYS = { transcript: "the transcript's last request has no answer", 'session-record': "Claude's record says busy" } as const;

/**
 * A request outstanding past --hung-after with no CPU progress. Claude's own word decides that a
 * request is outstanding: an open TCP connection alone proves nothing (a live session keeps one
 * to the API between turns, as a keep-alive, with its record saying idle). CPU decides that
 * nothing is streaming in. A claude whose Bash tool still runs a command is waiting on its tool,
 * not on the API.
 */
export const hung: Rule = {
  id: 'hung',
  description: 'a request outstanding (Claude\'s transcript or record) past --hung-after with no CPU progress; never an open connection alone',
  reapable: true,
  *evaluate(ctx) {
    const limit = ctx.thresholds.hungAfterMs;
    const input = ctx.activityInput();
    for (const { proc, match } of ctx.targets()) {
      if (match.kind !== 'claude' || isBackground(match.role) || proc.state === 'Z') continue;
      const request = outstandingRequest(proc);
      if (!request) continue;
      const waited = ctx.input.now - request.since;
      if (waited < limit || noProgressSince(proc, request.since, input) !== true) continue;
      if (request.evidence === 'session-record' && runsTool(ctx, proc.pid)) continue;
      const resent = request.requests > 1 ? `, sent ${request.requests} times` : '';
      yield [proc.pid, {
        text: `${WHO_SAYS[request.evidence]} for ${formatAge(waited)}${resent}, with no CPU progress`,
        evidence: {
          evidence: request.evidence,
          outstandingForMs: Math.round(waited),
          requests: request.requests,
          sessionStatus: proc.session?.status ?? null,
          thresholdMs: limit,
        },
      }];
    }
  },
};

/** A Bash-tool shell runs under it: what it waits for may be its tool. */
function runsTool(ctx: RuleContext, pid: number): boolean {
  return (ctx.snapshot.children.get(pid) ?? []).some((c) => ctx.snapshot.related.get(c)?.kind === 'tool-shell');
}
