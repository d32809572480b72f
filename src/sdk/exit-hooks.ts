// Ending the children when the daemon ends. One set of process listeners for every guard:
//
// - `exit` (process.exit(), the event loop running dry, an uncaught exception): only synchronous
//   code runs there, so each child still running gets SIGTERM, and the registry keeps it for the
//   next start to check;
// - SIGINT, SIGTERM, SIGHUP, when the daemon has no listener of its own for that signal: node would
//   have ended the daemon at once (with no `exit` event, the way the field's daemons leaked their
//   children), so the guards end their children, and the signal is raised again afterwards with
//   our listener gone: the daemon dies of it as it would have, with the exit status it would have
//   had. A daemon that listens for the signal itself owns it (SIGHUP often means "reload"): the
//   guards do nothing then, and if the daemon's handler exits, `exit` does the rest.
//
// Our listener goes first (prependListener), so that when it runs it sees every other listener,
// including a `once` one that has not run yet.
//
// signal-exit (execa's clean-up, and many tools') listens for these signals too, and raises the
// signal again itself when its listeners are the only ones. Its listeners are no handler of the
// daemon's, so they are not counted as one; otherwise each would wait for the other, and the
// daemon would ignore SIGTERM for as long as, say, an execa subprocess runs.
import { constants } from 'node:os';

export interface ExitHook {
  /** Ends every child, however long the grace takes. */
  onSignal(signal: NodeJS.Signals): Promise<void>;
  /** Synchronous: a signal to each child still running. */
  onExit(): void;
  /** A second signal while ending: no more grace. */
  onHurry(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const hooks = new Set<ExitHook>();
const listeners = new Map<NodeJS.Signals, () => void>();
let ending: NodeJS.Signals | null = null;

export function addExitHook(hook: ExitHook): () => void {
  hooks.add(hook);
  if (hooks.size === 1) install();
  return () => {
    hooks.delete(hook);
    if (hooks.size === 0 && ending === null) uninstall();
  };
}

function install(): void {
  process.on('exit', onExit);
  for (const signal of SIGNALS) {
    const listener = () => void onSignal(signal);
    listeners.set(signal, listener);
    process.prependListener(signal, listener);
  }
}

function uninstall(): void {
  process.off('exit', onExit);
  for (const [signal, listener] of listeners) process.off(signal, listener);
  listeners.clear();
}

function onExit(): void {
  for (const hook of hooks) hook.onExit();
}

/**
 * The listeners signal-exit has on each signal: v4 keeps its count on a global emitter, v3 on
 * `process.__signal_exit_emitter__`; each loaded copy adds one listener per signal.
 */
function signalExitListeners(): number {
  const count = (holder: unknown) => {
    const n = (holder as { count?: unknown } | undefined)?.count;
    return typeof n === 'number' && n > 0 ? n : 0;
  };
  const g = globalThis as Record<symbol, unknown>;
  return count(g[Symbol.for('signal-exit emitter')]) + count((process as unknown as Record<string, unknown>).__signal_exit_emitter__);
}

/** Listeners of the daemon's own: all but ours and signal-exit's. */
function othersOn(signal: NodeJS.Signals, ours: number): number {
  return Math.max(0, process.listenerCount(signal) - ours - signalExitListeners());
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (othersOn(signal, 1) > 0) return; // the daemon's own handler decides what this signal means
  if (ending !== null) {
    // Asked again (a second Ctrl-C): end the children now and go.
    for (const hook of hooks) hook.onHurry();
    reraise(signal);
    return;
  }
  ending = signal;
  await Promise.allSettled([...hooks].map((h) => h.onSignal(signal)));
  reraise(signal);
}

/**
 * Our listeners gone, the signal again: node's default action (or signal-exit's, which runs its
 * clean-up and raises it once more), unless the daemon listens for it now.
 */
function reraise(signal: NodeJS.Signals): void {
  uninstall();
  hooks.clear();
  if (othersOn(signal, 0) > 0) return;
  try {
    process.kill(process.pid, signal);
  } catch {
    // Windows raises only SIGINT, SIGTERM and SIGKILL (SIGHUP is ENOSYS there): exit with the
    // status a shell reports for death by that signal.
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
}
