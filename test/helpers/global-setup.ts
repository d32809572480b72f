// Compiles the C fixtures once per test run into a temporary directory that the tests find through
// inject('fixtures'). Without a compiler, every test that starts a fake claude skips, saying so
// (a bare machine runs the rest); a compiler that fails is an error those tests report.
// At the end it looks for processes the run left behind (Linux): any is ended and fails the run.
// It also installs (once, into a cache) the real Claude Code binaries that test/real-claude runs.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { isAlive, readStartId } from './proc-read.js';
import { type RealClaudeSetup, setUpRealClaude } from './real-claude/setup.js';

export interface Fixtures {
  /** Root of this run's scratch space: bin/ holds the compiled programs, runs/ each worker's files. */
  dir: string;
  /** Why the C fixtures could not be built, or null when they were. */
  error: string | null;
  /** True when the reason is that no compiler is installed: the tests that need one skip. */
  noCompiler: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: Fixtures;
    realClaude: RealClaudeSetup;
  }
}

const SOURCES = fileURLToPath(new URL('../fixtures/bin/', import.meta.url));
// Output name -> source file. The fake is named `claude` because its name is what a process shows.
const PROGRAMS: Record<string, string> = { claude: 'fake-claude.c', subreaper: 'subreaper.c', orphan: 'orphan.c', undumpable: 'undumpable.c' };

const run = promisify(execFile);

export const NO_COMPILER = 'cc is not installed (Debian package gcc): a C compiler builds the fake claude these tests start';

async function compile(binDir: string): Promise<string | null> {
  try {
    await Promise.all(
      Object.entries(PROGRAMS).map(([out, src]) => run('cc', ['-O2', '-o', join(binDir, out), join(SOURCES, src)])),
    );
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return NO_COMPILER;
    return `compiling the C fixtures failed: ${e.stderr || e.message}`;
  }
}

// Set by vitest.config.ts, before the workers start, so every process the tests start inherits it
// (unless a test gives a process an environment of its own). Not CLAUDE_*: baseEnv() drops those.
const RUN_MARK = 'REAPER_TEST_RUN';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-test-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'runs'));
  const error = await compile(join(dir, 'bin'));
  project.provide('fixtures', { dir, error, noCompiler: error === NO_COMPILER });
  project.provide('realClaude', await setUpRealClaude());
  const id = process.env[RUN_MARK];
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!id) return;
    const left = await leftBehind(`${RUN_MARK}=${id}`);
    if (left.length === 0) return;
    for (const p of left) if (readStartId(p.pid) === p.startId) process.kill(p.pid, 'SIGKILL');
    process.exitCode = 1; // vitest reports an error thrown here but would still exit 0
    throw new Error(`the tests left ${left.length} processes running (now killed): ${left.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
  };
}

interface Left {
  pid: number;
  startId: string;
  cmdline: string;
}

/** Processes other than this one and vitest's workers that carry this run's mark, after a grace period. */
async function leftBehind(mark: string): Promise<Left[]> {
  if (process.platform !== 'linux') return [];
  let left: Left[] = [];
  for (let i = 0; i < 20; i++) {
    left = [];
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) continue;
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        const startId = readStartId(pid);
        // A zombie is already ended; vitest's own workers are ending with the run.
        if (startId === null || !isAlive(pid) || /[\\/]vitest[\\/]/.test(cmdline)) continue;
        left.push({ pid, startId, cmdline });
      } catch {
        // gone, or not readable: not ours to judge
      }
    }
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, 100)); // still exiting?
  }
  return left;
}
