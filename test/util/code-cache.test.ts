// The installed command keeps V8's code cache of the bundle beside it. The cache holds what the run
// that wrote it compiled, so the one scans load must come from a run that scanned: a cache written
// by `--version` is marked lite and replaced by the first scan, and a cache V8 rejects is rebuilt.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, runNodeScript } from '../helpers/cli.js';
import { workRoot } from '../helpers/fixtures.js';

const ROOT = join(dirname(CLI_PATH), '..');

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

const caches = (dist: string): string[] => readdirSync(dist).filter((f) => f.endsWith('.cache')).sort();

describe('the code cache of the installed command', () => {
  it('is written lite by --version, replaced by the first scan, and then kept by every run', async () => {
    const { bin, dist, env } = install();
    expect(caches(dist)).toEqual([]);

    const version = await runNodeScript(bin, ['--version'], { env });
    expect(version.code, version.stderr).toBe(0);
    const [lite] = caches(dist);
    expect(caches(dist)).toHaveLength(1);
    expect(lite).toMatch(/^cli-.+\.lite\.cache$/);
    const liteSize = statSync(join(dist, lite!)).size;

    const scan = await runNodeScript(bin, ['scan', '--json', '--sample', '0'], { env });
    expect(scan.code, scan.stderr).toBeLessThan(2);
    expect(JSON.parse(scan.stdout).schemaVersion).toBeGreaterThan(0);
    const [full] = caches(dist);
    expect(caches(dist)).toEqual([lite!.replace(/\.lite\.cache$/, '.cache')]);
    // It holds the scan's whole path: more than --version compiled.
    expect(statSync(join(dist, full!)).size).toBeGreaterThan(liteSize);

    const before = statSync(join(dist, full!));
    for (const args of [['--version'], ['scan', '--json', '--sample', '0']]) {
      const r = await runNodeScript(bin, args, { env });
      expect(r.code, r.stderr).toBeLessThan(2);
    }
    expect(caches(dist)).toEqual([full]);
    const after = statSync(join(dist, full!));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('is rebuilt when V8 rejects it, and a run never fails for it', async () => {
    const { bin, dist, env } = install();
    const first = await runNodeScript(bin, ['scan', '--json', '--sample', '0'], { env });
    expect(first.code, first.stderr).toBeLessThan(2);
    const [full] = caches(dist);
    expect(full).toMatch(/^cli-.+[0-9]\.cache$/);
    writeFileSync(join(dist, full!), 'not a code cache');

    const again = await runNodeScript(bin, ['scan', '--json', '--sample', '0'], { env });
    expect(again.code, again.stderr).toBeLessThan(2);
    expect(JSON.parse(again.stdout).schemaVersion).toBeGreaterThan(0);
    expect(caches(dist)).toEqual([full]);
    expect(statSync(join(dist, full!)).size).toBeGreaterThan(1000);
  });
});
