import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, SCRIPTS_DIR, runNodeScript, useProcessCleanup } from './procs.js';

useProcessCleanup();

const REPORT = join(SCRIPTS_DIR, 'report-run.mjs');

describe('runNodeScript, which runCli is made of', () => {
  it('passes arguments, input, environment and cwd, and returns code, stdout and stderr', async () => {
    const cwd = realpathSync(tmpdir());
    const r = await runNodeScript(REPORT, ['3', '--json'], { input: 'hello', env: { PROBE: 'yes' }, cwd });
    expect(r.code).toBe(3);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('to stderr\n');
    expect(JSON.parse(r.stdout)).toEqual({ args: ['3', '--json'], input: 'hello', probe: 'yes', cwd, stdoutTty: false });
  });

  it('kills the process by pid and fails with its output when it outlives the timeout', async () => {
    const hang = runNodeScript('-e', ["console.log('started'); setInterval(() => {}, 1000)"], { timeoutMs: 500 });
    await expect(hang).rejects.toThrow(/timed out after 500 ms\nstdout: started/);
  });

  it('points runCli at bin/claude-reaper.js in the repository', () => {
    expect(CLI_PATH.endsWith('/bin/claude-reaper.js')).toBe(true);
  });
});
