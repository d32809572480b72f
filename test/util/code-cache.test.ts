// The installed command keeps V8's code cache of the bundle beside it. The cache holds what the run
// that wrote it compiled, so its first byte says how far that run went (0: no scan; 1: a scan that
// found no claude; 2-4: one that found 1-9, 10-99, 100 or more), and only a run that went further
// writes a new one. A cache V8 rejects is rebuilt.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, runNodeScript } from '../helpers/cli.js';
import { startClaude, useProcessCleanup } from '../helpers/procs.js';
import { workRoot } from '../helpers/fixtures.js';

useProcessCleanup();

const ROOT = join(dirname(CLI_PATH), '..');
const SCAN = ['scan', '--json', '--sample', '0'];

/** A copy of the installed layout (bin/ and dist/cli.cjs) with a home of its own. */
function install(): { bin: string; dist: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(workRoot(), 'code-cache-'));
  const [bin, dist, home] = ['bin', 'dist', 'home'].map((d) => join(dir, d)) as [string, string, string];
  for (const d of [bin, dist, home]) mkdirSync(d);
  copyFileSync(CLI_PATH, join(bin, 'claude-reaper.js'));
  copyFileSync(join(ROOT, 'bin', 'package.json'), join(bin, 'package.json'));
  copyFileSync(join(ROOT, 'dist', 'cli.cjs'), join(dist, 'cli.cjs'));
  return { bin: join(bin, 'claude-reaper.js'), dist, env: { HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_STATE_HOME: join(home, '.state') } };
}

/** The one cache file in dist/, with its coverage byte, size and identity. */
function cache(dist: string): { path: string; coverage: number; size: number; ino: number; mtimeMs: number } {
  const files = readdirSync(dist).filter((f) => f.endsWith('.cache'));
  expect(files).toHaveLength(1);
  const path = join(dist, files[0]!);
  const { size, ino, mtimeMs } = statSync(path);
  return { path, coverage: readFileSync(path)[0]!, size, ino, mtimeMs };
}

async function run(bin: string, args: string[], env: Record<string, string>): Promise<string> {
  const r = await runNodeScript(bin, args, { env });
  expect(r.code, r.stderr).toBeLessThan(2);
  return r.stdout;
}

describe('the code cache of the installed command', () => {
  it('is written at coverage 0 by --version, replaced by the first scan, and kept by runs that go no further', async () => {
    const { bin, dist, env } = install();
    expect(readdirSync(dist).filter((f) => f.endsWith('.cache'))).toEqual([]);

    await run(bin, ['--version'], env);
    const lite = cache(dist);
    expect(lite.coverage).toBe(0);

    expect(JSON.parse(await run(bin, SCAN, env)).schemaVersion).toBeGreaterThan(0);
    const scanned = cache(dist);
    expect(scanned.path).toBe(lite.path);
    expect(scanned.coverage).toBeGreaterThanOrEqual(1);
    // It holds the scan's path: more than --version compiled.
    expect(scanned.size).toBeGreaterThan(lite.size);

    await run(bin, ['--version'], env);
    await run(bin, ['--help'], env);
    const after = cache(dist);
    expect([after.ino, after.mtimeMs, after.coverage]).toEqual([scanned.ino, scanned.mtimeMs, scanned.coverage]);
  });

  it('is replaced by a scan that found claude when a scan that found none wrote it, and not the other way', async () => {
    const { bin, dist, env } = install();
    await run(bin, SCAN, env);
    const first = cache(dist);
    // As a scan of a machine with no claude on it would have left it.
    const data = readFileSync(first.path);
    data[0] = 1;
    writeFileSync(first.path, data);

    const claude = await startClaude({ mode: 'sleep' });
    const doc = JSON.parse(await run(bin, SCAN, env));
    expect(doc.processes.map((p: { pid: number }) => p.pid)).toContain(claude.pid);
    const grown = cache(dist);
    expect(grown.coverage).toBeGreaterThanOrEqual(2);
    // Written anew (to a temporary file renamed over it), not left as it was.
    expect(grown.ino).not.toBe(first.ino);

    // At the top coverage already: nothing a scan finds makes it write again.
    const top = readFileSync(grown.path);
    top[0] = 4;
    writeFileSync(grown.path, top);
    const before = cache(dist);
    await run(bin, SCAN, env);
    const after = cache(dist);
    expect([after.ino, after.mtimeMs, after.coverage]).toEqual([before.ino, before.mtimeMs, 4]);
  });

  it('is rebuilt when V8 rejects it, and a run never fails for it', async () => {
    const { bin, dist, env } = install();
    await run(bin, SCAN, env);
    const { path } = cache(dist);
    writeFileSync(path, Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('not a code cache')]));

    expect(JSON.parse(await run(bin, SCAN, env)).schemaVersion).toBeGreaterThan(0);
    const rebuilt = cache(dist);
    expect(rebuilt.path).toBe(path);
    expect(rebuilt.size).toBeGreaterThan(1000);
    expect(rebuilt.coverage).toBeGreaterThanOrEqual(1);
  });
});
