// The stand-ins print what the real tools print, in a form the project's parsers read back as
// the scene; and they refuse any invocation the project does not make.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCimList } from '../../src/platform/parse/cim.js';
import { parsePsList } from '../../src/platform/parse/ps.js';
import { parseWmicList } from '../../src/platform/parse/wmic.js';
import { PS_LIST_ARGS } from '../../src/platform/ps.js';
import { installFakeTools, row } from './fake-platform.js';

const started = Date.UTC(2026, 8, 22, 9, 20, 44, 120);
const scene = {
  processes: [
    row(1, 0, ['/sbin/launchd'], { uid: 0, startTime: started - 86_400_000 }),
    row(812, 1, ['/Users/Jane Doe/.local/bin/claude', '--resume', 'x'], { startTime: started, cpuTimeMs: 61_230, rssBytes: 200 * 1024 * 1024, tty: 'ttys003', state: 'S+' }),
    row(7312, 4, ['C:\\Program Files\\x\\claude.exe', '-p', 'a b'], { name: 'claude.exe', exe: 'C:\\Program Files\\x\\claude.exe', startTime: started, cpuTimeMs: 6328.125, handles: 488 }),
  ],
};

describe('the stand-in tools', () => {
  const fake = installFakeTools(scene, ['ps', 'powershell.exe', 'wmic']);
  const tool = (name: string, args: string[]) => execFileSync(join(fake.dir, name), args, { encoding: 'utf8' });

  it("print a ps table the ps parser reads back as the scene (argv split at spaces, as ps does)", () => {
    const { records, unparsed } = parsePsList(tool('ps', PS_LIST_ARGS));
    expect(unparsed).toEqual([]);
    expect(records.get(812)).toMatchObject({ ppid: 1, uid: scene.processes[1]!.uid, tty: 'ttys003', state: 'S', startTime: Math.floor(started / 1000) * 1000, cpuTimeMs: 61_230, rssBytes: 200 * 1024 * 1024 });
    expect(records.get(812)!.argv).toEqual(['/Users/Jane', 'Doe/.local/bin/claude', '--resume', 'x']);
  });

  it('print PowerShell JSON and wmic CSV the Windows parsers read back as the scene', () => {
    const script = 'SampleMs … Start-Sleep -Milliseconds 0 …';
    const cim = parseCimList(tool('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]), started + 1000).records.get(7312)!;
    expect(cim).toMatchObject({ name: 'claude.exe', ppid: 4, startTime: started, cpuTimeMs: 6328.125, fdCount: 488, argv: ['C:\\Program Files\\x\\claude.exe', '-p', 'a b'] });
    const wmic = parseWmicList(tool('wmic', ['process', 'get', 'CommandLine,CreationDate,ProcessId', '/format:csv']), started + 1000).records.get(7312)!;
    expect(wmic).toMatchObject({ startTime: started, argv: ['C:\\Program Files\\x\\claude.exe', '-p', 'a b'] });
  });

  it('fail loudly on an invocation claude-reaper does not make', () => {
    const r = spawnSync(join(fake.dir, 'ps'), ['aux'], { encoding: 'utf8' });
    expect(r.status).toBe(99);
    expect(r.stderr).toMatch(/not an invocation claude-reaper makes/);
  });
});
