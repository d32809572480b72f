// What the CLI writes to and reads from; tests pass their own.
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal */
  isTTY: boolean;
  /** stdin is a terminal (for the kill prompt) */
  stdinIsTTY: boolean;
  columns: number | undefined;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  // A reader that stops early (`| head`) closes the pipe: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    // Touching process.stdin builds a stream (and loads net for a pipe): only kill asks.
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
  };
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
