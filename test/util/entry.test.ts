import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reaperCommand } from '../../src/util/entry.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/procs.js';

describe('the command scheduled jobs run', () => {
  it('names node and the bin script by absolute paths that exist', () => {
    const { node, script } = reaperCommand();
    expect(node).toBe(process.execPath);
    expect(script).toMatch(/\/bin\/claude-reaper\.js$/);
    expect(existsSync(script)).toBe(true);
  });

  it('is the same script in the built CLI (it finds its package from dist/ as from src/)', async () => {
    const r = await runCli(['schedule', 'install', '--with', 'cron', '--print']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(reaperCommand().script);
  });

  it('reads the version from package.json', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
