// Builds a Snapshot: one listing, the claude-related set, their details, and CPU over the sample
// window from two readings. The first reading is taken as early as possible and the details are
// read inside the window, so the window costs its own length and little more.
import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuReading, Details, ProcessSource } from '../platform/source.js';
import { hostPlatform } from '../platform/dirs.js';
import { homeDirOf, selfUid, userName } from '../platform/users.js';
import type { ClaudeMarkers, Match, ProcessRecord, SampledProcess, Snapshot, Warning } from '../types.js';
import { isAdopter } from '../classify/adopters.js';
import type { Known } from './known.js';
import { findSeeds, markerCandidates, relate, type Patterns } from './related.js';
import { readSessionRecord } from './session-record.js';
import { findTranscript, listProjects, readTranscript, transcriptPath } from './transcript.js';
import { claimedJob } from '../classify/background.js';
import { ancestors, childrenIndex } from './tree.js';

export interface SnapshotOptions {
  sampleMs: number;
  /** Extra daemon and agent patterns from the config, matched against the command line. */
  patterns?: Patterns;
  /** The pid whose ancestors are "self" (default: this process). */
  selfPid?: number;
  /** What earlier runs and Claude's configuration tell of leftovers with no mark of their own. */
  known?: Omit<Known, 'reparent'>;
  /**
   * A record busy for less than this (the hung threshold) makes the transcript's tail decide
   * nothing: busy is never idle, and no request can have waited longer than the record has been
   * busy. Its transcript's time is taken, its tail not read. Default: always read.
   */
  busyTranscriptsFromMs?: number;
}

export async function takeSnapshot(source: ProcessSource, opts: SnapshotOptions): Promise<Snapshot> {
  const selfPid = opts.selfPid ?? process.pid;
  const listing = await source.list({ sampleMs: opts.sampleMs });
  const records = listing.records;
  const children = childrenIndex(records);
  const self = [selfPid, ...ancestors(selfPid, records)];
  // Our own process is not a finding. What it starts is, when it is claude-related: a daemon that
  // uses this library must see its own leaked children (the ps or PowerShell this tool runs never
  // matches anything).
  const exclude = new Set([selfPid]);

  const seeds = findSeeds(records, opts.patterns);
  const candidates = markerCandidates(records, children, seeds, exclude);
  const sampling = opts.sampleMs > 0 && !listing.cpuPercent;
  const first = sampling ? await source.readCpu(candidates) : new Map<number, CpuReading>();
  // The environment decides which candidates are related; most are not (on a busy machine, every
  // process a gone session left behind is a candidate), so the rest is read for the related only.
  const environments = await source.details(candidates, records, { only: 'environment' });
  const markers = new Map<number, ClaudeMarkers | null>();
  for (const [pid, d] of environments) markers.set(pid, d.markers);
  const related = relate(records, children, seeds, markers, exclude, opts.known && { ...opts.known, reparent: source.reparent });

  // The details of everything related, without the environment: read above for the candidates,
  // and deciding nothing for the rest (deeper descendants, daemons, their children).
  const details = await source.details([...related.keys()], records, { environment: false });
  for (const [pid, d] of details) {
    const env = environments.get(pid);
    if (env) {
      d.markers = env.markers;
      if (env.denied.length > 0) d.denied = [...env.denied, ...d.denied];
    }
  }
  const late = [...related.keys()].filter((pid) => !environments.has(pid));
  if (sampling && late.length > 0) for (const [pid, r] of await source.readCpu(late)) first.set(pid, r);

  let second = new Map<number, CpuReading>();
  if (sampling) {
    const startedAt = minReadingTime(first);
    const elapsedMs = startedAt === null ? 0 : Number(process.hrtime.bigint() - startedAt) / 1e6;
    if (elapsedMs < opts.sampleMs) await sleep(opts.sampleMs - elapsedMs);
    second = await source.readCpu([...related.keys()]);
  }

  // Records become sampled processes in place: copying every record would cost more than reading it.
  const processes = records as Map<number, SampledProcess>;
  processes.forEach(completeRecord);
  const sessions = new SessionDirs();
  for (const pid of [...related.keys()]) {
    const proc = processes.get(pid)!;
    if (sampling) {
      const cpu = cpuOverWindow(first.get(pid), second.get(pid));
      // Gone, or its pid now names another process: it is not in this snapshot any more.
      if (cpu === 'gone') {
        related.delete(pid);
        continue;
      }
      proc.cpuPercent = cpu.percent;
      proc.cpuTimeMs = cpu.cpuTimeMs ?? proc.cpuTimeMs;
    } else if (listing.cpuPercent) {
      proc.cpuPercent = listing.cpuPercent.get(pid) ?? null;
    }
    addDetails(proc, details.get(pid), related.get(pid)!, sessions, opts.busyTranscriptsFromMs ?? 0);
  }
  // Sockets tell a daemon's port and a dead stdio peer: read where a rule can use them. TCP (every
  // fd) for the daemons whose copies are told apart by port; stdio (fds 0-2) for claude, unless init
  // or a subreaper has adopted it (it is an orphan already: its stdio adds nothing). Never TCP for
  // claude: an open connection proves no request in flight (a live session keeps one to the API
  // between turns), so no rule reads it.
  if (source.sockets) {
    const requests = new Map<number, 'stdio' | 'all'>();
    for (const [pid, m] of related) {
      const proc = processes.get(pid)!;
      if (m.kind === 'agent-daemon') {
        if (m.daemon) requests.set(pid, 'all');
      } else if ((m.kind === 'claude' || m.kind === 'agent') && !adopted(proc, processes)) {
        requests.set(pid, 'stdio');
      }
    }
    for (const [pid, info] of await source.sockets(requests)) processes.get(pid)!.sockets = info;
  }

  return {
    source: source.id,
    platform: hostPlatform(),
    reparent: source.reparent,
    takenAt: Date.now(),
    sampleMs: sampling ? opts.sampleMs : (listing.sampledMs ?? 0),
    processes,
    children,
    related,
    self,
    selfUid: selfUid(),
    warnings: warningsFor(listing.denied, details, related),
  };
}

/** Gives a record from any source the fields of a sampled process (forEach: no per-entry garbage). */
function completeRecord(p: SampledProcess): void {
  p.cpuPercent ??= null;
  p.markers ??= null;
  p.session ??= null;
  p.transcript ??= null;
  p.sockets ??= null;
}

function adopted(proc: ProcessRecord, processes: ReadonlyMap<number, ProcessRecord>): boolean {
  const parent = processes.get(proc.ppid);
  return !parent || isAdopter(parent);
}

function addDetails(proc: SampledProcess, d: Details | undefined, match: Match, sessions: SessionDirs, busyFromMs: number): void {
  if (!d) return;
  if (d.exe !== undefined) proc.exe = d.exe;
  if (d.uid !== undefined && d.uid !== proc.uid) {
    proc.uid = d.uid;
    proc.user = d.uid === null ? null : userName(d.uid);
  }
  proc.markers = d.markers;
  proc.fdCount = d.fdCount;
  proc.cwd = d.cwd;
  if (match.kind === 'claude') {
    // Where this claude keeps its config, as Claude Code decides it: CLAUDE_CONFIG_DIR, else
    // .claude in its home, which is the HOME it was started with (a daemon may set its own). Where
    // its environment is not read: our own home for our processes, the passwd entry's for others'.
    const home = d.markers?.home;
    const configDir = d.markers?.configDir ?? (home && isAbsolute(home) ? join(home, '.claude') : sessions.claudeHome(proc.uid));
    if (configDir && sessions.has(configDir, proc.pid)) proc.session = readSessionRecord(proc, configDir);
    const session = proc.session;
    if (configDir && session?.sessionId) {
      // Opened where its cwd says without a look first (one call less a claude); else looked for.
      // Where the record settles it (idle, or busy too briefly to be hung), the transcript's time
      // will do: one not written since needs no reading.
      const read = {
        idleSince: session.status === 'idle' ? session.statusSince : null,
        timeOnly: session.status === 'busy' && session.statusSince !== null && Date.now() - session.statusSince < busyFromMs,
      };
      const direct = session.cwd === null ? null : readTranscript(transcriptPath(configDir, session.cwd, session.sessionId), read);
      const path = direct ? null : findTranscript(configDir, null, session.sessionId, () => sessions.projects(configDir));
      proc.transcript = direct ?? (path ? readTranscript(path, read) : null);
    }
    // A spare that took a session keeps its spare's argv; its record says what it became.
    if (match.role === 'bg-spare' && claimedJob(proc) !== null) match.role = 'bg-session';
  }
}

/** Lists each sessions/ directory once, so only records that exist are opened. */
class SessionDirs {
  private readonly dirs = new Map<string, Set<string>>();
  private readonly homes = new Map<number | null, string | null>();
  private readonly projectDirs = new Map<string, string[]>();

  /** The user's ~/.claude, looked up once per user. */
  claudeHome(uid: number | null): string | null {
    let dir = this.homes.get(uid);
    if (dir === undefined) {
      const home = homeDirOf(uid);
      dir = home ? join(home, '.claude') : null;
      this.homes.set(uid, dir);
    }
    return dir;
  }

  /** The project directories under the config dir, listed once (a fallback when a transcript is not where its cwd says). */
  projects(configDir: string): readonly string[] {
    let names = this.projectDirs.get(configDir);
    if (!names) {
      names = listProjects(configDir);
      this.projectDirs.set(configDir, names);
    }
    return names;
  }

  has(configDir: string, pid: number): boolean {
    let names = this.dirs.get(configDir);
    if (!names) {
      try {
        names = new Set(readdirSync(join(configDir, 'sessions')));
      } catch {
        names = new Set();
      }
      this.dirs.set(configDir, names);
    }
    return names.has(`${pid}.json`);
  }
}



function minReadingTime(readings: ReadonlyMap<number, CpuReading>): bigint | null {
  let min: bigint | null = null;
  for (const r of readings.values()) if (min === null || r.at < min) min = r.at;
  return min;
}

function cpuOverWindow(a: CpuReading | undefined, b: CpuReading | undefined): 'gone' | { percent: number | null; cpuTimeMs: number | null } {
  if (!b) return 'gone';
  if (!a) return { percent: null, cpuTimeMs: b.cpuTimeMs };
  if (a.startId !== b.startId) return 'gone';
  const wallNs = Number(b.at - a.at);
  if (wallNs <= 0) return { percent: null, cpuTimeMs: b.cpuTimeMs };
  return { percent: Math.max(0, ((b.cpuNs - a.cpuNs) / wallNs) * 100), cpuTimeMs: b.cpuTimeMs };
}

function warningsFor(denied: ReadonlyMap<number, string[]>, details: ReadonlyMap<number, Details>, related: ReadonlyMap<number, Match>): Warning[] {
  // Only what the report shows: a denied field of an unrelated process changes nothing in it.
  const warnings: Warning[] = [];
  for (const pid of related.keys()) {
    const listed = denied.get(pid);
    const read = details.get(pid)?.denied;
    if (!listed && !read?.length) continue; // the usual case: nothing denied
    for (const field of [...(listed ?? []), ...(read ?? [])]) warnings.push({ pid, field, message: `${field} of pid ${pid}: permission denied` });
  }
  return warnings;
}
