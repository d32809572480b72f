// macOS and Windows process tables through the whole pipeline, on Linux: stand-ins for ps, lsof,
// PowerShell and wmic print a scene, and the real built CLI reads it with `--source ps|cim|wmic`.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import { runCli } from '../helpers/cli.js';
import { installFakeTools, row, scanScene, scanSceneJson, type Scene } from '../helpers/fake-platform.js';
import { isSameProcess, track, useProcessCleanup } from '../helpers/procs.js';
import { find, listed, sandbox } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

const SDK = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'];
const WIN_CLAUDE = 'C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\@anthropic-ai\\claude-code\\bin\\claude.exe';

/** Exit 3, one line on stderr, nothing on stdout. */
function expectTableError(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr;
}

describe('a macOS process table, read through a stand-in ps', () => {
  const scene: Scene = {
    processes: [
      row(1, 0, ['/sbin/launchd'], { uid: 0, agoMs: 9 * 86_400_000 }),
      row(612, 1, ['/Applications/iTerm.app/Contents/MacOS/iTerm2'], { agoMs: 86_400_000 }),
      row(640, 612, ['-zsh'], { tty: 'ttys001', state: 'Ss' }),
      row(700, 640, ['/Users/u/.local/share/claude/versions/2.1.330'], { tty: 'ttys001', state: 'S+', fds: 40 }),
      row(910, 1, ['/Users/u/.local/share/claude/versions/2.1.330', ...SDK], { agoMs: 2 * 86_400_000, fds: 13 }),
    ],
  };

  it('classifies it with the real pipeline: the orphan flagged, the live session kept', async () => {
    const doc = await scanSceneJson(box, scene, 'ps');
    expect(doc.source).toBe('ps');
    expect(find(doc, 910)).toMatchObject({ kind: 'claude', variant: 'native', role: 'sdk', name: '2.1.330', fdCount: 13 });
    expect(find(doc, 910).flags).toContain('orphan');
    expect(find(doc, 700)).toMatchObject({ kind: 'claude', tty: 'ttys001', reapable: false });
    expect(listed(doc, 612)).toBe(false);
  });

  it('measures CPU over the sample window from two ps readings', async () => {
    const busy: Scene = { processes: [...scene.processes.slice(0, 1), row(920, 1, ['/Users/u/.local/share/claude/versions/2.1.330', ...SDK], { cpuRate: 1 })] };
    const doc = await scanSceneJson(box, busy, 'ps', ['--sample', '1s']);
    // macOS prints CPU time in centiseconds: one core for a second shows as close to 100 %.
    expect(find(doc, 920).cpuPercent).toBeGreaterThan(60);
  });
});

describe("Claude's markers in macOS environments, read with ps -E", () => {
  const scene: Scene = {
    processes: [
      row(1, 0, ['/sbin/launchd'], { uid: 0 }),
      // An MCP server whose claude is gone: nothing in its command line says claude.
      row(933, 1, ['/opt/homebrew/bin/node', '/Users/u/.npm/_npx/4a1b/node_modules/.bin/mcp-server-memory'], {
        env: { HOME: '/Users/u', CLAUDECODE: '1', CLAUDE_CODE_SESSION_ID: '0c9b44e1', CLAUDE_CODE_MESSAGING_SOCKET: '/var/folders/js/T/cc-socks/812.sock' },
      }),
      // A legacy SDK child run through the SDK with no flags in sight: its role is in its environment.
      row(940, 1, ['/Users/u/.local/share/claude/versions/2.1.330'], { env: { CLAUDE_CODE_ENTRYPOINT: 'sdk-ts', CLAUDE_AGENT_SDK_VERSION: '0.3.330' } }),
      // /bin/zsh is a platform binary: macOS shows no environment for it (anthropics/claude-code#89625).
      row(921, 1, ['/bin/zsh'], { envHidden: true, env: { CLAUDECODE: '1', CLAUDE_PID: '812' } }),
    ],
  };

  it('ties an orphaned MCP server to claude by its environment, and reads the role from CLAUDE_CODE_ENTRYPOINT', async () => {
    const doc = await scanSceneJson(box, scene, 'ps');
    expect(find(doc, 933)).toMatchObject({ kind: 'mcp-server', owner: 812 });
    expect(find(doc, 933).matchedBy).toMatch(/MCP markers/);
    expect(find(doc, 940)).toMatchObject({ kind: 'claude', role: 'sdk' });
  });

  it('cannot see the environment macOS hides for a platform binary, and lists nothing from it', async () => {
    const doc = await scanSceneJson(box, scene, 'ps');
    expect(listed(doc, 921)).toBe(false);
  });
});

describe('macOS program paths with a space, which ps prints split into words', () => {
  const FNM = '/Users/u/Library/Application Support/fnm/node-versions/v22.12.0/installation/lib/node_modules';
  const scene: Scene = {
    processes: [
      row(1, 0, ['/sbin/launchd'], { uid: 0 }),
      // npm's native binary under fnm's default directory (Schniz/fnm#622).
      row(801, 1, [`${FNM}/@anthropic-ai/claude-code/bin/claude.exe`, ...SDK]),
      row(802, 1, ['/Users/Jane Doe/.local/bin/claude', '-p', 'hi']),
      row(803, 1, ['/Users/Jane Doe/app/node_modules/@anthropic-ai/claude-agent-sdk-darwin-arm64/claude', ...SDK]),
      row(804, 1, ['/Users/Jane Doe/.local/share/claude/versions/2.1.330', '--resume', 'abc']),
      row(805, 1, ['/Users/u/Library/Application Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude', ...SDK]),
      row(806, 1, ['node', `${FNM}/@anthropic-ai/claude-code/cli.js`, '-p', 'x']),
      // Decoys: programs given a file whose path ends in claude.
      row(807, 1, ['/usr/bin/vim', 'notes/claude']),
      row(808, 1, ['/usr/bin/less', 'node_modules/@anthropic-ai/claude-agent-sdk-darwin-arm64/claude']),
    ],
  };

  it('recognizes every install shape, with the role read from the arguments after the path', async () => {
    const doc = await scanSceneJson(box, scene, 'ps');
    const shape = (pid: number) => {
      const p = find(doc, pid);
      return [p.kind, p.variant, p.role, p.name];
    };
    expect(shape(801)).toEqual(['claude', 'native', 'sdk', 'claude.exe']);
    expect(shape(802)).toEqual(['claude', 'native', 'print', 'claude']);
    expect(shape(803)).toEqual(['claude', 'sdk-bundled', 'sdk', 'claude']);
    expect(shape(804)).toEqual(['claude', 'native', 'interactive', '2.1.330']);
    expect(shape(805)).toEqual(['claude', 'desktop', 'sdk', 'claude']);
    expect(shape(806)).toEqual(['claude', 'npm-cli', 'print', 'node']);
  });

  it('does not take a program given a file named claude for claude', async () => {
    const doc = await scanSceneJson(box, scene, 'ps');
    expect(listed(doc, 807)).toBe(false);
    expect(listed(doc, 808)).toBe(false);
  });
});

describe('a Windows process table, read through a stand-in PowerShell or wmic', () => {
  const scene: Scene = {
    processes: [
      row(4, 0, null, { name: 'System', agoMs: 9 * 86_400_000 }),
      row(6640, 4, ['C:\\Program Files\\nodejs\\node.exe', 'C:\\agent\\server.js'], { name: 'node.exe', exe: 'C:\\Program Files\\nodejs\\node.exe' }),
      row(7312, 6640, [WIN_CLAUDE, ...SDK], { name: 'claude.exe', exe: WIN_CLAUDE, handles: 488, cpuRate: 0.5 }),
      row(9120, 5004, [WIN_CLAUDE, '-p', 'fix the build'], { name: 'claude.exe', exe: WIN_CLAUDE, agoMs: 86_400_000 }),
    ],
  };

  const check = (doc: ScanDocument) => {
    expect(find(doc, 7312)).toMatchObject({ kind: 'claude', role: 'sdk', ppid: 6640, fdCount: 488 });
    expect(find(doc, 9120).flags).toContain('orphan');
    expect(find(doc, 6640).kind).toBe('agent-daemon');
  };

  it('reads it through PowerShell 7 (CIM), with the CPU % measured inside the one run', async () => {
    const doc = await scanSceneJson(box, scene, 'cim', ['--sample', '500ms']);
    expect(doc.source).toBe('cim');
    check(doc);
    expect(find(doc, 7312).cpuPercent).toBeGreaterThan(30);
  });

  it("reads it through Windows PowerShell 5.1's {value, Count} wrapper, without falling over to wmic", async () => {
    const doc = await scanSceneJson(box, { ...scene, powershell: { wrap: 'ps51' } }, 'cim');
    expect(doc.source).toBe('cim');
    check(doc);
  });

  it("reads it through wmic's CSV", async () => {
    const doc = await scanSceneJson(box, scene, 'wmic');
    expect(doc.source).toBe('wmic');
    check(doc);
  });

  it('never signals from a Windows table off Windows: every target is refused and the process lives', async () => {
    // A real process of ours, listed in the Windows table as a leaked claude under the same pid.
    const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
    const startId = track(sleeper.pid!, sleeper);
    const fake = installFakeTools({ processes: [row(4, 0, null, { name: 'System' }), row(sleeper.pid!, 5004, [WIN_CLAUDE, ...SDK], { name: 'claude.exe', exe: WIN_CLAUDE, agoMs: 86_400_000 })] }, ['powershell.exe']);
    const r = await runCli(['kill', '--source', 'cim', '--orphans', '--yes', '--json', '--sample', '0'], { env: { ...box.env, ...fake.env } });
    const result = JSON.parse(r.stdout) as { outcomes: { pid: number; outcome: string; signals: string[]; detail: string }[] };
    expect(result.outcomes).toEqual([expect.objectContaining({ pid: sleeper.pid, outcome: 'refused', signals: [] })]);
    expect(result.outcomes[0]!.detail).toMatch(/another platform/);
    expect(r.code).toBe(1);
    expect(isSameProcess(sleeper.pid!, startId)).toBe(true);
  });
});

describe('a failing external command says which and why, in one line, exit 3', () => {
  const PS51_DENIED = 'Get-CimInstance : Access denied \r\nAt line:1 char:116\r\n+ ... $first = @(Get-CimInstance -ClassName Win32_Process ...\r\n+                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\r\n    + CategoryInfo          : PermissionDenied: (root\\cimv2:Win32_Process:String) [Get-CimInstance], CimException\r\n';

  it("names powershell.exe and its own first error line, never the script", async () => {
    const stderr = expectTableError(await scanScene(box, { processes: [], fail: { 'powershell.exe': { stderr: PS51_DENIED, code: 1 } } }, 'cim', ['--sample', '0']));
    expect(stderr).toBe('claude-reaper: error: cannot read the process table: powershell.exe failed (exit code 1: Get-CimInstance : Access denied)\n');
  });

  it("names wmic and its own reason, not its command line", async () => {
    // Exit 44210 on Windows; a POSIX exit status keeps its low byte, 178.
    const stderr = expectTableError(await scanScene(box, { processes: [], fail: { wmic: { stderr: 'Invalid XSL format (or) file name.\r\n', code: 178 } } }, 'wmic', ['--sample', '0']));
    expect(stderr).toBe('claude-reaper: error: cannot read the process table: wmic failed (exit code 178: Invalid XSL format (or) file name.)\n');
  });

  it('says when no PowerShell is installed at all', async () => {
    const stderr = expectTableError(await scanScene(box, { processes: [] }, 'cim', ['--sample', '0'], []));
    expect(stderr).toBe('claude-reaper: error: cannot read the process table: neither powershell.exe nor pwsh was found\n');
  });

  it("shows PowerShell's first words when it prints something that is not JSON", async () => {
    const r = await scanScene(box, { processes: [], powershell: { stdout: 'WARNING: The CIM server is busy.\r\n' } }, 'cim', ['--sample', '0']);
    expect(expectTableError(r)).toBe('claude-reaper: error: cannot read the process table: powershell.exe printed no JSON (WARNING: The CIM server is busy.)\n');
  });

  it('names ps and its own reason', async () => {
    const stderr = expectTableError(await scanScene(box, { processes: [], fail: { ps: { stderr: 'ps: illegal option -- w\nusage: ps [-AaCcEefhjlMmrSTvwXx]\n', code: 1 } } }, 'ps', ['--sample', '0']));
    expect(stderr).toBe('claude-reaper: error: cannot read the process table: ps failed (exit code 1: ps: illegal option -- w usage: ps [-AaCcEefhjlMmrSTvwXx])\n');
  });
});
