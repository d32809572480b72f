import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatDuration, formatPercent } from '../../src/render/format.js';

describe('formatting raw numbers for people', () => {
  it('shows ages with at most two units', () => {
    expect(formatAge(45_000)).toBe('45s');
    expect(formatAge(12 * 60_000 + 5_000)).toBe('12m05s');
    expect(formatAge(3 * 3_600_000 + 5 * 60_000)).toBe('3h05m');
    expect(formatAge(93_784_000)).toBe('1d2h');
    expect(formatAge(null)).toBe('-');
  });

  it('echoes durations the way they are typed', () => {
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(0)).toBe('0');
  });

  it('shows bytes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(195_000_000)).toBe('195 MB');
    expect(formatBytes(1_400_000_000)).toBe('1.4 GB');
    expect(formatBytes(null)).toBe('-');
  });

  it('shows CPU percent without false precision', () => {
    expect(formatPercent(0)).toBe('0.0');
    expect(formatPercent(0.04)).toBe('<0.1');
    expect(formatPercent(2.25)).toBe('2.3');
    expect(formatPercent(99.6)).toBe('100');
    expect(formatPercent(null)).toBe('-');
  });
});
