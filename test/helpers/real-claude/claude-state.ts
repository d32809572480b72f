// Reading what real Claude Code leaves on disk: its per-process record and the session transcript.
import { existsSync, readFileSync } from 'node:fs';
import { waitFor } from '../cleanup.js';
import { type Scene, recordPath, transcriptPath } from './env.js';

/** `<configDir>/sessions/<pid>.json` as written (fields vary by version: the legacy CLI has no status). */
export interface ClaudeRecord {
  pid: number;
  sessionId: string;
  cwd: string;
  startedAt: number;
  kind?: string;
  entrypoint?: string;
  procStart?: string;
  version?: string;
  status?: 'idle' | 'busy' | string;
  statusUpdatedAt?: number;
  updatedAt?: number;
  jobId?: string;
  name?: string;
  messagingSocketPath?: string;
  [field: string]: unknown;
}

export function readRecord(scene: Pick<Scene, 'configDir'>, pid: number): ClaudeRecord | null {
  try {
    return JSON.parse(readFileSync(recordPath(scene, pid), 'utf8')) as ClaudeRecord;
  } catch {
    return null; // not written yet, removed at exit, or caught mid-write
  }
}

/** Waits until the record exists and matches (e.g. `(r) => r.status === 'idle'`), and returns it. */
export function waitForRecord(
  scene: Pick<Scene, 'configDir'>,
  pid: number,
  match: (r: ClaudeRecord) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<ClaudeRecord> {
  return waitFor(
    () => {
      const r = readRecord(scene, pid);
      return r && match(r) ? r : null;
    },
    { timeoutMs, intervalMs: 50, what: `the record of pid ${pid} to match` },
  );
}

export interface TranscriptEntry {
  type: string;
  /** ISO time; some entries (cost-state, last-prompt, api-request-blob) have none. */
  timestamp?: string;
  /** `assistant` entries: the message's stop_reason (end_turn, tool_use, …). */
  stopReason?: string | null;
  raw: Record<string, unknown>;
}

/** Every entry of a transcript, in file order (an unfinished last line is skipped). */
export function readTranscript(path: string): TranscriptEntry[] {
  if (!existsSync(path)) return [];
  const out: TranscriptEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const message = raw.message as { stop_reason?: string | null } | undefined;
    const entry: TranscriptEntry = { type: String(raw.type), raw };
    if (typeof raw.timestamp === 'string') entry.timestamp = raw.timestamp;
    if (raw.type === 'assistant') entry.stopReason = message?.stop_reason ?? null;
    out.push(entry);
  }
  return out;
}

export function sessionTranscript(scene: Pick<Scene, 'configDir' | 'cwd'>, sessionId: string): TranscriptEntry[] {
  return readTranscript(transcriptPath(scene, sessionId));
}

/** The entries that say where a turn stands (user, assistant, api-request), without the rest. */
export function turnEntries(entries: TranscriptEntry[]): TranscriptEntry[] {
  return entries.filter((e) => e.type === 'user' || e.type === 'assistant' || e.type === 'api-request');
}

/** The turn is over: the last turn entry is the assistant's, with a final stop. */
export function turnOver(entries: TranscriptEntry[]): boolean {
  const last = turnEntries(entries).at(-1);
  return last?.type === 'assistant' && last.stopReason !== 'tool_use' && last.stopReason !== null;
}

/**
 * Waits until the session's transcript matches. Claude Code writes the transcript in batches, a
 * little after it updates its record: a record already idle may have no assistant entry yet.
 */
export function waitForTranscript(
  scene: Pick<Scene, 'configDir' | 'cwd'>,
  sessionId: string,
  match: (entries: TranscriptEntry[]) => boolean,
  timeoutMs = 30_000,
): Promise<TranscriptEntry[]> {
  return waitFor(
    () => {
      const entries = sessionTranscript(scene, sessionId);
      return match(entries) ? entries : null;
    },
    { timeoutMs, intervalMs: 50, what: `the transcript of ${sessionId} to match` },
  );
}
