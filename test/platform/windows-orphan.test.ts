import { describe, expect, it } from 'vitest';
import { windowsParentGone } from '../../src/platform/windows-orphan.js';

const rec = (pid: number, ppid: number, startTime: number) => ({ pid, ppid, startTime });

describe('windowsParentGone', () => {
  const parent = rec(100, 4, 1_000);
  const records = new Map([[100, parent]]);

  it('says gone when the parent pid names no process', () => {
    expect(windowsParentGone(rec(200, 150, 2_000), records)).toBe(true);
  });

  it('says gone when the parent pid now belongs to a process that started after the child', () => {
    expect(windowsParentGone(rec(200, 100, 500), records)).toBe(true);
  });

  it('says not gone for a live parent that started first', () => {
    expect(windowsParentGone(rec(200, 100, 2_000), records)).toBe(false);
  });

  it('never calls System or the idle process orphans', () => {
    expect(windowsParentGone(rec(4, 0, 0), new Map())).toBe(false);
    expect(windowsParentGone(rec(0, 0, 0), new Map())).toBe(false);
  });
});
