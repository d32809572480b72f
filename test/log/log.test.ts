// The audit log read back: `log` and `stats`, on a log written by a real kill and on a captured one.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditStats } from '../../src/commands/log.js';
import type { AuditEntry } from '../../src/reap/audit.js';
import { runCli, startOrphan, useProcessCleanup } from '../helpers/procs.js';

useProcessCleanup();

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reaper-log-'));
  env = { HOME: dir, CLAUDE_REAPER_STATE_DIR: join(dir, 'state'), CLAUDE_REAPER_CONFIG_DIR: join(dir, 'config') };
});

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  time: '2026-11-20T10:00:00.000Z', pid: 100, startId: '1', name: 'claude', argv: ['claude', '-p', 'x'], kind: 'claude', user: 'dev',
  flags: ['abandoned', 'idle'], target: 100, startedBy: 'worker-service.cjs --daemon', outcome: 'terminated', rssBytes: 195_000_000, ...over,
});

describe('stats', () => {
  it('totals what was reaped per day, by flag and by the tool that started it', () => {
    const s = auditStats([
      entry({}),
      entry({ pid: 101, time: '2026-11-20T11:00:00.000Z', outcome: 'killed' }),
      entry({ pid: 102, time: '2026-11-21T09:00:00.000Z', flags: ['orphan'], startedBy: null }),
      entry({ pid: 103, time: '2026-11-21T09:00:01.000Z', outcome: 'denied' }),
    ]);
    expect(s.total).toEqual({ processes: 4, reaped: 3, freedRssBytes: 585_000_000 });
    expect(s.byOutcome).toEqual({ terminated: 2, killed: 1, denied: 1 });
    expect(s.byDay).toEqual([
      { day: '2026-11-20', processes: 2, reaped: 2, freedRssBytes: 390_000_000 },
      { day: '2026-11-21', processes: 2, reaped: 1, freedRssBytes: 195_000_000 },
    ]);
    expect(s.byFlag.abandoned).toEqual({ processes: 3, reaped: 2, freedRssBytes: 390_000_000 });
    expect(s.byStarter[0]).toEqual({ startedBy: 'worker-service.cjs --daemon', processes: 3, reaped: 2, freedRssBytes: 390_000_000 });
    expect(s.byStarter[1]!.startedBy).toBe('unknown (reparented)');
  });
});

describe('log and stats on the command line', () => {
  it('shows what a real kill reaped', async () => {
    const c = await startOrphan({ mode: 'sleep' });
    expect((await runCli(['kill', '--pid', String(c.pid), '--yes', '--sample', '0'], { env })).code).toBe(0);
    const log = await runCli(['log'], { env });
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(new RegExp(`\\b${c.pid}\\s+terminated\\s+.*orphan`));
    const stats = await runCli(['stats', '--json'], { env });
    expect(JSON.parse(stats.stdout)).toMatchObject({ total: { processes: 1, reaped: 1 }, byOutcome: { terminated: 1 } });
  });

  it('skips lines that do not parse, says so on stderr, and filters by --since', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    const old = entry({ pid: 1, time: '2020-01-01T00:00:00.000Z' });
    const recent = entry({ pid: 2, time: new Date().toISOString() });
    writeFileSync(join(dir, 'state', 'reaped.jsonl'), `${JSON.stringify(old)}\n{"torn": \n${JSON.stringify(recent)}\n`);
    const r = await runCli(['log', '--since', '1d', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).entries.map((e: AuditEntry) => e.pid)).toEqual([2]);
    expect((await runCli(['log'], { env })).stderr).toMatch(/1 lines of .* did not parse and were skipped/);
  });

  it('redacts the command lines of entries written before command lines were redacted', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    const raw = entry({ argv: ['claude', '--api-key', 'plain-old-key-0007', 'GH_TOKEN=plain-old-token-0008'], startedBy: 'worker.js --token plain-old-starter-0009' });
    writeFileSync(join(dir, 'state', 'reaped.jsonl'), `${JSON.stringify(raw)}\n`);
    for (const args of [['log', '--wide'], ['log', '--json'], ['stats', '--json']]) {
      const r = await runCli(args, { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, args.join(' ')).not.toMatch(/plain-old/);
      expect(r.stdout, args.join(' ')).toContain('‹redacted›');
    }
  });

  it('says plainly when nothing was reaped yet, and refuses bad input with exit 2', async () => {
    expect((await runCli(['stats'], { env })).stdout).toMatch(/^Nothing reaped yet/);
    const bad = await runCli(['log', '--since', '2x'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
