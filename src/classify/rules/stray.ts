import type { Reason } from '../../report.js';
import type { ProcessKind } from '../../types.js';
import type { RuleContext } from '../context.js';
import type { Rule } from './rule.js';

/**
 * A helper whose claude session is gone and that was left running: its owner no longer exists,
 * and it is the top of what was left (reparented, or under something that is not claude's). Its
 * own children go with it when it is reaped, so they are not flagged one by one.
 */
function* strays(ctx: RuleContext, kind: ProcessKind, noun: string): Generator<[number, Omit<Reason, 'flag'>]> {
  for (const { proc, match } of ctx.targets()) {
    if (match.kind !== kind || proc.state === 'Z') continue;
    if (ctx.ownerAlive(match.owner, proc)) continue;
    const parentMatch = ctx.snapshot.related.get(proc.ppid);
    if (parentMatch && parentMatch.kind !== 'agent-daemon' && ctx.parentOf(proc)) continue; // its parent is the root
    const moved = ctx.reparented(proc);
    const owner = match.owner === null ? 'its claude' : `claude ${match.owner}`;
    yield [proc.pid, {
      text: `${noun} left running: ${owner} is gone${moved ? `, ${moved.how}` : ''}`,
      evidence: { owner: match.owner, ppid: proc.ppid, parentName: ctx.snapshot.processes.get(proc.ppid)?.name ?? null },
    }];
  }
}

export const strayShell: Rule = {
  id: 'stray-shell',
  description: 'a Bash-tool shell (its signature on the command line) whose claude session is gone, left running',
  reapable: true,
  evaluate: (ctx) => strays(ctx, 'tool-shell', 'Bash-tool shell'),
};

export const strayMcp: Rule = {
  id: 'stray-mcp',
  description: 'an MCP server whose claude session is gone, left running',
  reapable: true,
  evaluate: (ctx) => strays(ctx, 'mcp-server', 'MCP server'),
};
