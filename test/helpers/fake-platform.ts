// Another platform's process table on this machine: a scene (a list of process rows) printed by
// stand-ins for ps, lsof, PowerShell and wmic (test/fixtures/scripts/fake-platform.mjs), found
// first on PATH, so `scan --source ps|cim|wmic` runs the real built CLI (source, snapshot,
// classification, JSON) over a macOS or Windows process table. Nothing else is faked: the CLI,
// its state and config dirs (a sandbox) and its reading of session records are the real ones.
//
// Only for reading: the pids in a scene are not this machine's processes, and `kill` refuses a
// source whose pids it could not signal (a Windows source off Windows).
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCRIPTS_DIR, workRoot } from './fixtures.js';
import { shellQuote } from './pty.js';
import type { CliResult } from './cli.js';
import { type Sandbox, scanCli } from './scan-cli.js';
import type { ScanDocument } from '../../src/report.js';

export type FakeTool = 'ps' | 'lsof' | 'powershell.exe' | 'pwsh' | 'wmic';

/** One process of a scene. Times are epoch ms; absent fields take the tools' usual defaults. */
export interface SceneProcess {
  pid: number;
  ppid: number;
  /** argv, or null where the tool shows none (macOS prints `(name)`, Windows a null CommandLine). */
  argv: string[] | null;
  startTime: number;
  pgid?: number;
  uid?: number;
  /** ps `state` (default S). */
  state?: string;
  /** ps `tty` (default none: `??` on macOS, `?` on procps). */
  tty?: string;
  cpuTimeMs?: number;
  /** CPU burned per wall ms since the scene was written (1 = one core): what a sample window sees. */
  cpuRate?: number;
  rssBytes?: number;
  /** fd count lsof prints (absent: lsof cannot read it). */
  fds?: number;
  /** The kernel's name (`ucomm`); default: argv[0]'s basename, cut to 16 characters. */
  comm?: string;
  /** The environment `ps -E` / `ps e` prints after the command. */
  env?: Record<string, string>;
  /** macOS prints no environment for platform binaries (/bin/zsh, /bin/sh), even the user's own. */
  envHidden?: boolean;
  /** Windows: Name, ExecutablePath, the raw CommandLine (default: argv quoted), HandleCount, ThreadCount. */
  name?: string;
  exe?: string | null;
  commandLine?: string | null;
  handles?: number;
  threads?: number;
  sessionId?: number;
  /** Windows: exits during the sample window (no second CPU reading). */
  goneAfterFirstSample?: boolean;
}

export interface Scene {
  /** ps output style: BSD/macOS (default) or Linux procps. */
  flavor?: 'darwin' | 'procps';
  processes: SceneProcess[];
  /** Make a tool fail: it writes `stderr` and exits with `code`. */
  fail?: Partial<Record<FakeTool, { stderr?: string; code?: number }>>;
  /** PowerShell's output: Windows PowerShell 5.1's `{value, Count}` wrapper, or a fixed stdout. */
  powershell?: { wrap?: 'ps51'; stdout?: string };
  /** wmic's Node column. */
  host?: string;
}

export interface FakeTools {
  /** The directory holding the stand-ins (the whole PATH the CLI gets). */
  dir: string;
  env: { PATH: string };
  /** Rewrites the scene the stand-ins print from now on. */
  update(scene: Scene): void;
}

/**
 * Writes the scene and a stand-in for each tool into a fresh directory. PATH is that directory
 * alone, so a tool left out is "not installed" (no real ps or wmic answers in its place).
 */
export function installFakeTools(scene: Scene, tools: readonly FakeTool[]): FakeTools {
  const dir = mkdtempSync(join(workRoot(), 'fake-tools-'));
  mkdirSync(dir, { recursive: true });
  const scenePath = join(dir, 'scene.json');
  const update = (s: Scene) => writeFileSync(scenePath, JSON.stringify({ ...s, writtenAt: Date.now() }));
  update(scene);
  const script = join(SCRIPTS_DIR, 'fake-platform.mjs');
  for (const tool of tools) {
    const path = join(dir, tool);
    writeFileSync(path, `#!/bin/sh\nexec ${[process.execPath, script, tool, scenePath].map(shellQuote).join(' ')} "$@"\n`);
    chmodSync(path, 0o755);
  }
  return { dir, env: { PATH: dir }, update };
}

/** The tools each source runs. */
export const SOURCE_TOOLS: Readonly<Record<'ps' | 'cim' | 'wmic', readonly FakeTool[]>> = {
  ps: ['ps', 'lsof'],
  cim: ['powershell.exe'],
  wmic: ['wmic'],
};

/** Runs `scan --source <source> ...args` over the scene, with only the given tools on PATH. */
export function scanScene(box: Sandbox, scene: Scene, source: 'ps' | 'cim' | 'wmic' | 'auto', args: string[], tools: readonly FakeTool[] = source === 'auto' ? [] : SOURCE_TOOLS[source]): Promise<CliResult> {
  const fake = installFakeTools(scene, tools);
  return scanCli(box, ['--source', source, ...args], { env: fake.env });
}

/** `scan --json` over the scene: the document, or an error with the CLI's stderr. */
export async function scanSceneJson(box: Sandbox, scene: Scene, source: 'ps' | 'cim' | 'wmic', args: string[] = ['--sample', '0']): Promise<ScanDocument> {
  const r = await scanScene(box, scene, source, ['--json', ...args]);
  if (r.code !== 0) throw new Error(`scan --source ${source} exited ${r.code}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as ScanDocument;
}

/** A scene row with the common defaults: started `agoMs` before now. */
export function row(pid: number, ppid: number, argv: string[] | null, opts: Partial<SceneProcess> & { agoMs?: number } = {}): SceneProcess {
  const { agoMs = 3_600_000, ...rest } = opts;
  // The user's own by default: a scan leaves other users' processes alone unless asked.
  return { pid, ppid, argv, startTime: Date.now() - agoMs, uid: process.getuid?.() ?? 501, rssBytes: 50 * 1024 * 1024, ...rest };
}
