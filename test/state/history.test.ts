import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHistory, saveHistory } from '../../src/state/history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-history-'));
  dirs.push(dir);
  return dir;
}

describe('the samples file', () => {
  it('reads back what it saved', () => {
    const dir = stateDir();
    const history = new Map([['42:1000', [{ at: 1, cpuTimeMs: 5 }, { at: 20_001, cpuTimeMs: 5 }]]]);
    saveHistory(dir, history);
    expect(loadHistory(dir)).toEqual(history);
  });

  it('drops samples that are not numbers, and entries that are not lists', () => {
    const dir = stateDir();
    const samples = {
      '1:10': [{ at: 1, cpuTimeMs: 2 }, { at: 'x', cpuTimeMs: 2 }, null, { at: 3 }],
      '2:20': 'not a list',
      '3:30': [{ at: 5, cpuTimeMs: 6 }],
    };
    writeFileSync(join(dir, 'samples.json'), JSON.stringify({ version: 1, samples }));
    expect(loadHistory(dir)).toEqual(new Map([['1:10', [{ at: 1, cpuTimeMs: 2 }]], ['3:30', [{ at: 5, cpuTimeMs: 6 }]]]));
  });

  it('starts over from a damaged file, another version, or none', () => {
    const dir = stateDir();
    expect(loadHistory(dir).size).toBe(0);
    writeFileSync(join(dir, 'samples.json'), '{"version": 1, "samples": {');
    expect(loadHistory(dir).size).toBe(0);
    writeFileSync(join(dir, 'samples.json'), JSON.stringify({ version: 2, samples: { '1:10': [{ at: 1, cpuTimeMs: 2 }] } }));
    expect(loadHistory(dir).size).toBe(0);
  });
});
