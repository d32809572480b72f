// Runs the schedulers' own commands (crontab, systemctl, launchctl, schtasks). Injectable, so
// tests can put a stand-in in its place or aim the real binary at a sandbox through PATH.
import { runCommand, type CommandResult } from '../platform/exec.js';
import { failureReason } from '../platform/failure.js';

export interface RunOptions {
  /** Written to the command's stdin (`crontab -` reads the new table there). */
  input?: string;
  timeout?: number;
}

export type Runner = (file: string, args: readonly string[], opts?: RunOptions) => Promise<CommandResult>;

// A scheduler that has not answered in this long is stuck (a bus that never replies).
const DEFAULT_TIMEOUT_MS = 15_000;

/** A runner that resolves commands on the PATH of `env` and passes `env` to them; never throws. */
export function createRunner(env: NodeJS.ProcessEnv): Runner {
  return (file, args, opts = {}) =>
    runCommand(file, args, { env, extendEnv: false, input: opts.input ?? '', timeout: opts.timeout ?? DEFAULT_TIMEOUT_MS });
}

/** The first line a failed command said, for a one-line error. */
export function why(r: CommandResult): string {
  if (r.code === 'ENOENT') return 'not found';
  if (r.timedOut) return 'timed out';
  const said = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).find(Boolean);
  // Never execa's message: it is the whole command line (a crontab line, a unit's path).
  return said ?? failureReason(r);
}
