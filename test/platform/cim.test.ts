import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors.js';
import { createCimSource } from '../../src/platform/cim.js';
import type { CommandResult, RunCommand } from '../../src/platform/exec.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/win32/${name}`, import.meta.url), 'utf8');
const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0, failed: false, timedOut: false, message: '' });
const missing: CommandResult = { ...ok(''), failed: true, code: 'ENOENT', message: 'spawn ENOENT' };

describe('the CIM source, fed canned PowerShell output', () => {
  it('lists processes with the CPU % and window measured inside the one PowerShell run', async () => {
    const calls: { file: string; args: readonly string[]; timeout: number }[] = [];
    const run: RunCommand = async (file, args, opts) => {
      calls.push({ file, args, timeout: opts.timeout });
      return ok(fixture('cim-list.ps7.json'));
    };
    const listing = await createCimSource({ run }).list({ sampleMs: 1000 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.file).toBe('powershell.exe');
    expect(calls[0]!.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(calls[0]!.args[3]).toContain('Start-Sleep -Milliseconds 1000');
    expect(calls[0]!.timeout).toBeGreaterThan(1000);
    expect(listing.sampledMs).toBe(1004.2167);
    expect(listing.cpuPercent!.get(9120)).toBeCloseTo(99.58, 2);
    expect(listing.records.get(7312)).toMatchObject({ name: 'claude.exe', ppid: 6640, fdCount: 488 });
  });

  it('falls back to pwsh where powershell.exe does not exist, and sticks with it', async () => {
    const files: string[] = [];
    const run: RunCommand = async (file) => {
      files.push(file);
      return file === 'pwsh' ? ok(fixture('cim-list.ps7.json')) : missing;
    };
    const source = createCimSource({ run });
    await source.list({ sampleMs: 1000 });
    await source.list({ sampleMs: 1000 });
    expect(files).toEqual(['powershell.exe', 'pwsh', 'pwsh']);
  });

  it('throws PlatformError when no PowerShell exists, when it fails, or prints no JSON', async () => {
    await expect(createCimSource({ run: async () => missing }).list({ sampleMs: 0 })).rejects.toThrow(/neither powershell.exe nor pwsh/);
    const denied: RunCommand = async () => ({ ...ok(''), failed: true, exitCode: 1, stderr: 'Access denied', message: 'exit code 1' });
    await expect(createCimSource({ run: denied }).list({ sampleMs: 0 })).rejects.toThrow(PlatformError);
    await expect(createCimSource({ run: async () => ok('Get-CimInstance : Invalid class') }).list({ sampleMs: 0 })).rejects.toThrow(PlatformError);
    await expect(createCimSource({ run: async () => ok('[]') }).list({ sampleMs: 0 })).rejects.toThrow(/no processes/);
  });

  it("lists the processes inside Windows PowerShell 5.1's {value, Count} wrapper instead of failing over to wmic", async () => {
    const listing = await createCimSource({ run: async () => ok(fixture('cim-list.ps51-wrapped.json')), shell: 'powershell.exe' }).list({ sampleMs: 1000 });
    expect(listing.records.size).toBe(5);
    expect(listing.sampledMs).toBe(1003.8841);
  });

  it('offers no CPU % when asked for no window', async () => {
    const listing = await createCimSource({ run: async () => ok(fixture('cim-list.ps7.json')) }).list({ sampleMs: 0 });
    expect(listing.cpuPercent).toBeUndefined();
    expect(listing.sampledMs).toBeUndefined();
  });

  it('reads CPU and identity for a few pids through one filtered query', async () => {
    const scripts: string[] = [];
    const run: RunCommand = async (_file, args) => {
      scripts.push(args[3]!);
      return ok('[{"ProcessId":7312,"CreationDate":"2026-09-22T09:20:44.1207730Z","KernelModeTime":7812500,"UserModeTime":55468750}]');
    };
    const source = createCimSource({ run, shell: 'pwsh' });
    const cpu = await source.readCpu([7312, 9999]);
    expect(cpu.get(7312)).toMatchObject({ cpuTimeMs: 6328.125, cpuNs: 6328.125e6, startId: '2026-09-22T09:20:44.1207730Z' });
    expect(cpu.has(9999)).toBe(false);
    expect(scripts[0]).toContain("-Filter 'ProcessId=7312 OR ProcessId=9999'");
    expect(await source.identify(7312)).toEqual({ startId: '2026-09-22T09:20:44.1207730Z', zombie: false });
    expect(await source.identify(9999)).toBeNull();
  });

  it('gives HandleCount as the fd count of candidates', async () => {
    const source = createCimSource({ run: async () => ok(fixture('cim-list.ps7.json')) });
    const { records } = await source.list({ sampleMs: 1000 });
    expect((await source.details([7312], records)).get(7312)).toEqual({ markers: null, fdCount: 488, cwd: null, denied: [] });
  });
});
