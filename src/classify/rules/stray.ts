import type { FlagId, Reason } from '../../report.js';
import type { Match, ProcessKind, SampledProcess } from '../../types.js';
import type { RuleContext } from '../context.js';
import type { Rule } from './rule.js';

/**
 * What the Bash tool left running: a tool shell (its signature on the command line) or a command
 * it started that carries `CLAUDE_PID` in its environment (`sleep 1000 &`, a dev server), or that
 * an earlier run saw under a tool shell (Windows, where environments cannot be read).
 */
export function isToolLeftover(proc: SampledProcess, match: Match): boolean {
  if (match.kind === 'tool-shell' || (match.kind === 'child' && match.bashTool === true)) return true;
  return match.kind === 'child' && proc.markers?.claudePid !== undefined && match.owner === proc.markers.claudePid;
}

/**
 * A helper left running that follows its claude: its claude is gone, or is itself a leak (flagged
 * reapable, unprotected: its helpers go with it). The top of what was left is flagged (reparented,
 * or under something that is not claude's); its own children go with it when it is reaped. A
 * helper whose claude is live and no leak (an interactive session's dev server) is that session's.
 */
function* strays(ctx: RuleContext, kinds: (proc: SampledProcess, match: Match) => boolean): Generator<[number, Omit<Reason, 'flag'>]> {
  for (const { proc, match } of ctx.targets()) {
    if (!kinds(proc, match) || proc.state === 'Z') continue;
    let leak: FlagId | null = null;
    if (ctx.ownerAlive(match.owner, proc)) {
      leak = ctx.ownerLeak(match.owner, proc);
      if (leak === null) continue;
    }
    const parentMatch = ctx.snapshot.related.get(proc.ppid);
    if (parentMatch && parentMatch.kind !== 'agent-daemon' && ctx.parentOf(proc)) continue; // its parent is the root
    const moved = ctx.reparented(proc);
    const owner = match.owner === null ? 'its claude' : `claude ${match.owner}`;
    const why = leak === null ? `${owner} is gone` : `${owner} is itself ${leak === 'abandoned' || leak === 'hung' ? leak : `a leak (${leak})`}`;
    yield [proc.pid, {
      text: `${NOUNS[match.kind] ?? 'helper'} left running: ${why}${moved ? `, ${moved.how}` : ''}`,
      evidence: { owner: match.owner, ownerLeak: leak, ppid: proc.ppid, parentName: ctx.snapshot.processes.get(proc.ppid)?.name ?? null },
    }];
  }
}

const NOUNS: Partial<Record<ProcessKind, string>> = { 'tool-shell': 'Bash-tool shell', child: 'command the Bash tool started', 'mcp-server': 'MCP server' };

const ofKind = (kind: ProcessKind) => (_: SampledProcess, match: Match) => match.kind === kind;

export const strayShell: Rule = {
  id: 'stray-shell',
  description: 'what the Bash tool left running (a tool shell, or a command it ran: CLAUDE_PID, or seen under a tool shell by an earlier run) whose claude is gone or is itself a leak',
  reapable: true,
  evaluate: (ctx) => strays(ctx, isToolLeftover),
};

export const strayMcp: Rule = {
  id: 'stray-mcp',
  description: 'an MCP server whose claude is gone or is itself a leak, left running',
  reapable: true,
  evaluate: (ctx) => strays(ctx, ofKind('mcp-server')),
};
