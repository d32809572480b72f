import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHistory, loadState, saveHistory, updateHistory } from '../../src/state/history.js';
import { NOW, claude, proc, snapshot } from '../helpers/snapshot.js';

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

  it('keeps what each sampled process was taken for, and reads back only entries that make sense', () => {
    const dir = stateDir();
    const snap = snapshot([claude({ pid: 100, ppid: 1, cpuTimeMs: 50 }), proc({ pid: 101, ppid: 100, name: 'node', argv: ['npx', '-y', '@modelcontextprotocol/server-memory'], cpuTimeMs: 10 })]);
    const next = updateHistory(new Map(), snap);
    saveHistory(dir, next.history, next.seen);
    const { samples, seen } = loadState(dir);
    expect(samples.size).toBe(2);
    expect([...seen.values()]).toEqual([
      { kind: 'claude', owner: null, ownerIsClaude: false, startTime: NOW - 3_600_000 },
      { kind: 'mcp-server', owner: 100, ownerIsClaude: true, startTime: NOW - 3_600_000 },
    ]);
    writeFileSync(join(dir, 'samples.json'), JSON.stringify({ version: 1, samples: {}, seen: { '1:a': { kind: 'bogus', owner: null, ownerIsClaude: false, startTime: 1 }, '2:b': { kind: 'child', owner: 'x', ownerIsClaude: true, startTime: 1 }, '3:c': { kind: 'child', owner: 5, ownerIsClaude: true, startTime: 1 } } }));
    expect([...loadState(dir).seen.keys()]).toEqual(['3:c']);
  });

  it('remembers which commands ran under a Bash-tool shell', () => {
    const tool = ['/bin/bash', '-c', "source /h/.claude/shell-snapshots/snapshot-bash-1.sh && eval 'sleep 9' && pwd -P >| /tmp/claude-ab12-cwd"];
    const snap = snapshot([claude({ pid: 100, ppid: 1 }), proc({ pid: 120, ppid: 100, name: 'bash', argv: tool }), proc({ pid: 121, ppid: 120, name: 'sleep', argv: ['sleep', '9'] }), proc({ pid: 130, ppid: 100, name: 'rg', argv: ['rg', 'x'] })]);
    const { seen } = updateHistory(new Map(), snap);
    const of = (pid: number) => [...seen].find(([key]) => key.startsWith(`${pid}:`))![1];
    expect(of(121)).toMatchObject({ kind: 'child', owner: 100, bashTool: true });
    expect(of(130).bashTool).toBeUndefined();
  });

  it('writes again when a process is taken for something new, and not when nothing changed', () => {
    const snap = snapshot([claude({ pid: 100, ppid: 1, cpuTimeMs: 50 })]);
    const first = updateHistory(new Map(), snap);
    expect(first.changed).toBe(true);
    expect(updateHistory(first.history, snap, first.seen).changed).toBe(false);
  });
});
