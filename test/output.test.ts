// Where the CLI's output goes: a pipe that stops reading early, a full non-blocking pipe, a file and
// /dev/null. The document is the audit log of 2,000 entries (about 500 kB), far more than a pipe holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, signalIfSame, track, useProcessCleanup } from './helpers/procs.js';
import { baseEnv } from './helpers/fixtures.js';

useProcessCleanup();

const ENTRIES = 2000;
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reaper-output-'));
  env = { ...baseEnv(), HOME: dir, CLAUDE_REAPER_STATE_DIR: join(dir, 'state'), CLAUDE_REAPER_CONFIG_DIR: join(dir, 'config') };
  mkdirSync(join(dir, 'state'));
  const now = Date.now();
  const lines = Array.from({ length: ENTRIES }, (_, i) =>
    JSON.stringify({
      time: new Date(now - (ENTRIES - i) * 1000).toISOString(), pid: 1000 + i, startId: String(i), name: 'claude',
      argv: ['claude', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'], kind: 'claude', user: 'dev',
      flags: ['abandoned', 'idle'], target: 1000 + i, startedBy: 'worker-service.cjs --daemon', outcome: 'terminated', rssBytes: 195_000_000,
    }),
  );
  writeFileSync(join(dir, 'state', 'reaped.jsonl'), `${lines.join('\n')}\n`);
});

const LOG_ARGS = ['log', '--json', '--limit', '0'];

/** Starts the CLI with the given stdout, collecting stderr; resolves with the exit code and stderr. */
function start(stdout: 'pipe' | 'ignore' | number): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI_PATH, ...LOG_ARGS], { env, stdio: ['ignore', stdout, 'pipe'] });
  if (child.pid === undefined) throw new Error('cannot start node');
  track(child.pid, child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => signalIfSame(child.pid!, 'SIGKILL'), 20_000);
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('close', (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
  return { child, done };
}

const entriesIn = (text: string): number => (JSON.parse(text) as { entries: unknown[] }).entries.length;

describe('output', () => {
  it('writes the whole document through a pipe', async () => {
    const { child, done } = start('pipe');
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(out.length).toBeGreaterThan(256 * 1024);
    expect(entriesIn(out)).toBe(ENTRIES);
  });

  it('ends quietly, with its own exit code, when the reader stops early (`| head`)', async () => {
    const { child, done } = start('pipe');
    let chunks = 0;
    child.stdout!.on('data', () => {
      chunks += 1;
      child.stdout!.destroy(); // the reader has seen enough and closes its end
    });
    const r = await done;
    expect(chunks).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  // POSIX: FIFOs and O_NONBLOCK (Windows keeps process.stdout, which queues writes itself).
  it.skipIf(process.platform === 'win32')('waits out a full pipe that another process made non-blocking', async () => {
    // A pipe shared with a parent that made it non-blocking after the start (a Node parent does so
    // by touching its own process.stdout): once its 64 kB are full, each write fails with EAGAIN
    // until the reader catches up. Here a FIFO, made non-blocking once the CLI has started.
    const fifo = join(dir, `fifo-${process.pid}`);
    const made = spawn('mkfifo', [fifo], { stdio: 'ignore' });
    expect(await new Promise((resolve) => made.once('close', resolve))).toBe(0);
    const writeEnd = openSync(fifo, constants.O_RDWR);
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.alloc(64 * 1024);
    const parts: Buffer[] = [];
    const drain = (): number => {
      let got = 0;
      for (;;) {
        try {
          const n = readSync(readEnd, buf, 0, buf.length, null);
          if (n <= 0) return got;
          parts.push(Buffer.from(buf.subarray(0, n)));
          got += n;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return got;
          throw err;
        }
      }
    };
    let shared: Socket | undefined;
    try {
      const { done } = start(writeEnd);
      // Opening the fd as a pipe sets O_NONBLOCK on it, for the CLI too (the spawn had cleared it).
      shared = new Socket({ fd: writeEnd, readable: false, writable: true });
      let exited = false;
      void done.then(() => (exited = true));
      let stalls = 0;
      // A slow reader: a little at a time, so the writer finds the pipe full again and again.
      while (!exited) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (drain() === 0) stalls += 1;
      }
      const r = await done;
      drain();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(entriesIn(Buffer.concat(parts).toString('utf8'))).toBe(ENTRIES);
      expect(stalls + parts.length).toBeGreaterThan(1); // it did take more than one read
    } finally {
      closeSync(readEnd);
      if (shared) shared.destroy(); // closes writeEnd
      else closeSync(writeEnd);
    }
  });

  it('writes the whole document to a file, and runs with stdout on /dev/null', async () => {
    const file = join(dir, 'out.json');
    const fd = openSync(file, 'w');
    const toFile = start(fd);
    closeSync(fd);
    const r = await toFile.done;
    expect(r.code, r.stderr).toBe(0);
    expect(entriesIn(readFileSync(file, 'utf8'))).toBe(ENTRIES);

    const toNull = await start('ignore').done;
    expect(toNull.code, toNull.stderr).toBe(0);
    expect(toNull.stderr).toBe('');
  });
});
