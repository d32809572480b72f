// `--source auto` on Windows tries PowerShell's CIM, then wmic. The chain is Windows', so it is
// run here in-process with auto opening the win32 chain; the commands it runs are real processes
// (stand-ins for powershell.exe and wmic on PATH) and everything else is the real CLI.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/main.js';
import { installFakeTools, row, type FakeTool, type Scene } from '../helpers/fake-platform.js';
import { sandbox } from '../helpers/scan-cli.js';

vi.mock('../../src/platform/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platform/index.js')>();
  return { ...real, openSource: (choice: Parameters<typeof real.openSource>[0]) => real.openSource(choice, choice === 'auto' ? 'win32' : process.platform) };
});

function memoryIo(env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, stdinIsTTY: false, columns: undefined, env };
}

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

async function scanAuto(scene: Scene, tools: FakeTool[]) {
  process.env.PATH = installFakeTools(scene, tools).env.PATH;
  const io = memoryIo(sandbox().env);
  const code = await run(['scan', '--json', '--sample', '0'], io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

const DENIED = 'Get-CimInstance : Access denied \r\nAt line:1 char:116\r\n+ ... (Get-CimInstance -ClassName Win32_Process ...\r\n';

describe('scan --source auto on Windows: PowerShell, then wmic', () => {
  it("shows both reasons when both fail, PowerShell's first, on one line with exit 3", async () => {
    const r = await scanAuto({ processes: [], fail: { 'powershell.exe': { stderr: DENIED, code: 1 } } }, ['powershell.exe']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('claude-reaper: error: cannot read the process table: powershell.exe failed (exit code 1: Get-CimInstance : Access denied); then wmic is not installed\n');
  });

  it("says no PowerShell was found, then wmic's own reason", async () => {
    const r = await scanAuto({ processes: [], fail: { wmic: { stderr: 'Invalid XSL format (or) file name.\r\n', code: 178 } } }, ['wmic']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'claude-reaper: error: cannot read the process table: neither powershell.exe nor pwsh was found; then wmic failed (exit code 178: Invalid XSL format (or) file name.)\n',
    );
  });

  it('reads the table through wmic when PowerShell fails', async () => {
    const claude = 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude-code\\2.1.215\\claude.exe';
    const scene: Scene = { processes: [row(4, 0, null, { name: 'System' }), row(7312, 4, [claude, '-p', 'x'], { name: 'claude.exe', exe: claude })], fail: { 'powershell.exe': { stderr: DENIED, code: 1 } } };
    const r = await scanAuto(scene, ['powershell.exe', 'wmic']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { source: string; processes: { pid: number; variant: string }[] };
    expect(doc.source).toBe('wmic');
    expect(doc.processes.find((p) => p.pid === 7312)?.variant).toBe('desktop');
  });
});
