import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors.js';
import type { CommandResult, RunCommand } from '../../src/platform/exec.js';
import { createWmicSource, wmicWhere } from '../../src/platform/wmic.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/win32/${name}`, import.meta.url), 'utf8');
const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0, failed: false, timedOut: false, message: '' });

describe('the wmic source, fed canned output', () => {
  it('runs one wmic process get ... /format:csv and parses it', async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      return ok(fixture('wmic-process-get.csv'));
    };
    const listing = await createWmicSource({ run }).list({ sampleMs: 1000 });
    expect(calls).toEqual([
      ['process', 'get', 'ProcessId,ParentProcessId,Name,ExecutablePath,CommandLine,CreationDate,KernelModeTime,UserModeTime,WorkingSetSize,HandleCount,ThreadCount', '/format:csv'],
    ]);
    expect(listing.records.size).toBe(5);
    expect(listing.cpuPercent).toBeUndefined();
  });

  it('throws PlatformError where wmic is gone (Windows 11 24H2) or prints no table', async () => {
    const missing: RunCommand = async () => ({ ...ok(''), failed: true, code: 'ENOENT', message: 'ENOENT' });
    await expect(createWmicSource({ run: missing }).list({ sampleMs: 0 })).rejects.toThrow(/wmic is not installed/);
    const xsl: RunCommand = async () => ({ ...ok(''), stderr: 'Invalid XSL format (or) file name.' });
    await expect(createWmicSource({ run: xsl }).list({ sampleMs: 0 })).rejects.toThrow(PlatformError);
  });

  it('reads CPU for some pids with a where clause, and no instance as gone', async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      return args.includes('ProcessId=777 or ProcessId=5')
        ? ok('\r\r\nNode,CreationDate,KernelModeTime,ProcessId,UserModeTime\r\r\nPC,20150329221650.080654+060,153750000,777,8556250000\r\r\n')
        : { ...ok(''), stderr: 'No Instance(s) Available.' };
    };
    const source = createWmicSource({ run });
    const cpu = await source.readCpu([777, 5]);
    expect(calls[0]).toEqual(['process', 'where', 'ProcessId=777 or ProcessId=5', 'get', 'CreationDate,KernelModeTime,ProcessId,UserModeTime', '/format:csv']);
    expect(cpu.get(777)).toMatchObject({ cpuTimeMs: 871000, startId: '20150329221650.080654+060' });
    expect(cpu.has(5)).toBe(false);
    expect(await source.identify(5)).toBeNull();
  });

  it('builds where clauses from pids only', () => {
    expect(wmicWhere([1, 2])).toBe('ProcessId=1 or ProcessId=2');
    expect(() => wmicWhere([Number.NaN])).toThrow(RangeError);
  });
});
