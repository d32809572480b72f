// track(query): which child is the query's, and the iteration that ends it. The SDK starts claude
// inside query() (later only when it first loads a stored session), so when track() is called the
// query's child is the one child not yet claimed; when there are several, the options the query
// was given say which, and when there is none yet, the next spawn is the query's. A query whose
// first message arrives with no child claimed started claude some other way: refused, loudly.
import { UsageError } from '../errors.js';
import type { Ending } from './end-child.js';
import { hasExited } from './end-child.js';
import { notSpawnedThroughGuard } from './errors.js';
import type { Entry, Slot } from './entry.js';

/** The SDK's Query, as far as the guard needs it: messages, and close() (which ends claude's stdin). */
export interface QueryLike<T> extends AsyncIterable<T> {
  close?: () => void;
}

export interface Claim {
  /** The options() the query was given, when the caller said or only one can be it. */
  slot: Slot | null;
  entry: Entry | null;
  take(entry: Entry): void;
}

/**
 * The query's child, or a claim waiting for it. `unspawned`: the options() not used by any spawn
 * yet; where the caller did not say and there is exactly one, it is the query's (its abort
 * controller is then the way to end a query whose SDK ignores the hook).
 */
export function claimFor(entries: Iterable<Entry>, slot: Slot | null, unspawned: readonly Slot[], query: QueryLike<unknown>): Claim {
  const claim: Claim = {
    slot,
    entry: null,
    take(entry) {
      entry.claimed = true;
      entry.query = query;
      claim.entry = entry;
    },
  };
  const hook = slot?.hook ?? null;
  const free = [...entries].filter((e) => !e.claimed && !hasExited(e.child) && (hook === null || e.hook === hook));
  if (free.length > 1) {
    throw new UsageError(
      hook === null
        ? `guard.track(query): ${free.length} claude processes started through this guard are not tracked yet; pass the query's options, track(query, options), with one options() per query`
        : `guard.track(query, options): ${free.length} claude processes were started with these options; call options() once per query`,
    );
  }
  if (free.length === 1) claim.take(free[0]!);
  else if (slot === null) {
    const candidates = unspawned.filter((s) => !s.claimed);
    if (candidates.length === 1) claim.slot = candidates[0]!;
  }
  if (claim.slot) claim.slot.claimed = true;
  return claim;
}

export interface TrackHooks {
  end(entry: Entry): Promise<Ending>;
  /** Drops a claim still waiting for its spawn. */
  forget(): void;
}

export async function* trackQuery<T>(query: QueryLike<T>, claim: Claim, hooks: TrackHooks): AsyncGenerator<T, void, undefined> {
  const it = query[Symbol.asyncIterator]();
  let first = true;
  try {
    for (;;) {
      const r = await it.next();
      if (first) {
        first = false;
        if (!claim.entry) throw notSpawnedThroughGuard(endUnguarded(query, claim.slot));
      }
      if (r.done) return;
      const sessionId = (r.value as { session_id?: unknown } | null)?.session_id;
      if (typeof sessionId === 'string' && sessionId !== '') claim.entry!.sessionId = sessionId;
      yield r.value;
    }
  } finally {
    hooks.forget();
    if (claim.entry) await hooks.end(claim.entry);
  }
}

/** Ends a query that runs its own claude: close() where the SDK has it, and the abort controller. */
function endUnguarded(query: QueryLike<unknown>, slot: Slot | null): boolean {
  let ended = false;
  try {
    if (typeof query.close === 'function') {
      query.close();
      ended = true;
    }
  } catch {
    // closed already
  }
  if (slot) {
    slot.controller.abort();
    ended = true;
  }
  return ended;
}
