// Tree indexes over a flat process list, built once per snapshot.
import type { ProcessRecord } from '../types.js';

/** ppid -> child pids, in pid order. */
export function childrenIndex(records: ReadonlyMap<number, Pick<ProcessRecord, 'pid' | 'ppid'>>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const rec of records.values()) {
    if (rec.ppid === rec.pid) continue;
    const list = children.get(rec.ppid);
    if (list) list.push(rec.pid);
    else children.set(rec.ppid, [rec.pid]);
  }
  return children;
}

/** The pid's ancestors, nearest first, stopping at a pid not in the table or at a loop. */
export function ancestors(pid: number, records: ReadonlyMap<number, Pick<ProcessRecord, 'ppid'>>): number[] {
  const chain: number[] = [];
  const seen = new Set([pid]);
  let cur = records.get(pid)?.ppid;
  while (cur !== undefined && cur > 0 && !seen.has(cur)) {
    chain.push(cur);
    seen.add(cur);
    cur = records.get(cur)?.ppid;
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
