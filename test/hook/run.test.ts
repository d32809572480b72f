import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hookCommand } from '../../src/hook/command.js';
import { parseInput, readInput } from '../../src/hook/input.js';
import { findClaudeAncestor, hookRun, reaperEnv } from '../../src/hook/run.js';
import type { ProcessSource } from '../../src/platform/source.js';
import type { ProcessRecord } from '../../src/types.js';

function rec(pid: number, ppid: number, argv: string[]): ProcessRecord {
  return {
    pid, ppid, pgid: pid, sid: pid, uid: 1000, user: 'dev', name: argv[0]!.split('/').pop()!, exe: argv[0]!, argv,
    startTime: 0, startId: `start-${pid}`, elapsedMs: 0, cpuTimeMs: 0, rssBytes: 0, tty: null, tpgid: null, state: 'S', threads: 1, fdCount: null, cwd: null,
  };
}

/** init > sshd > claude (40) > sh -c (41) > node hook run (42); another claude (50) elsewhere. */
function source(list?: () => Promise<never>): ProcessSource {
  const records = new Map([
    rec(1, 0, ['/sbin/init']), rec(30, 1, ['/usr/sbin/sshd']), rec(40, 30, ['/home/dev/.local/share/claude/versions/2.1.330']),
    rec(41, 40, ['/bin/sh', '-c', 'node x hook run']), rec(42, 41, ['/usr/bin/node', '/x/claude-reaper.js', 'hook', 'run']), rec(50, 1, ['/usr/bin/claude']),
  ].map((r) => [r.pid, r]));
  return {
    id: 'procfs', reparent: 'posix',
    list: list ?? (async () => ({ records, denied: new Map() })),
    details: async () => new Map(), readCpu: async () => new Map(), identify: async () => null,
  };
}

describe('hook run', () => {
  it('finds the nearest claude above it, through the shell that runs the hook', async () => {
    expect(await findClaudeAncestor(source(), 42)).toEqual({ pid: 40, startId: 'start-40' });
    expect(await findClaudeAncestor(source(), 30)).toBeNull();
  });

  it('starts the reaper detached, told which claude to wait for, without Claude\'s markers in its environment', async () => {
    const spawned: [string, string[], NodeJS.ProcessEnv][] = [];
    const env = { PATH: '/bin', CLAUDECODE: '1', CLAUDE_CODE_ENTRYPOINT: 'cli', CLAUDE_CODE_SESSION_ID: 's', CLAUDE_PID: '40', CLAUDE_CONFIG_DIR: '/c', CLAUDE_REAPER_STATE_DIR: '/s' };
    const r = await hookRun({
      input: { sessionId: 'abc', reason: 'other' },
      command: { node: '/usr/bin/node', script: '/x/claude-reaper.js' },
      env, source: source(), pid: 42,
      spawnReaper: (node, args, e) => (spawned.push([node, args, e]), 4242),
    });
    expect(r).toEqual({ claude: { pid: 40, startId: 'start-40' }, reaperPid: 4242, args: expect.any(Array) });
    expect(spawned).toEqual([['/usr/bin/node', ['/x/claude-reaper.js', 'hook', 'reap', '--after', '40', '--after-start', 'start-40', '--session', 'abc'], { PATH: '/bin', CLAUDE_CONFIG_DIR: '/c', CLAUDE_REAPER_STATE_DIR: '/s' }]]);
    expect(reaperEnv(env)).toEqual({ PATH: '/bin', CLAUDE_CONFIG_DIR: '/c', CLAUDE_REAPER_STATE_DIR: '/s' });
  });

  it('does not wait past its budget for a slow process table: the reaper then waits for no one', async () => {
    const started = Date.now();
    const r = await hookRun({
      input: { sessionId: null, reason: null }, command: { node: 'n', script: 's' }, env: {}, pid: 42,
      source: source(() => new Promise<never>(() => {})), lookupBudgetMs: 100, spawnReaper: () => 1,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.claude).toBeNull();
    expect(r.args).toEqual(['s', 'hook', 'reap']);
  });

  it('reads its input within a deadline, and tolerates none or garbage', async () => {
    const stream = new PassThrough();
    stream.write('{"session_id":"abc","hook_event_name":"SessionEnd","reason":"logout"}');
    const started = Date.now();
    const text = await readInput(stream, 150); // never ended: the deadline stops the read
    expect(Date.now() - started).toBeLessThan(1000);
    expect(parseInput(text)).toEqual({ sessionId: 'abc', reason: 'logout' });
    expect(stream.destroyed).toBe(true);
    expect(parseInput(null)).toEqual({ sessionId: null, reason: null });
    expect(parseInput('not json')).toEqual({ sessionId: null, reason: null });
    const ended = new PassThrough();
    ended.end('{"session_id": 7}');
    expect(parseInput(await readInput(ended, 5000))).toEqual({ sessionId: null, reason: null });
  });
});

describe('the hook command line', () => {
  it('runs node on the script through /bin/sh whatever the paths hold', () => {
    const script = '/tmp/it\'s a "dir"/$HOME/`x`\\/claude-reaper.js';
    const line = hookCommand({ node: '/bin/echo', script });
    const r = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(r.stdout).toBe(`${script} hook run\n`);
  });

  it('writes Windows paths with forward slashes', () => {
    expect(hookCommand({ node: 'C:\\Program Files\\nodejs\\node.exe', script: 'C:\\Users\\A\\npm\\claude-reaper.js' })).toBe(
      '"C:/Program Files/nodejs/node.exe" "C:/Users/A/npm/claude-reaper.js" hook run',
    );
  });
});
