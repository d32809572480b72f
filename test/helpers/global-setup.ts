// Compiles the C fixtures once per test run into a temporary directory that the tests find through
// inject('fixtures'). A missing compiler is reported, not skipped: the helpers that need a binary
// throw `fixtures.error`, so every test that starts a fake claude fails with that message.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

export interface Fixtures {
  /** Root of this run's scratch space: bin/ holds the compiled programs, runs/ each worker's files. */
  dir: string;
  /** Why the C fixtures could not be built, or null when they were. */
  error: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: Fixtures;
  }
}

const SOURCES = fileURLToPath(new URL('../fixtures/bin/', import.meta.url));
// Output name -> source file. The fake is named `claude` because its name is what a process shows.
const PROGRAMS: Record<string, string> = { claude: 'fake-claude.c', subreaper: 'subreaper.c', orphan: 'orphan.c' };

const run = promisify(execFile);

async function compile(binDir: string): Promise<string | null> {
  try {
    await Promise.all(
      Object.entries(PROGRAMS).map(([out, src]) => run('cc', ['-O2', '-o', join(binDir, out), join(SOURCES, src)])),
    );
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return 'cc not found: a C compiler (gcc or clang as `cc`) is needed to build the fake claude used by these tests';
    return `compiling the C fixtures failed: ${e.stderr || e.message}`;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-test-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'runs'));
  const error = await compile(join(dir, 'bin'));
  project.provide('fixtures', { dir, error });
  return () => rmSync(dir, { recursive: true, force: true });
}
