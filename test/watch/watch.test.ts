// `watch` with real processes: cycles, signals, the lock, reaping, and its own memory over a
// long run. Reaping is scoped by --pid to this file's own processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/commands/watch.js';
import { CLI_PATH, isAlive, runCli, startOrphan, track, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { baseEnv } from '../helpers/fixtures.js';

useProcessCleanup();

let dir: string;
let env: Record<string, string>;
let lockFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reaper-watch-'));
  env = { HOME: dir, CLAUDE_REAPER_STATE_DIR: join(dir, 'state'), CLAUDE_REAPER_CONFIG_DIR: join(dir, 'config'), XDG_RUNTIME_DIR: '' };
  lockFile = join(dir, 'state', 'reaper.lock');
});

/** A running watch whose output lines we can wait for. */
function startWatch(args: string[]): { child: ChildProcess; lines: () => string[]; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI_PATH, 'watch', ...args], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid!, child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, lines: () => out.split('\n').filter(Boolean), stderr: () => err, exit };
}

// What the memory test's long run may take: its cycles are sized to it.
const CYCLE_BUDGET_MS = 120_000;

describe('watch', () => {
  it('prints one line per cycle and stops after --cycles', async () => {
    const r = await runCli(['watch', '--interval', '100ms', '--cycles', '3', '--sample', '0'], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d+ found, \d+ leaked \(.+\)$/);
  });

  it('prints JSON lines with --json, and reaps with --kill', async () => {
    const c = await startOrphan({ mode: 'sleep' });
    const r = await runCli(['watch', '--kill', '--pid', String(c.pid), '--interval', '100ms', '--cycles', '2', '--sample', '0', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as CycleReport);
    expect(reports.map((x) => x.cycle)).toEqual([1, 2]);
    expect(reports[0]).toMatchObject({ reaped: 1, error: null });
    expect(reports[0]!.freedRssBytes).toBeGreaterThan(0);
    expect(reports[1]).toMatchObject({ reaped: 0 });
    expect(isAlive(c.pid)).toBe(false);
    expect(readFileSync(join(dir, 'state', 'reaped.jsonl'), 'utf8')).toContain(`"pid":${c.pid}`);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('ends with exit 0 on %s between cycles, and releases the lock', async (signal) => {
    const w = startWatch(['--interval', '1h', '--sample', '0']);
    await waitFor(() => w.lines().length === 1 || undefined, { what: 'the first cycle' });
    expect(existsSync(lockFile)).toBe(true);
    w.child.kill(signal);
    expect(await w.exit).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('ends with exit 0 on SIGINT during a cycle, once that cycle is done', async () => {
    const w = startWatch(['--interval', '1h', '--sample', '3s']);
    await waitFor(() => existsSync(lockFile) || undefined, { what: 'the lock' });
    await new Promise((r) => setTimeout(r, 500)); // inside the 3 s sample window
    w.child.kill('SIGINT');
    expect(await w.exit).toBe(0);
    expect(w.lines()).toHaveLength(1);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('leaves a second reaper out with a clear line while the first holds the lock, or makes it wait', async () => {
    const first = startWatch(['--interval', '1h', '--sample', '0']);
    await waitFor(() => first.lines().length === 1 || undefined, { what: 'the first watch' });
    const second = await runCli(['watch', '--cycles', '1', '--sample', '0'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(new RegExp(`another claude-reaper \\(watch, pid ${first.child.pid}, since .+\\) is acting; nothing was done`));

    const waiting = startWatch(['--cycles', '1', '--sample', '0', '--wait']);
    await waitFor(() => /waiting for another claude-reaper/.test(waiting.stderr()) || undefined, { what: 'the second to wait' });
    expect(waiting.lines()).toHaveLength(0);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(await waiting.exit).toBe(0);
    expect(waiting.lines()).toHaveLength(1);
  });

  it('takes over a lock whose holder is gone', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    // A pid that cannot be running: beyond pid_max.
    writeFileSync(lockFile, JSON.stringify({ pid: 99_999_999, startId: '1', since: '2026-01-01T00:00:00Z', command: 'watch' }));
    const r = await runCli(['watch', '--cycles', '1', '--sample', '0'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses bad input with exit 2 and one line', async () => {
    for (const args of [['--interval', '10'], ['--cycles', 'x'], ['--interval', '-1m']]) {
      const r = await runCli(['watch', ...args], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('keeps its own memory flat over a long run with a short interval', { timeout: 300_000 }, async () => {
    // A cycle scans the whole machine, so its cost grows with what runs there (a benchmark's 2,000
    // processes make it ~100 ms): as many cycles as fit in about two minutes, 2,000 to 3,000.
    const probe = await runCli(['watch', '--interval', '1ms', '--cycles', '20', '--sample', '0', '--json'], { env, timeoutMs: 60_000 });
    expect(probe.code, probe.stderr).toBe(0);
    const times = probe.stdout.trim().split('\n').map((l) => Date.parse((JSON.parse(l) as CycleReport).time));
    const perCycleMs = Math.max(1, (times.at(-1)! - times[0]!) / (times.length - 1));
    const cycles = Math.min(3000, Math.max(2000, Math.floor(CYCLE_BUDGET_MS / perCycleMs)));
    // --expose-gc: each cycle's figures are taken after a full collection, so the floor is what
    // survives one, however busy the machine and whenever V8 would have collected by itself.
    const r = await runCli(['watch', '--interval', '1ms', '--cycles', String(cycles), '--sample', '0', '--json'], { env: { ...env, NODE_OPTIONS: '--expose-gc' }, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as CycleReport);
    expect(reports).toHaveLength(cycles);
    expect(reports.every((x) => x.error === null)).toBe(true);
    // The heap's floor (what survives collection) must not climb: a leak raises every minimum.
    // Medians of the heap only say how often V8 chose to collect.
    const min = (xs: number[]) => Math.min(...xs);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const heapFloor = (from: number, to: number) => min(reports.slice(from, to).map((x) => x.memory.heapUsedBytes));
    expect(heapFloor(-500, cycles) - heapFloor(200, 700)).toBeLessThan(1_000_000);
    // RSS settles once the heap has grown to its working size, then stays.
    const rss = (from: number, to: number) => median(reports.slice(from, to).map((x) => x.memory.rssBytes));
    expect(rss(-500, cycles) - rss(1000, 1500)).toBeLessThan(5_000_000);
  });
});
