// What loading the CLI costs: the modules a plain scan never needs stay out of start-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/claude-reaper.js', import.meta.url));

/** Node's built-in modules loaded by requiring the bundle, nothing else run. */
function builtinsAtLoad(): string[] {
  // The list is taken before stderr is touched: opening a pipe loads `net` itself.
  const script = `require(${JSON.stringify(BUNDLE)}); const list = JSON.stringify(process.moduleLoadList); process.stderr.write(list)`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stderr) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
}

describe('start-up', () => {
  it('loads no terminal, network, child-process or prompt module just to start', () => {
    const loaded = builtinsAtLoad();
    for (const heavy of ['tty', 'net', 'child_process', 'readline', 'readline/promises']) expect(loaded, heavy).not.toContain(heavy);
  });

  // Linux reads /proc; elsewhere the scan runs ps or PowerShell, whose pipes are streams anyway.
  it.runIf(process.platform === 'linux')('writes a scan to a pipe without building process.stdout, which would load the stream modules and net', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reaper-startup-'));
    const preload = join(dir, 'modules.cjs');
    const list = join(dir, 'modules.json');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));`);
    const r = spawnSync(process.execPath, ['--require', preload, BIN, 'scan', '--json', '--sample', '0'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 2 });
    const loaded = (JSON.parse(readFileSync(list, 'utf8')) as string[]).map((m) => m.replace(/^NativeModule /, ''));
    expect(loaded).toContain('fs'); // the list is the real one
    for (const heavy of ['stream', 'net', 'tty']) expect(loaded, heavy).not.toContain(heavy);
  });
});
