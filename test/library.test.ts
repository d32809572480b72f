// The library API as a daemon author uses it: scan, plan, execute, on this process's own children.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan, planKill, RULES, scan, UsageError, type KillResult, type ProcessReport, type ScanDocument } from '../src/index.js';
import { isAlive, startClaude, startInteractive, useProcessCleanup } from './helpers/procs.js';

useProcessCleanup();

describe.skipIf(process.platform !== 'linux')('the library', () => {
  it("reaps this process's own claude children: scan, planKill, executePlan", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'reaper-lib-'));
    const a = await startClaude({ mode: 'sleep', args: ['--output-format', 'stream-json', '--input-format', 'stream-json'] });
    const b = await startClaude({ mode: 'sleep', ignoreTerm: true });
    const result = await scan({ sampleMs: 200, stateDir });
    const doc: ScanDocument = result.document;
    const mine: ProcessReport[] = doc.processes.filter((p) => p.ppid === process.pid && p.kind === 'claude');
    expect(mine.map((p) => p.pid).sort()).toEqual([a.pid, b.pid].sort());
    expect(mine.find((p) => p.pid === a.pid)!.role).toBe('sdk');

    const plan = planKill(result, { pids: [a.pid, b.pid] }, { graceMs: 300 });
    expect(plan.targets).toHaveLength(2);
    const outcome: KillResult = await executePlan(plan, { log: stateDir });
    expect(Object.fromEntries(outcome.outcomes.map((o) => [o.pid, o.outcome]))).toEqual({ [a.pid]: 'terminated', [b.pid]: 'killed' });
    expect(isAlive(a.pid) || isAlive(b.pid)).toBe(false);
    expect(readFileSync(join(stateDir, 'reaped.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('refuses by pid what it must protect, and plans nothing for it', async () => {
    const session = await startInteractive({ mode: 'sleep' });
    const result = await scan({ sampleMs: 0, stateDir: null });
    expect(() => planKill(result, { pids: [session.claudePid] })).toThrow(UsageError);
    expect(planKill(result, { olderThanMs: 1 }).targets.map((t) => t.pid)).not.toContain(session.claudePid);
    expect(isAlive(session.claudePid)).toBe(true);
  });

  it('exports the rule registry the CLI and the README are built from', () => {
    expect(RULES.map((r) => r.id)).toContain('abandoned');
  });
});
