// kill on a terminal: one y/N question on stderr, and nothing signalled without a yes. Driven
// through a real pty (util-linux `script`), typing the answer as a person would.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, isAlive, shellQuote, startClaude, track, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { baseEnv } from '../helpers/fixtures.js';
import { requireTools } from '../helpers/tools.js';

useProcessCleanup();

/** Runs `kill --pid <pid>` on a pty, answers the question with `answer`, returns what it printed. */
async function killOnTerminal(pid: number, answer: string): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'reaper-prompt-'));
  const env = { ...baseEnv(), HOME: dir, CLAUDE_REAPER_STATE_DIR: join(dir, 'state'), CLAUDE_REAPER_CONFIG_DIR: join(dir, 'config'), SHELL: '/bin/sh', NO_COLOR: '1' };
  const command = `${shellQuote(process.execPath)} ${shellQuote(CLI_PATH)} kill --pid ${pid} --sample 0 --grace 1s`;
  requireTools('script');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: 'pipe' });
  track(child.pid!, child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  await waitFor(() => /\[y\/N\]/.test(output) || undefined, { what: 'the question', timeoutMs: 15_000 });
  child.stdin!.write(`${answer}\r`);
  return { code: await exit, output };
}

describe('kill on a terminal', () => {
  it('asks once, and signals nothing when the answer is not yes', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await killOnTerminal(c.pid, 'n');
    expect(r.output).toMatch(/Plan: reap 1 process/);
    expect(r.output.match(/\[y\/N\]/g)).toHaveLength(1);
    expect(r.output).toMatch(/nothing was signalled/);
    expect(isAlive(c.pid)).toBe(true);
  });

  it('reaps once the answer is yes', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await killOnTerminal(c.pid, 'y');
    expect(r.output).toMatch(/reaped 1 process/);
    expect(isAlive(c.pid)).toBe(false);
  });
});
