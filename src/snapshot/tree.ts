// Tree indexes over a flat process list, built once per snapshot.
//
// A process is never younger than its parent. Windows never reparents and reuses pids, so a
// process keeps the ParentProcessId of a parent long gone, and that pid may since name a process
// started after it: that one is not its parent, and walking the tree through it would make an
// unrelated older process look like the new one's child (stablyai/orca#19148, where a new claude
// seemed to own a node.exe started a day before it). POSIX adopters (init, a subreaper) are older
// than the orphans they adopt, so the rule costs nothing there.
import type { ProcessRecord } from '../types.js';

type TreeRecord = Pick<ProcessRecord, 'pid' | 'ppid' | 'startTime'>;

/** Whether `parent` could have started `child`: it did not start after it. */
function couldBeParent(parent: Pick<ProcessRecord, 'startTime'>, child: Pick<ProcessRecord, 'startTime'>): boolean {
  return parent.startTime <= child.startTime;
}

/** ppid -> child pids, in pid order; a "parent" that started after the child is not its parent. */
export function childrenIndex(records: ReadonlyMap<number, TreeRecord>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const rec of records.values()) {
    if (rec.ppid === rec.pid) continue;
    const parent = records.get(rec.ppid);
    if (parent !== undefined && !couldBeParent(parent, rec)) continue;
    const list = children.get(rec.ppid);
    if (list) list.push(rec.pid);
    else children.set(rec.ppid, [rec.pid]);
  }
  return children;
}

/**
 * The pid's ancestors, nearest first, stopping at a pid not in the table, at one that started
 * after the process below it (not its parent: see the top of the file), or at a loop.
 */
export function ancestors(pid: number, records: ReadonlyMap<number, Pick<ProcessRecord, 'ppid' | 'startTime'>>): number[] {
  const chain: number[] = [];
  const seen = new Set([pid]);
  let child = records.get(pid);
  let cur = child?.ppid;
  while (cur !== undefined && cur > 0 && !seen.has(cur)) {
    const parent = records.get(cur);
    if (parent && child && !couldBeParent(parent, child)) break;
    chain.push(cur);
    seen.add(cur);
    child = parent;
    cur = parent?.ppid;
  }
  return chain;
}

/** All descendants of pid, breadth first. */
export function descendants(pid: number, children: ReadonlyMap<number, readonly number[]>): number[] {
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  const seen = new Set<number>([pid]);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}
