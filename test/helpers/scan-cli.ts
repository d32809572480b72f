// Running `claude-reaper scan` against real processes: a private HOME, state and config dir, the
// JSON document parsed, and lookups by pid. The machine may run other claude-shaped processes
// (other test files, a benchmark population), so tests look up the pids they started, never totals.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessReport, ScanDocument } from '../../src/report.js';
import { track, waitFor } from './cleanup.js';
import { CLI_PATH, type CliOptions, type CliResult, runCli } from './cli.js';
import { baseEnv, workRoot } from './fixtures.js';
import { procStat } from './proc-read.js';
import { shellQuote } from './pty.js';
import { requireTools } from './tools.js';

/** Directories the CLI under test uses instead of the real user's. */
export interface Sandbox {
  root: string;
  home: string;
  stateDir: string;
  configDir: string;
  /** The environment that points the CLI at the directories above. */
  env: Record<string, string>;
}

/** A fresh sandbox under this test file's scratch root. */
export function sandbox(): Sandbox {
  const root = mkdtempSync(join(workRoot(), 'sandbox-'));
  const home = join(root, 'home');
  const stateDir = join(root, 'state', 'claude-reaper');
  const configDir = join(root, 'config', 'claude-reaper');
  for (const dir of [home, stateDir, configDir]) mkdirSync(dir, { recursive: true });
  return {
    root,
    home,
    stateDir,
    configDir,
    env: {
      HOME: home,
      XDG_STATE_HOME: join(root, 'state'),
      XDG_CONFIG_HOME: join(root, 'config'),
      CLAUDE_REAPER_STATE_DIR: stateDir,
      CLAUDE_REAPER_CONFIG_DIR: configDir,
    },
  };
}

/** Writes a config file in the sandbox (not at the default path) and returns its path. */
export function writeConfig(box: Sandbox, config: unknown, name = `config-${Date.now()}-${Math.random().toString(36).slice(2)}.json`): string {
  const path = join(box.root, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

export interface ScanRun extends CliOptions {
  /** The exit code expected (default 0); any other fails with the CLI's stderr. */
  code?: number;
}

/** Runs `scan` with the sandbox's environment. */
export function scanCli(box: Sandbox, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return runCli(['scan', ...args], { ...opts, env: { ...box.env, ...opts.env } });
}

/** Runs `scan --json` and parses the whole of stdout as the one document it must be. */
export async function scanJson(box: Sandbox, args: string[], opts: ScanRun = {}): Promise<ScanDocument> {
  const r = await scanCli(box, ['--json', ...args], opts);
  if (r.code !== (opts.code ?? 0)) throw new Error(`scan ${args.join(' ')} exited ${r.code}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as ScanDocument;
}

/** The report of one pid, or an error that says which of the wanted pids were there. */
export function find(doc: ScanDocument, pid: number): ProcessReport {
  const p = doc.processes.find((x) => x.pid === pid);
  if (!p) throw new Error(`pid ${pid} is not in the scan (${doc.processes.length} processes listed)`);
  return p;
}

export function listed(doc: ScanDocument, pid: number): boolean {
  return doc.processes.some((p) => p.pid === pid);
}

/** The text of the reason a flag was given for, or undefined. */
export function reasonText(p: ProcessReport, flag: string): string | undefined {
  return p.reasons.find((r) => r.flag === flag)?.text;
}

export function reasonOf(p: ProcessReport, flag: string): ProcessReport['reasons'][number] | undefined {
  return p.reasons.find((r) => r.flag === flag);
}

// USER_HZ: /proc/PID/stat counts start times in clock ticks of 1/100 s (time(7)).
const TICKS_PER_SECOND = 100;

/** How long ago the process started, from /proc (null when it is gone). */
export function ageMs(pid: number): number | null {
  const stat = procStat(pid);
  if (!stat) return null;
  const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  return uptime * 1000 - (Number(stat.startId) * 1000) / TICKS_PER_SECOND;
}

/** Waits until every pid is at least ms old: thresholds count from the process's start. */
export async function waitAge(pids: readonly number[], ms: number): Promise<void> {
  await waitFor(() => pids.every((pid) => (ageMs(pid) ?? 0) >= ms), { timeoutMs: ms + 10_000, intervalMs: 50, what: `pids ${pids.join(', ')} to be ${ms} ms old` });
}

/** Epoch ms of a process's start: btime plus starttime, as /proc gives them. */
export function startEpochMs(pid: number): number | null {
  const stat = procStat(pid);
  if (!stat) return null;
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]);
  return btime * 1000 + (Number(stat.startId) * 1000) / TICKS_PER_SECOND;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `scan` with its stdout on a pty (util-linux script), as at a terminal of the given width,
 * and returns what the terminal received, with the pty's CRLF turned back into LF.
 */
export async function scanOnTty(box: Sandbox, args: string[], opts: { env?: Record<string, string>; columns?: number } = {}): Promise<CliResult> {
  const line = [process.execPath, CLI_PATH, 'scan', ...args].map(shellQuote).join(' ');
  // A pty starts with a 0x0 window: give it the width a terminal would have.
  const command = `stty cols ${opts.columns ?? 120} rows 50; exec ${line}`;
  requireTools('script');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...baseEnv(), ...box.env, ...opts.env, SHELL: '/bin/sh' }, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('cannot start script(1)');
  track(child.pid, child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  return { code, signal, stdout: stdout.replace(/\r\n/g, '\n'), stderr };
}
