// The signal sender: the only code that sends signals, and (with platform/) the only code that
// looks at process.platform. It refuses pids that can never be a target, whatever the caller says.
import { constants } from 'node:os';
import { runCommand, type RunCommand } from '../platform/exec.js';
import { failureReason } from '../platform/failure.js';
import { taskkillCommand } from '../platform/taskkill.js';

export type SendResult = 'sent' | 'gone' | 'denied';
export type SignalSender = (pid: number, signal: string) => Promise<SendResult>;

/** pid 0 is the caller's process group, -1 is every process we may signal, 1 is init. */
export function assertSignallable(pid: number): void {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new RangeError(`refusing to signal pid ${pid}`);
  if (pid === process.pid || pid === process.ppid) throw new RangeError(`refusing to signal pid ${pid}: this claude-reaper or its parent`);
}

/**
 * A signal that could not be delivered. `answered`: the system said no (taskkill exited non-zero),
 * as opposed to the signalling command not running at all or timing out. Either way the caller
 * reads the process again to tell what happened (see execute.ts).
 */
export class SendFailed extends Error {
  constructor(
    message: string,
    readonly answered: boolean,
  ) {
    super(message);
    this.name = 'SendFailed';
  }
}

export const sendSignal: SignalSender = async (pid, signal) => {
  assertSignallable(pid);
  if (process.platform === 'win32') return taskkill(runCommand, pid);
  try {
    process.kill(pid, signal as NodeJS.Signals);
    return 'sent';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'gone';
    if (code === 'EPERM') return 'denied';
    throw err;
  }
};

// taskkill can hang (anthropics/claude-code#67888: hundreds of them, each for hours).
const TASKKILL_TIMEOUT_MS = 10_000;

/**
 * Windows has no signals: taskkill /F ends the process at once, whatever was asked. Each
 * descendant was identity-checked and is ended by its own pid, so no /T (it follows stale parent
 * pids into unrelated trees). A failure is never read from taskkill's words, which are localized
 * and say "no running instance" for a process that is gone and for one that stays listed
 * (anthropics/claude-code#84454): it is thrown with those words, and the executor reads the
 * process again.
 */
export async function taskkill(run: RunCommand, pid: number): Promise<SendResult> {
  const [file, args] = taskkillCommand(pid);
  const r = await run(file, args, { timeout: TASKKILL_TIMEOUT_MS });
  if (!r.failed) return 'sent';
  const answered = r.exitCode !== undefined && !r.timedOut && r.code === undefined;
  throw new SendFailed(`taskkill /PID ${pid} /F: ${failureReason(r)}`, answered);
}

/** `TERM`, `sigterm`, `SIGINT`, `9`... -> the canonical name, or null when unknown. */
export function normalizeSignal(text: string): string | null {
  const t = text.trim().toUpperCase();
  const name = /^\d+$/.test(t)
    ? Object.entries(constants.signals).find(([, n]) => n === Number(t))?.[0]
    : t.startsWith('SIG') ? t : `SIG${t}`;
  return name && name in constants.signals ? name : null;
}
