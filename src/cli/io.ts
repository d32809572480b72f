// What the CLI writes to and reads from; tests pass their own.
import { fstatSync, statSync, writeSync } from 'node:fs';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal */
  isTTY: boolean;
  /** stdin is a terminal (for the kill prompt) */
  stdinIsTTY: boolean;
  columns: number | undefined;
  /** The terminal's height, where stdout is one (the picker's page). */
  rows?: number;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  const plain = plainStdout();
  if (!plain) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') readerClosed();
      throw err;
    });
  }
  return {
    stdout: plain ? writeAll : (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: !plain && process.stdout.isTTY === true,
    // Touching process.stdin builds a stream (and loads net for a pipe): only kill asks.
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    columns: !plain && process.stdout.isTTY ? process.stdout.columns : undefined,
    rows: !plain && process.stdout.isTTY ? process.stdout.rows : undefined,
    env: process.env,
  };
}

/**
 * Whether stdout is a pipe, a file, a socket or /dev/null: then the CLI writes to fd 1 itself, as
 * Node's own stdout does for files, and spares building process.stdout, which loads the stream
 * modules (and net, for a pipe) on every run that has output to give (about 1.5 ms). A terminal,
 * anything unknown, and Windows keep process.stdout.
 */
function plainStdout(): boolean {
  if (process.platform === 'win32') return false;
  try {
    const st = fstatSync(1);
    if (st.isFIFO() || st.isFile() || st.isSocket()) return true;
    return st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false; // fd 1 closed, or no /dev/null: let Node decide
  }
}

/** A reader that stops early (`| head`) closes the pipe: that is the reader's choice, not an error. */
function readerClosed(): never {
  process.exit(process.exitCode ?? 0);
}

let wait: Int32Array | undefined;

/** Writes all of text to fd 1: waits out a full non-blocking pipe; a closed one ends the run quietly. */
function writeAll(text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') readerClosed();
      if (code !== 'EAGAIN') throw err;
      // Someone set the pipe non-blocking and it is full: give the reader a millisecond.
      wait ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(wait, 0, 0, 1);
    }
  }
}

export interface OutputOptions {
  json?: boolean;
  color: boolean;
  verbose?: boolean;
  wide?: boolean;
}

export function useColor(io: Io, opts: OutputOptions): boolean {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return opts.color && io.isTTY && !noColor;
}

// A pipe has no width: keep lines readable in a pager without cutting what a script may grep.
const PIPE_WIDTH = 160;

export function tableWidth(io: Io, opts: OutputOptions): number {
  if (opts.wide) return Number.MAX_SAFE_INTEGER;
  const fromEnv = Number(io.env.COLUMNS);
  // A pty nobody has sized reports 0 columns: no width to keep to, rather than a width of 0.
  if (io.columns !== undefined) return io.columns > 0 ? io.columns : Number.MAX_SAFE_INTEGER;
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : PIPE_WIDTH;
}

/** A --json document: indented for a person at a terminal, one line for a pipe (smaller, faster). */
export function jsonText(value: unknown, io: Pick<Io, 'isTTY'>): string {
  return `${io.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
}
