// Verdicts that hold at every age, on the real binaries: one scene of live sessions and leaks,
// scanned again and again as it ages, with 45 s thresholds. No live process is ever reapable; every
// leak is reapable within a minute of its threshold and never before it; and `kill --yes` ends
// every leak and nothing else. (The same scene at the default thresholds, for 12 minutes, is
// test/soak/verdicts.soak.ts.)
import { describe, expect, it } from 'vitest';
import type { ProcessReport, ScanDocument } from '../../src/report.js';
import { signalIfSame, useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { isSameProcess, procStat } from '../helpers/proc-read.js';
import { find, sandbox, scanJson, sleep } from '../helpers/scan-cli.js';
import { buildScene, type Scene, judge, killInScene } from '../helpers/real-claude/verdict-scene.js';
import { useRealClaude } from '../helpers/real-claude/index.js';

useProcessCleanup();
const rig = useRealClaude();
const box = sandbox();

const THRESHOLD_MS = 45_000;
const THRESHOLDS = ['--abandoned-after', '45s', '--hung-after', '45s'];
// "Reapable within a minute of its threshold".
const WITHIN_MS = 60_000;
const SCAN_EVERY_MS = 25_000;

async function scan(): Promise<ScanDocument> {
  return scanJson(box, ['--sample', '500ms', ...THRESHOLDS]);
}

describe('verdicts at every age, on the real binaries', () => {
  it('never makes a live process reapable, makes every leak reapable within a minute of its threshold, and kill --yes ends the leaks only', { timeout: 600_000 }, async () => {
    const scene: Scene = await buildScene(rig, { busyLeftover: true });
    // The legacy CLI (2.1.111), when terminated, tries twice to reach api.anthropic.com whatever
    // its opt-out variables say; the mock, its proxy, refuses it. Two legacy leaks are terminated.
    rig.allowEscapes('api.anthropic.com:443', 4, 'the legacy CLI on SIGTERM');
    const failures: string[] = [];
    const check = (doc: ScanDocument, when: string) => {
      for (const miss of judge(scene.expectations, doc, { thresholdMs: THRESHOLD_MS, withinMs: WITHIN_MS })) failures.push(`${when}: ${miss}`);
    };

    // Young: nothing of the scene is reapable yet.
    check(await scan(), 'at start');
    await sleep(SCAN_EVERY_MS);
    check(await scan(), '25 s');

    // The background daemon dies: its unclaimed spares and their hosts become leaks at once; the
    // claimed session and its host stay the user's.
    await scene.killBackgroundDaemon();
    await sleep(SCAN_EVERY_MS);
    check(await scan(), 'after the bg daemon died');

    // The busy leftover burns a core: once seen as a runaway stray, the test ends it (a test is
    // not a load generator).
    const busy = scene.expectations.find((e) => e.name === 'busy loop left by the Bash tool')!;
    for (let i = 0; i < 3; i++) {
      await sleep(SCAN_EVERY_MS);
      const doc = await scan();
      check(doc, `scan ${i + 4}`);
      if (i === 0) {
        expect(find(doc, busy.pid).flags).toEqual(expect.arrayContaining(['stray-shell', 'runaway']));
        signalIfSame(busy.pid, 'SIGKILL');
        scene.forget(busy.pid);
      }
    }
    expect(failures).toEqual([]);

    // Every leak is now past its threshold and a minute: kill --yes, every default but the
    // thresholds, ends them and nothing else.
    const { planned, ended } = await killInScene(scene, box.env, THRESHOLDS, box.root);
    for (const e of scene.expectations) {
      if (e.verdict === 'leak') {
        expect(planned.has(e.pid), `${e.name} (${e.pid}) is in the plan of kill --yes`).toBe(true);
        expect(ended.has(e.pid) || !isSameProcess(e.pid, e.startId), `${e.name} (${e.pid}) ended`).toBe(true);
        await waitFor(() => !isSameProcess(e.pid, e.startId) || procStat(e.pid)?.state === 'Z', { timeoutMs: 10_000, what: `${e.name} to be gone` });
      } else {
        expect(planned.has(e.pid), `${e.name} (${e.pid}) is in the plan of kill --yes`).toBe(false);
        expect(isSameProcess(e.pid, e.startId), `${e.name} (${e.pid}) still runs`).toBe(true);
      }
    }
    // And the live ones still are what they were: a last scan finds them, none reapable.
    const after = await scan();
    for (const e of scene.expectations.filter((x) => x.verdict === 'live')) {
      const p: ProcessReport = find(after, e.pid);
      expect(p.reapable, `${e.name} after the kill`).toBe(false);
    }
  });
});

