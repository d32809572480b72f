// `idle`, and how long: Claude's own record and transcript prove a duration; an earlier run's
// sample proves one for processes other than claude; the window alone proves none ("idle now, for
// an unknown time"), at any age; and a child that keeps waking up is never idle for long.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { procStat, startDaemon, useProcessCleanup } from '../helpers/procs.js';
import { find, reasonText, sandbox, scanJson, sleep, startEpochMs, waitAge } from '../helpers/scan-cli.js';
import { writeSessionRecord, writeTranscript } from '../helpers/claude-files.js';

useProcessCleanup();

// Between two runs: more than the scan's own window, so the earlier sample proves more than it.
const RUN_GAP_MS = 3_000;

describe('idle', () => {
  it('calls a child with no record or transcript idle now, for an unknown time, and never abandoned, run after run', async () => {
    const box = sandbox();
    const d = await startDaemon({ count: 1 });
    const pid = d.childPids[0]!;
    for (const age of [500, 3_000, 6_000]) {
      await waitAge([pid], age);
      const p = find(await scanJson(box, ['--sample', '500ms', '--abandoned-after', '1s']), pid);
      expect(p.idle, `age ${age}`).toEqual({ forMs: null, evidence: 'window' });
      expect(reasonText(p, 'idle')).toMatch(/^idle now, for an unknown time: a later run \(watch, or a schedule\) would show how long$/);
      expect(p.flags).not.toContain('abandoned');
      expect(p.reapable).toBe(false);
    }
  });

  it("proves idle time of a daemon with an earlier run's sample: no CPU since", async () => {
    const box = sandbox();
    const d = await startDaemon({ count: 1 });
    const first = await scanJson(box, ['--sample', '500ms']);
    expect(find(first, d.pid).idle).toEqual({ forMs: null, evidence: 'window' });
    await sleep(RUN_GAP_MS);
    const second = await scanJson(box, ['--sample', '500ms']);
    const p = find(second, d.pid);
    expect(p.idle?.evidence).toBe('earlier-sample');
    const span = Date.parse(second.scannedAt) - Date.parse(first.scannedAt);
    expect(p.idle!.forMs!).toBeGreaterThanOrEqual(RUN_GAP_MS);
    expect(Math.abs(p.idle!.forMs! - span)).toBeLessThan(100);
    // Its claude child: the same quiet CPU proves nothing (a turn costs less than an idle claude ticks).
    expect(find(second, d.childPids[0]!).idle).toEqual({ forMs: null, evidence: 'window' });
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
    expect(Math.abs(p.idle!.forMs! - (Date.parse(doc.scannedAt) - since))).toBeLessThan(1_000);
    expect(reasonText(p, 'idle')).toMatch(/^idle 1m\d\ds \(Claude's session record says idle\)$/);
  });

  it("reads the transcript of a legacy CLI, whose record has neither procStart nor status", async () => {
    const box = sandbox();
    const configDir = join(box.root, 'claude-config');
    const d = await startDaemon({ count: 1, env: { CLAUDE_CONFIG_DIR: configDir } });
    const pid = d.childPids[0]!;
    const now = Date.now();
    const sessionId = 'c0ffee00-0000-4000-8000-000000000001';
    // As the legacy CLI writes it: startedAt just after the process began.
    writeSessionRecord(configDir, pid, { procStart: null, status: null, startedAt: startEpochMs(pid)! + 200, sessionId, cwd: '/srv/app' });
    writeTranscript(configDir, '/srv/app', sessionId, [
      { type: 'user', at: now - 200_000 },
      { type: 'assistant', at: now - 190_000, stop: 'end_turn' },
      { type: 'attachment', at: now - 185_000 },
    ]);
    const doc = await scanJson(box, ['--sample', '500ms', '--abandoned-after', '3m']);
    const p = find(doc, pid);
    expect(p.session?.status).toBeNull();
    expect(p.transcript).toMatchObject({ state: 'turn-over', since: now - 185_000 });
    expect(p.idle?.evidence).toBe('transcript');
    expect(p.idle!.forMs!).toBeGreaterThanOrEqual(185_000);
    expect(p.flags).toContain('abandoned');
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
      // Idle over the window at most, which proves no duration.
      if (p.idle) expect(p.idle).toEqual({ forMs: null, evidence: 'window' });
      expect(p.flags).not.toContain('abandoned');
    }
  });
});
