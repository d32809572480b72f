// The tree indexes: a process is never younger than its parent (Windows keeps a dead parent's pid,
// which may since name a newer process).
import { describe, expect, it } from 'vitest';
import { ancestors, childrenIndex, descendants } from '../../src/snapshot/tree.js';

const rec = (pid: number, ppid: number, startTime: number) => ({ pid, ppid, startTime });
const table = (...rows: ReturnType<typeof rec>[]) => new Map(rows.map((r) => [r.pid, r]));

describe('the process tree', () => {
  it('lists children under the parent that started them', () => {
    const t = table(rec(10, 0, 100), rec(20, 10, 200), rec(30, 20, 300));
    expect(childrenIndex(t).get(10)).toEqual([20]);
    expect(descendants(10, childrenIndex(t))).toEqual([20, 30]);
    expect(ancestors(30, t)).toEqual([20, 10]);
  });

  it('does not take a process that started after a child for its parent, whose pid it only reused', () => {
    // 5000 is a claude started at 900; 50244 is a node.exe started at 100 under an earlier 5000.
    const t = table(rec(5000, 4, 900), rec(50244, 5000, 100), rec(6000, 5000, 950));
    expect(childrenIndex(t).get(5000)).toEqual([6000]);
    expect(descendants(5000, childrenIndex(t))).toEqual([6000]);
    expect(ancestors(50244, t)).toEqual([]);
    expect(ancestors(6000, t)).toEqual([5000, 4]);
  });

  it('keeps a parent that started in the same second as its child (ps gives whole seconds)', () => {
    const t = table(rec(10, 1, 1000), rec(11, 10, 1000));
    expect(childrenIndex(t).get(10)).toEqual([11]);
    expect(ancestors(11, t)).toEqual([10, 1]);
  });
});
