// Claude Code's own background agents: `claude --bg "<prompt>"` leaves a daemon (reparented to init,
// its own session), pty hosts (argv[0] "claude bg-pty-host") each running a spare (argv[0] "claude
// bg-spare") or a job, and the job's session with a pts tty and a record of kind "bg".
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup, track, waitFor } from '../cleanup.js';
import { procStat, readCmdline, ttyName } from '../proc-read.js';
import { type ClaudeRecord, readRecord } from './claude-state.js';
import { type Scene, newScene } from './env.js';
import { pidsWithConfigDir, trackScene, trackSceneAtCleanup } from './family.js';
import { settleFirstTurn } from './first-turn.js';
import type { Rig } from './rig.js';
import { runClaude } from './run-claude.js';
import { SCENE_TIMEOUT_MS } from './sdk-daemon.js';

export const PTY_HOST_ARGV0 = 'claude bg-pty-host';
export const SPARE_ARGV0 = 'claude bg-spare';

export interface BackgroundOptions {
  /** The job's prompt (default "say hi"); HANG makes it a job whose request is never answered. */
  prompt?: string;
  /**
   * CLAUDE_PTY_ORPHAN_CHECK_MS for the --bg invocation (and so the daemon and its hosts): orphaned
   * pty hosts end their child and themselves about 60 s after the daemon dies; a test that needs
   * the orphans to stay stretches it (e.g. 600000).
   */
  orphanCheckMs?: number;
  scene?: Scene;
  timeoutMs?: number;
}

export interface PtyHost {
  pid: number;
  startId: string;
  /** What it runs: a spare or the job's session (null when between children). */
  childPid: number | null;
}

export interface BackgroundSession {
  pid: number;
  startId: string;
  jobId: string;
  sessionId: string;
  /** A spare that took the job, or a process started for it (`claude.exe --session-id <uuid> <prompt>`). */
  via: 'claimed-spare' | 'own-process';
  tty: string | null;
  record: ClaudeRecord;
}

export interface StartedBackgroundAgent {
  scene: Scene;
  /** The `claude --bg` invocation (exited). */
  bgPid: number;
  /** What it printed: `backgrounded · <jobId>` and the commands to manage it. */
  output: string;
  /** The daemon's socket folder, /tmp/cc-daemon-<uid>/<id> (removed at cleanup). */
  daemonDir: string | null;
  daemonPid: number;
  daemonStartId: string;
  hosts: PtyHost[];
  /** Spares waiting to be claimed. */
  spares: number[];
  session: BackgroundSession;
}

function argv0(pid: number): string | null {
  return readCmdline(pid)?.[0] ?? null;
}

/** The daemon that `claude --bg` (pid bgPid) started: `… daemon run … --spawned-by {…"pid":bgPid}`. */
function findDaemon(configDir: string, bgPid: number): number | null {
  for (const pid of pidsWithConfigDir(configDir)) {
    const argv = readCmdline(pid) ?? [];
    const i = argv.indexOf('--spawned-by');
    if (argv[1] !== 'daemon' || argv[2] !== 'run' || i < 0) continue;
    try {
      if ((JSON.parse(argv[i + 1] ?? '') as { pid?: number }).pid === bgPid) return pid;
    } catch {
      // Not the JSON we know.
    }
  }
  return null;
}

/** The record of the job's session (kind "bg", jobId). */
function jobRecord(scene: Scene, jobId: string): ClaudeRecord | null {
  let names: string[];
  try {
    names = readdirSync(join(scene.configDir, 'sessions'));
  } catch {
    return null;
  }
  for (const name of names) {
    const m = /^(\d+)\.json$/.exec(name);
    const r = m ? readRecord(scene, Number(m[1])) : null;
    if (r?.jobId === jobId) return r;
  }
  return null;
}

function childOf(pid: number, pids: number[]): number | null {
  return pids.find((p) => procStat(p)?.ppid === pid) ?? null;
}

/**
 * Runs `claude --bg` and waits until the job's first turn is over (its record idle after the mock
 * answered it; busy with its request held, for HANG) and at least one spare waits to be claimed. The daemon, not our descendant, is
 * found by its --spawned-by pid and registered, and so is everything of the scene at cleanup.
 */
export async function startBackgroundAgent(rig: Rig, opts: BackgroundOptions = {}): Promise<StartedBackgroundAgent> {
  const scene = opts.scene ?? newScene(rig.api.url, 'bg');
  const timeoutMs = opts.timeoutMs ?? SCENE_TIMEOUT_MS;
  const env: Record<string, string> = opts.orphanCheckMs === undefined ? {} : { CLAUDE_PTY_ORPHAN_CHECK_MS: String(opts.orphanCheckMs) };
  trackSceneAtCleanup(scene.configDir);
  const bg = await runClaude(rig, scene, ['--bg', opts.prompt ?? 'say hi'], { env, timeoutMs });
  const jobId = /backgrounded · (\S+)/.exec(bg.stdout)?.[1];
  if (bg.code !== 0 || !jobId) throw new Error(`claude --bg failed (${bg.code}):\n${bg.stdout}\n${bg.stderr}`);
  const daemonPid = await waitFor(() => findDaemon(scene.configDir, bg.pid), { timeoutMs, what: 'the daemon of claude --bg' });
  const daemonStartId = track(daemonPid);

  const record = await waitFor(() => jobRecord(scene, jobId), { timeoutMs, what: `the record of job ${jobId}` });
  const settled = await settleFirstTurn(rig.api, scene, record.pid, record.sessionId, timeoutMs);
  const family = await waitFor(
    () => {
      const pids = pidsWithConfigDir(scene.configDir);
      const spares = pids.filter((p) => p !== record.pid && argv0(p) === SPARE_ARGV0);
      return spares.length > 0 ? { pids, spares } : null;
    },
    { timeoutMs, what: 'a spare waiting to be claimed' },
  );
  trackScene(scene.configDir);
  const hosts = family.pids
    .filter((p) => argv0(p) === PTY_HOST_ARGV0)
    .map((pid) => ({ pid, startId: track(pid), childPid: childOf(pid, family.pids) }));
  // The daemon's socket folder, /tmp/cc-daemon-<uid>/<id>/ (one per config dir), outlives it.
  const daemonDir = /^(\/tmp\/cc-daemon-\d+\/[0-9a-f]+)\//.exec(readCmdline(hosts[0]?.pid ?? 0)?.[2] ?? '')?.[1];
  if (daemonDir) onCleanup(() => rmSync(daemonDir, { recursive: true, force: true }));
  const stat = procStat(record.pid);
  const session: BackgroundSession = {
    pid: record.pid,
    startId: track(record.pid),
    jobId,
    sessionId: record.sessionId,
    via: argv0(record.pid) === SPARE_ARGV0 ? 'claimed-spare' : 'own-process',
    tty: stat ? ttyName(stat.ttyNr) : null,
    record: settled,
  };
  return { scene, bgPid: bg.pid, output: bg.stdout, daemonDir: daemonDir ?? null, daemonPid, daemonStartId, hosts, spares: family.spares, session };
}
