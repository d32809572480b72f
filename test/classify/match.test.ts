import { describe, expect, it } from 'vitest';
import { argvSessionId, claudeArgs, claudeRole, isShell, isToolShell, matchClaude, matchDaemon, mayMatchBuiltin } from '../../src/classify/match.js';
import { findSeeds } from '../../src/snapshot/related.js';
import { proc } from '../helpers/snapshot.js';
import type { ClaudeVariant, ProcessRecord } from '../../src/types.js';

const SDK_ARGS = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--model=claude-sonnet-4-5'];

// Every shape a claude process takes, and the variant it is.
const SHAPES: [string, Pick<ProcessRecord, 'name' | 'exe' | 'argv'>, ClaudeVariant][] = [
    ['the native binary by name', { name: 'claude', exe: '/home/u/.local/bin/claude', argv: ['claude'] }, 'native'],
    ['npm bin/claude.exe', { name: 'claude.exe', exe: '/usr/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe', argv: ['claude.exe', '-p', 'hi'] }, 'native'],
    ['a version-named build (macOS shows 2.1.330 as its name)', { name: '2.1.330', exe: '/Users/u/.local/share/claude/versions/2.1.330', argv: ['/Users/u/.local/share/claude/versions/2.1.330'] }, 'native'],
    ['a version-named build run through the ~/.local/bin/claude symlink', { name: 'claude', exe: '/home/u/.local/share/claude/versions/2.1.330', argv: ['claude', '--resume', 'x'] }, 'native'],
    ["the SDK's bundled binary", { name: 'claude', exe: '/srv/app/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude', argv: ['/srv/app/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude', ...SDK_ARGS] }, 'sdk-bundled'],
    ['node running the npm cli.js', { name: 'node', exe: '/usr/bin/node', argv: ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'x'] }, 'npm-cli'],
    ['node with options before cli.js', { name: 'node', exe: '/usr/bin/node', argv: ['/usr/bin/node', '--max-old-space-size=4096', '/x/node_modules/@anthropic-ai/claude-code/cli.js'] }, 'npm-cli'],
    ['the title-clobbered npm CLI', { name: 'claude', exe: '/usr/bin/node', argv: ['claude'] }, 'title-only'],
    ["Claude Desktop's CLI on macOS", { name: 'claude', exe: null, argv: ['/Users/u/Library/Application Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude', ...SDK_ARGS] }, 'desktop'],
    ["Claude Desktop's CLI on Windows", { name: 'claude.exe', exe: 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude-code\\2.1.215\\claude.exe', argv: null }, 'desktop'],
    ['a zombie that kept only its name', { name: 'claude', exe: null, argv: [] }, 'native'],
];

describe('matchClaude: every shape a claude process takes', () => {
  it.each(SHAPES)('recognizes %s', (_what, rec, variant) => {
    expect(matchClaude(rec)?.variant).toBe(variant);
  });

  it('calls a bare `claude` native when its executable cannot be read (it cannot tell more)', () => {
    expect(matchClaude({ name: 'claude', exe: null, argv: ['claude'] })?.variant).toBe('native');
  });

  it.each([
    ['an editor opening claude.md', { name: 'vim', exe: '/usr/bin/vim', argv: ['vim', 'claude.md'] }],
    ['grep for claude', { name: 'grep', exe: '/usr/bin/grep', argv: ['grep', 'claude', '/var/log/syslog'] }],
    ['tail of a claude log', { name: 'tail', exe: '/usr/bin/tail', argv: ['tail', '-f', '/home/u/.claude/logs/claude.log'] }],
    ['this tool', { name: 'node', exe: '/usr/bin/node', argv: ['node', '/usr/lib/node_modules/claude-reaper/bin/claude-reaper.js', 'scan'] }],
    ['a directory named claude', { name: 'python3', exe: '/usr/bin/python3', argv: ['python3', '/home/u/claude/app.py'] }],
    ['a kernel thread', { name: 'kworker/0:1', exe: null, argv: [] }],
  ])('does not match %s', (_what, rec) => {
    expect(matchClaude(rec)).toBeNull();
  });
});

describe('claudeRole', () => {
  it('reads the SDK from its stream-json flags', () => {
    expect(claudeRole(SDK_ARGS, null)).toBe('sdk');
  });
  it('reads the SDK from CLAUDE_CODE_ENTRYPOINT when the flags are hidden', () => {
    expect(claudeRole([], { entrypoint: 'sdk-ts' })).toBe('sdk');
  });
  it('reads print mode from -p', () => {
    expect(claudeRole(['-p', 'summarize'], null)).toBe('print');
  });
  it("reads Claude's own background agents", () => {
    expect(claudeRole(['daemon', 'run'], null)).toBe('background');
    expect(claudeRole(['--bg-pty-host', '3'], null)).toBe('background');
  });
  it('calls everything else interactive', () => {
    expect(claudeRole(['--resume', 'abc'], { entrypoint: 'cli' })).toBe('interactive');
  });
  it('finds the arguments after cli.js for the npm CLI', () => {
    expect(claudeArgs({ argv: ['node', '/x/node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'q'] }, 'npm-cli')).toEqual(['-p', 'q']);
  });
  it('reads the resumed session id in every spelling', () => {
    expect(argvSessionId(['--resume', 'a1'])).toBe('a1');
    expect(argvSessionId(['-r', 'a2'])).toBe('a2');
    expect(argvSessionId(['--session-id=a3'])).toBe('a3');
    expect(argvSessionId(['-p', 'x'])).toBeNull();
  });
});

describe('helpers of claude', () => {
  it("recognizes a Bash-tool shell by its snapshot and cwd-file signature", () => {
    const argv = ['/bin/bash', '-c', "source /home/u/.claude/shell-snapshots/snapshot-bash-1759-abc.sh && eval 'npm run dev' < /dev/null && pwd -P >| /tmp/claude-1f2e-cwd"];
    expect(isToolShell(argv)).toBe(true);
    expect(isToolShell(['bash', '-c', 'sleep 1; pwd -P >| /tmp/claude-9ab3c-cwd'])).toBe(true);
    expect(isToolShell(['bash', '-c', 'echo claude'])).toBe(false);
  });
  it('recognizes shells, login shells included', () => {
    expect(isShell({ name: 'bash', argv: ['-bash'] })).toBe(true);
    expect(isShell({ name: 'node', argv: ['node', 'x.js'] })).toBe(false);
  });
  it('recognizes the claude-mem worker from any install path', () => {
    expect(matchDaemon(['node', '/home/u/.claude/plugins/marketplaces/thedotmack/plugin/scripts/worker-service.cjs', '--daemon'])).toBe('claude-mem worker');
    expect(matchDaemon(['node', 'server.js'])).toBeNull();
    expect(matchDaemon(['python3', 'agent.py', '--daemon'], [{ name: 'my agent', re: /agent\.py --daemon/ }])).toBe('my agent');
  });
});

describe('mayMatchBuiltin: the pre-check in front of the matchers', () => {
  it.each(SHAPES)('lets %s through', (_what, rec) => {
    expect(mayMatchBuiltin(rec)).toBe(true);
  });
  it('lets Bash-tool shells and known daemons through, wherever they are installed', () => {
    const daemon = { name: 'node', exe: '/usr/bin/node', argv: ['node', '/opt/mem/scripts/worker-service.cjs', '--daemon'] };
    expect(matchDaemon(daemon.argv)).toBe('claude-mem worker');
    expect(mayMatchBuiltin(daemon)).toBe(true);
    const shell = { name: 'bash', exe: '/bin/bash', argv: ['bash', '-c', 'source /h/.config/x/shell-snapshots/snapshot-bash-1-a.sh && make'] };
    expect(isToolShell(shell.argv)).toBe(true);
    expect(mayMatchBuiltin(shell)).toBe(true);
  });
  it('passes over a process none of them can match', () => {
    expect(mayMatchBuiltin({ name: 'python3', exe: '/usr/bin/python3', argv: ['python3', 'agent.py', '--daemon'] })).toBe(false);
  });
  it('leaves config patterns to findSeeds, which tests them on every process', () => {
    const records = new Map([
      [10, proc({ pid: 10, ppid: 1, name: 'python3', exe: '/usr/bin/python3', argv: ['python3', 'agent.py', '--daemon'] })],
      [11, proc({ pid: 11, ppid: 1, name: 'sleep', exe: '/usr/bin/sleep', argv: ['sleep', '60'] })],
    ]);
    expect(findSeeds(records).daemons.size).toBe(0);
    const seeds = findSeeds(records, { daemons: [{ name: 'my agent', re: /agent\.py --daemon/ }] });
    expect([...seeds.daemons]).toEqual([[10, 'my agent']]);
  });
});
