// track(query): which child is the query's, and the iteration that ends it. The SDK starts claude
// inside query() (later only when it first loads a stored session), so when track() is called the
// query's child is the one child not yet claimed; when there are several, the options the query
// was given say which, and when there is none yet, the next spawn is the query's. A query whose
// first message arrives with no child claimed started claude some other way: refused, loudly.
import { UsageError } from '../errors.js';
import type { Ending } from './end-child.js';
import { hasExited } from './end-child.js';
import { notSpawnedThroughGuard } from './errors.js';
import type { Entry, SpawnHook } from './entry.js';

/** The SDK's Query, as far as the guard needs it: messages, and close() (which ends claude's stdin). */
export interface QueryLike<T> extends AsyncIterable<T> {
  close?: () => void;
}

export interface Claim {
  /** The hook the query was given, when the caller said. */
  hook: SpawnHook | null;
  entry: Entry | null;
  take(entry: Entry): void;
}

export function claimFor(entries: Iterable<Entry>, hook: SpawnHook | null, query: QueryLike<unknown>): Claim {
  const claim: Claim = {
    hook,
    entry: null,
    take(entry) {
      entry.claimed = true;
      entry.query = query;
      claim.entry = entry;
    },
  };
  const free = [...entries].filter((e) => !e.claimed && !hasExited(e.child) && (hook === null || e.hook === hook));
  if (free.length > 1) {
    throw new UsageError(
      hook === null
        ? `guard.track(query): ${free.length} claude processes started through this guard are not tracked yet; pass the query's options, track(query, options), with one options() per query`
        : `guard.track(query, options): ${free.length} claude processes were started with these options; call options() once per query`,
    );
  }
  if (free.length === 1) claim.take(free[0]!);
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
        if (!claim.entry) {
          closeQuietly(query);
          throw notSpawnedThroughGuard();
        }
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

function closeQuietly(query: QueryLike<unknown>): void {
  try {
    query.close?.();
  } catch {
    // it has its own child to end; nothing more the guard can do for it
  }
}
