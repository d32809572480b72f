import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_MS, guardClaude, type GuardOptions } from '../../src/sdk/index.js';
import { resolveOptions } from '../../src/sdk/options.js';

describe('guardClaude options', () => {
  it('reads durations as the CLI does, and numbers as ms', () => {
    expect(resolveOptions({ name: 'my-worker', idleAfter: '10m' })).toMatchObject({ name: 'my-worker', idleAfterMs: 600_000, graceMs: DEFAULT_GRACE_MS });
    expect(resolveOptions({ name: 'w.1_a', idleAfter: 1500, grace: '1m30s' })).toMatchObject({ idleAfterMs: 1500, graceMs: 90_000 });
    expect(resolveOptions({ name: 'w', idleAfter: null }).idleAfterMs).toBeNull();
  });

  it('puts the registry under the state directory, in sdk-guards/<name>', () => {
    expect(resolveOptions({ name: 'w', stateDir: '/s' }).registryDir).toBe(join('/s', 'sdk-guards', 'w'));
  });

  const bad: [string, unknown, RegExp][] = [
    ['a name with a slash', { name: '../x' }, /invalid name "\.\.\/x"/],
    ['an empty name', { name: '' }, /invalid name ""/],
    ['no name', {}, /invalid name undefined/],
    ['a bare number of idleAfter as text', { name: 'w', idleAfter: '10' }, /invalid guardClaude idleAfter '10'/],
    ['a negative idleAfter', { name: 'w', idleAfter: '-5m' }, /invalid guardClaude idleAfter '-5m'/],
    ['an unknown unit', { name: 'w', idleAfter: '2x' }, /invalid guardClaude idleAfter '2x'/],
    ['a zero grace', { name: 'w', grace: 0 }, /invalid grace 0/],
    ['a grace that is not a number', { name: 'w', grace: Number.NaN }, /invalid grace NaN/],
    ['an onEvent that is not a function', { name: 'w', onEvent: 'log' }, /onEvent must be a function/],
    ['an empty stateDir', { name: 'w', stateDir: '' }, /stateDir must be a path/],
  ];
  for (const [what, options, message] of bad) {
    it(`refuses ${what} with one line, before it reads or writes anything`, async () => {
      const state = join(mkdtempSync(join(tmpdir(), 'opts-')), 'state');
      const given = { stateDir: state, ...(options as object) } as GuardOptions;
      const err = await guardClaude(given).then(() => null, (e: Error) => e);
      expect(err).toMatchObject({ name: 'UsageError', message: expect.stringMatching(message) });
      expect(err!.message).not.toContain('\n');
      expect(existsSync(state)).toBe(false);
    });
  }
});
