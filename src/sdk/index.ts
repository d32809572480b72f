// `claude-reaper/sdk`: a guard for daemons that drive Claude Code through the Agent SDK. It starts
// each claude child itself (the SDK's spawnClaudeCodeProcess option), so it knows every pid, and it
// ends each child when its work ends, instead of reaping leaks after the fact.
//
//   const guard = await guardClaude({ name: 'my-worker', idleAfter: '10m' });
//   const q = query({ prompt, options: { ...guard.options() } });
//   for await (const message of guard.track(q)) { … }   // the child ends when this loop ends
//
// The daemon brings its own @anthropic-ai/claude-agent-sdk; this module never imports it.
export { guardClaude, type ClaudeGuard, type SpawnHook } from './guard.js';
export { DEFAULT_GRACE_MS, type GuardOptions } from './options.js';
export type { QueryLike } from './track.js';
export type { SpawnRequest } from './spawn.js';
export type { ClaudeActivity, EndOutcome, EndReason, GuardEvent, GuardedChild, Reaped } from './types.js';
export { FIRST_SDK_WITH_SPAWN_HOOK, GuardError, type GuardErrorCode } from './errors.js';
export { claudeActivity } from '../classify/activity.js';
export { REGISTRY_VERSION } from './registry.js';
export type { Registry, RegistryChild } from './registry.js';
export { UsageError, PlatformError } from '../errors.js';
export type { OutcomeId } from '../reap/execute.js';
