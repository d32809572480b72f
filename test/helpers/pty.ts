// Interactive-shaped sessions on a real pty, through util-linux `script -qfec CMD /dev/null`.
// script starts `$SHELL -c CMD` as a session leader with the pty as its controlling terminal; we set
// SHELL=/bin/sh so the shell is the same everywhere. It keeps running when its own stdin reaches
// EOF, so the session lasts as long as the command does.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { track } from './cleanup.js';
import { type ClaudeOptions, type StartedClaude, fakeEnv, trackChildren } from './fake-claude.js';
import { baseEnv, capture, claudeCommand, readyPath, waitReady, workRoot } from './fixtures.js';
import { procStat, ttyName } from './proc-read.js';
import { requireTools } from './tools.js';

const RUN_TIMEOUT_MS = 20_000;

/** Quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function startScript(command: string, env: Record<string, string>, cwd?: string): ChildProcess {
  requireTools('script');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, SHELL: '/bin/sh' }, cwd, stdio: 'pipe' });
  if (child.pid === undefined) throw new Error('cannot start script(1) from util-linux');
  child.on('error', () => {});
  track(child.pid, child);
  return child;
}

export interface StartedInteractive extends StartedClaude {
  scriptPid: number;
  /** The shell between script and claude. */
  shellPid?: number;
  claudePid: number;
  /** Controlling terminal, like 'pts/3'. */
  tty: string;
  /** script(1), our direct child; its stdin pipe stays open while held. */
  child: ChildProcess;
}

/**
 * Claude as a user runs it: typed by name into a shell on a pty, with no stdin redirection. The shell
 * has job control on (`set -m`), so claude gets its own process group and that group is the
 * terminal's foreground group, as under an interactive shell.
 */
export async function startInteractive(opts: ClaudeOptions = {}): Promise<StartedInteractive> {
  const cmd = claudeCommand(opts.variant ?? 'native', opts.args ?? []);
  const ready = readyPath('interactive');
  const env: Record<string, string> = { ...baseEnv(), ...cmd.env, ...fakeEnv(opts), ...opts.env, FAKE_READY: ready };
  let line: string;
  if (cmd.file === process.execPath) {
    line = ['node', ...cmd.args].map(shellQuote).join(' ');
  } else {
    // Found through PATH, so argv[0] is the bare name, as when typed.
    env.PATH = `${dirname(cmd.file)}:${env.PATH ?? ''}`;
    line = [basename(cmd.file), ...cmd.args].map(shellQuote).join(' ');
  }
  // A command after claude keeps dash from exec'ing it in place of the shell.
  const child = startScript(`set -m; ${line}; exit $?`, env, opts.cwd);
  child.stdout!.resume();
  const output = capture(child.stderr);
  const got = await waitReady(ready, { process: child, output, timeoutMs: opts.timeoutMs });
  const startId = track(got.pid);
  await trackChildren(got.pid, got.children, opts.childCommands ?? []);
  const stat = procStat(got.pid);
  const tty = stat ? ttyName(stat.ttyNr) : null;
  if (!stat || !tty) throw new Error(`pid ${got.pid} has no controlling terminal`);
  const out: StartedInteractive = {
    pid: got.pid,
    startId,
    childPids: got.children,
    binPath: cmd.binPath,
    argv: [cmd.file === process.execPath ? 'node' : basename(cmd.file), ...cmd.args],
    scriptPid: child.pid!,
    claudePid: got.pid,
    tty,
    child,
  };
  if (stat.ppid !== child.pid) {
    out.shellPid = stat.ppid;
    track(stat.ppid);
  }
  if (got.port !== undefined) out.port = got.port;
  return out;
}

export interface PtyResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PtyOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Runs a shell command from a shell on a pty, as if typed into an interactive session: the shell
 * starts it in the background with `&` and waits. Its stdout and stderr go to files (so they are
 * exact, without the pty's CRLF), its stdin is /dev/null; it has the pty as controlling terminal.
 */
export async function runInPty(command: string, opts: PtyOptions = {}): Promise<PtyResult> {
  const base = readyPath('pty').replace(/\.json$/, '');
  const [out, err, code, pid] = ['out', 'err', 'code', 'pid'].map((x) => `${base}.${x}`) as [string, string, string, string];
  const q = shellQuote;
  const line = `( ${command} ) >${q(out)} 2>${q(err)} & echo $! >${q(pid)}; wait $!; echo $? >${q(code)}`;
  const child = startScript(line, { ...baseEnv(), ...opts.env }, opts.cwd ?? workRoot());
  child.stdout!.resume();
  const output = capture(child.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timeoutMs = opts.timeoutMs ?? RUN_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    // Register the command itself too, so cleanup() ends it along with script.
    const started = existsSync(pid) ? Number(readFileSync(pid, 'utf8')) : NaN;
    if (started > 0) {
      try {
        track(started);
      } catch {
        // Already finished.
      }
    }
    throw new Error(`runInPty timed out after ${timeoutMs} ms: ${command}\n${output()}`);
  }
  const text = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const status = text(code).trim();
  return { code: status === '' ? null : Number(status), stdout: text(out), stderr: text(err) };
}
