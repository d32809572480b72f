// `abandoned`: the leak under a live daemon. An idle SDK child with no tty, whose parent is alive
// and is not a terminal or a shell, idle past the threshold.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SDK_ARGS, procStat, startDaemon, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { writeSessionRecord } from '../helpers/claude-files.js';
import { find, reasonOf, reasonText, sandbox, scanJson, waitAge } from '../helpers/scan-cli.js';
import { startUnderShell } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

const THRESHOLD = ['--abandoned-after', '2s'];
// Past the threshold with a margin, counted from each process's start.
const PAST_THRESHOLD_MS = 2_500;

describe('abandoned', () => {
  it("flags the idle SDK children of a live daemon past --abandoned-after by Claude's record, and names the daemon", async () => {
    const configDir = join(box.root, 'claude-config');
    const d = await startDaemon({ count: 2, env: { CLAUDE_CONFIG_DIR: configDir } });
    const since = Date.now();
    for (const pid of d.childPids) writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'idle', statusUpdatedAt: since });
    await waitFor(() => Date.now() - since >= PAST_THRESHOLD_MS, { timeoutMs: 10_000, what: 'the threshold to pass' });
    const doc = await scanJson(box, ['--sample', '500ms', ...THRESHOLD]);
    for (const pid of d.childPids) {
      const p = find(doc, pid);
      expect(p.flags).toEqual(expect.arrayContaining(['idle', 'abandoned']));
      expect(p.flags).not.toContain('orphan');
      expect(reasonText(p, 'abandoned')).toMatch(new RegExp(`^idle \\d+s under node \\(${d.pid}\\), no tty \\(Claude's session record says idle\\)$`));
      expect(reasonOf(p, 'abandoned')!.evidence).toMatchObject({ owner: d.pid, ownerName: 'node', thresholdMs: 2_000, evidence: 'session-record' });
      expect(reasonOf(p, 'abandoned')!.evidence.idleForMs).toBeGreaterThanOrEqual(2_000);
      expect(p.reapable).toBe(true);
    }
    // The daemon itself is what drives them, not a leak.
    expect(find(doc, d.pid).reapable).toBe(false);
  });

  it("finds Claude's record under the HOME a daemon gave its children, when they have no CLAUDE_CONFIG_DIR", async () => {
    // Claude Code keeps its config in $HOME/.claude then, whatever the passwd entry says.
    const home = join(box.root, 'bot-home');
    const d = await startDaemon({ count: 1, env: { HOME: home } });
    const pid = d.childPids[0]!;
    const since = Date.now();
    writeSessionRecord(join(home, '.claude'), pid, { procStart: procStat(pid)!.startId, status: 'idle', statusUpdatedAt: since });
    await waitFor(() => Date.now() - since >= PAST_THRESHOLD_MS, { timeoutMs: 10_000, what: 'the threshold to pass' });
    const p = find(await scanJson(box, ['--sample', '500ms', ...THRESHOLD]), pid);
    expect(p.session?.path).toBe(join(home, '.claude', 'sessions', `${pid}.json`));
    expect(p.flags).toEqual(expect.arrayContaining(['idle', 'abandoned']));
    expect(reasonOf(p, 'abandoned')!.evidence).toMatchObject({ owner: d.pid, evidence: 'session-record' });
    expect(p.reapable).toBe(true);
  });

  it('leaves alone children younger than the threshold', async () => {
    const d = await startDaemon({ count: 1 });
    const doc = await scanJson(box, ['--sample', '500ms', '--abandoned-after', '1m']);
    const p = find(doc, d.childPids[0]!);
    expect(p.flags).toContain('idle');
    expect(p.flags).not.toContain('abandoned');
    expect(p.reapable).toBe(false);
  });

  it('leaves alone the same idle claude run by a shell', async () => {
    const c = await startUnderShell({ args: SDK_ARGS });
    await waitAge([c.pid], PAST_THRESHOLD_MS);
    const doc = await scanJson(box, ['--sample', '500ms', ...THRESHOLD]);
    const p = find(doc, c.pid);
    expect(p.ppid).toBe(c.shellPid);
    expect(p.flags).toContain('idle');
    expect(p.flags).not.toContain('abandoned');
    expect(p.reapable).toBe(false);
  });
});
