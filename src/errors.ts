// The few named errors. OS errors are translated into these at the platform boundary, and
// main.ts maps each to an exit code in one place.

/** Bad usage or bad input: an unknown flag, a bad duration, a config that does not parse. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The process table could not be read (no /proc, ps missing, PowerShell failed). Exit 3. */
export class PlatformError extends Error {
  override name = 'PlatformError';
}

/** The process exited (or never existed) while we were reading it. */
export class NoSuchProcess extends Error {
  override name = 'NoSuchProcess';
  constructor(readonly pid: number) {
    super(`process no longer exists (pid=${pid})`);
  }
}

export const EXIT = {
  ok: 0,
  /** `--fail-on` matched, or a kill target survived or was denied. */
  findings: 1,
  usage: 2,
  platform: 3,
} as const;

/** errno codes that mean "the process is gone" when reading /proc/PID/... */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** errno codes that mean "not ours to read". */
export function isDenied(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
