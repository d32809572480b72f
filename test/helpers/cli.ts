// Runs the built CLI as a user would: `node bin/claude-reaper.js ...args`, output through pipes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signalIfSame, track } from './cleanup.js';
import { baseEnv } from './fixtures.js';

export const CLI_PATH = fileURLToPath(new URL('../../bin/claude-reaper.js', import.meta.url));
const CLI_TIMEOUT_MS = 20_000;

export interface CliOptions {
  /** Added to our environment (from which Claude markers are removed, as for the fakes). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  input?: string;
  cwd?: string;
  /** Output is always piped, never a terminal; use runInPty for a session with one. */
  tty?: false;
  timeoutMs?: number;
}

export interface CliResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/claude-reaper.js ...args` and collects its exit code and output. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return runNodeScript(CLI_PATH, args, opts);
}

/** Runs `node <script> ...args` the way runCli does (it is what runCli is made of). */
export async function runNodeScript(script: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...baseEnv(), ...opts.env },
    cwd: opts.cwd,
    stdio: 'pipe',
  });
  if (child.pid === undefined) throw new Error(`cannot start node for ${script}`);
  track(child.pid, child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => {}); // the CLI may exit without reading its input
  child.stdin.end(opts.input ?? '');
  const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalIfSame(child.pid!, 'SIGKILL');
  }, timeoutMs);
  // 'close' rather than 'exit': all output has been read by then.
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c: number | null, s: NodeJS.Signals | null) => resolve([c, s])),
  );
  clearTimeout(timer);
  if (timedOut) throw new Error(`${script} ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`);
  return { code, signal, stdout, stderr };
}
