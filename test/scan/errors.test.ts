// Bad input gets one clear line on stderr, nothing on stdout, and exit 2; a process table that
// cannot be read is exit 3, never an empty list.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors.js';
import { runScan } from '../../src/commands/scan.js';
import { createProcfsSource } from '../../src/platform/procfs.js';
import { useProcessCleanup } from '../helpers/procs.js';
import { sandbox, scanCli, writeConfig } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

/** Exit 2, exactly one line on stderr saying what was wrong, and nothing on stdout. */
function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, says: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(says);
}

describe('scan refuses bad input', () => {
  it.each([
    ['a unit it does not know', ['--sample', '2x']],
    ['a negative duration', ['--sample', '-5m']],
    ['a negative duration given with =', ['--sample=-5m']],
    ['a bare number', ['--sample', '10']],
    ['an empty value', ['--sample', '']],
    ['a bad --abandoned-after', ['--abandoned-after', '2 minutes']],
    ['a zero --hung-after', ['--hung-after', '0']],
  ])('exits 2 with one line for %s', async (_what, args) => {
    expectUsageError(await scanCli(box, [...args, '--json']), /^claude-reaper: error: invalid --(sample|abandoned-after|hung-after) /);
  });

  it('exits 2 with one line for an unknown option', async () => {
    expectUsageError(await scanCli(box, ['--bogus']), /unknown option '--bogus'/);
  });


  it('exits 2 with one line for an unknown --source', async () => {
    expectUsageError(await scanCli(box, ['--source', 'bogus']), /--source/);
  });

  it('exits 2 with one line for a config file that does not parse', async () => {
    const path = writeConfig(box, '{"abandonedAfter": "2m",');
    expectUsageError(await scanCli(box, ['--config', path, '--sample', '0']), /not valid JSON/);
  });

  it('exits 2 with one line for a config file with an unknown key', async () => {
    const path = writeConfig(box, { abandonedAftr: '2m' });
    expectUsageError(await scanCli(box, ['--config', path, '--sample', '0']), /unknown key 'abandonedAftr'/);
  });

  it.each([
    ['a sustainedCpuPercent that is not a positive number', { sustainedCpuPercent: 0 }, /config .*: sustainedCpuPercent: expected a positive number/],
    ['a sustainedCpuPercent given as text', { sustainedCpuPercent: '15' }, /sustainedCpuPercent: expected a positive number/],
    ['a sustainedAfter that is not a duration', { sustainedAfter: '10' }, /config .*: sustainedAfter/],
    ['a sustainedAfter given as a number', { sustainedAfter: 600 }, /sustainedAfter: expected a non-empty string/],
  ])('exits 2 with one line for a config file with %s', async (_what, config, says) => {
    expectUsageError(await scanCli(box, ['--config', writeConfig(box, config), '--sample', '0']), says);
  });

  it('exits 2 with one line for a config file at the default path that does not parse', async () => {
    const own = sandbox();
    writeConfig(own, '[1, 2', 'config/claude-reaper/config.json');
    expectUsageError(await scanCli(own, ['--sample', '0']), /config .*config\.json: not valid JSON/);
  });

  it('exits 2 with one line for a named config file that does not exist', async () => {
    expectUsageError(await scanCli(box, ['--config', `${box.root}/missing.json`, '--sample', '0']), /cannot read it \(ENOENT\)/);
  });
});

describe('scan when the process table cannot be read', () => {
  // /proc cannot be unmounted from under a test, so the source is pointed at a root that does not
  // exist, in-process; platform-error.test.ts checks that main maps the error to exit 3.
  it('rejects with a PlatformError rather than report no processes', async () => {
    const error = await runScan({ source: createProcfsSource({ root: '/nonexistent' }), sampleMs: 0, stateDir: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as Error).message).toMatch(/^cannot read the process table: \/nonexistent is not readable/);
  });
});
