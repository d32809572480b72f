// macOS and Windows process tables built from the field reports' shapes (test/fixtures/scenes/),
// classified by the real built CLI through stand-in ps and PowerShell: every leak reapable with
// the right flags, every live session, Desktop process and user's job kept, decoys unlisted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import type { KillPlan } from '../../src/reap/plan.js';
import { runCli } from '../helpers/cli.js';
import { installFakeTools, scanSceneJson } from '../helpers/fake-platform.js';
import { find, listed, reasonText, sandbox, writeConfig } from '../helpers/scan-cli.js';
import { MEMORY_SERVER, PIDS as WIN, windowsFieldScene } from '../fixtures/scenes/windows-field.js';
import { PIDS as MAC, SPINNERS, macosFieldScene } from '../fixtures/scenes/macos-field.js';

const reapable = (doc: ScanDocument) => doc.processes.filter((p) => p.reapable).map((p) => p.pid).sort((a, b) => a - b);
const kept = (doc: ScanDocument, pid: number) => {
  const p = find(doc, pid);
  expect(p.reapable, `pid ${pid} (${p.kind}) must be kept: ${JSON.stringify(p.reasons)}`).toBe(false);
  return p;
};

describe('a Windows table from the field reports', () => {
  const unlisted = [...WIN.desktop, ...WIN.paneShells, WIN.cursorMcp, ...WIN.userJobs, ...WIN.decoys, 4400];

  it('keeps Desktop, its Code session and its pane shells, the live session and its helpers, and the user\'s jobs; reaps the leaks it can tie to claude', async () => {
    const box = sandbox();
    const base = Date.now();
    const doc = await scanSceneJson(box, { processes: windowsFieldScene({ claudeAlive: false, base }) }, 'cim', ['--sample', '500ms']);
    for (const pid of unlisted) expect(listed(doc, pid), `pid ${pid} must not be listed`).toBe(false);

    expect(kept(doc, WIN.desktopSession)).toMatchObject({ kind: 'claude', variant: 'desktop', protection: { id: 'desktop-session', text: 'a Claude Desktop session under the running app (claude.exe, pid 5812)' } });
    expect(kept(doc, WIN.desktopSessionMcp)).toMatchObject({ kind: 'mcp-server', owner: WIN.desktopSession });
    expect(kept(doc, WIN.liveClaude)).toMatchObject({ kind: 'claude', role: 'interactive' });
    expect(kept(doc, WIN.liveMcp[0]).kind).toBe('mcp-server');
    for (const pid of WIN.liveMcp.slice(1)) expect(kept(doc, pid)).toMatchObject({ kind: 'child', owner: WIN.liveClaude });
    expect(kept(doc, WIN.liveToolShell)).toMatchObject({ kind: 'tool-shell', owner: WIN.liveClaude });
    expect(kept(doc, WIN.liveDevServer)).toMatchObject({ kind: 'child', owner: WIN.liveClaude });

    // A Code session of an app run that is gone.
    expect(find(doc, WIN.desktopOrphan)).toMatchObject({ variant: 'desktop', flags: expect.arrayContaining(['orphan']), reapable: true });
    // Bash-tool wrapper shells whose claude is gone, each taking what it ran with it.
    for (const [shell, command] of [WIN.strayTool, WIN.strayNohup]) {
      expect(find(doc, shell)).toMatchObject({ kind: 'tool-shell', flags: expect.arrayContaining(['stray-shell']), reapable: true });
      expect(reasonText(find(doc, shell), 'stray-shell')).toBe("Bash-tool shell left running: its claude is gone, its parent 6000 is gone");
      expect(kept(doc, command).kind).toBe('child');
    }
    // Nothing ties these to claude yet: the MCP chain (no environment, no claude in its command
    // line) and a command whose tool shell is gone too. Not listed, never reaped.
    for (const pid of [...WIN.strayMcp, WIN.unknownSleep]) expect(listed(doc, pid)).toBe(false);
    expect(reapable(doc)).toEqual([WIN.desktopOrphan, WIN.strayTool[0], WIN.strayNohup[0]].sort((a, b) => a - b));
  });

  it('plans the leaks for `kill --orphans`, each with what it ran, and nothing else', async () => {
    const box = sandbox();
    const fake = installFakeTools({ processes: windowsFieldScene({ claudeAlive: false, base: Date.now() }) }, ['powershell.exe']);
    const r = await runCli(['kill', '--source', 'cim', '--orphans', '--dry-run', '--json', '--sample', '0'], { env: { ...box.env, ...fake.env } });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as KillPlan;
    expect(plan.targets.map((t) => [t.pid, t.descendants.map((d) => d.pid)]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [WIN.desktopOrphan, []],
      [WIN.strayTool[0], [WIN.strayTool[1]]],
      [WIN.strayNohup[0], [WIN.strayNohup[1]]],
    ]);
  });

  it("ties the MCP chain to claude by Claude's own configuration, word for word", async () => {
    const box = sandbox();
    const base = Date.now();
    writeFileSync(join(box.home, '.claude.json'), JSON.stringify({ numStartups: 40, mcpServers: { memory: { type: 'stdio', ...MEMORY_SERVER, env: {} } }, projects: {} }));
    const doc = await scanSceneJson(box, { processes: windowsFieldScene({ claudeAlive: false, base }) }, 'cim');
    const [cmd, npx, server] = WIN.strayMcp;
    expect(find(doc, cmd)).toMatchObject({ kind: 'mcp-server', owner: null, flags: expect.arrayContaining(['stray-mcp']), reapable: true });
    expect(find(doc, cmd).matchedBy).toBe(`MCP server 'memory' as declared in ${join(box.home, '.claude.json')}, word for word; its parent 6000 is gone`);
    for (const pid of [npx, server]) expect(find(doc, pid)).toMatchObject({ kind: 'child', reapable: false });
    // The same server under a live Cursor, and under the live claude, stay theirs.
    expect(listed(doc, WIN.cursorMcp)).toBe(false);
    expect(kept(doc, WIN.liveMcp[0]).flags).not.toContain('stray-mcp');
    for (const pid of unlisted) expect(listed(doc, pid)).toBe(false);
  });

  it('ties what an earlier run saw under a claude to it once that claude is gone: the MCP chain and a bare sleep.exe', async () => {
    const box = sandbox();
    const base = Date.now();
    const before = await scanSceneJson(box, { processes: windowsFieldScene({ claudeAlive: true, base }) }, 'cim');
    expect(find(before, WIN.strayMcp[0])).toMatchObject({ kind: 'mcp-server', owner: WIN.deadClaude });
    expect(find(before, WIN.unknownSleep)).toMatchObject({ kind: 'child', owner: WIN.deadClaude });
    const doc = await scanSceneJson(box, { processes: windowsFieldScene({ claudeAlive: false, base }) }, 'cim');
    expect(find(doc, WIN.strayMcp[0])).toMatchObject({ kind: 'mcp-server', owner: WIN.deadClaude, flags: expect.arrayContaining(['stray-mcp']), reapable: true });
    expect(find(doc, WIN.strayMcp[0]).matchedBy).toBe('an earlier run saw it as an MCP server of claude 6000 (same pid and start time)');
    expect(reasonText(find(doc, WIN.strayMcp[0]), 'stray-mcp')).toBe('MCP server left running: claude 6000 is gone, its parent 6000 is gone');
    expect(find(doc, WIN.unknownSleep)).toMatchObject({ kind: 'child', owner: WIN.deadClaude, flags: expect.arrayContaining(['stray-shell']), reapable: true });
    expect(find(doc, WIN.unknownSleep).matchedBy).toBe('an earlier run saw it as a command the Bash tool of claude 6000 started (same pid and start time)');
    expect(reasonText(find(doc, WIN.unknownSleep), 'stray-shell')).toBe('command the Bash tool started left running: claude 6000 is gone, its parent 64932 is gone');
    // The wrapper shells now name their claude.
    expect(reasonText(find(doc, WIN.strayTool[0]), 'stray-shell')).toBe('Bash-tool shell left running: claude 6000 is gone, its parent 6000 is gone');
    for (const pid of unlisted) expect(listed(doc, pid)).toBe(false);
    expect(kept(doc, WIN.desktopSession).protection?.id).toBe('desktop-session');
  });
});

describe('a macOS table from the field reports', () => {
  const unlisted = [MAC.desktopApp, MAC.userJob, ...MAC.decoys, 612, 640];
  // A test cannot wait ten minutes between runs: the rule is the same held for one second.
  const heldFor = (box: ReturnType<typeof sandbox>) => writeConfig(box, { sustainedAfter: '1s' });

  it("keeps the live session and Desktop's, reaps the orphans and the Bash-tool loops, and cannot tie the spinning /bin/zsh without an earlier run", async () => {
    const box = sandbox();
    const base = Date.now();
    const doc = await scanSceneJson(box, { processes: macosFieldScene({ claudeAlive: false, base }) }, 'ps', ['--sample', '1s', '--config', heldFor(box)]);
    for (const pid of unlisted) expect(listed(doc, pid), `pid ${pid} must not be listed`).toBe(false);
    expect(kept(doc, MAC.desktopSession)).toMatchObject({ variant: 'desktop', role: 'sdk', protection: { id: 'desktop-session' } });
    expect(kept(doc, MAC.liveClaude).protection?.id).toBe('live-tty');
    for (const pid of [MAC.liveMcp, MAC.liveToolShell, MAC.liveDevServer]) expect(kept(doc, pid).owner).toBe(MAC.liveClaude);
    expect(find(doc, MAC.orphanSdk)).toMatchObject({ role: 'sdk', flags: expect.arrayContaining(['orphan']), reapable: true });
    expect(find(doc, MAC.orphanSpare)).toMatchObject({ role: 'bg-pty-host', flags: expect.arrayContaining(['orphan', 'runaway']), reapable: true });
    for (const pid of MAC.strayLoopShells) {
      expect(find(doc, pid)).toMatchObject({ kind: 'tool-shell', flags: expect.arrayContaining(['stray-shell', 'runaway']), reapable: true });
    }
    // macOS shows no environment for /bin/zsh: nothing says these are claude's. Not listed.
    for (const pid of SPINNERS) expect(listed(doc, pid)).toBe(false);
    expect(reapable(doc)).toEqual([MAC.orphanSdk, ...MAC.strayLoopShells, MAC.orphanSpare].sort((a, b) => a - b));
  });

  it('reaps the 30 spinning shells of anthropics/claude-code#89625 once an earlier run saw them under their claude, as runaways on CPU held since', async () => {
    const box = sandbox();
    const base = Date.now();
    const config = heldFor(box);
    const before = await scanSceneJson(box, { processes: macosFieldScene({ claudeAlive: true, base }) }, 'ps', ['--sample', '1s', '--config', config]);
    for (const pid of SPINNERS) expect(find(before, pid)).toMatchObject({ kind: 'child', owner: 812 });
    for (const pid of SPINNERS) expect(find(before, pid).flags).not.toContain('runaway');
    const doc = await scanSceneJson(box, { processes: macosFieldScene({ claudeAlive: false, base }) }, 'ps', ['--sample', '1s', '--config', config]);
    for (const pid of SPINNERS) {
      const p = find(doc, pid);
      expect(p).toMatchObject({ kind: 'child', owner: 812, reapable: true });
      expect(p.flags).toEqual(expect.arrayContaining(['stray-shell', 'runaway']));
      expect(p.matchedBy).toBe('an earlier run saw it as a command the Bash tool of claude 812 started (same pid and start time)');
      expect(reasonText(p, 'stray-shell')).toBe('command the Bash tool started left running: claude 812 is gone, reparented to init (pid 1, launchd)');
      expect(reasonText(p, 'runaway')).toMatch(/^2\d % of a core for \S+ with no owner \(since an earlier run's sample, 2\d % now\)$/);
    }
    for (const pid of unlisted) expect(listed(doc, pid)).toBe(false);
    expect(kept(doc, MAC.liveClaude).protection?.id).toBe('live-tty');
  });
});
