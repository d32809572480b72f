// A daemon driving real claude children through the real Agent SDK (test/fixtures/scripts/
// sdk-daemon.mjs), started in its own session as a daemon is, and waited for until every session
// has reached the state it was asked for.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { track, trackedStartId, waitFor } from '../cleanup.js';
import { SCRIPTS_DIR, capture, onJsonLines } from '../fixtures.js';
import { turnEntries, turnOver, waitForRecord, waitForTranscript } from './claude-state.js';
import { type Scene, newScene } from './env.js';
import { trackSceneAtCleanup } from './family.js';
import type { Rig } from './rig.js';

export const SDK_DAEMON_SCRIPT = join(SCRIPTS_DIR, 'sdk-daemon.mjs');
/** Starting a claude and taking a turn: ~1 s alone, several with five at once on two busy cores. */
export const SCENE_TIMEOUT_MS = 60_000;

export type SessionKind = 'live' | 'leak' | 'hang' | 'tool' | 'once';

export interface SdkSession {
  kind: SessionKind;
  /** live: pause between the end of a turn and the next prompt (default 5000). */
  everyMs?: number;
  /** Every answer to this session takes this long (the mock's SLOW marker): a turn stays busy. */
  slowMs?: number;
  /** Replaces the first prompt (markers: see script.ts). */
  prompt?: string;
  /** tool: the shell command the Bash tool runs. */
  command?: string;
  /** pathToClaudeCodeExecutable. */
  executable?: string;
  env?: Record<string, string>;
  /** The daemon answers permission prompts (the child gets --permission-prompt-tool stdio). */
  permissionPrompt?: boolean;
}

export interface SdkDaemonOptions {
  /** native: SDK 0.3 and its bundled binary; legacy: SDK 0.2, which runs cli.js with node. */
  sdk?: 'native' | 'legacy';
  sessions: SdkSession[];
  /** Defaults to a fresh scene. */
  scene?: Scene;
  timeoutMs?: number;
  /** What runs the daemon script (default: this node). Claude Desktop's scene passes its app. */
  runtime?: { file: string; argv0: string; script: string };
}

export type DaemonEvent =
  | { event: 'child'; session: number; pid: number; command: string; args: string[] }
  | { event: 'init'; session: number; sessionId: string }
  | { event: 'turn'; session: number; n: number }
  | { event: 'result'; session: number; n: number; subtype: string; text: string | null }
  | { event: 'exit'; session: number; pid: number; code: number | null; signal: string | null }
  | { event: 'done'; session: number }
  | { event: 'error'; session: number; message: string };

export interface SdkChild {
  sessionIndex: number;
  kind: SessionKind;
  pid: number;
  startId: string;
  /** Claude's session id (the transcript's name, the record's sessionId). */
  sessionId: string;
  /** What the SDK ran: the binary, or `node` for the legacy CLI. */
  command: string;
  args: string[];
}

export interface ToolLeftover {
  sessionIndex: number;
  /** The pid the tool's command printed with `echo $!`: the backgrounded job, reparented to init. */
  pid: number;
  startId: string;
  /** The claude whose Bash tool started it. */
  claudePid: number;
}

export interface StartedSdkDaemon {
  daemonPid: number;
  daemonStartId: string;
  /** Our direct child (the daemon); its stdout carries the events. */
  child: ChildProcess;
  /** One per session, in the order given. */
  children: SdkChild[];
  /** Every event so far (the array grows as the daemon runs). */
  events: DaemonEvent[];
  /** The jobs the tool sessions left behind, in session order, registered for cleanup. */
  leftovers: ToolLeftover[];
  scene: Scene;
  waitForEvent(match: (e: DaemonEvent) => boolean, opts?: { timeoutMs?: number; what?: string }): Promise<DaemonEvent>;
  /** The daemon's stderr (the children's stderr, prefixed by session). */
  stderr(): string;
}

let specSerial = 0;

/** Starts the daemon and waits until every session is where its kind says (see below). */
export async function startSdkDaemon(rig: Rig, opts: SdkDaemonOptions): Promise<StartedSdkDaemon> {
  const scene = opts.scene ?? newScene(rig.api.url, 'sdk');
  const timeoutMs = opts.timeoutMs ?? SCENE_TIMEOUT_MS;
  const sdk = (opts.sdk ?? 'native') === 'native' ? rig.claude.sdkNativeModule : rig.claude.sdkLegacyModule;
  const specPath = join(scene.configDir, '..', `daemon-spec-${++specSerial}.json`);
  writeFileSync(specPath, JSON.stringify({ sdk, sessions: opts.sessions }));
  const runtime = opts.runtime ?? { file: process.execPath, argv0: 'node', script: SDK_DAEMON_SCRIPT };
  trackSceneAtCleanup(scene.configDir);
  const child = spawn(runtime.file, [runtime.script, specPath], {
    argv0: runtime.argv0,
    cwd: scene.cwd,
    env: scene.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`cannot start ${runtime.file}`);
  child.on('error', () => {});
  const daemonStartId = track(child.pid, child);
  const stderr = capture(child.stderr);
  const events: DaemonEvent[] = [];
  onJsonLines<DaemonEvent>(child.stdout!, (e) => {
    if (e.event === 'child') {
      try {
        track(e.pid); // at once, so a failing start still ends it
      } catch {
        // Already exited; the exit event says why.
      }
    }
    events.push(e);
  });

  const waitForEvent: StartedSdkDaemon['waitForEvent'] = (match, o = {}) =>
    waitFor(
      () => {
        const found = events.find(match);
        if (found) return found;
        const failed = events.find((e) => e.event === 'error');
        if (failed && failed.event === 'error') throw new Error(`sdk-daemon session ${failed.session}: ${failed.message}\n${stderr()}`);
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`sdk-daemon exited (${child.signalCode ?? child.exitCode}) before ${o.what ?? 'the event'}\n${stderr()}`);
        }
        return undefined;
      },
      { timeoutMs: o.timeoutMs ?? timeoutMs, intervalMs: 20, what: o.what ?? 'a daemon event' },
    );

  const started: StartedSdkDaemon = {
    daemonPid: child.pid,
    daemonStartId,
    child,
    children: [],
    events,
    leftovers: [],
    scene,
    waitForEvent,
    stderr,
  };
  const native = (opts.sdk ?? 'native') === 'native';
  started.children = await Promise.all(opts.sessions.map((s, i) => settle(rig, started, s, i, native, timeoutMs)));
  started.leftovers.sort((a, b) => a.sessionIndex - b.sessionIndex);
  return started;
}

/**
 * Waits until session i is where its kind leaves it: live, leak and tool after their first turn
 * (the record idle again, for the native CLI, as the legacy one writes no status; the transcript
 * ending with the assistant's answer); hang once the mock holds its request (the record busy, the
 * transcript ending with the request); once after the child has exited.
 */
async function settle(rig: Rig, d: StartedSdkDaemon, s: SdkSession, i: number, native: boolean, timeoutMs: number): Promise<SdkChild> {
  const what = (x: string): string => `session ${i} (${s.kind}): ${x}`;
  const spawned = await d.waitForEvent((e) => e.event === 'child' && e.session === i, { what: what('the child') });
  if (spawned.event !== 'child') throw new Error('unreachable');
  const startId = trackedStartId(spawned.pid) ?? track(spawned.pid);
  const init = await d.waitForEvent((e) => e.event === 'init' && e.session === i, { what: what('the init message') });
  const sessionId = init.event === 'init' ? init.sessionId : '';
  const out: SdkChild = { sessionIndex: i, kind: s.kind, pid: spawned.pid, startId, sessionId, command: spawned.command, args: spawned.args };
  if (s.kind === 'hang') {
    await rig.api.waitForRequest((r) => r.sessionId === sessionId && r.answer === 'hang', { timeoutMs, what: what('the held request') });
    if (native) await waitForRecord(d.scene, spawned.pid, (r) => r.status === 'busy', timeoutMs);
    // The native CLI logs the request it sent; the legacy one only the user's message.
    const pending = native ? 'api-request' : 'user';
    await waitForTranscript(d.scene, sessionId, (e) => turnEntries(e).at(-1)?.type === pending, timeoutMs);
    return out;
  }
  await d.waitForEvent((e) => e.event === 'result' && e.session === i && e.n === 1, { what: what('the first result') });
  if (s.kind === 'once') {
    await d.waitForEvent((e) => e.event === 'exit' && e.session === i, { what: what('the child to exit') });
    return out;
  }
  if (native) await waitForRecord(d.scene, spawned.pid, (r) => r.status === 'idle', timeoutMs);
  await waitForTranscript(d.scene, sessionId, turnOver, timeoutMs);
  if (s.kind === 'tool') {
    const left = leftoverOf(rig, sessionId, i, spawned.pid);
    if (left) d.leftovers.push(left);
  }
  return out;
}

/**
 * The job the tool's command backgrounded: the number it printed last (`… & echo $!`), registered
 * at once (it has been reparented to init, out of reach of the descendant search). A command that
 * prints no number leaves nothing. A refused command fails the start: Claude Code blocks some
 * (`sleep 1000 & echo $!` is refused as a disguised wait).
 */
function leftoverOf(rig: Rig, sessionId: string, i: number, claudePid: number): ToolLeftover | null {
  const result = rig.api.messages(sessionId).find((r) => r.toolResult !== null);
  if (!result) throw new Error(`session ${i}: the Bash tool's result never reached the mock API`);
  if (result.toolError) throw new Error(`session ${i}: the Bash tool refused or failed: ${result.toolResult}`);
  const printed = /(\d+)\s*$/.exec(result.toolResult ?? '')?.[1];
  if (printed === undefined) return null;
  const pid = Number(printed);
  return { sessionIndex: i, pid, startId: track(pid), claudePid };
}
