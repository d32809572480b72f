// doctor's platform checks on a /proc-like tree and on PATHs made for the test: hidepid and who
// it spares, Yama, and the programs macOS and Windows scans need.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformChecks, sourceUnavailable } from '../../src/platform/doctor.js';

function procLike(mountOptions: string, yama?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'doctor-proc-'));
  writeFileSync(join(root, 'mounts'), `sysfs /sys sysfs rw 0 0\nproc ${root} proc ${mountOptions} 0 0\n`);
  if (yama !== undefined) {
    mkdirSync(join(root, 'sys/kernel/yama'), { recursive: true });
    writeFileSync(join(root, 'sys/kernel/yama/ptrace_scope'), `${yama}\n`);
  }
  return root;
}

function pathWith(...programs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-path-'));
  for (const p of programs) {
    writeFileSync(join(dir, p), '#!/bin/sh\n');
    chmodSync(join(dir, p), 0o755);
  }
  return dir;
}

const byId = (checks: ReturnType<typeof platformChecks>, id: string) => checks.find((c) => c.id === id)!;

describe('on Linux', () => {
  it('calls hidepid a limit for a user it hides others from, with the fix', () => {
    const root = procLike('rw,relatime,gid=4242,hidepid=invisible');
    const c = byId(platformChecks({ env: {}, platform: 'linux', procRoot: root, uid: 1000, groups: [100] }), 'hidepid');
    expect(c.level).toBe('limit');
    expect(c.text).toMatch(/hidepid=invisible: other users' processes are hidden/);
    expect(c.fix).toBe(`run as root, or as a member of the group named by gid= on the ${root} mount (gid 4242), or remount it: mount -o remount,hidepid=0 ${root}`);
    expect(c.facts).toEqual({ procRoot: root, hidepid: 'invisible', gid: 4242 });
  });

  it('does not for root, nor for a member of the gid= group', () => {
    const root = procLike('rw,hidepid=2,gid=4242');
    expect(byId(platformChecks({ env: {}, platform: 'linux', procRoot: root, uid: 0, groups: [] }), 'hidepid').level).toBe('info');
    expect(byId(platformChecks({ env: {}, platform: 'linux', procRoot: root, uid: 1000, groups: [4242] }), 'hidepid').level).toBe('info');
    expect(byId(platformChecks({ env: {}, platform: 'linux', procRoot: procLike('rw'), uid: 1000, groups: [] }), 'hidepid').level).toBe('ok');
  });

  it('reports Yama as information: it limits ptrace attach, which a scan does not use', () => {
    const c = byId(platformChecks({ env: {}, platform: 'linux', procRoot: procLike('rw', '2'), uid: 1000, groups: [] }), 'yama');
    expect(c).toMatchObject({ level: 'info', facts: { ptraceScope: 2 } });
  });
});

describe('on macOS', () => {
  it('calls a missing lsof a limit (fd counts unknown), and is content with one on PATH', () => {
    expect(byId(platformChecks({ env: { PATH: pathWith() }, platform: 'darwin' }), 'lsof')).toMatchObject({ level: 'limit', fix: expect.stringMatching(/install lsof/) });
    const dir = pathWith('lsof');
    expect(byId(platformChecks({ env: { PATH: dir }, platform: 'darwin' }), 'lsof')).toMatchObject({ level: 'ok', facts: { lsof: join(dir, 'lsof') } });
    expect(sourceUnavailable('ps', { env: { PATH: pathWith() }, platform: 'darwin' })).toBe('ps is not on PATH');
  });
});

describe('on Windows', () => {
  it('calls a missing PowerShell a limit, saying whether wmic is left to fall back on', () => {
    const none = byId(platformChecks({ env: { PATH: pathWith() }, platform: 'win32' }), 'powershell');
    expect(none.level).toBe('limit');
    expect(none.text).toMatch(/wmic is gone too: no scan can run/);
    const wmicOnly = byId(platformChecks({ env: { PATH: pathWith('wmic.exe') }, platform: 'win32' }), 'powershell');
    expect(wmicOnly.text).toMatch(/falls back to wmic/);
    const dir = pathWith('pwsh.exe');
    expect(byId(platformChecks({ env: { PATH: dir }, platform: 'win32' }), 'powershell')).toMatchObject({ level: 'ok' });
    expect(sourceUnavailable('cim', { env: { PATH: dir }, platform: 'win32' })).toBeNull();
  });
});
