// At start-up: what earlier runs of the same guard left running. A run that is gone (its pid no
// longer names the process that wrote the file) had children that were mid-request when it died
// (idle ones exit when their stdin closes); those that still run, by pid and start token, are
// reaped, and the rest are forgotten. A run that still lives (a second copy of the daemon) is left
// alone, children and all. When a run's state cannot be read, nothing of it is touched.
import type { ProcessSource } from '../platform/source.js';
import { executePlan } from '../reap/execute.js';
import { planEnding } from './plan.js';
import { readRegistries, removeRegistry, writeRegistry, type ProcessIdentity, type Registry } from './registry.js';
import type { Reaped } from './types.js';

export interface LeftoverOptions {
  dir: string;
  name: string;
  self: ProcessIdentity;
  source: ProcessSource;
  graceMs: number;
  warn(message: string): void;
}

export async function reapLeftovers(opts: LeftoverOptions): Promise<Reaped[]> {
  const reaped: Reaped[] = [];
  for (const registry of readRegistries(opts.dir, opts.name)) {
    const owner = registry.owner;
    if (owner.pid === opts.self.pid && owner.startId === opts.self.startId) continue; // our own (cannot happen before we write it)
    const ownerNow = await identify(opts.source, owner.pid);
    if (ownerNow === undefined) {
      opts.warn(`cannot tell whether run ${owner.pid} of '${opts.name}' still runs, so its children are left alone`);
      continue;
    }
    if (ownerNow && ownerNow.startId === owner.startId && !ownerNow.zombie) continue; // alive: its children are its own business

    const running: ProcessIdentity[] = [];
    const unknown: ProcessIdentity[] = [];
    for (const c of registry.children) {
      const now = await identify(opts.source, c.pid);
      if (now === undefined) unknown.push(c);
      else if (now && now.startId === c.startId && !now.zombie) running.push(c);
    }
    let left = unknown;
    if (running.length > 0) {
      const listing = await opts.source.list({ sampleMs: 0 }).catch(() => null);
      const plan = planEnding(running, listing, opts.source.id, `left running by run ${owner.pid} of '${opts.name}'`, opts.graceMs);
      const result = await executePlan(plan, { source: opts.source, never: [process.pid] });
      for (const o of result.outcomes) {
        if (!running.some((c) => c.pid === o.pid)) continue; // a descendant: reported with its claude
        reaped.push({ pid: o.pid, startId: o.startId, owner, outcome: o.outcome, signals: o.signals, detail: o.detail });
        if (o.outcome === 'survived' || o.outcome === 'denied' || o.outcome === 'unkillable') left = [...left, { pid: o.pid, startId: o.startId }];
      }
    }
    keepOnly(opts.dir, registry, left);
  }
  return reaped;
}

/** The registry of a dead run keeps what is left to try again next time; an empty one goes. */
function keepOnly(dir: string, registry: Registry, left: readonly ProcessIdentity[]): void {
  if (left.length === 0) {
    removeRegistry(dir, registry.owner);
    return;
  }
  const keep = new Set(left.map((c) => `${c.pid}:${c.startId}`));
  writeRegistry(dir, { ...registry, children: registry.children.filter((c) => keep.has(`${c.pid}:${c.startId}`)) });
}

/** The process now at `pid`, null when none, undefined when it cannot be read. */
async function identify(source: ProcessSource, pid: number): Promise<{ startId: string; zombie: boolean } | null | undefined> {
  try {
    return await source.identify(pid);
  } catch {
    return undefined;
  }
}
