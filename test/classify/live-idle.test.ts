// `idle`, and how long: the evidence grows from the process's age, to an earlier run's sample of
// the same process, to Claude's own session record; a child that keeps waking up is never idle
// for long.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { procStat, startDaemon, useProcessCleanup } from '../helpers/procs.js';
import { find, sandbox, scanJson, sleep, waitAge } from '../helpers/scan-cli.js';
import { writeSessionRecord } from '../helpers/claude-files.js';

useProcessCleanup();

// Between two runs: more than the scan's own window, so the earlier sample proves more than it.
const RUN_GAP_MS = 3_000;

describe('idle', () => {
  it('takes the age of a young child whose whole life was idle as the evidence', async () => {
    const box = sandbox();
    const d = await startDaemon({ count: 1 });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, d.childPids[0]!);
    expect(p.flags).toContain('idle');
    expect(p.idle).toEqual({ forMs: p.elapsedMs, evidence: 'age' });
    expect(p.reasons.find((r) => r.flag === 'idle')!.text).toMatch(/lifetime CPU under the idle threshold/);
  });

  it("proves idle time with an earlier run's sample of a child that worked early in its life", async () => {
    const box = sandbox();
    // One spell of work at start-up (its lifetime average stays above 1 %), then quiet.
    const worked = await startDaemon({ count: 1, mode: 'periodic', busyMs: 1_500, periodMs: 3_600_000 });
    const quiet = await startDaemon({ count: 1 });
    const [w, q] = [worked.childPids[0]!, quiet.childPids[0]!];
    await waitAge([w], 2_000);
    const first = await scanJson(box, ['--sample', '500ms']);
    expect(find(first, w).idle?.evidence).toBe('window');
    await sleep(RUN_GAP_MS);
    const second = await scanJson(box, ['--sample', '500ms']);
    const p = find(second, w);
    expect(p.idle?.evidence).toBe('earlier-sample');
    const span = Date.parse(second.scannedAt) - Date.parse(first.scannedAt);
    expect(p.idle!.forMs).toBeGreaterThanOrEqual(RUN_GAP_MS);
    expect(Math.abs(p.idle!.forMs - span)).toBeLessThan(100);
    expect(p.idle!.forMs).toBeLessThan(p.elapsedMs);
    // A child idle all its life: the age proves a longer stretch than the sample, and wins.
    expect(find(second, q).idle).toEqual({ forMs: find(second, q).elapsedMs, evidence: 'age' });
  });

  it("takes Claude's session record as the evidence when it says idle", async () => {
    const box = sandbox();
    const configDir = join(box.root, 'claude-config');
    const d = await startDaemon({ count: 1, env: { CLAUDE_CONFIG_DIR: configDir } });
    const pid = d.childPids[0]!;
    const since = Date.now() - 60_000;
    writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'idle', statusUpdatedAt: since });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, pid);
    expect(p.idle?.evidence).toBe('session-record');
    expect(Math.abs(p.idle!.forMs - (Date.parse(doc.scannedAt) - since))).toBeLessThan(1_000);
    expect(p.reasons.find((r) => r.flag === 'idle')!.text).toMatch(/^idle 1m\d\ds \(Claude's session record says idle\)$/);
  });

  it('does not call a child that wakes up every second idle for long, whatever the evidence', async () => {
    const box = sandbox();
    // 300 ms of work every second: 30 % of a core on average, never idle for more than 0.7 s.
    const d = await startDaemon({ count: 1, mode: 'periodic', busyMs: 300, periodMs: 1_000 });
    const pid = d.childPids[0]!;
    await waitAge([pid], 2_500);
    // The second run has the first one's sample, which shows work since.
    for (const run of [0, 1]) {
      if (run > 0) await sleep(RUN_GAP_MS);
      const doc = await scanJson(box, ['--sample', '500ms', '--abandoned-after', '2s']);
      const p = find(doc, pid);
      // Idle over the window at most, which proves no more than the window itself.
      if (p.idle) expect(p.idle).toEqual({ forMs: 500, evidence: 'window' });
      expect(p.flags).not.toContain('abandoned');
    }
  });
});
