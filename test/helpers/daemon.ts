// A daemon that drives claude children through the Agent SDK's shape (claude-mem's worker).
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { track } from './cleanup.js';
import { type FakeBehaviour, fakeEnv, trackChildren } from './fake-claude.js';
import { type Ready, SCRIPTS_DIR, SDK_VERSION, type Variant, baseEnv, capture, claudeCommand, readyPath, waitReady, workRoot } from './fixtures.js';

/** The argv the Agent SDK gives the claude it spawns. */
export const SDK_ARGS = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--model=claude-sonnet-4-5'];
/** Where claude-mem installs its worker, relative to the scratch root. */
export const DEFAULT_INSTALL_PATH = 'home/.claude/plugins/marketplaces/thedotmack/plugin/scripts';

export interface DaemonOptions extends FakeBehaviour {
  /** Folder under the scratch root holding worker-service.cjs; two paths give two daemons' shapes. */
  installPath?: string;
  /** The script's file name (default worker-service.cjs, a known daemon); another name is a daemon nothing knows by name. */
  scriptName?: string;
  /** How many claude children (default 2). */
  count?: number;
  variant?: Variant;
  /** Claude's argv after the program (default SDK_ARGS). */
  args?: string[];
  /** The daemon's own arguments after `--daemon`. */
  daemonArgs?: string[];
  timeoutMs?: number;
}

export interface StartedDaemon {
  pid: number;
  startId: string;
  childPids: number[];
  /** Each claude child's own ready report: its pid, its children (childCommands), its port. */
  claudes: Ready[];
  child: ChildProcess;
  /** The worker-service.cjs it runs. */
  scriptPath: string;
}

/**
 * Starts `node …/worker-service.cjs --daemon` in its own session (detached, as a daemon is), which
 * spawns `count` claude children with open stdio pipes and entrypoint sdk-ts. SIGKILL it with
 * killHard() to leave the children running with dead stdio peers, as a daemon crash does.
 */
export async function startDaemon(opts: DaemonOptions = {}): Promise<StartedDaemon> {
  const dir = join(workRoot(), opts.installPath ?? DEFAULT_INSTALL_PATH);
  const scriptPath = join(dir, opts.scriptName ?? 'worker-service.cjs');
  if (!existsSync(scriptPath)) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(SCRIPTS_DIR, 'daemon.cjs'), scriptPath);
  }
  const cmd = claudeCommand(opts.variant ?? 'sdk-bundled', opts.args ?? SDK_ARGS);
  const ready = readyPath('daemon');
  const config = {
    file: cmd.file,
    argv0: cmd.argv0,
    args: cmd.args,
    count: opts.count ?? 2,
    env: { CLAUDE_CODE_ENTRYPOINT: 'sdk-ts', CLAUDE_AGENT_SDK_VERSION: SDK_VERSION, ...cmd.env, ...fakeEnv(opts), ...opts.env },
    readyDir: join(workRoot(), 'ready'),
    ready,
  };
  const child = spawn(process.execPath, [scriptPath, '--daemon', ...(opts.daemonArgs ?? [])], {
    argv0: 'node',
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...baseEnv(), FAKE_DAEMON: JSON.stringify(config) },
  });
  if (child.pid === undefined) throw new Error('cannot start node for the daemon');
  const startId = track(child.pid, child);
  const output = capture(child.stderr);
  const got = (await waitReady(ready, { process: child, output, timeoutMs: opts.timeoutMs })) as Ready & { claudes: Ready[] };
  for (const c of got.claudes) {
    track(c.pid);
    await trackChildren(c.pid, c.children, opts.childCommands ?? []);
  }
  return { pid: child.pid, startId, childPids: got.children, claudes: got.claudes, child, scriptPath };
}
