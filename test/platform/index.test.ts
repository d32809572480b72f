import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/errors.js';
import { AUTO_CHAIN, openSource, withFallback } from '../../src/platform/index.js';
import type { ProcessSource } from '../../src/platform/source.js';

function fake(id: 'procfs' | 'ps', fails: boolean | string): ProcessSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    id,
    reparent: 'posix',
    calls,
    async list() {
      calls.push('list');
      if (typeof fails === 'string') throw new PlatformError(fails);
      if (fails) throw new PlatformError(`${id} cannot read the table`);
      return { records: new Map(), denied: new Map() };
    },
    async details() {
      calls.push('details');
      return new Map();
    },
    async sockets(requests) {
      calls.push(`sockets:${requests.size}`);
      return new Map([[1, null]]);
    },
    async readCpu() {
      calls.push('readCpu');
      return new Map();
    },
    async identify() {
      calls.push('identify');
      return null;
    },
  };
}

describe('choosing the data source', () => {
  it('falls back to the next source when the first cannot read the table, and stays with it', async () => {
    const procfs = fake('procfs', true);
    const ps = fake('ps', false);
    const source = withFallback(procfs, ps);
    await source.list({ sampleMs: 0 });
    await source.identify(1);
    expect(source.id).toBe('ps');
    expect(procfs.calls).toEqual(['list']);
    expect(ps.calls).toEqual(['list', 'identify']);
  });

  it("says why each source failed when all of them do, the first source's reason first", async () => {
    const first = fake('procfs', 'cannot read the process table: powershell.exe failed (exit code 1: Get-CimInstance : Access denied)');
    const source = withFallback(first, fake('ps', 'cannot read the process table: wmic is not installed'));
    const err = (await source.list({ sampleMs: 0 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.message).toBe('cannot read the process table: powershell.exe failed (exit code 1: Get-CimInstance : Access denied); then wmic is not installed');
  });

  it('passes every optional capability through, sockets included', async () => {
    const procfs = fake('procfs', false);
    const source = withFallback(procfs, fake('ps', false));
    await source.list({ sampleMs: 0 });
    expect(await source.sockets!(new Map([[1, 'all']]))).toEqual(new Map([[1, null]]));
    expect(procfs.calls).toEqual(['list', 'sockets:1']);
  });

  it('lists a chain for every platform claude runs on, /proc first on Linux', () => {
    expect(AUTO_CHAIN.linux).toEqual(['procfs', 'ps']);
    expect(AUTO_CHAIN.darwin).toEqual(['ps']);
    expect(AUTO_CHAIN.win32).toEqual(['cim', 'wmic']);
  });

  it('opens the /proc source here, through auto', () => {
    expect(openSource('auto').id).toBe('procfs');
  });
});
