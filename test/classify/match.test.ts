import { describe, expect, it } from 'vitest';
import { argvSessionId, claudeArgs, claudeRole, isShell, isToolShell, matchClaude, matchDaemon, mayMatchBuiltin } from '../../src/classify/match.js';
import { splitCommandLine } from '../../src/platform/parse/cim.js';
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
    ["Claude Desktop's CLI one folder deeper, as newer builds install it", { name: 'claude.exe', exe: 'C:\\Users\\x\\AppData\\Roaming\\Claude\\claude-code\\2.1.293\\83cb0bd7fed4\\claude.exe', argv: null }, 'desktop'],
    ["Claude Desktop's CLI in the Store app's redirected AppData", { name: 'claude.exe', exe: 'C:\\Users\\u\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude-code\\2.1.271\\claude.exe', argv: ['C:\\Users\\u\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude-code\\2.1.271\\claude.exe', '--resume', 'a1'] }, 'desktop'],
    ["the native installer's claude.exe on Windows", { name: 'claude.exe', exe: 'C:\\Users\\hoyth\\.local\\bin\\claude.exe', argv: ['C:\\Users\\hoyth\\.local\\bin\\claude.exe'] }, 'native'],
    ['a zombie that kept only its name', { name: 'claude', exe: null, argv: [] }, 'native'],
];

// Claude Desktop's own processes on Windows are claude.exe too (command lines from a public debug
// log of an MCP manager listing Desktop 0.14.4's processes, and anthropics/claude-code#58565, #81130).
const DESKTOP_APP = {
  msix: 'C:\\Program Files\\WindowsApps\\Claude_1.7196.0.0_x64__pzs8sxrjxfjjc\\app\\claude.exe',
  msixUpper: 'C:\\Program Files\\WindowsApps\\Claude_2.31226.0.0_x64__pzs8sxrjxfjjc\\app\\Claude.exe',
  squirrel: 'C:\\Users\\hoyth\\AppData\\Local\\AnthropicClaude\\app-0.14.4\\claude.exe',
  launcher: 'C:\\Users\\hoyth\\AppData\\Local\\AnthropicClaude\\claude.exe',
};

describe("Claude Desktop's own processes are never a CLI", () => {
  it.each([
    ['the Store app', { name: 'claude.exe', exe: DESKTOP_APP.msix, argv: [DESKTOP_APP.msix] }],
    ['the Store app under its capitalized name', { name: 'Claude.exe', exe: DESKTOP_APP.msixUpper, argv: [DESKTOP_APP.msixUpper] }],
    ["the per-user installer's app", { name: 'claude.exe', exe: DESKTOP_APP.squirrel, argv: [DESKTOP_APP.squirrel] }],
    ["the per-user installer's launcher", { name: 'claude.exe', exe: DESKTOP_APP.launcher, argv: [DESKTOP_APP.launcher] }],
    ['a renderer', { name: 'claude.exe', exe: DESKTOP_APP.squirrel, argv: [DESKTOP_APP.squirrel, '--type=renderer', '--user-data-dir=C:\\Users\\hoyth\\AppData\\Roaming\\Claude', '--app-user-model-id=com.squirrel.AnthropicClaude.claude'] }],
    ['the GPU process', { name: 'claude.exe', exe: DESKTOP_APP.msix, argv: [DESKTOP_APP.msix, '--type=gpu-process'] }],
    ["the Node service (Desktop's terminal panes and tools run under it)", { name: 'claude.exe', exe: DESKTOP_APP.msix, argv: [DESKTOP_APP.msix, '--type=utility', '--utility-sub-type=node.mojom.NodeService', '--lang=en-US'] }],
    ['the crash handler', { name: 'claude.exe', exe: DESKTOP_APP.squirrel, argv: [DESKTOP_APP.squirrel, '--type=crashpad-handler', '--user-data-dir=C:\\Users\\hoyth\\AppData\\Roaming\\Claude'] }],
    ['a helper of an install in a folder not known here, with its path unreadable', { name: 'claude.exe', exe: null, argv: ['claude.exe', '--type=renderer'] }],
    ['the macOS app', { name: 'Claude', exe: null, argv: ['/Applications/Claude.app/Contents/MacOS/Claude'] }],
  ])('does not take %s for claude', (_what, rec) => {
    expect(matchClaude(rec)).toBeNull();
  });

  it("still takes the CLI Desktop bundles for its Code sessions for claude (desktop)", () => {
    const cli = 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude-code\\2.1.138\\claude.exe';
    expect(matchClaude({ name: 'claude.exe', exe: cli, argv: [cli, '--resume', '0c9b44e1-1a57-4d0c-9d8b-3c0f3a5e2b71'] })?.variant).toBe('desktop');
  });
});

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
    expect(claudeRole(['daemon', 'run', '--origin', 'transient'], null)).toBe('bg-daemon');
    // The host's argv names the spare it runs after `--`: the host flag decides.
    expect(claudeRole(['--bg-pty-host', '/tmp/cc-daemon-0/e0/spare/bd.pty.sock', '200', '50', '--', '/x/claude.exe', '--bg-spare', '/tmp/s.claim.sock'], null)).toBe('bg-pty-host');
    expect(claudeRole(['--bg-spare', '/tmp/cc-daemon-0/e0/spare/bd.claim.sock'], null)).toBe('bg-spare');
  });
  it('calls everything else interactive', () => {
    expect(claudeRole(['--resume', 'abc'], { entrypoint: 'cli' })).toBe('interactive');
  });
  it('finds the arguments after cli.js for the npm CLI', () => {
    expect(claudeArgs({ name: 'node', argv: ['node', '/x/node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'q'] }, 'npm-cli')).toEqual(['-p', 'q']);
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
  it("recognizes the Bash tool's signature in Windows command lines: Git Bash paths, backslashes, Windows' temp folder", () => {
    // anthropics/claude-code#77593 and #92583.
    expect(isToolShell(splitCommandLine('"C:\\Program Files\\Git\\usr\\bin\\bash.exe" -c "source /c/Users/u/.claude/shell-snapshots/snapshot-bash-1786301857061-h597ig.sh && eval \'tail -f tr11.log\' \\< /dev/null && pwd -P >| /tmp/claude-fcf3-cwd"'))).toBe(true);
    expect(isToolShell(['bash.exe', '-c', 'source C:\\Users\\u\\.claude\\shell-snapshots\\snapshot-bash-1-x.sh && eval x'])).toBe(true);
    expect(isToolShell(['bash.exe', '-c', 'eval x && pwd -P >| C:\\Users\\u\\AppData\\Local\\Temp\\claude-3f1a-cwd'])).toBe(true);
    expect(isShell({ name: 'bash.exe', argv: ['C:\\Program Files\\Git\\usr\\bin\\bash.exe'] })).toBe(true);
    expect(isToolShell(['notepad.exe', 'C:\\Users\\u\\.claude\\shell-snapshots'])).toBe(false);
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

// ps prints argv joined with spaces, so a path with a space comes back as several words; the ps
// source gives such processes the kernel's own name (ucomm), which is what confirms a rejoin.
const split = (path: string, ...args: string[]) => [...path.split(' '), ...args];
const FNM = '/Users/u/Library/Application Support/fnm/node-versions/v22.12.0/installation/lib/node_modules';

describe('matchClaude on program paths that ps split at a space', () => {
  const SPLIT: [string, string, string, string[], ClaudeVariant][] = [
    ['the bare binary under a home with a space', '/Users/Jane Doe/.local/bin/claude', 'claude', ['--resume', 'abc'], 'native'],
    ["npm's bin/claude.exe under fnm's Application Support (Schniz/fnm#622)", `${FNM}/@anthropic-ai/claude-code/bin/claude.exe`, 'claude.exe', ['-p', 'hi'], 'native'],
    ["the SDK's bundled binary under an app with a space", '/Users/Jane Doe/app/node_modules/@anthropic-ai/claude-agent-sdk-darwin-arm64/claude', 'claude', SDK_ARGS, 'sdk-bundled'],
    ['a version-named build under a home with a space', '/Users/Jane Doe/.local/share/claude/versions/2.1.330', '2.1.330', ['--resume', 'abc'], 'native'],
    ["a long version name the kernel cuts to 16 characters", '/Users/Jane Doe/.local/share/claude/versions/2.1.330-beta.20260901', '2.1.330-beta.202', [], 'native'],
    ["Claude Desktop's CLI under Application Support", '/Users/u/Library/Application Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude', 'claude', SDK_ARGS, 'desktop'],
  ];

  it.each(SPLIT)('recognizes %s, and gives the arguments after the whole path', (_what, path, name, args, variant) => {
    const rec = { name, exe: null, argv: split(path, ...args) };
    expect(matchClaude(rec)?.variant).toBe(variant);
    expect(claudeArgs(rec, variant)).toEqual(args);
  });

  it('reads the role from the arguments after a split path', () => {
    const rec = { name: 'claude', exe: null, argv: split('/Users/Jane Doe/.local/bin/claude', ...SDK_ARGS) };
    expect(claudeRole(claudeArgs(rec, 'native'), null)).toBe('sdk');
  });

  it('recognizes node running cli.js from a path with a space', () => {
    const rec = { name: 'node', exe: null, argv: ['node', ...split(`${FNM}/@anthropic-ai/claude-code/cli.js`), '-p', 'x'] };
    expect(matchClaude(rec)?.variant).toBe('npm-cli');
    expect(claudeArgs(rec, 'npm-cli')).toEqual(['-p', 'x']);
  });

  it.each([
    ['an editor given a file named claude', { name: 'vim', exe: null, argv: ['/usr/bin/vim', 'notes/claude'] }],
    ['a shell running a script named claude', { name: 'sh', exe: null, argv: ['/bin/sh', 'bin/claude'] }],
    ["a pager on the SDK's binary", { name: 'less', exe: null, argv: ['/usr/bin/less', 'node_modules/@anthropic-ai/claude-agent-sdk-darwin-arm64/claude'] }],
    ["a file viewer on Desktop's copy", { name: 'file', exe: null, argv: ['/usr/bin/file', 'Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude'] }],
    ['a node script given a relative path to cli.js', { name: 'node', exe: null, argv: ['node', '/usr/lib/tool.js', 'x/node_modules/@anthropic-ai/claude-code/cli.js'] }],
    ['a split path with no kernel name to confirm it (the name is its first word)', { name: 'Jane', exe: null, argv: split('/Users/Jane Doe/.local/bin/claude') }],
  ])('does not take %s for claude', (_what, rec) => {
    expect(matchClaude(rec)).toBeNull();
  });
});
