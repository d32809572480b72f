// Orders processes as trees: each root (a related process whose parent is not in the list) with
// its related descendants under it, trees needing attention first. A helper reparented away from
// its claude (a Bash-tool command left running, an MCP server) is shown under the claude it names.
import type { ProcessReport } from '../report.js';

export interface Row {
  proc: ProcessReport;
  depth: number;
}

export function orderAsTrees(processes: readonly ProcessReport[]): Row[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const kids = new Map<number, ProcessReport[]>();
  const roots: ProcessReport[] = [];
  for (const p of processes) {
    const parent = byPid.has(p.ppid) && p.ppid !== p.pid ? p.ppid : p.kind !== 'claude' && p.owner !== null && byPid.has(p.owner) && p.owner !== p.pid ? p.owner : null;
    if (parent !== null) {
      const list = kids.get(parent);
      if (list) list.push(p);
      else kids.set(parent, [p]);
    } else {
      roots.push(p);
    }
  }
  const weight = new Map<number, number>();
  const treeWeight = (p: ProcessReport): number => {
    let w = weight.get(p.pid);
    if (w !== undefined) return w;
    w = rank(p);
    for (const k of kids.get(p.pid) ?? []) w = Math.max(w, treeWeight(k));
    weight.set(p.pid, w);
    return w;
  };
  const byAttention = (a: ProcessReport, b: ProcessReport) =>
    treeWeight(b) - treeWeight(a) || a.startTime.localeCompare(b.startTime) || a.pid - b.pid;

  const rows: Row[] = [];
  const seen = new Set<number>();
  const visit = (p: ProcessReport, depth: number) => {
    if (seen.has(p.pid)) return;
    seen.add(p.pid);
    rows.push({ proc: p, depth });
    for (const k of [...(kids.get(p.pid) ?? [])].sort(byAttention)) visit(k, depth + 1);
  };
  for (const r of [...roots].sort(byAttention)) visit(r, 0);
  // A cycle (a pid reused as its own ancestor's parent) leaves rows unvisited: list them flat.
  for (const p of processes) if (!seen.has(p.pid)) visit(p, 0);
  return rows;
}

/** Reapable first, then flagged, then the rest. */
function rank(p: ProcessReport): number {
  if (p.reapable) return 2;
  return p.flags.length > 0 ? 1 : 0;
}
