// What is never selected for killing, whatever its flags say. Checked in this order; the first
// that applies is the one reported.
import { redactText } from '../redact/index.js';
import type { Protection } from '../report.js';
import type { Match, SampledProcess, Snapshot } from '../types.js';

export interface ProtectOptions {
  allUsers: boolean;
  /** Command-line patterns from the config. */
  patterns: readonly RegExp[];
}

export function protectionOf(proc: SampledProcess, match: Match, snapshot: Snapshot, opts: ProtectOptions): Protection | null {
  const selfAt = snapshot.self.indexOf(proc.pid);
  if (selfAt === 0) return { id: 'self', text: 'this claude-reaper process' };
  if (selfAt > 0) return { id: 'ancestor', text: 'an ancestor of this claude-reaper (the session it runs in)' };
  const tty = liveTty(proc, snapshot);
  if (tty) return { id: 'live-tty', text: tty };
  if (match.role === 'background') return { id: 'background-agent', text: "Claude's own background agent, detached on purpose" };
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
