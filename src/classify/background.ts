// Claude's own background agents (`claude --bg`): a daemon (`claude daemon run`), pty hosts
// (argv[0] `claude bg-pty-host`) and spares waiting to be claimed (`claude bg-spare`). A spare that
// takes a session becomes that session (its record says `kind: "bg"` and names the job). While the
// daemon lives all of them are its, detached on purpose. When it dies (SIGKILL, a crash) hosts and
// spares live on, reparented: the claimed sessions are still the user's work (`claude agents`
// lists them, `claude stop <id>` ends them), while unclaimed spares will never be claimed.
import type { Protection } from '../report.js';
import type { SampledProcess, Snapshot } from '../types.js';

const BG_ROLES = new Set(['bg-daemon', 'bg-pty-host', 'bg-spare', 'bg-session']);

export function isBackground(role: string | null): boolean {
  return role !== null && BG_ROLES.has(role);
}

/** The live daemon a background process runs under (through its pty host), or null. */
export function backgroundDaemonOf(proc: SampledProcess, snapshot: Snapshot): SampledProcess | null {
  let child = proc;
  for (let hops = 0; hops < 3; hops++) {
    const parent = snapshot.processes.get(child.ppid);
    // Gone, or its pid now names a younger process (Windows never reparents and reuses pids).
    if (!parent || parent.startTime > child.startTime || parent.state === 'Z') return null;
    const role = snapshot.related.get(parent.pid)?.role ?? null;
    if (role === 'bg-daemon') return parent;
    if (role !== 'bg-pty-host') return null;
    child = parent;
  }
  return null;
}

/** A claimed session: the job's id, from its record. */
export function claimedJob(proc: SampledProcess): string | null {
  const s = proc.session;
  if (!s || (s.kind !== 'bg' && s.jobId === null)) return null;
  return s.jobId ?? s.sessionId ?? '?';
}

/** Why a background process is kept, or null when it is not (an unclaimed spare whose daemon is gone). */
export function backgroundProtection(proc: SampledProcess, role: string, snapshot: Snapshot): Protection | null {
  if (role === 'bg-daemon') return { id: 'background-agent', text: "Claude's background-agent daemon" };
  const daemon = backgroundDaemonOf(proc, snapshot);
  if (daemon) return { id: 'background-agent', text: `one of Claude's background agents, under its live daemon ${daemon.pid}` };
  const job = claimedJob(proc) ?? hostedJob(proc, snapshot);
  if (job !== null) {
    return { id: 'background-session', text: `a background session Claude still lists (its daemon is gone); end it with \`claude stop ${job}\`` };
  }
  return null;
}

/** The job a pty host holds the terminal of, when its child claimed one. */
function hostedJob(proc: SampledProcess, snapshot: Snapshot): string | null {
  if (snapshot.related.get(proc.pid)?.role !== 'bg-pty-host') return null;
  for (const c of snapshot.children.get(proc.pid) ?? []) {
    const child = snapshot.processes.get(c);
    if (child && child.startTime >= proc.startTime) {
      const job = claimedJob(child);
      if (job !== null) return job;
    }
  }
  return null;
}
