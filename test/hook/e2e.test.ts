// A real session end: a claude-shaped process whose MCP server ignores stdin EOF runs `hook run`
// (through a shell, as Claude Code runs hooks), then dies by SIGKILL. The detached reaper must end
// that MCP server, and nothing else. The reaper's config protects every process whose command line
// does not name this test's scratch directory, so it cannot touch anything outside this test.
import { mkdirSync, readFileSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, isAlive, isSameProcess, killHard, readCmdline, startClaude, track, trackedStartId, useProcessCleanup, waitFor, workRoot } from '../helpers/procs.js';
import { makeSandbox, type Sandbox } from '../fixtures/schedule/sandbox.js';

useProcessCleanup();

// The installed command, as the hook runs it: the built CLI (npm run build, done by npm ci).
const cli = { entry: CLI_PATH };
let sb: Sandbox;
beforeAll(() => {
  sb = makeSandbox();
});
afterAll(() => {
  sb?.remove();
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** An MCP-server-shaped child of claude: Claude's markers in its environment, deaf to stdin EOF. */
function mcpCommand(root: string, session: string): string {
  const server = join(root, 'mcp', 'mcp-server');
  if (!existsSync(server)) {
    mkdirSync(join(root, 'mcp'), { recursive: true });
    symlinkSync('/bin/sleep', server);
  }
  return `export CLAUDE_CODE_SESSION_ID=${session} CLAUDE_CODE_MESSAGING_SOCKET=${root}/cc-socks/$PPID.sock; exec ${server} 1000`;
}

describe('the SessionEnd hook, end to end', () => {
  it('reaps the MCP server a SIGKILLed session left behind, and touches nothing else', async () => {
    const root = workRoot();
    const config = join(sb.root, 'config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.json'), JSON.stringify({ protect: [`^(?!.*${escape(root)})`] }));
    const env = { CLAUDE_REAPER_STATE_DIR: sb.state, CLAUDE_REAPER_CONFIG_DIR: config, CLAUDE_CONFIG_DIR: join(sb.root, 'claude') };

    // A live session beside it, with its own MCP server: both must survive.
    const other = await startClaude({ mode: 'sleep', childCommands: [mcpCommand(root, 'other')], env });

    const out = join(root, 'hook-run.out');
    const ms = join(root, 'hook-run.ms');
    const input = JSON.stringify({ session_id: 'ending', hook_event_name: 'SessionEnd', reason: 'other' });
    const hook = `s=$(date +%s%N); printf '%s' '${input}' | "${process.execPath}" "${cli.entry}" hook run > ${out} 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )) > ${ms}`;
    const session = await startClaude({ mode: 'sleep', childCommands: [mcpCommand(root, 'ending'), hook], env });
    const mcp = session.childPids[0]!;

    const said: string = await waitFor(() => (existsSync(ms) ? readFileSync(out, 'utf8') : null), { timeoutMs: 15_000, what: 'hook run to finish' });
    const reaper = Number(/reaper pid (\d+)/.exec(said)?.[1]);
    expect(said).toBe(`claude-reaper: reaping orphans after claude ${session.pid} exits; reaper pid ${reaper}\n`);
    try {
      track(reaper);
    } catch {
      throw new Error(`the reaper ${reaper} exited before its claude did`);
    }
    // Within the 1.5 s that Claude Code gives all SessionEnd hooks together, node's start-up included.
    const took = Number(readFileSync(ms, 'utf8'));
    expect(took).toBeLessThan(1500);
    expect(readCmdline(reaper)).toEqual([process.execPath, cli.entry, 'hook', 'reap', '--after', String(session.pid), '--after-start', session.startId, '--session', 'ending']);
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(mcp) && isAlive(reaper)).toBe(true); // waiting, while its claude lives

    await killHard(session.pid); // the session ends badly: its MCP server is left behind
    await waitFor(() => !isAlive(reaper), { timeoutMs: 20_000, what: 'the reaper to finish' });
    expect(isAlive(mcp)).toBe(false);

    for (const pid of [other.pid, ...other.childPids]) expect(isSameProcess(pid, trackedStartId(pid)!) && isAlive(pid), `pid ${pid}`).toBe(true);
    const audit = readFileSync(join(sb.state, 'reaped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.map((e) => [e.pid, e.outcome])).toEqual([[mcp, 'terminated']]);
    expect(audit[0].flags).toContain('stray-mcp');
    expect(readFileSync(join(sb.state, 'hook.log'), 'utf8')).toMatch(new RegExp(`^\\S+ after claude ${session.pid} \\(session ending\\): reaped 1 process`));
  });
});
