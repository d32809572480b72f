import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Registry, parseRegistry, readRegistries, writeRegistry } from '../../src/sdk/registry.js';

const owner = { pid: 4242, startId: '123456' };
const good: Registry = { registryVersion: 1, guard: 'w', owner, children: [{ pid: 4243, startId: '123470', spawnedAt: 1_700_000_000_000 }] };

describe('the guard registry', () => {
  it('reads back what it wrote, 600 in a 700 directory', () => {
    const state = join(mkdtempSync(join(tmpdir(), 'reg-')), 'state');
    const dir = join(state, 'sdk-guards', 'w');
    writeRegistry(dir, good);
    expect(readRegistries(dir, 'w')).toEqual([good]);
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, '4242.json')).mode & 0o777).toBe(0o600);
      for (const d of [state, join(state, 'sdk-guards'), dir]) expect(statSync(d).mode & 0o777).toBe(0o700);
    }
    expect(JSON.parse(readFileSync(join(dir, '4242.json'), 'utf8'))).toEqual(good);
  });

  it('takes only a registry of this guard, in this format, with whole identities', () => {
    expect(parseRegistry(JSON.stringify(good), 'w')).toEqual(good);
    expect(parseRegistry(JSON.stringify(good), 'other')).toBeNull();
    expect(parseRegistry(JSON.stringify({ ...good, registryVersion: 2 }), 'w')).toBeNull();
    expect(parseRegistry(JSON.stringify({ ...good, owner: { pid: 0, startId: '1' } }), 'w')).toBeNull();
    expect(parseRegistry(JSON.stringify({ ...good, owner: { pid: 5 } }), 'w')).toBeNull();
    expect(parseRegistry('{"registryVersion":1', 'w')).toBeNull();
    const mixed = { ...good, children: [...good.children, { pid: -1, startId: 'x', spawnedAt: 1 }, { pid: 7, startId: '', spawnedAt: 1 }, { pid: 8, startId: '9' }] };
    expect(parseRegistry(JSON.stringify(mixed), 'w')?.children).toEqual(good.children);
  });

  it('skips files that are not a run’s registry: temp files, and a file named for another pid than its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reg-'));
    writeFileSync(join(dir, '4242.json.4242.tmp'), JSON.stringify(good));
    writeFileSync(join(dir, '999.json'), JSON.stringify(good));
    expect(readRegistries(dir, 'w')).toEqual([]);
    expect(readRegistries(join(dir, 'none'), 'w')).toEqual([]);
  });
});
