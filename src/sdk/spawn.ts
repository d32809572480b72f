// Starting claude the way the Agent SDK's own spawner does (stdio pipes, the SDK's abort signal,
// no console window on Windows), so that a daemon sees no difference but the guard knows the pid.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** What the SDK hands `spawnClaudeCodeProcess` (its `SpawnOptions`), as far as the guard needs it. */
export interface SpawnRequest {
  command: string;
  args: string[];
  cwd?: string;
  env: { [name: string]: string | undefined };
  /**
   * The SDK's own abort signal: it fires only after the SDK has closed claude's stdin and waited
   * its grace (~2 s), so passing it on keeps the SDK's own escalation working.
   */
  signal?: AbortSignal;
}

export function spawnClaude(req: SpawnRequest, stderr: ((text: string) => void) | null): ChildProcessWithoutNullStreams {
  const child = spawn(req.command, req.args, {
    cwd: req.cwd,
    env: req.env as NodeJS.ProcessEnv, // spawn leaves out the undefined values
    stdio: ['pipe', 'pipe', 'pipe'],
    signal: req.signal,
    windowsHide: true,
  });
  // Always read stderr: the SDK reads only stdout from a custom spawner, and a full stderr pipe
  // would stop claude mid-write.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => stderr?.(text));
  child.stderr.on('error', () => {});
  // The SDK listens for 'error' (a failed spawn, its abort) itself; this one only keeps an error
  // it has stopped listening for from becoming the daemon's uncaught exception.
  child.on('error', () => {});
  return child;
}
