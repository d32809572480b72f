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
import type { Match, SampledProcess, SessionRecord, TranscriptInfo } from '../types.js';

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

  const claude = claudeActivity(proc.session, proc.transcript);
  if (claude.state === 'busy') return null;
  if (claude.state === 'idle') {
    const since = claude.since!;
    // Work seen by CPU after Claude's "idle since" means something ran it does not record.
    if (workSince(proc, since, input)) return now;
    return { forMs: Math.max(0, Math.round(input.now - since)), evidence: claude.evidence! };
  }
  if (match.kind === 'claude') return now;
  const quiet = quietSince(proc, input);
  if (quiet === null) return now;
  return { forMs: Math.max(0, Math.round(input.now - quiet)), evidence: 'earlier-sample' };
}

/** What Claude itself says a session is doing, from its record and transcript. */
export interface ClaudeActivity {
  /** `unknown`: neither Claude's record nor its transcript says; never idle for it. */
  state: 'idle' | 'busy' | 'unknown';
  /** When that state began, epoch ms (null when unknown). */
  since: number | null;
  /** Which of Claude's files said so. */
  evidence: 'session-record' | 'transcript' | null;
}

const UNKNOWN: ClaudeActivity = { state: 'unknown', since: null, evidence: null };

/**
 * Busy (a turn, a tool, a permission prompt) or idle since when, by Claude's own files. The
 * record's status decides where it has one; the transcript gives the later time (a turn the record
 * has not caught up with still counts) or overrules an `idle` that a request or tool run after it
 * contradicts; for CLIs whose record has no status (the legacy node CLI) the transcript decides
 * alone. Pure.
 */
export function claudeActivity(record: SessionRecord | null, t: TranscriptInfo | null): ClaudeActivity {
  const status = record?.status ?? null;
  if (status !== null) {
    if (status !== IDLE_STATUS) return { state: 'busy', since: record!.statusSince, evidence: 'session-record' };
    const since = record!.statusSince;
    if (since === null) return UNKNOWN;
    // A request, tool or reply the transcript shows began after the record went idle: the record
    // has not caught up. One from before (an interrupted request) is over.
    if (t && t.since !== null && t.since > since && (t.state === 'request-outstanding' || t.state === 'tool-running' || t.state === 'responding')) {
      return { state: 'busy', since: t.since, evidence: 'transcript' };
    }
    if (t?.lastActivity != null && t.lastActivity > since) return { state: 'idle', since: t.lastActivity, evidence: 'transcript' };
    return { state: 'idle', since, evidence: 'session-record' };
  }
  if (!t || t.state === 'unknown') return UNKNOWN;
  if (t.state !== 'turn-over') return { state: 'busy', since: t.since, evidence: 'transcript' };
  const since = t.lastActivity ?? t.since;
  return since === null ? UNKNOWN : { state: 'idle', since, evidence: 'transcript' };
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
  return oldestRunWhile(proc, input, (percent) => percent < input.idleCpuPercent)?.at ?? null;
}

/**
 * Walking back from now through the earlier samples: the oldest sample from which the rate of
 * every stretch (sample to next sample, the newest to now) satisfied `holds`. Null when none did.
 */
function oldestRunWhile(proc: SampledProcess, input: ActivityInput, holds: (percent: number) => boolean): Sample | null {
  const samples = samplesOf(proc, input);
  if (samples.length === 0 || proc.cpuTimeMs === null) return null;
  let oldest: Sample | null = null;
  let next: Sample = { at: input.now, cpuTimeMs: proc.cpuTimeMs };
  for (let i = samples.length - 1; i >= 0; i--) {
    const s = samples[i]!;
    const span = next.at - s.at;
    if (span <= 0 || !holds(rate(next.cpuTimeMs - s.cpuTimeMs, span))) break;
    oldest = s;
    next = s;
  }
  return oldest;
}

function samplesOf(proc: SampledProcess, input: ActivityInput): readonly Sample[] {
  return input.history.get(historyKey(proc.pid, proc.startId)) ?? [];
}

function rate(cpuMs: number, spanMs: number): number {
  return (cpuMs / spanMs) * 100;
}

/**
 * Since when the process has burned at least `percent` of a core without a break: the oldest
 * earlier sample from which every stretch to the next sample, and from the newest to now, ran at
 * or above it (the mirror of quietSince), with the average over that span. Null when no earlier
 * sample shows it.
 */
export function busySince(proc: SampledProcess, percent: number, input: ActivityInput): { since: number; percent: number } | null {
  const busy = oldestRunWhile(proc, input, (p) => p >= percent);
  return busy && { since: busy.at, percent: rate(proc.cpuTimeMs! - busy.cpuTimeMs, input.now - busy.at) };
}

