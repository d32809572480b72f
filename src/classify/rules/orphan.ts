import { backgroundDaemonOf, isBackground } from '../background.js';
import type { Rule } from './rule.js';
import { isToolLeftover } from './stray.js';

/** Kinds whose reparenting means their owner is gone. MCP servers and tool shells have rules of their own. */
const ORPHANABLE = new Set(['claude', 'agent', 'child']);

export const orphan: Rule = {
  id: 'orphan',
  description: 'reparented: its owner is gone (init or a subreaper adopted it, its process group leader is gone, or nobody holds its stdio)',
  reapable: true,
  *evaluate(ctx) {
    for (const { proc, match } of ctx.targets()) {
      if (!ORPHANABLE.has(match.kind) || proc.state === 'Z') continue;
      // Claude's background daemon is detached on purpose; its hosts, spares and sessions are
      // orphans once it is gone (spares and sessions stay under their host, which init adopted).
      if (match.role === 'bg-daemon') continue;
      if (isBackground(match.role)) {
        if (backgroundDaemonOf(proc, ctx.snapshot)) continue;
        const moved = ctx.reparented(proc);
        yield [proc.pid, {
          text: `Claude's background daemon is gone${moved ? `: ${moved.how}` : ` (its pty host ${proc.ppid} was left running)`}`,
          evidence: { ppid: proc.ppid, parentName: ctx.snapshot.processes.get(proc.ppid)?.name ?? null },
        }];
        continue;
      }
      // What the Bash tool left running follows its claude (the stray-shell rule).
      if (isToolLeftover(proc, match)) continue;
      // A leftover child of a live claude (a dev server the Bash tool started) still serves it.
      if (match.kind === 'child' && ctx.ownerAlive(match.owner, proc)) continue;
      const moved = ctx.reparented(proc);
      if (moved) {
        yield [proc.pid, { text: moved.how, evidence: { ppid: proc.ppid, parentName: moved.to?.name ?? null } }];
        continue;
      }
      const leader = lostLeader(ctx, proc);
      if (leader) {
        yield [proc.pid, { text: leader.text, evidence: { ppid: proc.ppid, [leader.field]: leader.pid } }];
        continue;
      }
      const s = proc.sockets;
      if (match.kind !== 'child' && s && s.stdioSockets > 0 && s.deadStdioPeers === s.stdioSockets) {
        yield [proc.pid, {
          text: `nobody holds the other end of its stdio (${s.deadStdioPeers} socket${s.deadStdioPeers === 1 ? '' : 's'})`,
          evidence: { ppid: proc.ppid, deadStdioPeers: s.deadStdioPeers },
        }];
      }
    }
  },
};

/**
 * A child is born into its parent's process group and session. When the group (or session)
 * leader is gone and the parent is no longer in that group, the child was reparented out of it:
 * an SDK child keeps its dead daemon's pgid and sid after a subreaper adopts it, whatever that
 * subreaper is called.
 */
function lostLeader(ctx: Parameters<Rule['evaluate']>[0], proc: Parameters<typeof ctx.reparented>[0]) {
  const procs = ctx.snapshot.processes;
  const parent = procs.get(proc.ppid);
  const leaderGone = (id: number | null, parentId: number | null | undefined) =>
    id !== null && id !== proc.pid && id > 1 && !procs.has(id) && parentId !== id;
  if (leaderGone(proc.pgid, parent?.pgid)) return leaderReason('pgid', proc.pgid!, proc.ppid);
  if (leaderGone(proc.sid, parent?.sid)) return leaderReason('sid', proc.sid!, proc.ppid);
  return null;
}

function leaderReason(field: 'pgid' | 'sid', id: number, ppid: number) {
  const what = field === 'pgid' ? 'process group' : 'session';
  return { field: `${field}Leader`, pid: id, text: `its ${what} leader ${id} is gone and its parent ${ppid} is outside that ${what}` };
}
