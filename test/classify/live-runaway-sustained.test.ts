// `runaway` on CPU held at a quarter of a core, as the orphaned shells of anthropics/claude-code#89625
// burned it for a day: two runs of the real CLI sharing one state dir (the first leaves the
// earlier sample), over real processes that spin 25 ms of every 100.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPTS_DIR, SDK_ARGS, childrenOf, killHard, procStat, shellQuote, startClaude, startOrphan, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson, sleep, writeConfig } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

const DUTY = join(SCRIPTS_DIR, 'duty-cycle.mjs');
/** A command the Bash tool left running (CLAUDE_PID names its claude) that spins a quarter of a core, for `forMs` (0: always). */
const burner = (forMs = 0) => `exec env CLAUDECODE=1 CLAUDE_PID=$PPID ${shellQuote(process.execPath)} ${shellQuote(DUTY)} 25 100 ${forMs}`;

// The default bar is 15 % held for 10 minutes. A spinner on two cores shared with other suites
// gets the CPU for only part of each spin (6 % was seen for a 25 % spinner under load), and a test
// cannot wait 10 minutes: the rule is the same at 5 % held for 3 seconds.
const HELD_FOR_MS = 3000;
const CONFIG = { sustainedCpuPercent: 5, sustainedAfter: `${HELD_FOR_MS / 1000}s` };

describe('runaway on CPU held since an earlier run', () => {
  it('flags an orphan and a stray at a quarter of a core only once an earlier run saw them burn, never a live session\'s child', async () => {
    const config = writeConfig(box, CONFIG);
    // An orphaned claude spinning a quarter of a core.
    const orphan = await startOrphan({ args: SDK_ARGS, mode: 'periodic', busyMs: 25, periodMs: 100 });
    // A claude whose Bash-tool commands outlive it: one spins on, one stops after two seconds.
    const doomed = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: [burner(), burner(2000)] });
    const [stray, stopped] = doomed.childPids as [number, number];
    await killHard(doomed.pid);
    await waitFor(() => [stray, stopped].every((pid) => procStat(pid)?.ppid !== doomed.pid), { what: 'the Bash-tool commands to be reparented' });
    // A live claude, with its parent here, whose command spins the same.
    const live = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: [burner()] });
    const liveChild = live.childPids[0]!;
    expect(childrenOf(live.pid)).toContain(liveChild);

    const first = await scanJson(box, ['--sample', '1s', '--config', config]);
    expect(find(first, orphan.pid).flags).toContain('orphan');
    expect(find(first, stray).flags).toContain('stray-shell');
    // Burning now, but nothing shows it burned before: one reading proves nothing held.
    for (const pid of [orphan.pid, stray, stopped, liveChild]) expect(find(first, pid).flags).not.toContain('runaway');
    expect(find(first, stray).cpuPercent).toBeGreaterThan(CONFIG.sustainedCpuPercent);

    await sleep(HELD_FOR_MS + 500);
    await waitFor(() => (procStat(stopped) ? true : null), { what: 'the stopped command to still exist' });
    const second = await scanJson(box, ['--sample', '1s', '--config', config]);

    for (const pid of [orphan.pid, stray]) {
      const p = find(second, pid);
      expect(p.flags).toContain('runaway');
      expect(reasonText(p, 'runaway')).toMatch(/^\d+ % of a core for \S+ with no owner \(since an earlier run's sample, \d+ % now\)$/);
      const evidence = reasonOf(p, 'runaway')!.evidence;
      expect(evidence.averagePercent).toBeGreaterThanOrEqual(CONFIG.sustainedCpuPercent);
      expect(evidence.busyForMs).toBeGreaterThanOrEqual(HELD_FOR_MS);
      expect(evidence).toMatchObject({ thresholdPercent: CONFIG.sustainedCpuPercent, thresholdMs: HELD_FOR_MS });
      expect(p.reapable).toBe(true);
    }
    // Burned before, quiet now: not a runaway.
    expect(find(second, stopped).cpuPercent).toBeLessThan(CONFIG.sustainedCpuPercent);
    expect(find(second, stopped).flags).not.toContain('runaway');
    expect(find(second, stopped).flags).toContain('stray-shell');
    // A live session's child spinning the same is that session's.
    const child = find(second, liveChild);
    expect(child).toMatchObject({ owner: live.pid, reapable: false });
    expect(child.flags).not.toContain('runaway');
    expect(find(second, live.pid).flags).not.toContain('runaway');
  });
});
