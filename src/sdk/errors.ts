// The guard's own error: something that means a claude would run unguarded, said so rather than
// letting it happen silently.

export type GuardErrorCode =
  /** The SDK started claude without calling the guard's spawnClaudeCodeProcess. */
  | 'not-spawned-through-guard'
  /** A spawn after `shutdown()` or after the daemon began to exit. */
  | 'shut-down';

export class GuardError extends Error {
  override name = 'GuardError';
  constructor(
    readonly code: GuardErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The first Agent SDK release that calls `spawnClaudeCodeProcess` (0.1.63 does not; there is no 0.1.64). */
export const FIRST_SDK_WITH_SPAWN_HOOK = '0.1.65';

/** `ended`: the guard could close or abort the query (its claude ends with it). */
export function notSpawnedThroughGuard(ended: boolean): GuardError {
  return new GuardError(
    'not-spawned-through-guard',
    'claude-reaper/sdk: this query started claude without the guard: pass guard.options() to query() ' +
      `(query({ prompt, options: { ...guard.options() } })), and use @anthropic-ai/claude-agent-sdk ${FIRST_SDK_WITH_SPAWN_HOOK} ` +
      'or later (earlier releases ignore spawnClaudeCodeProcess). ' +
      (ended ? 'The query was closed.' : 'The guard could not close the query: end it yourself (its abortController, or close()).'),
  );
}
