// Running the real `claude` CLI (@anthropic-ai/claude-code's native binary) for one command in a
// scene, e.g. `claude --bg "…"` or `claude agents --json`, registered like every process we start.
import { spawn } from 'node:child_process';
import { track } from '../cleanup.js';
import type { Scene } from './env.js';
import type { Rig } from './rig.js';

export interface ClaudeRun {
  pid: number;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const RUN_TIMEOUT_MS = 60_000;

/** Runs `claude <args>` in the scene (stdin /dev/null) and waits for it to exit. */
export function runClaude(rig: Rig, scene: Scene, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ClaudeRun> {
  const child = spawn(rig.claude.claudeCodeBinary, args, {
    argv0: 'claude',
    cwd: scene.cwd,
    env: { ...scene.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`cannot start ${rig.claude.claudeCodeBinary}`);
  const pid = child.pid;
  track(pid, child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = opts.timeoutMs ?? RUN_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`claude ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ pid, code, signal, stdout, stderr });
    });
  });
}

/** One entry of `claude agents --json`. */
export interface AgentListing {
  pid: number;
  id: string;
  sessionId: string;
  kind: string;
  status: string;
  state: string;
  cwd?: string;
  name?: string;
  startedAt?: number;
}

/** `claude agents --json`: the background sessions Claude Code knows of in this scene. */
export async function listAgents(rig: Rig, scene: Scene): Promise<AgentListing[]> {
  const run = await runClaude(rig, scene, ['agents', '--json']);
  if (run.code !== 0) throw new Error(`claude agents --json exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as AgentListing[];
}
