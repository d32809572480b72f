// Whether a child is idle, and since when, by the evidence `scan` trusts for claude: Claude's own
// session record (`sessions/<pid>.json`: status, statusUpdatedAt) and the session's transcript.
// CPU is never used: a turn costs a few hundred ms of CPU, less than an idle claude's own timers
// use in minutes, so no CPU figure can show that a claude has done nothing. Where neither file
// says, the answer is `unknown`, and an unknown child is never ended for idleness.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { claudeActivity, type ClaudeActivity } from '../classify/activity.js';
import { userHome } from '../platform/dirs.js';
import { readSessionRecord } from '../snapshot/session-record.js';
import { findTranscript, readTranscript } from '../snapshot/transcript.js';

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
  return { activity: claudeActivity(record, path ? readTranscript(path) : null), sessionId };
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
