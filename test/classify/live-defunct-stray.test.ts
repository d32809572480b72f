// `defunct`, `stray-shell` and `stray-mcp`: what is left when claude is gone, or half gone.
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, killHard, procStat, startClaude, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson } from '../helpers/scan-cli.js';
import { mcpCommand, toolShellCommand, waitForExec } from '../helpers/claude-files.js';
import { startZombieClaude } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

describe('defunct', () => {
  it('flags a zombie claude, names the parent that must reap it, and never makes it a target', async () => {
    const z = await startZombieClaude();
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, z.pid);
    expect(p).toMatchObject({ state: 'Z', kind: 'claude', ppid: z.parentPid, argv: [] });
    // Nothing else can be said of a zombie: it neither idles nor is orphaned.
    expect(p.flags).toEqual(['defunct']);
    expect(reasonText(p, 'defunct')).toBe(`zombie: only its parent sleep (${z.parentPid}) can reap it`);
    expect(reasonOf(p, 'defunct')!.evidence).toEqual({ parentPid: z.parentPid, parentName: 'sleep' });
    expect(p.reapable).toBe(false);
  });
});

describe('stray-shell and stray-mcp', () => {
  async function claudeWithHelpers() {
    const c = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: [mcpCommand(), toolShellCommand(box.root)] });
    const [mcp, shell] = c.childPids as [number, number];
    await waitForExec(mcp, process.execPath);
    await waitForExec(shell, '/bin/bash');
    return { claude: c, mcp, shell };
  }

  it('leaves the Bash-tool shell and MCP server of a live claude alone', async () => {
    const { mcp, shell } = await claudeWithHelpers();
    const doc = await scanJson(box, ['--sample', '500ms']);
    for (const pid of [mcp, shell]) {
      const p = find(doc, pid);
      expect(p.flags).not.toContain('stray-shell');
      expect(p.flags).not.toContain('stray-mcp');
      expect(p.reapable).toBe(false);
    }
  });

  it('flags the Bash-tool shell and MCP server a SIGKILLed claude left running', async () => {
    const { claude, mcp, shell } = await claudeWithHelpers();
    await killHard(claude.pid);
    for (const pid of [mcp, shell]) await waitFor(() => procStat(pid)?.ppid !== claude.pid, { what: `pid ${pid} to be reparented` });
    const doc = await scanJson(box, ['--sample', '500ms']);

    const s = find(doc, shell);
    expect(s.kind).toBe('tool-shell');
    expect(s.flags).toContain('stray-shell');
    expect(reasonText(s, 'stray-shell')).toMatch(/^Bash-tool shell left running: its claude is gone, reparented to (init|subreaper) /);
    expect(s.reapable).toBe(true);

    const m = find(doc, mcp);
    expect(m.kind).toBe('mcp-server');
    expect(m.flags).toContain('stray-mcp');
    // Its messaging socket names the claude it served.
    expect(reasonText(m, 'stray-mcp')).toMatch(new RegExp(`^MCP server left running: claude ${claude.pid} is gone, reparented to (init|subreaper) `));
    expect(reasonOf(m, 'stray-mcp')!.evidence).toMatchObject({ owner: claude.pid, ppid: procStat(mcp)!.ppid });
    expect(m.reapable).toBe(true);
  });
});
