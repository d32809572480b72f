// Running another program (ps, lsof, PowerShell, wmic, taskkill, the schedulers): one wrapper
// over execa, loaded on first use (the /proc path never needs it, and it is a large module tree).
import { importLate } from '../util/importer.js';
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode?: number;
  failed: boolean;
  timedOut: boolean;
  /** stdout reached RunOptions.maxBuffer: what was read is kept, the rest is lost. */
  truncated?: boolean;
  /** The signal that ended it, where one did (a timeout kills with SIGTERM). */
  signal?: string;
  /** errno-style code when the command could not be started (`ENOENT`). */
  code?: string;
  /** execa's summary: it holds the whole command line, so it is for debugging, never for users (see failure.ts). */
  message: string;
}

export interface RunOptions {
  timeout: number;
  /** Added to our environment, or (with `extendEnv: false`) the whole of it. */
  env?: NodeJS.ProcessEnv;
  extendEnv?: boolean;
  /** Written to the command's stdin. */
  input?: string;
  /** Stop reading (and end the command) past this many characters of stdout; see `truncated`. */
  maxBuffer?: number;
}

/** Runs a command without a shell and never throws; the caller decides what a failure means. */
export type RunCommand = (file: string, args: readonly string[], opts: RunOptions) => Promise<CommandResult>;

// 64 MB: a process table never gets near it, and a cut-off table must fail loudly rather than read
// as fewer processes (a sweeper once logged "0 killed" that way, cluesmith/codev#1688).
const MAX_BUFFER = 64 * 1024 * 1024;

export const runCommand: RunCommand = async (file, args, opts) => {
  const { execa } = await importLate<typeof import('execa')>('execa');
  const r = await execa(file, args, {
    reject: false,
    timeout: opts.timeout,
    env: opts.env,
    extendEnv: opts.extendEnv ?? true,
    input: opts.input ?? '',
    maxBuffer: opts.maxBuffer ?? MAX_BUFFER,
    windowsHide: true,
    stripFinalNewline: false,
  });
  return {
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    exitCode: r.exitCode,
    signal: r.signal,
    failed: r.failed,
    timedOut: r.timedOut,
    truncated: r.isMaxBuffer,
    code: (r as { code?: string }).code,
    message: (r.failed && r.shortMessage) || '',
  };
};
