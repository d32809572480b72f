// From a scan to a kill plan: the selectors pick (as a union), protection vetoes, and each
// target takes its descendants and marker-linked helpers with it.
import { isAdopter } from '../classify/adopters.js';
import { REAPABLE_FLAGS } from '../classify/registry.js';
import { daemonIdentity } from '../classify/rules/duplicate-daemon.js';
import type { ScanResult } from '../commands/scan.js';
import { UsageError } from '../errors.js';
import { cut, formatAge, formatBytes } from '../render/format.js';
import { redactArgv } from '../redact/index.js';
import type { FlagId, ProcessReport } from '../report.js';
import { VERSION } from '../version.js';
import { PLAN_VERSION, type KillPlan, type PlanProcess, type PlanTarget, type Selection, type Skipped } from './plan.js';

export interface PlanOptions {
  signal: string;
  graceMs: number;
  now?: number;
  /** A --pid that names no claude-related process: refused (kill), or nothing to do (watch: it went). */
  unknownPids?: 'refuse' | 'ignore';
}

const ORPHAN_FLAGS: FlagId[] = ['orphan', 'stray-shell', 'stray-mcp'];
const DUPLICATE_FLAGS: FlagId[] = ['duplicate-daemon', 'duplicate-session'];
/** What the age, idle and size selectors apply to: the sessions themselves; their helpers go with them. */
const TOP_KINDS = new Set(['claude', 'agent']);

export function emptySelection(): Selection {
  return { reapable: false, idleMs: null, orphans: false, duplicates: false, hung: false, pids: [], olderThanMs: null, minRssBytes: null };
}

export function planKill(scan: ScanResult, selection: Selection, opts: PlanOptions): KillPlan {
  const doc = scan.document;
  const byPid = new Map(doc.processes.map((p) => [p.pid, p]));
  refuseBadPids(selection.pids, byPid, opts.unknownPids ?? 'refuse');

  const chosen = new Map<number, string>();
  const skipped: Skipped[] = [];
  for (const p of doc.processes) {
    const why = selectedBecause(p, selection);
    if (!why) continue;
    if (p.protection) skipped.push(skip(p, `protected: ${p.protection.text}`, p));
    else if (p.state === 'Z') skipped.push(skip(p, `a zombie: only its parent (${p.ppid}) can reap it`));
    else chosen.set(p.pid, why);
  }

  // Each chosen process takes what it started; one chosen under another goes with that one
  // (oldest first, so a parent is seen before its children).
  const self = new Set(scan.snapshot.self);
  const targets: PlanTarget[] = [];
  const taken = new Set<number>();
  const oldestFirst = [...chosen].sort(([a], [b]) => byPid.get(a)!.startTime.localeCompare(byPid.get(b)!.startTime) || a - b);
  for (const [pid, why] of oldestFirst) {
    if (taken.has(pid)) continue;
    const root = byPid.get(pid)!;
    const descendantsOf: PlanProcess[] = [];
    for (const d of belongings(pid, scan, byPid)) {
      const p = byPid.get(d);
      if (!p || taken.has(d)) continue;
      if (self.has(d) || p.protection) {
        skipped.push(skip(p, `protected: ${p.protection?.text ?? 'an ancestor of this claude-reaper'}`, p));
        continue;
      }
      if (p.state === 'Z') continue; // exits with nothing to signal
      taken.add(d);
      descendantsOf.push(planProcess(p));
    }
    taken.add(pid);
    targets.push({ ...planProcess(root), startTime: root.startTime, flags: root.flags, reason: why, startedBy: starter(root, scan), descendants: descendantsOf });
  }

  const all = targets.flatMap((t) => [t, ...t.descendants]);
  return {
    planVersion: PLAN_VERSION,
    tool: { name: 'claude-reaper', version: VERSION },
    createdAt: new Date(opts.now ?? scan.snapshot.takenAt).toISOString(),
    platform: doc.platform,
    source: doc.source,
    selection,
    signal: opts.signal,
    graceMs: opts.graceMs,
    targets,
    skipped,
    summary: { targets: targets.length, processes: all.length, rssBytes: all.reduce((n, p) => n + (p.rssBytes ?? 0), 0) },
  };
}

/** Asking by pid for a protected or unrelated process is refused outright: nothing is signalled. */
function refuseBadPids(pids: readonly number[], byPid: ReadonlyMap<number, ProcessReport>, unknown: 'refuse' | 'ignore'): void {
  for (const pid of pids) {
    const p = byPid.get(pid);
    // In watch, a target reaped last cycle may linger as a zombie until init collects it.
    if (unknown === 'ignore' && (!p || p.state === 'Z')) continue;
    if (!p) throw new UsageError(`refusing --pid ${pid}: not a claude-related process (see \`claude-reaper scan\`); nothing was signalled`);
    if (p.protection) throw new UsageError(`refusing --pid ${pid}: protected (${p.protection.text}); nothing was signalled`);
    if (p.state === 'Z') throw new UsageError(`refusing --pid ${pid}: a zombie, only its parent (${p.ppid}) can reap it; nothing was signalled`);
  }
}

function selectedBecause(p: ProcessReport, sel: Selection): string | null {
  const reasons: string[] = [];
  const flagged = (flags: readonly FlagId[]) => p.reasons.filter((r) => flags.includes(r.flag)).map((r) => `${r.flag}: ${r.text}`);
  if (sel.pids.includes(p.pid)) reasons.push('asked for by --pid');
  if (sel.reapable && p.reapable) reasons.push(...flagged([...REAPABLE_FLAGS] as FlagId[]));
  if (sel.orphans) reasons.push(...flagged(ORPHAN_FLAGS));
  if (sel.duplicates) reasons.push(...flagged(DUPLICATE_FLAGS));
  if (sel.hung) reasons.push(...flagged(['hung']));
  if (TOP_KINDS.has(p.kind)) {
    if (sel.idleMs !== null && p.idle?.forMs != null && p.idle.forMs >= sel.idleMs) reasons.push(`idle ${formatAge(p.idle.forMs)} (evidence: ${p.idle.evidence})`);
    if (sel.olderThanMs !== null && p.elapsedMs >= sel.olderThanMs) reasons.push(`running ${formatAge(p.elapsedMs)}`);
    if (sel.minRssBytes !== null && p.rssBytes !== null && p.rssBytes >= sel.minRssBytes) reasons.push(`${formatBytes(p.rssBytes)} RSS`);
  }
  return reasons.length > 0 ? [...new Set(reasons)].join('; ') : null;
}

/**
 * What a target takes with it: its descendants in the tree, and the helpers that name it as their
 * owner (an MCP server or tool shell reparented away from it), with theirs. Deepest first, so
 * children are signalled before the parent that would otherwise leave them reparented.
 */
function belongings(pid: number, scan: ScanResult, byPid: ReadonlyMap<number, ProcessReport>): number[] {
  const children = scan.snapshot.children;
  const depth = new Map<number, number>();
  const visit = (root: number, base: number) => {
    const queue: [number, number][] = [[root, base]];
    while (queue.length > 0) {
      const [cur, d] = queue.shift()!;
      for (const c of children.get(cur) ?? []) {
        if (depth.has(c) || c === pid) continue;
        depth.set(c, d + 1);
        queue.push([c, d + 1]);
      }
    }
  };
  visit(pid, 0);
  // A helper started before the target cannot be its own: its owner's pid was reused (Windows).
  const since = byPid.get(pid)?.startTime ?? '';
  for (const p of byPid.values()) {
    if (p.owner === pid && p.pid !== pid && !depth.has(p.pid) && p.kind !== 'claude' && p.startTime >= since) {
      depth.set(p.pid, 1);
      visit(p.pid, 1);
    }
  }
  // Only what the scan reports: everything else is outside the plan by definition.
  return [...depth].filter(([d]) => byPid.has(d)).sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([d]) => d);
}

/** The live, non-adopting parent's identity, without its install path or its secrets (redacted before the cut, which could halve one). */
function starter(p: ProcessReport, scan: ScanResult): string | null {
  const parent = scan.snapshot.processes.get(p.ppid);
  if (!parent || parent.startTime > Date.parse(p.startTime) || isAdopter(parent)) return null;
  return cut(daemonIdentity(parent.argv ? redactArgv(parent.argv) : [parent.name]), 120);
}

function planProcess(p: ProcessReport): PlanProcess {
  return { pid: p.pid, startId: p.startId, name: p.name, argv: p.argv, kind: p.kind, user: p.user, rssBytes: p.rssBytes };
}

function skip(p: ProcessReport, reason: string, protectedBy?: ProcessReport): Skipped {
  return { pid: p.pid, startId: p.startId, name: p.name, reason, protection: protectedBy?.protection ?? null };
}
