// One scene of everything a reaper must tell apart, on the real binaries, with what each process
// is (live, or a leak from a given time), for the verdict tests at several ages:
// - SDK 0.3 (native claude): a live session taking a turn every 10 s, a leaked idle child (the
//   prompt stream left open), a request never answered, and two sessions whose Bash tool left a
//   loop running (a sleeping one, and optionally a busy one) before their claude was leaked;
// - SDK 0.2 (node cli.js): a live session, a leaked idle child, a request never answered;
// - an interactive claude on a pty whose Bash tool started a background job (the user's);
// - `claude --bg`: its daemon, pty hosts, spares and the job (killable on demand: then unclaimed
//   spares and their hosts become leaks at once, the claimed session stays the user's);
// - a Claude Desktop session under its running app (the app itself is not claude: unlisted).
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillPlan } from '../../../src/reap/plan.js';
import type { ProcessReport, ScanDocument } from '../../../src/report.js';
import { runCli } from '../cli.js';
import { killHard, waitFor } from '../cleanup.js';
import { procStat, readStartId } from '../proc-read.js';
import { startBackgroundAgent } from './background.js';
import { readRecord, sessionTranscript, turnEntries } from './claude-state.js';
import { startDesktopSession } from './desktop.js';
import { newScene, transcriptPath } from './env.js';
import { startInteractiveClaude } from './interactive.js';
import type { Rig } from './rig.js';
import { type StartedSdkDaemon, startSdkDaemon } from './sdk-daemon.js';

export interface Expectation {
  name: string;
  pid: number;
  startId: string;
  /** `unlisted`: not claude-related at all (Claude Desktop itself), so never listed nor planned. */
  verdict: 'live' | 'leak' | 'unlisted';
  /**
   * For a leak: from when its evidence runs, epoch ms (the earliest and the latest reading of it),
   * and whether the threshold is added (idle and hung) or it is a leak at once (an orphan).
   */
  since?: { earliest: number; latest: number; delayed: boolean };
  /** The flags a reapable verdict must carry. */
  flags?: string[];
}

export interface Scene {
  expectations: Expectation[];
  /** SIGKILLs the background daemon: its unclaimed spares and their hosts turn into leaks. */
  killBackgroundDaemon(): Promise<void>;
  /** Drops an expectation (a process the test ended itself). */
  forget(pid: number): void;
}

export interface SceneOptions {
  /** A busy loop left by the Bash tool (burns a core until the test ends it). */
  busyLeftover?: boolean;
  /** CLAUDE_PTY_ORPHAN_CHECK_MS for the background agent: how long its orphans stay. */
  orphanCheckMs?: number;
}

const SLEEPING_LOOP = 'while :; do sleep 5; done & echo $!';
const BUSY_LOOP = 'while :; do :; done & echo $!';
const LIVE_EVERY_MS = 10_000;

export async function buildScene(rig: Rig, opts: SceneOptions = {}): Promise<Scene> {
  const expectations: Expectation[] = [];
  const live = (name: string, pid: number) => expectations.push({ name, pid, startId: startIdOf(pid), verdict: 'live' });

  const tools = [{ kind: 'tool' as const, command: SLEEPING_LOOP }, ...(opts.busyLeftover ? [{ kind: 'tool' as const, command: BUSY_LOOP }] : [])];
  const native = await startSdkDaemon(rig, { sdk: 'native', sessions: [{ kind: 'live', everyMs: LIVE_EVERY_MS }, { kind: 'leak' }, { kind: 'hang' }, ...tools] });
  const legacy = await startSdkDaemon(rig, { sdk: 'legacy', sessions: [{ kind: 'live', everyMs: LIVE_EVERY_MS }, { kind: 'leak' }, { kind: 'hang' }] });
  for (const [d, what] of [[native, 'SDK 0.3'], [legacy, 'SDK 0.2']] as const) {
    live(`${what} daemon`, d.daemonPid);
    live(`${what} live session`, d.children[0]!.pid);
    expectations.push(idleLeak(`${what} leaked idle child`, d, 1));
    expectations.push(hungLeak(`${what} request never answered`, d, 2));
  }
  for (const [i, leftover] of native.leftovers.entries()) {
    const claude = idleLeak(`claude whose Bash tool left a ${i === 0 ? 'sleeping' : 'busy'} loop`, native, leftover.sessionIndex);
    expectations.push(claude);
    const name = i === 0 ? 'sleeping loop left by the Bash tool' : 'busy loop left by the Bash tool';
    expectations.push({ name, pid: leftover.pid, startId: leftover.startId, verdict: 'leak', since: claude.since, flags: i === 0 ? ['stray-shell'] : ['stray-shell', 'runaway'] });
  }

  const interactive = await interactiveWithJob(rig);
  live('interactive claude on a pty', interactive.claudePid);
  live("the interactive session's background job", interactive.jobPid);

  const bg = await startBackgroundAgent(rig, { orphanCheckMs: opts.orphanCheckMs ?? 600_000 });
  live('background daemon', bg.daemonPid);
  live('background job (claimed session)', bg.session.pid);
  const jobHost = bg.hosts.find((h) => h.childPid === bg.session.pid);
  if (jobHost) live("the job's pty host", jobHost.pid);
  const spareHosts = bg.hosts.filter((h) => h !== jobHost);
  for (const h of spareHosts) live('pty host of a spare', h.pid);
  for (const pid of bg.spares) live('unclaimed spare', pid);

  const desktop = await startDesktopSession(rig);
  // The app is not claude: not listed, and so never reapable; it protects its session.
  expectations.push({ name: 'Claude Desktop app', pid: desktop.appPid, startId: startIdOf(desktop.appPid), verdict: 'unlisted' });
  live('Claude Desktop session', desktop.sessionPid);

  return {
    expectations,
    async killBackgroundDaemon() {
      await killHard(bg.daemonPid);
      const at = Date.now();
      const drop = new Set([bg.daemonPid]);
      for (let i = expectations.length - 1; i >= 0; i--) if (drop.has(expectations[i]!.pid)) expectations.splice(i, 1);
      // The hosts are adopted by init; spares stay under their hosts.
      await waitFor(() => spareHosts.every((h) => procStat(h.pid)?.ppid === 1), { timeoutMs: 10_000, what: 'the pty hosts to be reparented' });
      for (const e of expectations) {
        if (bg.spares.includes(e.pid) || spareHosts.some((h) => h.pid === e.pid)) {
          e.verdict = 'leak';
          e.since = { earliest: at, latest: Date.now(), delayed: false };
          e.flags = ['orphan'];
        }
      }
    },
    forget(pid) {
      const i = expectations.findIndex((e) => e.pid === pid);
      if (i >= 0) expectations.splice(i, 1);
    },
  };
}

function startIdOf(pid: number): string {
  const id = readStartId(pid);
  if (id === null) throw new Error(`pid ${pid} is gone`);
  return id;
}

/** A child idle since its last turn: from its record's last change to the transcript's last write. */
function idleLeak(name: string, d: StartedSdkDaemon, index: number): Expectation {
  const c = d.children[index]!;
  const record = readRecord(d.scene, c.pid);
  const entries = turnEntries(sessionTranscript(d.scene, c.sessionId));
  const lastEntry = Date.parse(entries.at(-1)?.timestamp ?? '');
  const earliest = record?.statusUpdatedAt ?? lastEntry;
  const latest = Math.max(earliest, lastEntry || 0, mtime(transcriptPath(d.scene, c.sessionId)), Date.now());
  return { name, pid: c.pid, startId: c.startId, verdict: 'leak', since: { earliest, latest, delayed: true }, flags: ['abandoned'] };
}

/** A request never answered: outstanding since the prompt that started it. */
function hungLeak(name: string, d: StartedSdkDaemon, index: number): Expectation {
  const c = d.children[index]!;
  const entries = turnEntries(sessionTranscript(d.scene, c.sessionId));
  const prompt = entries.findLast((e) => e.type === 'user');
  const at = Date.parse(prompt?.timestamp ?? '');
  return { name, pid: c.pid, startId: c.startId, verdict: 'leak', since: { earliest: at, latest: Math.max(at, Date.now()), delayed: true }, flags: ['hung'] };
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * An interactive claude on a pty that ran a background job through its Bash tool, as a user
 * would: the prompt typed, the permission dialog answered with Enter (manual mode: the auto
 * mode's safety check needs Anthropic's servers).
 */
async function interactiveWithJob(rig: Rig): Promise<{ claudePid: number; jobPid: number }> {
  const scene = newScene(rig.api.url, 'interactive-job');
  writeFileSync(join(scene.configDir, 'settings.json'), JSON.stringify({ permissions: { defaultMode: 'default' } }));
  const s = await startInteractiveClaude(rig, { scene, prompt: null });
  await waitFor(() => readRecord(scene, s.claudePid)?.status === 'idle', { timeoutMs: 30_000, what: 'the interactive claude to be ready' });
  s.child.stdin!.write(`TOOL:${SLEEPING_LOOP}`);
  await new Promise((r) => setTimeout(r, 300));
  s.child.stdin!.write('\r');
  await waitFor(() => readRecord(scene, s.claudePid)?.status === 'waiting', { timeoutMs: 30_000, what: 'the permission dialog' });
  // Enter picks the dialog's first choice (yes) once it is drawn; pressed again while it still waits.
  const result = await waitFor(
    async () => {
      const done = rig.api.messages(s.sessionId).find((r) => r.toolResult !== null);
      if (done) return done;
      if (readRecord(scene, s.claudePid)?.status === 'waiting') {
        await new Promise((r) => setTimeout(r, 1_000));
        if (readRecord(scene, s.claudePid)?.status === 'waiting') s.child.stdin!.write('\r');
      }
      return null;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `the tool result (the screen shows: ${s.screen().slice(-300)})` },
  );
  const jobPid = Number(/(\d+)\s*$/.exec(String(result.toolResult))?.[1]);
  if (!Number.isInteger(jobPid) || jobPid <= 0) throw new Error(`no job pid in the tool result: ${String(result.toolResult)}`);
  await waitFor(() => readRecord(scene, s.claudePid)?.status === 'idle', { timeoutMs: 30_000, what: 'the turn to end' });
  return { claudePid: s.claudePid, jobPid };
}

export interface JudgeOptions {
  thresholdMs: number;
  /** A leak must be reapable this long after its threshold. */
  withinMs: number;
  /** Slack for clocks read a moment apart. */
  marginMs?: number;
}

/** What the scan got wrong, as sentences (empty when every verdict holds at this age). */
export function judge(expectations: readonly Expectation[], doc: ScanDocument, opts: JudgeOptions): string[] {
  const at = Date.parse(doc.scannedAt);
  const margin = opts.marginMs ?? 2_000;
  const byPid = new Map(doc.processes.map((p) => [p.pid, p]));
  const misses: string[] = [];
  for (const e of expectations) {
    const p: ProcessReport | undefined = byPid.get(e.pid);
    if (e.verdict === 'unlisted') {
      if (p && p.startId === e.startId) misses.push(`${e.name} (${e.pid}) is listed as ${p.kind}`);
      continue;
    }
    if (!p || p.startId !== e.startId) {
      misses.push(`${e.name} (${e.pid}) is missing from the scan`);
      continue;
    }
    const why = `flags ${p.flags.join(',') || '-'}, protection ${p.protection?.id ?? '-'}: ${p.reasons.map((r) => r.text).join('; ')}`;
    if (e.verdict === 'live') {
      if (p.reapable) misses.push(`${e.name} (${e.pid}), live, is reapable (${why})`);
      continue;
    }
    const s = e.since!;
    const from = (d: number) => d + (s.delayed ? opts.thresholdMs : 0);
    if (at < from(s.earliest) - margin && p.reapable) misses.push(`${e.name} (${e.pid}) is reapable ${Math.round((from(s.earliest) - at) / 1000)} s before its threshold (${why})`);
    if (at >= from(s.latest) + opts.withinMs) {
      if (!p.reapable) misses.push(`${e.name} (${e.pid}) is not reapable ${Math.round((at - from(s.latest)) / 1000)} s after its threshold (${why})`);
      for (const f of e.flags ?? []) if (!p.flags.includes(f as never)) misses.push(`${e.name} (${e.pid}) lacks ${f} (${why})`);
    }
  }
  return misses;
}

export interface SceneKill {
  /** Every pid the plan of `kill --yes` named (targets and what goes with them), machine-wide. */
  planned: Set<number>;
  /** The scene's pids that exited on the signal or needed SIGKILL. */
  ended: Set<number>;
}

/**
 * `kill --yes` with the given options, confined to the scene: the plan `kill --yes` would carry
 * out (`kill --dry-run --json`, the same selection and checks) is read whole, then carried out
 * (`kill --plan --yes`, identities re-checked) for the scene's own targets only. Other test files'
 * processes on the machine may be leaks too, and are theirs to end.
 */
export async function killInScene(scene: Scene, sandboxEnv: Record<string, string>, args: readonly string[], dir: string): Promise<SceneKill> {
  const dry = await runCli(['kill', '--dry-run', '--json', ...args], { env: sandboxEnv, timeoutMs: 60_000 });
  if (dry.code !== 0) throw new Error(`kill --dry-run failed (${dry.code}): ${dry.stderr}`);
  const plan = JSON.parse(dry.stdout) as KillPlan;
  const planned = new Set(plan.targets.flatMap((t) => [t.pid, ...t.descendants.map((d) => d.pid)]));
  const mine = new Set(scene.expectations.map((e) => e.pid));
  const file = join(dir, `scene-plan-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ ...plan, targets: plan.targets.filter((t) => mine.has(t.pid)) }));
  const run = await runCli(['kill', '--plan', file, '--yes', '--json', '--no-log'], { env: sandboxEnv, timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`kill --plan failed (${run.code}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { outcomes: { pid: number; outcome: string }[] };
  const ended = new Set(result.outcomes.filter((o) => o.outcome === 'terminated' || o.outcome === 'killed').map((o) => o.pid));
  return { planned, ended };
}
