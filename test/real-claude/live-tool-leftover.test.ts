// A job backgrounded by real Claude Code's Bash tool outlives the tool shell: reparented to init at
// once, with the session's markers in its environment. What its command line shows depends on
// whether the job exec'd a program or is a fork of the tool shell.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { cpuNs, isAlive, procStat, readCmdline, readEnviron } from '../helpers/proc-read.js';
import { LEFTOVER_COMMANDS, startSdkDaemon, useRealClaude } from '../helpers/real-claude/index.js';

const TIMEOUT = { timeout: 120_000 };

useProcessCleanup();
const rig = useRealClaude();

describe('a Bash-tool leftover of real Claude Code', () => {
  it('is reparented to init with CLAUDE_PID and the session id in its environment, an exec’d job showing its own command line and a shell loop the tool shell’s', TIMEOUT, async () => {
    const d = await startSdkDaemon(rig, {
      sdk: 'native',
      sessions: [
        { kind: 'tool', command: LEFTOVER_COMMANDS.sleep },
        { kind: 'tool', command: LEFTOVER_COMMANDS.busy },
      ],
    });
    expect(d.leftovers).toHaveLength(2);
    const [sleeper, loop] = d.leftovers;
    for (const left of [sleeper!, loop!]) {
      const claude = d.children[left.sessionIndex]!;
      expect(left.claudePid).toBe(claude.pid);
      const stat = procStat(left.pid)!;
      expect(stat.ppid).toBe(1);
      // The tool shell ran in a session of its own (setsid): the job keeps that group and session.
      expect(stat.pgid).toBe(stat.sid);
      expect(stat.sid).not.toBe(d.daemonPid);
      const env = readEnviron(left.pid)!;
      expect(env).toMatchObject({
        CLAUDE_PID: String(claude.pid),
        CLAUDECODE: '1',
        CLAUDE_CODE_SESSION_ID: claude.sessionId,
        CLAUDE_CODE_ENTRYPOINT: 'sdk-ts',
        CLAUDE_CODE_MESSAGING_SOCKET: `${d.scene.tmp}/cc-socks/${claude.pid}.sock`,
        CLAUDE_CONFIG_DIR: d.scene.configDir,
      });
      // It carries the test run's mark, so the run's final check would catch it if left behind.
      expect(env.REAPER_TEST_RUN).toBe(process.env.REAPER_TEST_RUN);
      expect(isAlive(claude.pid)).toBe(true);
    }
    expect(readCmdline(sleeper!.pid)).toEqual(['sleep', '1000']);
    const argv = readCmdline(loop!.pid)!;
    // The tool shell is the user's $SHELL when that is bash or zsh (the scene inherits it), else bash.
    expect(argv[0]).toMatch(/^\/\S*\/(?:bash|zsh)$/);
    expect(argv[1]).toBe('-c');
    const kind = basename(argv[0]!);
    if (/\/(?:bash|zsh)$/.test(process.env.SHELL ?? '')) expect(kind).toBe(basename(process.env.SHELL!));
    const shell = argv[2]!;
    expect(shell).toMatch(new RegExp(`^source \\S+/shell-snapshots/snapshot-${kind}-\\S+\\.sh `));
    expect(shell).toContain(`eval '${LEFTOVER_COMMANDS.busy.replace(/'/g, `'\\''`)}'`);
    // In $TMPDIR (the scene's own; /tmp by default).
    expect(shell.slice(shell.lastIndexOf(' pwd -P >| '))).toMatch(new RegExp(`^ pwd -P >\\| ${d.scene.tmp}/claude-[0-9a-f]+-cwd$`));
    expect(shell).toContain(d.scene.configDir);
    // The loop burns CPU (waited for: the machine may be busy); the sleeper does not.
    const [loop0, sleep0] = [cpuNs(loop!.pid)!, cpuNs(sleeper!.pid)!];
    await waitFor(() => cpuNs(loop!.pid)! - loop0 > 50e6, { timeoutMs: 10_000, what: 'the loop to use 50 ms of CPU' });
    expect(cpuNs(sleeper!.pid)! - sleep0).toBe(0);
  });

  it('is refused by Claude Code when it is a plain sleep followed by more commands', TIMEOUT, async () => {
    await expect(startSdkDaemon(rig, { sdk: 'native', sessions: [{ kind: 'tool', command: 'sleep 1000 & echo $!' }] })).rejects.toThrow(
      /Blocked: sleep 1000 followed by/,
    );
  });
});
