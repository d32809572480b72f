// More process shapes for the live scan and classifier tests: a claude under a shell, a zombie
// claude, a claude of another user, a claude installed at a path of our choosing, an orphan whose
// process group leader is gone, and a process that merely mentions claude.
// Every process is registered with track(), so useProcessCleanup() ends exactly these pids.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onCleanup, signalIfSame, track, waitFor } from './cleanup.js';
import { type ClaudeOptions, fakeEnv } from './fake-claude.js';
import { SCRIPTS_DIR, baseEnv, capture, claudeCommand, compiled, readyPath, waitReady } from './fixtures.js';
import { procStat, readCmdline } from './proc-read.js';
import { shellQuote } from './pty.js';

function spawned(file: string, args: string[], opts: { env?: Record<string, string>; argv0?: string; detached?: boolean } = {}): ChildProcess {
  const child = spawn(file, args, { env: opts.env ?? baseEnv(), argv0: opts.argv0, detached: opts.detached ?? false, stdio: ['pipe', 'ignore', 'pipe'] });
  if (child.pid === undefined) throw new Error(`cannot start ${file}`);
  child.on('error', () => {});
  track(child.pid, child);
  return child;
}

export interface UnderShell {
  shellPid: number;
  pid: number;
  startId: string;
}

/**
 * A claude run by `sh -c` (a script, a cron job): the shell stays its parent, because a command
 * after claude keeps dash from exec'ing it in place of the shell.
 */
export async function startUnderShell(opts: ClaudeOptions = {}): Promise<UnderShell> {
  const cmd = claudeCommand(opts.variant ?? 'native', opts.args ?? []);
  const ready = readyPath('shell');
  const env = { ...baseEnv(), ...cmd.env, ...fakeEnv(opts), ...opts.env, FAKE_READY: ready };
  const line = `${[cmd.file, ...cmd.args].map(shellQuote).join(' ')}; exit $?`;
  const shell = spawned('/bin/sh', ['-c', line], { env });
  const got = await waitReady(ready, { process: shell, output: capture(shell.stderr) });
  return { shellPid: shell.pid!, pid: got.pid, startId: track(got.pid) };
}

export interface Zombie {
  /** The parent that never waits: `sh` that exec'd `sleep`. */
  parentPid: number;
  pid: number;
}

/**
 * A zombie claude: `sh -c 'claude & exec sleep 1000'` starts claude in the background and becomes
 * `sleep`, which never waits for children; SIGKILLing claude then leaves it unreaped.
 */
export async function startZombieClaude(): Promise<Zombie> {
  const cmd = claudeCommand('native');
  const ready = readyPath('zombie');
  const env = { ...baseEnv(), ...fakeEnv({ mode: 'sleep' }), FAKE_READY: ready };
  const parent = spawned('/bin/sh', ['-c', `${shellQuote(cmd.file)} </dev/null & exec sleep 1000`], { env });
  const got = await waitReady(ready, { process: parent, output: capture(parent.stderr) });
  track(got.pid);
  await waitFor(() => readCmdline(parent.pid!)?.[0] === 'sleep', { what: 'the parent to become sleep' });
  signalIfSame(got.pid, 'SIGKILL');
  await waitFor(() => procStat(got.pid)?.state === 'Z', { what: `pid ${got.pid} to become a zombie` });
  return { parentPid: parent.pid!, pid: got.pid };
}

export interface OtherUserClaude {
  pid: number;
  uid: number;
  binPath: string;
}

/**
 * A claude running as another user, through util-linux `setpriv` (needs root, as the test machine
 * runs; throws otherwise). The binary is copied where that user can execute it: the scratch root
 * is private to us.
 */
export async function startAsUser(uid: number, args: string[] = []): Promise<OtherUserClaude> {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-user-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const binPath = join(dir, 'bin', 'claude');
  mkdirSync(join(dir, 'bin'), { mode: 0o755 });
  copyFileSync(compiled('claude'), binPath);
  chmodSync(binPath, 0o755);
  const child = spawned('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', binPath, ...args], {
    env: { ...baseEnv(), ...fakeEnv({ mode: 'sleep' }) },
  });
  const output = capture(child.stderr);
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`setpriv exited with code ${child.exitCode}: ${output()}`);
      return readCmdline(child.pid!)?.[0] === binPath;
    },
    { what: 'setpriv to exec the claude' },
  );
  // setpriv exec'd claude in place: the pid and start time are setpriv's, which track() registered.
  return { pid: child.pid!, uid, binPath };
}

/**
 * Any long-running process with the given argv0 and arguments (node underneath: `argv0 -e <keep
 * running> -- ...args`, where `--` keeps node from taking the arguments as its own options).
 */
export async function startPlain(argv0: string, args: string[]): Promise<{ pid: number; argv: string[] }> {
  const ready = readyPath('plain');
  // The ready file is renamed into place, so it is never seen half written.
  const tmp = JSON.stringify(`${ready}.tmp`);
  const keepRunning = `const fs = require('fs'); fs.writeFileSync(${tmp}, '{}'); fs.renameSync(${tmp}, ${JSON.stringify(ready)}); setInterval(() => {}, 1 << 30)`;
  const nodeArgs = ['-e', keepRunning, '--', ...args];
  const child = spawned(process.execPath, nodeArgs, { argv0 });
  await waitReady(ready, { process: child, output: capture(child.stderr) });
  return { pid: child.pid!, argv: [argv0, ...nodeArgs] };
}


/**
 * A copy of the fake claude installed at `path` (a binary, or for a path ending in `cli.js` the npm
 * CLI run by node), started in sleep mode: for install paths the fixtures do not have, such as one
 * holding a space.
 */
export async function startCopyAt(path: string, args: string[] = []): Promise<{ pid: number; argv: string[] }> {
  mkdirSync(dirname(path), { recursive: true });
  const node = path.endsWith('cli.js');
  if (node) {
    copyFileSync(join(SCRIPTS_DIR, 'fake-claude-cli.mjs'), path);
    writeFileSync(join(dirname(path), 'package.json'), JSON.stringify({ name: '@anthropic-ai/claude-code', type: 'module' }));
  } else {
    copyFileSync(compiled('claude'), path);
    chmodSync(path, 0o755);
  }
  const ready = readyPath('copy');
  const env = { ...baseEnv(), ...fakeEnv({ mode: 'sleep' }), FAKE_READY: ready };
  const child = node ? spawned(process.execPath, [path, ...args], { env, argv0: 'node' }) : spawned(path, args, { env });
  const got = await waitReady(ready, { process: child, output: capture(child.stderr) });
  return { pid: got.pid, argv: node ? ['node', path, ...args] : [path, ...args] };
}

export interface DetachedOrphan {
  subreaperPid: number;
  pid: number;
  /** The process group and session leader it was born into, which is gone. */
  leaderPid: number;
}

/**
 * A claude whose parent made a session of its own (setsid(1), as a daemon does) and died, under a
 * subreaper nobody knows by name: it is adopted by the subreaper, and keeps the dead parent's
 * process group and session, which the subreaper is not in.
 */
export async function startDetachedUnderSubreaper(args: string[] = []): Promise<DetachedOrphan> {
  const cmd = claudeCommand('native', args);
  const ready = readyPath('detached');
  const env = { ...baseEnv(), ...fakeEnv({ mode: 'sleep' }), FAKE_READY: ready };
  const reaper = spawned(compiled('subreaper'), ['setsid', compiled('orphan'), cmd.file, cmd.argv0, ...cmd.args], { env, argv0: 'subreaper' });
  const got = await waitReady(ready, { process: reaper, output: capture(reaper.stderr) });
  track(got.pid);
  await waitFor(() => procStat(got.pid)?.ppid === reaper.pid, { what: `pid ${got.pid} to be adopted by the subreaper` });
  return { subreaperPid: reaper.pid!, pid: got.pid, leaderPid: procStat(got.pid)!.pgid };
}
