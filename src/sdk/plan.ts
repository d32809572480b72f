// A kill plan for children the guard knows by pid and start token, in the CLI's own format, so that
// the CLI's executor carries it out: a fresh identity check before every signal, SIGTERM, the
// grace, SIGKILL. Each child takes its descendants (its MCP servers, tool shells) with it, found in
// one listing of the process table; never its process group.
import { hostPlatform } from '../platform/dirs.js';
import type { Listing } from '../platform/source.js';
import { PLAN_VERSION, type KillPlan, type PlanProcess, type PlanTarget } from '../reap/plan.js';
import { childrenIndex, descendants } from '../snapshot/tree.js';
import type { ProcessRecord } from '../types.js';
import { VERSION } from '../version.js';
import type { ProcessIdentity } from './registry.js';

export function planEnding(children: readonly ProcessIdentity[], listing: Listing | null, sourceId: string, reason: string, graceMs: number, now = Date.now()): KillPlan {
  const records = listing?.records ?? new Map<number, ProcessRecord>();
  const index = childrenIndex(records);
  const taken = new Set<number>();
  const targets: PlanTarget[] = [];
  for (const c of children) {
    const rec = records.get(c.pid);
    // Listed under another start token: another process has its pid. Left out of the listing (it
    // exited, or the listing failed): planned with what the registry knows; the executor's own
    // identity check decides.
    if (rec && rec.startId !== c.startId) continue;
    const below: PlanProcess[] = [];
    if (rec) {
      // Deepest first: a child's helpers go before it, as the CLI orders them.
      for (const pid of descendants(c.pid, index).reverse()) {
        const d = records.get(pid)!;
        if (taken.has(pid) || d.state === 'Z') continue;
        taken.add(pid);
        below.push(planProcess(d, 'child'));
      }
    }
    taken.add(c.pid);
    targets.push({
      ...(rec ? planProcess(rec, 'claude') : { pid: c.pid, startId: c.startId, name: 'claude', argv: null, kind: 'claude', user: null, rssBytes: null }),
      startTime: rec ? new Date(rec.startTime).toISOString() : new Date(now).toISOString(),
      flags: [],
      reason,
      startedBy: null,
      descendants: below,
    });
  }
  const all = targets.flatMap((t) => [t, ...t.descendants]);
  return {
    planVersion: PLAN_VERSION,
    tool: { name: 'claude-reaper', version: VERSION },
    createdAt: new Date(now).toISOString(),
    platform: hostPlatform(),
    source: sourceId,
    selection: { reapable: false, idleMs: null, orphans: false, duplicates: false, hung: false, pids: targets.map((t) => t.pid), olderThanMs: null, minRssBytes: null },
    signal: 'SIGTERM',
    graceMs,
    targets,
    skipped: [],
    summary: { targets: targets.length, processes: all.length, rssBytes: all.reduce((n, p) => n + (p.rssBytes ?? 0), 0) },
  };
}

/** argv is left out: command lines carry secrets, and the plan goes to the daemon's log. */
function planProcess(rec: ProcessRecord, kind: PlanProcess['kind']): PlanProcess {
  return { pid: rec.pid, startId: rec.startId, name: rec.name, argv: null, kind, user: rec.user, rssBytes: rec.rssBytes };
}
