// What is never selected for killing, whatever its flags say. Checked in this order; the first
// that applies is the one reported.
import { redactText } from '../redact/index.js';
import type { Protection } from '../report.js';
import type { Match, SampledProcess, Snapshot } from '../types.js';
import { isAdopter } from './adopters.js';
import { backgroundProtection, isBackground } from './background.js';

export interface ProtectOptions {
  allUsers: boolean;
  /** Command-line patterns from the config. */
  patterns: readonly RegExp[];
}

export function protectionOf(proc: SampledProcess, match: Match, snapshot: Snapshot, opts: ProtectOptions): Protection | null {
  const selfAt = snapshot.self.indexOf(proc.pid);
  if (selfAt === 0) return { id: 'self', text: 'this claude-reaper process' };
  if (selfAt > 0) return { id: 'ancestor', text: 'an ancestor of this claude-reaper (the session it runs in)' };
  // Before the tty: a claimed background session has its pty host's terminal, not a user's.
  if (isBackground(match.role)) {
    const bg = backgroundProtection(proc, match.role!, snapshot);
    if (bg) return bg;
  }
  const tty = liveTty(proc, snapshot);
  if (tty) return { id: 'live-tty', text: tty };
  if (match.variant === 'desktop') {
    const app = desktopApp(proc, snapshot);
    if (app) return { id: 'desktop-session', text: `a Claude Desktop session under the running app (${app.name}, pid ${app.pid})` };
  }
  if (opts.patterns.length > 0) {
    const line = proc.argv?.join(' ') ?? proc.name;
    const pattern = opts.patterns.find((re) => re.test(line));
    // The pattern is matched against the real command line; the text says it redacted, as it is shown.
    if (pattern) return { id: 'config', text: `matches the config's protect pattern /${redactText(pattern.source)}/` };
  }
  if (!opts.allUsers && snapshot.selfUid !== null && proc.uid !== null && proc.uid !== snapshot.selfUid) {
    return { id: 'other-user', text: `belongs to ${proc.user ?? `uid ${proc.uid}`} (use --all-users)` };
  }
  return null;
}

/**
 * An interactive session on a live terminal: it has a controlling tty, and it is in the
 * terminal's foreground group or its session leader (the shell) still runs. When a terminal
 * closes, the kernel hangs it up and clears the tty of every process in its session.
 */
function liveTty(proc: SampledProcess, snapshot: Snapshot): string | null {
  if (proc.tty === null || proc.state === 'Z') return null;
  if (proc.tpgid !== null && proc.pgid !== null && proc.tpgid === proc.pgid) return `in the foreground of ${proc.tty}`;
  const leader = proc.sid !== null ? snapshot.processes.get(proc.sid) : undefined;
  if (leader && leader.state !== 'Z') return `on ${proc.tty}, whose session leader ${leader.name} (${leader.pid}) is alive`;
  if (proc.sid === null) return `on ${proc.tty}`; // no sessions on this platform: a tty is all there is to go by
  return null;
}

/**
 * The app a Desktop session runs under: Claude Desktop starts its bundled CLI for each open Code
 * session; while that parent lives the session is the app's, however long it idles. Once the app is
 * gone the session is reparented (an orphan) or, on Windows, its parent pid names nothing older.
 */
function desktopApp(proc: SampledProcess, snapshot: Snapshot): SampledProcess | null {
  const parent = snapshot.processes.get(proc.ppid);
  if (!parent || parent.startTime > proc.startTime || parent.state === 'Z' || isAdopter(parent)) return null;
  return parent;
}
