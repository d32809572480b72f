// A daemon on the real Agent SDK that uses claude-reaper's guard (test/fixtures/scripts/
// guarded-daemon.mjs), started in its own session as a daemon is. Every process it starts is
// registered for cleanup the moment the daemon names it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track, waitFor } from './cleanup.js';
import { SCRIPTS_DIR, capture, onJsonLines } from './fixtures.js';
import { type Scene, newScene } from './real-claude/env.js';
import { trackSceneAtCleanup } from './real-claude/family.js';
import type { Rig } from './real-claude/rig.js';

export const GUARDED_DAEMON_SCRIPT = join(SCRIPTS_DIR, 'guarded-daemon.mjs');
/** The guard the daemon imports: the built package (`npm run build`, which `npm ci` runs). */
export const BUILT_SDK_MODULE = fileURLToPath(new URL('../../dist/sdk.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export type GuardedKind = 'break' | 'throw' | 'leak' | 'hang' | 'hang-break' | 'untracked' | 'unguarded';

export interface GuardedSession {
  kind: GuardedKind;
  prompt?: string;
  /** track(q, options) rather than track(q). */
  pass?: 'options';
}

export interface GuardedDaemonOptions {
  sdk?: 'native' | 'legacy';
  guard: { name: string; idleAfter?: string; grace?: string; stateDir: string };
  sessions: GuardedSession[];
  /** exit0: process.exit(0) on SIGTERM; ignore: a SIGHUP handler that only logs; execa: a subprocess under execa's clean-up. */
  handlers?: { SIGTERM?: 'exit0'; SIGHUP?: 'ignore'; execa?: true };
  /** The daemon calls process.exit(code) at its first result, its queries still open. */
  exitAfterFirstResult?: number;
  scene?: Scene;
  /** The mock API the scene points at (default: the rig's). */
  apiUrl?: string;
}

export type GuardedEvent = { event: string; session?: number; pid?: number; type?: string; [key: string]: unknown };

export interface GuardedDaemon {
  pid: number;
  startId: string;
  child: ChildProcess;
  scene: Scene;
  events: GuardedEvent[];
  waitForEvent(match: (e: GuardedEvent) => boolean, what: string, timeoutMs?: number): Promise<GuardedEvent>;
  /** The claude child of session i, once the daemon has named it. */
  childOf(session: number): Promise<{ pid: number; startId: string }>;
  /** Resolves with how the daemon ended: its exit code or the signal that ended it. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

let serial = 0;

export async function startGuardedDaemon(rig: Rig, opts: GuardedDaemonOptions): Promise<GuardedDaemon> {
  if (!existsSync(BUILT_SDK_MODULE)) throw new Error(`${BUILT_SDK_MODULE} is missing: run npm run build`);
  const scene = opts.scene ?? newScene(opts.apiUrl ?? rig.api.url, 'guarded');
  const sdk = (opts.sdk ?? 'native') === 'native' ? rig.claude.sdkNativeModule : rig.claude.sdkLegacyModule;
  const specPath = join(scene.configDir, '..', `guarded-spec-${++serial}.json`);
  writeFileSync(specPath, JSON.stringify({ sdk, guard: opts.guard, sessions: opts.sessions, handlers: opts.handlers, exitAfterFirstResult: opts.exitAfterFirstResult }));
  trackSceneAtCleanup(scene.configDir);
  const child = spawn(process.execPath, [GUARDED_DAEMON_SCRIPT, specPath], { cwd: scene.cwd, env: scene.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('cannot start the guarded daemon');
  child.on('error', () => {});
  const startId = track(child.pid, child);
  const stderr = capture(child.stderr);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const events: GuardedEvent[] = [];
  onJsonLines<GuardedEvent>(child.stdout!, (e) => {
    if ((e.event === 'child' || e.event === 'subprocess') && typeof e.pid === 'number') {
      try {
        e.startId = track(e.pid);
      } catch {
        // already exited
      }
    }
    events.push(e);
  });

  const waitForEvent: GuardedDaemon['waitForEvent'] = (match, what, timeoutMs = START_TIMEOUT_MS) =>
    waitFor(
      () => {
        const found = events.find(match);
        if (found) return found;
        const failed = events.find((e) => e.event === 'error');
        if (failed) throw new Error(`guarded daemon: ${String(failed.message)}\n${stderr()}`);
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`guarded daemon exited (${child.signalCode ?? child.exitCode}) before ${what}\n${stderr()}`);
        return undefined;
      },
      { timeoutMs, intervalMs: 20, what },
    );
  const daemon: GuardedDaemon = {
    pid: child.pid,
    startId,
    child,
    scene,
    events,
    waitForEvent,
    async childOf(session) {
      const e = await waitForEvent((x) => x.event === 'child' && x.session === session, `the child of session ${session}`);
      if (typeof e.startId !== 'string') throw new Error(`the child of session ${session} exited before it could be registered`);
      return { pid: e.pid!, startId: e.startId };
    },
    exited: () => ended,
    stderr,
  };
  await waitForEvent((e) => e.event === 'guard', 'the guard to start');
  return daemon;
}
