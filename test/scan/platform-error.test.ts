// Exit 3 when the process table cannot be read. /proc cannot be taken away from a running test,
// so the source the CLI opens is replaced, in-process, by a procfs source whose root is missing.
import { describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/main.js';
import { sandbox } from '../helpers/scan-cli.js';

vi.mock('../../src/platform/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platform/index.js')>();
  const { createProcfsSource } = await import('../../src/platform/procfs.js');
  return { ...real, openSource: () => createProcfsSource({ root: '/nonexistent' }) };
});

function memoryIo(env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, stdinIsTTY: false, columns: undefined, env };
}

describe('scan when the process table cannot be read', () => {
  it.each([[['scan', '--json', '--sample', '0']], [['scan', '--sample', '0']]])('exits 3 with one line on stderr and nothing on stdout: %s', async (argv) => {
    const io = memoryIo(sandbox().env);
    expect(await run(argv, io)).toBe(3);
    expect(io.out.join('')).toBe('');
    const stderr = io.err.join('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^claude-reaper: error: cannot read the process table: \/nonexistent/);
  });
});
