// What guardClaude() accepts, checked once before anything runs: a bad option is a UsageError with
// one clear line, and nothing is started, read or signalled.
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { stateDir } from '../platform/dirs.js';
import type { ProcessSource } from '../platform/source.js';
import { parseDuration } from '../util/duration.js';
import type { GuardEvent } from './types.js';

export interface GuardOptions {
  /**
   * Names this daemon's registry of children: the next start of a guard with the same name reaps
   * what this run left running. Letters, digits, `.`, `_` and `-`, up to 64 characters.
   */
  name: string;
  /**
   * End a child that Claude's own session record or transcript shows idle this long: `'10m'`,
   * `'90s'`, or a number of ms. Default: never for idleness.
   */
  idleAfter?: string | number | null;
  /** How long each step of an ending waits: `close()`, then SIGTERM, then SIGKILL. Default `'5s'`. */
  grace?: string | number;
  /** Where the registry lives (default: claude-reaper's state directory). */
  stateDir?: string;
  /** Receives the children's stderr. Without it, stderr is read and dropped (a full pipe would block claude). */
  stderr?: (text: string) => void;
  /** What the guard does: spawns, endings and their outcomes, start-up reaps, warnings. */
  onEvent?: (event: GuardEvent) => void;
  /** End the children when the daemon exits or takes SIGINT, SIGTERM or SIGHUP (default true). */
  exitHooks?: boolean;
  /** Where processes are read (default: the platform's source, as the CLI picks it). */
  source?: ProcessSource;
}

export interface ResolvedOptions {
  name: string;
  idleAfterMs: number | null;
  graceMs: number;
  /** `<state dir>/sdk-guards/<name>` */
  registryDir: string;
  stderr: ((text: string) => void) | null;
  onEvent: (event: GuardEvent) => void;
  exitHooks: boolean;
  source: ProcessSource | null;
}

/** The SDK's own grace between closing a child's stdin and aborting it is ~2 s; ours covers that. */
export const DEFAULT_GRACE_MS = 5000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function resolveOptions(opts: GuardOptions): ResolvedOptions {
  if (!opts || typeof opts !== 'object') throw new UsageError('guardClaude: expected an options object with a name');
  if (typeof opts.name !== 'string' || !NAME.test(opts.name)) {
    throw new UsageError(`guardClaude: invalid name ${JSON.stringify(opts.name)}: expected 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  const idleAfterMs = opts.idleAfter === undefined || opts.idleAfter === null ? null : duration(opts.idleAfter, 'idleAfter');
  const graceMs = opts.grace === undefined ? DEFAULT_GRACE_MS : duration(opts.grace, 'grace');
  for (const key of ['stderr', 'onEvent'] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== 'function') throw new UsageError(`guardClaude: ${key} must be a function`);
  }
  if (opts.stateDir !== undefined && (typeof opts.stateDir !== 'string' || opts.stateDir === '')) throw new UsageError('guardClaude: stateDir must be a path');
  const onEvent = opts.onEvent;
  return {
    name: opts.name,
    idleAfterMs,
    graceMs,
    registryDir: join(opts.stateDir ?? stateDir(), 'sdk-guards', opts.name),
    stderr: opts.stderr ?? null,
    // A daemon's logging must not break the guard.
    onEvent: onEvent
      ? (e) => {
          try {
            onEvent(e);
          } catch {
            // ignored: the guard's work goes on
          }
        }
      : () => {},
    exitHooks: opts.exitHooks ?? true,
    source: opts.source ?? null,
  };
}

function duration(value: string | number, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`guardClaude: invalid ${what} ${value}: expected a number of ms greater than zero, or a duration like '10m'`);
    return Math.round(value);
  }
  if (typeof value !== 'string') throw new UsageError(`guardClaude: invalid ${what}: expected a duration like '10m' or a number of ms`);
  return parseDuration(value, `guardClaude ${what}`);
}
