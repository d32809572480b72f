import { describe, expect, it } from 'vitest';
import { taskkillCommand } from '../../src/platform/taskkill.js';

describe('taskkillCommand', () => {
  it('builds taskkill /PID n /F, without /T unless asked', () => {
    expect(taskkillCommand(7312)).toEqual(['taskkill', ['/PID', '7312', '/F']]);
  });

  it('adds /T only when a caller asks for the whole tree', () => {
    expect(taskkillCommand(7312, { tree: true })).toEqual(['taskkill', ['/PID', '7312', '/T', '/F']]);
  });

  it('refuses the idle process, System and anything that is not a pid', () => {
    for (const pid of [0, 4, -1, 1.5, Number.NaN]) expect(() => taskkillCommand(pid)).toThrow(RangeError);
  });
});
