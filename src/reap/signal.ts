// The signal sender: the only code that sends signals, and (with platform/) the only code that
// looks at process.platform. It refuses pids that can never be a target, whatever the caller says.
import { constants } from 'node:os';
import { runCommand } from '../platform/exec.js';
import { taskkillCommand } from '../platform/taskkill.js';

export type SendResult = 'sent' | 'gone' | 'denied';
export type SignalSender = (pid: number, signal: string) => Promise<SendResult>;

/** pid 0 is the caller's process group, -1 is every process we may signal, 1 is init. */
export function assertSignallable(pid: number): void {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new RangeError(`refusing to signal pid ${pid}`);
  if (pid === process.pid || pid === process.ppid) throw new RangeError(`refusing to signal pid ${pid}: this claude-reaper or its parent`);
}

export const sendSignal: SignalSender = async (pid, signal) => {
  assertSignallable(pid);
  if (process.platform === 'win32') return taskkill(pid);
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

/**
 * Windows has no signals: taskkill /F ends the process at once, whatever was asked. Each
 * descendant was identity-checked and is ended by its own pid, so no /T (it follows stale
 * parent pids into unrelated trees).
 */
async function taskkill(pid: number): Promise<SendResult> {
  const [file, args] = taskkillCommand(pid, { tree: false });
  const r = await runCommand(file, args, { timeout: 10_000 });
  if (!r.failed) return 'sent';
  // taskkill: exit 128 "process not found"; "Access is denied" otherwise.
  if (r.exitCode === 128 || /not found/i.test(r.stderr)) return 'gone';
  if (/access is denied/i.test(r.stderr)) return 'denied';
  throw new Error(`taskkill /PID ${pid} failed: ${r.stderr.trim() || r.message}`);
}

/** `TERM`, `sigterm`, `SIGINT`, `9`... -> the canonical name, or null when unknown. */
export function normalizeSignal(text: string): string | null {
  const t = text.trim().toUpperCase();
  const name = /^\d+$/.test(t)
    ? Object.entries(constants.signals).find(([, n]) => n === Number(t))?.[0]
    : t.startsWith('SIG') ? t : `SIG${t}`;
  return name && name in constants.signals ? name : null;
}
