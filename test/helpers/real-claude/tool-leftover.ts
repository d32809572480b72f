// A Bash-tool leftover made by real Claude Code: the mock API asks a daemon-driven claude to run a
// command that backgrounds a job and prints its pid; the tool shell exits, the job is reparented
// to init and carries the session's markers (CLAUDE_PID, CLAUDECODE, CLAUDE_CODE_SESSION_ID) in
// its environment.
import type { Rig } from './rig.js';
import { type SdkDaemonOptions, type StartedSdkDaemon, startSdkDaemon } from './sdk-daemon.js';

/**
 * sleep: an external command, so the job execs and shows its own command line (`sleep 1000`).
 * busy: a shell loop, so the job is a fork of the tool shell and keeps the tool shell's whole
 * command line (`/bin/bash -c source …/shell-snapshots/snapshot-bash-….sh … eval '…' … pwd -P >|
 * /tmp/claude-<hex>-cwd`), burning a core.
 * (`sleep 1000 & echo $!` itself is refused by Claude Code 2.1.334: "Blocked: sleep 1000 followed
 * by: echo $!"; the subshell form is not.)
 */
export const LEFTOVER_COMMANDS = {
  sleep: '(sleep 1000) & echo $!',
  busy: 'while :; do :; done & echo $!',
} as const;

export interface ToolLeftoverOptions {
  variant?: keyof typeof LEFTOVER_COMMANDS;
  /** Any command whose output ends with the pid of what it left running. */
  command?: string;
  sdk?: SdkDaemonOptions['sdk'];
  timeoutMs?: number;
}

export interface StartedToolLeftover {
  /** The job left behind (registered for cleanup). */
  pid: number;
  startId: string;
  /** The claude that ran the tool; still alive, its session open. */
  claudePid: number;
  command: string;
  daemon: StartedSdkDaemon;
}

export async function startToolLeftover(rig: Rig, opts: ToolLeftoverOptions = {}): Promise<StartedToolLeftover> {
  const command = opts.command ?? LEFTOVER_COMMANDS[opts.variant ?? 'sleep'];
  const daemon = await startSdkDaemon(rig, { sdk: opts.sdk, sessions: [{ kind: 'tool', command }], timeoutMs: opts.timeoutMs });
  const left = daemon.leftovers[0];
  if (!left) throw new Error(`the tool command printed no pid: ${command}`);
  return { pid: left.pid, startId: left.startId, claudePid: left.claudePid, command, daemon };
}
