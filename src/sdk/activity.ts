// Whether a child is idle, and since when, by the evidence `scan` trusts for claude: Claude's own
// session record (`sessions/<pid>.json`: status, statusUpdatedAt) and the session's transcript.
// CPU is never used: a turn costs a few hundred ms of CPU, less than an idle claude's own timers
// use in minutes, so no CPU figure can show that a claude has done nothing. Where neither file
// says, the answer is `unknown`, and an unknown child is never ended for idleness.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { userHome } from '../platform/dirs.js';
import { readSessionRecord } from '../snapshot/session-record.js';
import type { SessionRecord } from '../types.js';
import { findTranscript, readTurn, type Turn } from './transcript-turn.js';
import type { ClaudeActivity } from './types.js';

/** The record's status while nothing runs. `waiting` (for the host's answer to a permission prompt) is busy. */
const IDLE_STATUS = 'idle';
const UNKNOWN: ClaudeActivity = { state: 'unknown', since: null, evidence: null };

/**
 * What Claude says: the record's status decides where it has one, and the transcript gives the
 * later time (a turn the record has not caught up with still counts) or overrules an `idle` that
 * a request or tool run after it contradicts; for CLIs whose record has no status (the legacy node
 * CLI) the transcript decides alone. Pure.
 */
export function claudeActivity(record: SessionRecord | null, turn: Turn | null): ClaudeActivity {
  const status = record?.status ?? null;
  if (status !== null) {
    if (status !== IDLE_STATUS) return { state: 'busy', since: record!.statusSince, evidence: 'session-record' };
    const since = record!.statusSince;
    if (since === null) return UNKNOWN;
    if (turn && turn.state !== 'turn-over' && turn.state !== 'unknown') return { state: 'busy', since: turn.since, evidence: 'transcript' };
    if (turn?.lastActivity != null && turn.lastActivity > since) return { state: 'idle', since: turn.lastActivity, evidence: 'transcript' };
    return { state: 'idle', since, evidence: 'session-record' };
  }
  if (!turn || turn.state === 'unknown') return UNKNOWN;
  if (turn.state !== 'turn-over') return { state: 'busy', since: turn.since, evidence: 'transcript' };
  const since = turn.lastActivity ?? turn.since;
  return since === null ? UNKNOWN : { state: 'idle', since, evidence: 'transcript' };
}

/** Where a child's Claude files are, from the environment and directory the SDK started it with. */
export interface ClaudeFiles {
  pid: number;
  startId: string;
  /** When we spawned it, epoch ms: its start time to within the spawn's own cost. */
  spawnedAt: number;
  env: { [name: string]: string | undefined };
  cwd: string;
  sessionId: string | null;
}

/** Claude Code's config dir for a process started with `env`: CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: ClaudeFiles['env']): string {
  return env.CLAUDE_CONFIG_DIR || join(userHome(env as NodeJS.ProcessEnv), '.claude');
}

/** Reads the child's record and transcript; also says the session id the record names. */
export function readActivity(child: ClaudeFiles): { activity: ClaudeActivity; sessionId: string | null } {
  const configDir = claudeConfigDir(child.env);
  const record = readSessionRecord({ pid: child.pid, startId: child.startId, startTime: child.spawnedAt }, configDir);
  const sessionId = child.sessionId ?? record?.sessionId ?? null;
  const path = sessionId ? findTranscript(configDir, cwdNames(record?.cwd ?? child.cwd), sessionId) : null;
  return { activity: claudeActivity(record, path ? readTurn(path) : null), sessionId };
}

/** The cwd as given and as resolved: Claude names the project directory after one of them. */
function cwdNames(cwd: string): string[] {
  try {
    const real = realpathSync(cwd);
    return real === cwd ? [cwd] : [cwd, real];
  } catch {
    return [cwd];
  }
}
