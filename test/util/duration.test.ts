import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['2x', '-5m', '10', '', ' ', 'm', '5 m', '30s1m', '1m1m', '0s', '1e3ms', 'Infinity'])('refuses %j with a usage error', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });

  it('names the option and the accepted forms in its message', () => {
    expect(() => parseDuration('2x', '--idle')).toThrow(/invalid --idle '2x': expected a number with a unit/);
  });

  it('accepts a bare 0 only where the caller allows it', () => {
    expect(parseDuration('0', '--sample', { allowZero: true })).toBe(0);
    expect(() => parseDuration('0')).toThrow(UsageError);
  });
});
