// Starting claude-shaped processes: directly, as an orphan, and as an orphan under a subreaper.
import { type ChildProcess, spawn } from 'node:child_process';
import { type Command, type Ready, type Variant, baseEnv, capture, claudeCommand, compiled, readyPath, waitReady } from './fixtures.js';
import { track, waitFor } from './cleanup.js';
import { procStat, readCmdline } from './proc-read.js';

export type FakeMode = 'idle' | 'sleep' | 'busy' | 'periodic';

export interface FakeBehaviour {
  /** idle (default): exit on stdin EOF; sleep: ignore stdin; busy: spin; periodic: spin busyMs every periodMs. */
  mode?: FakeMode;
  busyMs?: number;
  periodMs?: number;
  ignoreTerm?: boolean;
  /** `host:port` to connect to and hold silently. */
  tcp?: string;
  /** Port to listen on at 127.0.0.1 (0 = any; the chosen one is returned as `port`). */
  listen?: number;
  /** Shell commands run as children (MCP-server or tool-shell shaped); `$PPID` in them is claude's pid. */
  childCommands?: string[];
  /** Extra environment, e.g. CLAUDE_CODE_ENTRYPOINT=sdk-ts or CLAUDE_CONFIG_DIR. */
  env?: Record<string, string>;
}

export interface ClaudeOptions extends FakeBehaviour {
  variant?: Variant;
  /** argv after the program (after cli.js for the node variants). */
  args?: string[];
  /** Defaults to the path executed, as the SDK's spawn gives it. */
  argv0?: string;
  stdin?: 'pipe' | 'ignore';
  cwd?: string;
  /** Own session and process group (setsid). */
  detached?: boolean;
  timeoutMs?: number;
}

export interface StartedClaude {
  pid: number;
  startId: string;
  /** Present when the claude is our direct child; its stdin pipe stays open while held. */
  child?: ChildProcess;
  childPids: number[];
  port?: number;
  binPath: string;
  /** The full argv the process was started with. */
  argv: string[];
}

/** The FAKE_* settings for a behaviour. */
export function fakeEnv(b: FakeBehaviour): Record<string, string> {
  const env: Record<string, string> = { FAKE_MODE: b.mode ?? 'idle' };
  if (b.busyMs !== undefined) env.FAKE_BUSY_MS = String(b.busyMs);
  if (b.periodMs !== undefined) env.FAKE_PERIOD_MS = String(b.periodMs);
  if (b.ignoreTerm) env.FAKE_IGNORE_TERM = '1';
  if (b.tcp) env.FAKE_TCP = b.tcp;
  if (b.listen !== undefined) env.FAKE_LISTEN = String(b.listen);
  (b.childCommands ?? []).forEach((c, i) => {
    env[i === 0 ? 'FAKE_CHILD' : `FAKE_CHILD${i + 1}`] = c;
  });
  return env;
}

interface Prepared {
  cmd: Command;
  argv0: string;
  env: Record<string, string>;
  ready: string;
}

function prepare(opts: ClaudeOptions): Prepared {
  const cmd = claudeCommand(opts.variant ?? 'native', opts.args ?? []);
  const ready = readyPath('claude');
  const env = { ...baseEnv(), ...cmd.env, ...fakeEnv(opts), ...opts.env, FAKE_READY: ready };
  return { cmd, argv0: opts.argv0 ?? cmd.argv0, env, ready };
}

/**
 * Registers a claude's child commands and waits until each has really started: the fake reports
 * ready right after fork, so a child may still be a copy of claude, or `sh -c` before its `exec`.
 * A command that begins with `exec ` is waited for until it has replaced the shell.
 */
export async function trackChildren(parentPid: number, childPids: number[], commands: readonly string[]): Promise<void> {
  const parentArgv = JSON.stringify(readCmdline(parentPid));
  await Promise.all(
    childPids.map(async (pid, i) => {
      try {
        track(pid);
      } catch {
        return; // A child command that already finished: nothing to end.
      }
      const execs = /^\s*exec\s/.test(commands[i] ?? '');
      await waitFor(
        () => {
          const argv = readCmdline(pid);
          if (!argv) return true;
          if (JSON.stringify(argv) === parentArgv) return false;
          return !(execs && argv[0] === 'sh' && argv[1] === '-c');
        },
        { what: `child command ${i + 1} of pid ${parentPid} to start` },
      );
    }),
  );
}

async function started(p: Prepared, opts: ClaudeOptions, ready: Ready, startId: string): Promise<StartedClaude> {
  await trackChildren(ready.pid, ready.children, opts.childCommands ?? []);
  const out: StartedClaude = { pid: ready.pid, startId, childPids: ready.children, binPath: p.cmd.binPath, argv: [p.argv0, ...p.cmd.args] };
  if (ready.port !== undefined) out.port = ready.port;
  return out;
}

/** Spawns a helper program and registers it; rejects if it cannot be started at all. */
async function launch(file: string, args: string[], argv0: string, env: Record<string, string>, opts: ClaudeOptions): Promise<ChildProcess> {
  const child = spawn(file, args, {
    argv0,
    env,
    cwd: opts.cwd,
    detached: opts.detached ?? false,
    stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`cannot start ${file}: ${err.message}`);
  }
  child.on('error', () => {}); // e.g. EPIPE on a stdin the process closed; the test sees the exit.
  track(child.pid, child);
  return child;
}

/** Starts a claude-shaped process as our child and waits until it is ready. */
export async function startClaude(opts: ClaudeOptions = {}): Promise<StartedClaude> {
  const p = prepare(opts);
  const child = await launch(p.cmd.file, p.cmd.args, p.argv0, p.env, opts);
  child.stdout!.resume();
  const output = capture(child.stderr);
  const ready = await waitReady(p.ready, { process: child, output, timeoutMs: opts.timeoutMs });
  return { ...(await started(p, opts, ready, track(child.pid!, child))), child };
}

export interface StartedOrphan extends StartedClaude {
  /** The process that started it and exited at once. */
  intermediatePid: number;
}

/** The stdio peers of an orphan are gone, as when its parent died: close our ends. */
function dropStdio(child: ChildProcess): void {
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/**
 * A claude whose parent exited right after starting it, so it is reparented to pid 1 (or the
 * nearest subreaper). Mode defaults to sleep: an idle one would exit on its stdin's EOF, as real
 * idle SDK children do; only those mid-request outlive their parent.
 */
export async function startOrphan(opts: ClaudeOptions = {}): Promise<StartedOrphan> {
  const p = prepare({ mode: 'sleep', ...opts });
  const maker = await launch(compiled('orphan'), [p.cmd.file, p.argv0, ...p.cmd.args], 'orphan', p.env, opts);
  maker.stdout!.resume();
  const output = capture(maker.stderr);
  const ready = await waitReady(p.ready, { output, timeoutMs: opts.timeoutMs });
  const startId = track(ready.pid);
  await waitFor(() => procStat(ready.pid)?.ppid !== maker.pid, { what: `pid ${ready.pid} to be reparented` });
  dropStdio(maker);
  return { ...(await started(p, opts, ready, startId)), intermediatePid: maker.pid! };
}

export interface StartedUnderSubreaper extends StartedClaude {
  subreaperPid: number;
  subreaperStartId: string;
  orphanPid: number;
  /** The subreaper, our direct child. */
  child: ChildProcess;
}

/** The same orphan, started inside the `subreaper` program, so its ppid becomes the subreaper's pid. */
export async function startUnderSubreaper(opts: ClaudeOptions = {}): Promise<StartedUnderSubreaper> {
  const p = prepare({ mode: 'sleep', ...opts });
  const args = [compiled('orphan'), p.cmd.file, p.argv0, ...p.cmd.args];
  const reaper = await launch(compiled('subreaper'), args, 'subreaper', p.env, opts);
  reaper.stdout!.resume();
  const output = capture(reaper.stderr);
  const ready = await waitReady(p.ready, { process: reaper, output, timeoutMs: opts.timeoutMs });
  const startId = track(ready.pid);
  await waitFor(() => procStat(ready.pid)?.ppid === reaper.pid, { what: `pid ${ready.pid} to be reparented to the subreaper` });
  dropStdio(reaper);
  const subreaperStartId = track(reaper.pid!, reaper);
  return { ...(await started(p, opts, ready, startId)), subreaperPid: reaper.pid!, subreaperStartId, orphanPid: ready.pid, child: reaper };
}
