// Evidence of activity: how long a process has been idle, and whether a request of its waits for an
// answer, from the strongest evidence there is, each named where it is used:
//   1. Claude's record `sessions/<pid>.json`: status (busy, idle, waiting) and when it last changed;
//   2. the session's transcript: the turn is over since T, or a request is outstanding since T;
//   3. earlier runs' samples of the same (pid, start time): CPU time used since;
//   4. the sample window: idle now.
// A lifetime CPU average proves no duration, and neither does a small CPU delta over minutes for
// claude itself: a turn costs a few hundred ms of CPU, less than an idle claude's own timers use in
// a few minutes (0.1-0.3 % of a core), so a session used every few minutes averages far below any
// threshold. CPU can show work; for claude only Claude's own record and transcript can show its
// absence. Pure functions of the snapshot, the clock and the history.
import type { IdleInfo } from '../report.js';
import { historyKey, type History, type Sample } from '../state/history.js';
import type { Match, SampledProcess } from '../types.js';

export interface ActivityInput {
  now: number;
  history: History;
  idleCpuPercent: number;
}

/** A request sent and not answered, since when, and what says so. */
export interface OutstandingRequest {
  since: number;
  evidence: 'session-record' | 'transcript';
  /** Re-sends seen in the transcript (the CLI re-sends an unanswered request every ~6 minutes). */
  requests: number;
}

/** Statuses Claude writes while nothing runs. `waiting` (for a permission answer from its host) is not one. */
const IDLE_STATUS = 'idle';

/**
 * How long the process has been idle, or null when it is not idle (working now, or Claude says it
 * is busy or waiting). `forMs` is null when only "idle now" is known: the window shows no work, but
 * nothing says for how long.
 */
export function idleEvidence(proc: SampledProcess, match: Match, input: ActivityInput): IdleInfo | null {
  const limit = input.idleCpuPercent;
  if (proc.cpuPercent !== null && proc.cpuPercent >= limit) return null;
  const now: IdleInfo | null = proc.cpuPercent !== null ? { forMs: null, evidence: 'window' } : null;

  const claim = claudeClaim(proc);
  if (claim === 'busy') return null;
  if (claim) {
    // Work seen by CPU after Claude's "idle since" means something ran it does not record.
    if (workSince(proc, claim.since, input)) return now;
    return { forMs: Math.max(0, Math.round(input.now - claim.since)), evidence: claim.evidence };
  }
  if (match.kind === 'claude') return now;
  const quiet = quietSince(proc, input);
  if (quiet === null) return now;
  return { forMs: Math.max(0, Math.round(input.now - quiet)), evidence: 'earlier-sample' };
}

/**
 * What Claude itself says: busy (a turn, a tool, a permission prompt), or idle since when. The
 * record's status decides where it has one; the transcript gives the time (the later of the two,
 * so a turn the record has not caught up with still counts), and decides alone for CLIs whose
 * record has no status (the legacy node CLI).
 */
function claudeClaim(proc: SampledProcess): 'busy' | { since: number; evidence: 'session-record' | 'transcript' } | null {
  const status = proc.session?.status ?? null;
  const t = proc.transcript;
  if (status !== null) {
    if (status !== IDLE_STATUS) return 'busy';
    const since = proc.session!.statusSince;
    if (since === null) return null;
    if (t && t.state !== 'turn-over' && t.state !== 'unknown') return 'busy';
    const later = t?.lastActivity != null && t.lastActivity > since ? t.lastActivity : null;
    return later === null ? { since, evidence: 'session-record' } : { since: later, evidence: 'transcript' };
  }
  if (!t || t.state === 'unknown') return null;
  if (t.state !== 'turn-over') return 'busy';
  const since = t.lastActivity ?? t.since;
  return since === null ? null : { since, evidence: 'transcript' };
}

/**
 * A request waiting for its answer, per Claude: the transcript ends in a request with no answer
 * (or, with no transcript to read, the record says busy). Where the two disagree (the record says
 * idle, or the transcript shows a tool running or a turn over) there is none.
 */
export function outstandingRequest(proc: SampledProcess): OutstandingRequest | null {
  const status = proc.session?.status ?? null;
  if (status !== null && status !== 'busy') return null;
  const t = proc.transcript;
  if (t && t.state !== 'unknown') {
    if (t.state !== 'request-outstanding' || t.since === null) return null;
    return { since: t.since, evidence: 'transcript', requests: t.unansweredRequests };
  }
  if (status === 'busy' && proc.session!.statusSince !== null) return { since: proc.session!.statusSince, evidence: 'session-record', requests: 0 };
  return null;
}

/**
 * Whether the CPU shows no progress since `since`: the window is quiet and no earlier sample taken
 * after it shows work since. Null when nothing measured the CPU at all (can't tell).
 */
export function noProgressSince(proc: SampledProcess, since: number, input: ActivityInput): boolean | null {
  if (proc.cpuPercent === null) return samplesOf(proc, input).some((s) => s.at >= since) ? !workSince(proc, since, input) : null;
  return proc.cpuPercent < input.idleCpuPercent && !workSince(proc, since, input);
}

/** Whether an earlier sample taken at or after `since` shows CPU work between it and now. */
function workSince(proc: SampledProcess, since: number, input: ActivityInput): boolean {
  if (proc.cpuTimeMs === null) return false;
  for (const s of samplesOf(proc, input)) {
    if (s.at < since) continue;
    const span = input.now - s.at;
    if (span > 0 && rate(proc.cpuTimeMs - s.cpuTimeMs, span) >= input.idleCpuPercent) return true;
  }
  return false;
}

/**
 * The oldest earlier sample from which every stretch to the next sample, and from the newest to
 * now, stayed under the idle threshold: idle since then (not for claude: see the top of the file).
 */
function quietSince(proc: SampledProcess, input: ActivityInput): number | null {
  const samples = samplesOf(proc, input);
  if (samples.length === 0 || proc.cpuTimeMs === null) return null;
  let quiet: number | null = null;
  let next: Sample = { at: input.now, cpuTimeMs: proc.cpuTimeMs };
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i]!;
    const span = next.at - s.at;
    if (span <= 0 || rate(next.cpuTimeMs - s.cpuTimeMs, span) >= input.idleCpuPercent) break;
    quiet = s.at;
    next = s;
  }
  return quiet;
}

function samplesOf(proc: SampledProcess, input: ActivityInput): readonly Sample[] {
  return input.history.get(historyKey(proc.pid, proc.startId)) ?? [];
}

function rate(cpuMs: number, spanMs: number): number {
  return (cpuMs / spanMs) * 100;
}
