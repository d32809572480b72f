// What `scan` lists beside claude itself: its MCP servers and Bash-tool shells (also after claude
// is gone), agent daemons and their children; and what it must leave out.
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, childrenOf, killHard, procStat, readCmdline, startClaude, startDaemon, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, listed, sandbox, scanJson } from '../helpers/scan-cli.js';
import { mcpCommand, toolShellCommand, waitForExec } from '../helpers/claude-files.js';
import { startPlain } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

/** A claude with an MCP server (markers in its environment) and a Bash-tool shell running `sleep 1000`. */
async function claudeWithHelpers() {
  const c = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: [mcpCommand(), toolShellCommand(box.root)] });
  const [mcp, shell] = c.childPids as [number, number];
  await waitForExec(mcp, process.execPath);
  await waitForExec(shell, '/bin/bash');
  // The tool shell forks the command it evals: wait for that too.
  const command = await waitFor(() => childrenOf(shell).find((pid) => readCmdline(pid)?.[0] === 'sleep'), { what: 'the tool command to start' });
  return { claude: c, mcp, shell, command };
}


describe('scan lists what claude started', () => {
  it('lists an MCP server and a Bash-tool shell under a claude, owned by it', async () => {
    const { claude, mcp, shell, command } = await claudeWithHelpers();
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, mcp)).toMatchObject({ kind: 'mcp-server', owner: claude.pid, ppid: claude.pid });
    expect(find(doc, shell)).toMatchObject({ kind: 'tool-shell', owner: claude.pid, ppid: claude.pid });
    expect(find(doc, command)).toMatchObject({ kind: 'child', owner: claude.pid, ppid: shell });
  });

  it('still lists the Bash-tool shell by its signature after its claude is SIGKILLed', async () => {
    const { claude, shell, command } = await claudeWithHelpers();
    await killHard(claude.pid);
    await waitFor(() => procStat(shell)?.ppid !== claude.pid, { what: 'the tool shell to be reparented' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(listed(doc, claude.pid)).toBe(false);
    const p = find(doc, shell);
    expect(p.kind).toBe('tool-shell');
    expect(p.matchedBy).toMatch(/signature/);
    expect(p.ppid).not.toBe(claude.pid);
    expect(find(doc, command).ppid).toBe(shell);
  });

  it('finds an MCP server reparented after its claude died through its environment markers', async () => {
    const { claude, mcp } = await claudeWithHelpers();
    await killHard(claude.pid);
    await waitFor(() => procStat(mcp)?.ppid !== claude.pid, { what: 'the MCP server to be reparented' });
    const doc = await scanJson(box, ['--sample', '0']);
    const p = find(doc, mcp);
    expect(p.kind).toBe('mcp-server');
    expect(p.matchedBy).toMatch(/MCP markers/);
    // CLAUDE_CODE_MESSAGING_SOCKET=…/cc-socks/<claude pid>.sock still names the claude it served.
    expect(p.owner).toBe(claude.pid);
  });

  it('ties a command with nothing of claude in its environment to its claude once that is gone, by what an earlier run saw', async () => {
    const own = sandbox();
    const c = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: ['exec env -i /bin/sleep 1000'] });
    const bare = c.childPids[0]!;
    await waitForExec(bare, '/bin/sleep');
    const before = await scanJson(own, ['--sample', '0']);
    expect(find(before, bare)).toMatchObject({ kind: 'child', owner: c.pid });
    await killHard(c.pid);
    await waitFor(() => procStat(bare)?.ppid !== c.pid, { what: 'the command to be reparented' });
    // A run with no earlier one cannot tell: nothing in it says claude.
    expect(listed(await scanJson(box, ['--sample', '0']), bare)).toBe(false);
    const after = find(await scanJson(own, ['--sample', '0']), bare);
    expect(after).toMatchObject({ kind: 'child', owner: c.pid, matchedBy: `an earlier run saw it as a process claude ${c.pid}'s tree started (same pid and start time)` });
    expect(after.flags).toContain('orphan');
    expect(after.reapable).toBe(true);
  });

  it('lists an agent daemon, its claude children and what they started', async () => {
    const d = await startDaemon({ count: 2, childCommands: ['exec sleep 1000'] });
    const doc = await scanJson(box, ['--sample', '0']);
    const daemon = find(doc, d.pid);
    expect(daemon.kind).toBe('agent-daemon');
    expect(daemon.argv).toEqual(['node', d.scriptPath, '--daemon']);
    for (const claude of d.claudes) {
      expect(find(doc, claude.pid)).toMatchObject({ kind: 'claude', variant: 'sdk-bundled', role: 'sdk', ppid: d.pid });
      expect(find(doc, claude.children[0]!)).toMatchObject({ kind: 'child', owner: claude.pid, ppid: claude.pid });
    }
  });

  it('leaves out processes that merely mention claude in their arguments', async () => {
    const editor = await startPlain('vim', ['claude.md']);
    const pager = await startPlain('less', ['/home/dev/.local/bin/claude', '--resume', 'abc']);
    const grep = await startPlain('grep', ['-r', 'claude', '--output-format', 'stream-json']);
    const doc = await scanJson(box, ['--sample', '0']);
    for (const p of [editor, pager, grep]) expect(listed(doc, p.pid), p.argv.join(' ')).toBe(false);
  });
});
