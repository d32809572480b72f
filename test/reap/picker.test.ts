// `kill --interactive` on a real pseudo-terminal (util-linux `script`): the plan as a checklist,
// keys typed as a person would, and exactly the chosen processes signalled. Each test's targets
// are named by --pid (or tagged and the rest protected by the config), so nothing else is listed
// as a target.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, SDK_ARGS, isAlive, runCli, shellQuote, startOrphan, track, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { baseEnv } from '../helpers/fixtures.js';
import { writeConfig, sandbox } from '../helpers/scan-cli.js';
import { requireTools } from '../helpers/tools.js';

useProcessCleanup();
const box = sandbox();

const ESC = '\x1b';
const DOWN = '\x1b[B';
const ENTER = '\r';

// What the terminal showed, without colours and cursor moves.
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

interface Session {
  /** Types keys, one group at a time, waiting for the screen to change after each. */
  type(...keys: string[]): Promise<void>;
  screen(): string;
  exit: Promise<number | null>;
}

/** Runs `kill -i <args>` on a pty of 160 columns and waits for the checklist. */
async function picker(args: string[]): Promise<Session> {
  requireTools('script');
  const env = { ...baseEnv(), ...box.env, SHELL: '/bin/sh', NO_COLOR: '1' };
  const line = [process.execPath, CLI_PATH, 'kill', '-i', '--sample', '0', '--grace', '1s', ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', `stty cols 160 rows 40; exec ${line}`, '/dev/null'], { env, stdio: 'pipe' });
  track(child.pid!, child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  // A frame may reach us in several writes; it is whole once its help line (the last line) is in.
  const FRAME_END = /esc q cancel/;
  await waitFor(() => (/Reap which\?/.test(out) && FRAME_END.test(out)) || undefined, { what: 'the checklist', timeoutMs: 15_000 });
  return {
    async type(...keys) {
      for (const k of keys) {
        const before = out.length;
        child.stdin!.write(k);
        // A lone escape is told from an escape sequence by a pause (readline's escapeCodeTimeout).
        // The next whole frame, or the end: enter and escape leave without one.
        await waitFor(() => FRAME_END.test(out.slice(before)) || !isRunning(child.exitCode), { what: `the screen after ${JSON.stringify(k)}`, timeoutMs: 5_000 }).catch(() => {});
      }
    },
    screen: () => plain(out),
    exit,
  };
}

const isRunning = (code: number | null) => code === null;

async function orphans(n: number, extra: string[] = []): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < n; i++) pids.push((await startOrphan({ args: [...SDK_ARGS, ...extra] })).pid);
  return pids;
}

describe('kill --interactive on a terminal', () => {
  it('lists the targets checked, each with its reason; enter reaps them all', async () => {
    const [a, b] = await orphans(2);
    const s = await picker(['--pid', String(a), String(b)]);
    for (const pid of [a, b]) expect(s.screen()).toMatch(new RegExp(`◉\\s+${pid}\\s.*claude\\s.*--output-format stream-json`));
    expect(s.screen()).toMatch(/↳ asked for by --pid/);
    expect(s.screen()).toMatch(/space select .* esc q cancel/);
    await s.type(ENTER);
    expect(await s.exit).toBe(0);
    expect(s.screen()).toMatch(/reaped 2 processes/);
    expect(isAlive(a!)).toBe(false);
    expect(isAlive(b!)).toBe(false);
  });

  it('signals exactly the processes left checked: space unchecks the one under the cursor', async () => {
    const [a, b, c] = await orphans(3);
    const s = await picker(['--pid', String(a), String(b), String(c)]);
    // The cursor starts on the first; down to the second, and uncheck it.
    await s.type(DOWN, ' ');
    const second = Number(/◯\s+(\d+)\s/.exec(s.screen().split('Reap which?').at(-1)!)![1]);
    expect([a, b, c]).toContain(second);
    await s.type(ENTER);
    expect(await s.exit).toBe(0);
    for (const pid of [a, b, c]) expect(isAlive(pid!), `pid ${pid}`).toBe(pid === second);
  });

  it.each([['escape', ESC], ['q', 'q']])('signals nothing when left with %s', async (_, key) => {
    const [a, b] = await orphans(2);
    const s = await picker(['--pid', String(a), String(b)]);
    await s.type(key);
    expect(await s.exit).toBe(0);
    expect(s.screen()).toMatch(/cancelled: nothing was signalled/);
    expect(isAlive(a!)).toBe(true);
    expect(isAlive(b!)).toBe(true);
  });

  it('signals nothing when everything is unchecked before enter', async () => {
    const [a] = await orphans(1);
    const s = await picker(['--pid', String(a)]);
    await s.type(' ', ENTER);
    expect(await s.exit).toBe(0);
    expect(s.screen()).toMatch(/nothing chosen: nothing was signalled/);
    expect(isAlive(a!)).toBe(true);
  });

  it('shows a protected process with its reason, and it cannot be chosen', async () => {
    const tag = `pick-${randomUUID()}`;
    // Everything without the tag is protected, and so is the one tagged "-keep".
    const config = writeConfig(box, { protect: [`^(?!.*${tag})`, `${tag}-keep`] });
    const [mine] = await orphans(1, [`--append-system-prompt=${tag}`]);
    const [kept] = await orphans(1, [`--append-system-prompt=${tag}-keep`]);
    const s = await picker(['--orphans', '--config', config]);
    const screen = s.screen();
    expect(screen).toMatch(new RegExp(`◉\\s+${mine}\\s`));
    expect(screen).toMatch(new RegExp(`-\\s+${kept}\\s[^\\n]*\\n\\s+↳ protected: matches the config's protect pattern /${tag}-keep/`));
    // Select all (a) picks only what can be chosen; enter.
    await s.type('a', 'a', ENTER);
    expect(await s.exit).toBe(0);
    expect(isAlive(mine!)).toBe(false);
    expect(isAlive(kept!)).toBe(true);
  });
});

describe('kill --interactive off a terminal, or with options that decide without one', () => {
  it('is bad usage: one line, exit 2, nothing signalled', async () => {
    const [a] = await orphans(1);
    const dir = mkdtempSync(join(tmpdir(), 'reaper-picker-'));
    for (const args of [['-i'], ['-i', '--pid', String(a)], ['--interactive', '--yes'], ['-i', '--dry-run'], ['-i', '--json'], ['-i', '--plan', join(dir, 'plan.json')]]) {
      const r = await runCli(['kill', ...args, '--sample', '0'], { env: box.env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(isAlive(a!)).toBe(true);
  });
});
