// The guard: starts each claude child for the Agent SDK (spawnClaudeCodeProcess), records it by
// pid and start token, and ends it when its query ends, when Claude says it has been idle past
// `idleAfter`, on shutdown() and when the daemon exits.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { PlatformError, UsageError } from '../errors.js';
import { openSource } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import { endChild, hasExited, type Ending } from './end-child.js';
import { closeGently, describe, type Entry, type Slot, type SpawnHook } from './entry.js';
import { GuardError } from './errors.js';
import { addExitHook } from './exit-hooks.js';
import { watchIdle } from './idle-watch.js';
import { reapLeftovers } from './leftovers.js';
import { resolveOptions, type GuardOptions, type ResolvedOptions } from './options.js';
import { REGISTRY_VERSION, removeRegistry, writeRegistry, type ProcessIdentity } from './registry.js';
import { spawnClaude, type SpawnRequest } from './spawn.js';
import { claimFor, trackQuery, type Claim, type QueryLike } from './track.js';
import type { ClaudeActivity, EndReason, GuardedChild, Reaped } from './types.js';

export type { SpawnHook } from './entry.js';

export interface ClaudeGuard {
  readonly name: string;
  /** What start-up found left running by earlier runs of this name, and what became of each. */
  readonly reaped: readonly Reaped[];
  /**
   * Query options with the guard's `spawnClaudeCodeProcess`: `{ ...guard.options() }`, or
   * `guard.options({ cwd, model })` to add it to options of your own. One call per query.
   */
  options<O extends object = {}>(base?: O): O & { spawnClaudeCodeProcess: SpawnHook; abortController: AbortController };
  /**
   * Iterates the query; when the iteration ends (completes, throws, or is left by `break` or
   * `return`), its claude is ended before the loop returns. `options` (what the query was given)
   * says which child is the query's when several started at once.
   */
  track<T>(query: QueryLike<T>, options?: { spawnClaudeCodeProcess?: unknown; [option: string]: unknown }): AsyncGenerator<T, void, undefined>;
  /** The children still running, with what Claude says each is doing. */
  children(): GuardedChild[];
  /** Ends every child, stops the idle checks, removes the exit hooks and the registry. */
  shutdown(): Promise<void>;
}

/** Guards in this process, by name: two would share a registry file. */
const active = new Set<string>();
// options() results no spawn has used yet, newest last: one of them may belong to a query whose
// SDK ignores the hook. Objects made and never given to a query should not pile up, and only the
// newest matter for pairing.
const MAX_UNSPAWNED = 32;

export async function guardClaude(options: GuardOptions): Promise<ClaudeGuard> {
  const o = resolveOptions(options);
  if (active.has(o.name)) throw new UsageError(`guardClaude: a guard named '${o.name}' is already active in this process`);
  active.add(o.name);
  try {
    const source = o.source ?? openSource('auto');
    const me = await source.identify(process.pid);
    if (!me) throw new PlatformError('guardClaude: cannot read this process in the process table');
    const self = { pid: process.pid, startId: me.startId };
    const reaped = await reapLeftovers({ dir: o.registryDir, name: o.name, self, source, graceMs: o.graceMs, warn: (message) => o.onEvent({ type: 'warning', message }) });
    for (const r of reaped) o.onEvent({ type: 'reaped', ...r });
    return createGuard(o, source, self, reaped);
  } catch (err) {
    active.delete(o.name);
    throw err;
  }
}

function createGuard(o: ResolvedOptions, source: ProcessSource, self: ProcessIdentity, reaped: Reaped[]): ClaudeGuard {
  const entries = new Map<number, Entry>();
  const slots = new WeakMap<SpawnHook, Slot>();
  const unspawned: Slot[] = [];
  const pending: Claim[] = [];
  let closed = false;

  const persist = () => {
    const children = [...entries.values()].filter((e): e is Entry & { startId: string } => e.startId !== null);
    try {
      if (children.length === 0) removeRegistry(o.registryDir, self);
      else writeRegistry(o.registryDir, { registryVersion: REGISTRY_VERSION, guard: o.name, owner: self, children: children.map((e) => ({ pid: e.pid, startId: e.startId, spawnedAt: e.spawnedAt })) });
    } catch (err) {
      o.onEvent({ type: 'warning', message: `cannot write the registry in ${o.registryDir}: ${(err as Error).message}` });
    }
  };

  const spawnThrough = (hook: SpawnHook, req: SpawnRequest): ChildProcessWithoutNullStreams => {
    if (closed) throw new GuardError('shut-down', `claude-reaper/sdk: guard '${o.name}' has shut down and starts no more claude processes`);
    const slot = slots.get(hook)!;
    slot.spawned = true;
    if (unspawned.includes(slot)) unspawned.splice(unspawned.indexOf(slot), 1);
    const child = spawnClaude(req, o.stderr);
    const pid = child.pid;
    if (pid === undefined) return child; // the spawn failed: the SDK sees its 'error'
    const entry: Entry = { pid, startId: null, spawnedAt: Date.now(), child, hook, env: req.env, cwd: req.cwd ?? process.cwd(), sessionId: null, claimed: false, query: null, ending: null, endReason: null };
    entries.set(pid, entry);
    child.once('exit', (code, signal) => {
      entries.delete(pid);
      persist();
      o.onEvent({ type: 'exited', pid, code, signal });
    });
    // Unreaped, the pid is still this child's: the start token read now is its own.
    void source.identify(pid).then(
      (id) => {
        if (!id || !entries.has(pid)) return;
        entry.startId = id.startId;
        persist();
        o.onEvent({ type: 'spawned', pid, startId: id.startId });
      },
      (err: Error) => o.onEvent({ type: 'warning', message: `cannot read the start time of claude ${pid}, so it is not in the registry: ${err.message}` }),
    );
    const waiting = pending.findIndex((c) => c.slot === null || c.slot === slot);
    if (waiting >= 0) pending.splice(waiting, 1)[0]!.take(entry);
    return child;
  };

  const end = (e: Entry, reason: EndReason, activity: ClaudeActivity | null = null): Promise<Ending> => {
    if (e.ending) return e.ending;
    e.endReason = reason;
    o.onEvent({ type: 'ending', pid: e.pid, reason, activity });
    e.ending = endChild({ pid: e.pid, startId: e.startId, child: e.child, close: () => closeGently(e) }, o.graceMs, source, reason).then(
      (r) => {
        o.onEvent({ type: 'ended', pid: e.pid, reason, ...r });
        return r;
      },
      (err: Error) => {
        const r: Ending = { outcome: 'survived', signals: [], detail: `the ending failed: ${err.message}` };
        o.onEvent({ type: 'ended', pid: e.pid, reason, ...r });
        return r;
      },
    );
    return e.ending;
  };

  const stopIdleWatch = o.idleAfterMs === null ? () => {} : watchIdle(entries, o.idleAfterMs, (e, activity) => void end(e, 'idle', activity));

  const endAll = async (reason: EndReason) => {
    closed = true;
    stopIdleWatch();
    await Promise.all([...entries.values()].map((e) => end(e, reason)));
    persist();
  };

  const removeHook = o.exitHooks
    ? addExitHook({
        onSignal: () => endAll('signal'),
        onExit: () => {
          closed = true;
          // Only synchronous code runs here, so no fresh read: these are our own children, and a
          // child node has not reaped cannot have given its pid to another process. kill() is a
          // no-op for one node has reaped.
          for (const e of entries.values()) {
            if (hasExited(e.child)) continue;
            e.endReason ??= 'exit';
            o.onEvent({ type: 'ending', pid: e.pid, reason: 'exit', activity: null });
            e.child.kill('SIGTERM');
          }
          if (entries.size === 0) persist();
        },
        onHurry: () => {
          for (const e of entries.values()) if (!hasExited(e.child)) e.child.kill('SIGKILL');
        },
      })
    : () => {};

  const guard: ClaudeGuard = {
    name: o.name,
    reaped,
    options(base) {
      if (base !== undefined && (base === null || typeof base !== 'object')) throw new UsageError('guard.options(base): base must be an options object');
      if (base && (base as { spawnClaudeCodeProcess?: unknown }).spawnClaudeCodeProcess !== undefined) {
        throw new UsageError('guard.options(base): base already has a spawnClaudeCodeProcess; the guard must start claude itself to know its pid');
      }
      const hook: SpawnHook = (req) => spawnThrough(hook, req);
      const given = (base as { abortController?: unknown } | undefined)?.abortController;
      const controller = given instanceof AbortController ? given : new AbortController();
      const slot: Slot = { hook, controller, spawned: false, claimed: false };
      slots.set(hook, slot);
      unspawned.push(slot);
      if (unspawned.length > MAX_UNSPAWNED) unspawned.shift();
      return { ...(base ?? ({} as NonNullable<typeof base>)), spawnClaudeCodeProcess: hook, abortController: controller };
    },
    track(query, options) {
      if (!query || typeof (query as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') throw new UsageError('guard.track(query): expected the query returned by query()');
      const slot = options === undefined ? null : slots.get(options.spawnClaudeCodeProcess as SpawnHook);
      if (slot === undefined) throw new UsageError('guard.track(query, options): options must be what this guard\'s options() returned (or a copy of it)');
      const claim = claimFor(entries.values(), slot, unspawned, query);
      if (!claim.entry) pending.push(claim);
      return trackQuery(query, claim, {
        end: (e) => end(e, 'query-ended'),
        forget: () => {
          const i = pending.indexOf(claim);
          if (i >= 0) pending.splice(i, 1);
        },
      });
    },
    children() {
      const now = Date.now();
      return [...entries.values()].filter((e) => !hasExited(e.child)).map((e): GuardedChild => describe(e, now));
    },
    async shutdown() {
      removeHook();
      await endAll('shutdown');
      active.delete(o.name);
    },
  };
  return guard;
}
