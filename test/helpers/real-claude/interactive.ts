// Real interactive Claude Code on a real pty: util-linux `script` runs `sh -c 'set -m; claude
// "<prompt>"; exit $?'` (as test/helpers/pty.ts does), so claude is the foreground job of a shell on
// its own terminal, typed by name (argv[0] `claude`, through a symlink as npm's bin/ has it). The
// prompt on the command line is submitted at start, so a turn is taken without sending keys.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { track, waitFor } from '../cleanup.js';
import { capture } from '../fixtures.js';
import { childrenOf, procStat, ttyName } from '../proc-read.js';
import { shellQuote } from '../pty.js';
import { type ClaudeRecord, waitForRecord } from './claude-state.js';
import { type Scene, newScene } from './env.js';
import { trackSceneAtCleanup } from './family.js';
import { settleFirstTurn } from './first-turn.js';
import type { Rig } from './rig.js';
import { SCENE_TIMEOUT_MS } from './sdk-daemon.js';

export interface InteractiveOptions {
  /**
   * Submitted at start (default "say hi"); the starter returns when the turn is over, or, for a
   * prompt that says HANG, when the mock holds the request. null: no prompt, no turn.
   */
  prompt?: string | null;
  scene?: Scene;
  timeoutMs?: number;
}

export interface StartedInteractiveClaude {
  scene: Scene;
  /** script(1), our direct child; its stdin pipe stays open while held. */
  scriptPid: number;
  child: ChildProcess;
  /** The shell on the pty (session leader). */
  shellPid: number;
  claudePid: number;
  claudeStartId: string;
  /** Controlling terminal, like 'pts/3'. */
  tty: string;
  sessionId: string;
  /** The record after the first turn (busy for HANG; as at start without a prompt). */
  record: ClaudeRecord;
  /** What the terminal showed so far (escape sequences included). */
  screen(): string;
}

/** A `claude` on PATH as npm installs it: a symlink to the binary. */
function binDir(rig: Rig, scene: Scene): string {
  const dir = join(scene.configDir, '..', 'bin');
  mkdirSync(dir, { recursive: true });
  try {
    symlinkSync(rig.claude.claudeCodeBinary, join(dir, 'claude'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return dir;
}

export async function startInteractiveClaude(rig: Rig, opts: InteractiveOptions = {}): Promise<StartedInteractiveClaude> {
  const scene = opts.scene ?? newScene(rig.api.url, 'interactive');
  const timeoutMs = opts.timeoutMs ?? SCENE_TIMEOUT_MS;
  const prompt = opts.prompt === undefined ? 'say hi' : opts.prompt;
  const line = ['claude', ...(prompt === null ? [] : [prompt])].map(shellQuote).join(' ');
  const env = { ...scene.env, PATH: `${binDir(rig, scene)}:${scene.env.PATH ?? ''}`, SHELL: '/bin/sh', TERM: 'xterm-256color' };
  trackSceneAtCleanup(scene.configDir);
  // A command after claude keeps the shell from exec'ing it in its own place.
  const child = spawn('script', ['-qfec', `set -m; ${line}; exit $?`, '/dev/null'], { cwd: scene.cwd, env, stdio: 'pipe' });
  if (child.pid === undefined) throw new Error('cannot start script(1) from util-linux');
  child.on('error', () => {});
  const scriptPid = child.pid;
  track(scriptPid, child);
  const screen = capture(child.stdout);
  child.stderr!.resume();

  const found = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`script exited (${child.exitCode}) before claude started:\n${screen()}`);
      const shellPid = childrenOf(scriptPid)[0];
      const claudePid = shellPid === undefined ? undefined : childrenOf(shellPid).find((p) => procStat(p)?.comm === 'claude');
      return shellPid !== undefined && claudePid !== undefined ? { shellPid, claudePid } : null;
    },
    { timeoutMs, what: 'claude to start on the pty' },
  );
  track(found.shellPid);
  const claudeStartId = track(found.claudePid);
  let record = await waitForRecord(scene, found.claudePid, () => true, timeoutMs);
  if (prompt !== null) {
    record = await settleFirstTurn(rig.api, scene, found.claudePid, record.sessionId, timeoutMs);
  }
  const stat = procStat(found.claudePid);
  const tty = stat ? ttyName(stat.ttyNr) : null;
  if (!tty) throw new Error(`claude ${found.claudePid} has no controlling terminal`);
  return { scene, scriptPid, child, shellPid: found.shellPid, claudePid: found.claudePid, claudeStartId, tty, sessionId: record.sessionId, record, screen };
}
