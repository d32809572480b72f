// On Linux, `--source ps` (the macOS adapter, run against procps) must list the same claude-related
// processes of the user's own as `--source procfs`, with the same kinds: including those found
// only through their environment (ps e), and the legacy SDK child whose command line is just
// `claude` (its executable, node, is what /proc adds; ps tells it by its environment instead).
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import { mcpCommand, toolShellCommand, waitForExec } from '../helpers/claude-files.js';
import { SDK_ARGS, childrenOf, killHard, procStat, readCmdline, startClaude, startDaemon, startOrphan, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { sandbox, scanJson } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

/** kind (and role, for claude) of each of `pids`, as the scan lists them; absent when unlisted. */
function kinds(doc: ScanDocument, pids: readonly number[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const pid of pids) {
    const p = doc.processes.find((q) => q.pid === pid);
    if (p) out[pid] = p.kind === 'claude' ? `claude/${p.role}` : p.kind;
  }
  return out;
}

describe('--source ps and --source procfs agree on Linux', () => {
  it('list the same related processes with the same kinds, markers in the environment included', async () => {
    // A daemon nothing knows by name, driving legacy SDK children whose argv is just `claude`.
    const legacy = await startDaemon({ count: 2, variant: 'title-only', mode: 'sleep', scriptName: 'agent-host.cjs', installPath: 'srv/agent' });
    // A known daemon with the SDK's bundled binary, each child with an MCP server.
    const known = await startDaemon({ count: 1, mode: 'sleep', childCommands: [mcpCommand()] });
    // A claude whose MCP server, Bash-tool shell and a shell marked only in its environment
    // (CLAUDE_PID, as the orphaned zsh of anthropics/claude-code#89625) outlive it.
    const envShell = `exec env CLAUDECODE=1 CLAUDE_PID=$PPID /bin/sh -c 'sleep 1000; exit 0'`;
    const doomed = await startClaude({ args: SDK_ARGS, mode: 'sleep', childCommands: [mcpCommand('stray'), toolShellCommand(box.root), envShell] });
    const [mcp, toolShell, markedShell] = doomed.childPids as [number, number, number];
    await waitForExec(mcp, process.execPath);
    await waitForExec(toolShell, '/bin/bash');
    await waitForExec(markedShell, '/bin/sh');
    const toolCommand = await waitFor(() => childrenOf(toolShell).find((pid) => readCmdline(pid)?.[0] === 'sleep'), { what: 'the tool command' });
    await killHard(doomed.pid);
    await waitFor(() => [mcp, toolShell, markedShell].every((pid) => procStat(pid)?.ppid !== doomed.pid), { what: 'the helpers to be reparented' });
    const orphan = await startOrphan({ args: SDK_ARGS });

    const mine = [
      legacy.pid,
      ...legacy.childPids,
      known.pid,
      ...known.childPids,
      ...known.claudes.flatMap((c) => c.children),
      mcp,
      toolShell,
      toolCommand,
      markedShell,
      ...childrenOf(markedShell),
      orphan.pid,
    ];
    const [procfs, ps] = await Promise.all([scanJson(box, ['--sample', '0', '--source', 'procfs']), scanJson(box, ['--sample', '0', '--source', 'ps'])]);
    expect(ps.source).toBe('ps');

    // What /proc shows, so the comparison is not between two empty lists.
    const want = kinds(procfs, mine);
    expect(want[legacy.pid]).toBe('agent-daemon');
    for (const pid of legacy.childPids) expect(want[pid]).toBe('claude/sdk');
    expect(want[known.claudes[0]!.children[0]!]).toBe('mcp-server');
    expect(want[mcp]).toBe('mcp-server');
    expect(want[toolShell]).toBe('tool-shell');
    expect(want[orphan.pid]).toBe('claude/sdk');
    // The shell marked only by CLAUDE_PID in its environment (anthropics/claude-code#89625's shape).
    expect(want[markedShell]).toBe('tool-shell');

    expect(kinds(ps, mine)).toEqual(want);
  });
});
