// Claude Code's transcript of a session: `$CLAUDE_CONFIG_DIR/projects/<cwd, every non-alphanumeric
// as '-'>/<sessionId>.jsonl`, one JSON entry per line, written by every CLI version (the legacy
// node CLI too). Its last conversation entries tell a turn that is over from a request still
// waiting for its answer, and since when. Only the tail is read: transcripts grow to many MB, and
// single entries (a prompt snapshot after every turn) reach tens of kB.
import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TranscriptInfo, TranscriptState } from '../types.js';

// Tail sizes tried in turn until a conversation entry is found: most turns end within the first
// (the entries after the answer are a prompt snapshot of up to ~60 kB and a few short lines); the
// cap bounds the cost of a transcript whose tail is one huge tool result.
const TAIL_STEPS = [64 * 1024, 256 * 1024, 1024 * 1024];

/** Stop reasons that end a turn; `tool_use` means a tool runs, and none (null) a reply still streaming. */
const FINAL_STOPS = new Set(['end_turn', 'stop_sequence', 'max_tokens', 'refusal', 'model_context_window_exceeded']);

/** The transcript's file for a session, as Claude Code names it. */
export function transcriptPath(configDir: string, cwd: string, sessionId: string): string {
  return join(configDir, 'projects', projectDirName(cwd), `${sessionId}.jsonl`);
}

/** `/home/dev/my app` -> `-home-dev-my-app`: every character that is not a letter or digit becomes '-'. */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

// Projects whose directory name Claude shortened (very long paths) are found by listing; bounded,
// as a config dir may hold a project per directory ever opened.
const MAX_PROJECT_DIRS = 2000;

/**
 * Where the session's transcript is: under its cwd's project directory, else in whichever project
 * directory holds a file of that session id (Claude shortens very long directory names). Null when
 * there is none.
 */
export function findTranscript(configDir: string, cwd: string | null | readonly string[], sessionId: string, listing?: () => readonly string[]): string | null {
  // The cwd as given and as resolved, where a caller knows both: Claude names the directory after one.
  for (const dir of cwd === null ? [] : typeof cwd === 'string' ? [cwd] : cwd) {
    const direct = transcriptPath(configDir, dir, sessionId);
    if (existsSync(direct)) return direct;
  }
  const dirs = listing ? listing() : listProjects(configDir);
  for (let i = 0; i < dirs.length && i < MAX_PROJECT_DIRS; i++) {
    const path = join(configDir, 'projects', dirs[i]!, `${sessionId}.jsonl`);
    if (existsSync(path)) return path;
  }
  return null;
}

export function listProjects(configDir: string): string[] {
  try {
    return readdirSync(join(configDir, 'projects'));
  } catch {
    return [];
  }
}

// The writes that end a turn (the answer, a prompt snapshot, the cost) follow the record's switch to
// idle by milliseconds; a file not written later than this after it holds nothing newer.
const SETTLE_MS = 2_000;

export interface ReadOptions {
  /** When Claude's record went idle: a file last written by then holds nothing newer, and is not read. */
  idleSince?: number | null;
  /** Only the file's time is wanted (no rule could use its tail). */
  timeOnly?: boolean;
}

/**
 * Reads the transcript's tail and says what state the session is in; where the options say its
 * tail decides nothing, only its modification time (state `not-read`). Null when it cannot be read.
 */
export function readTranscript(path: string, opts: ReadOptions = {}): TranscriptInfo | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size, mtimeMs } = fstatSync(fd);
    if (opts.timeOnly || (opts.idleSince != null && mtimeMs <= opts.idleSince + SETTLE_MS)) {
      return { path, state: 'not-read', since: null, lastActivity: Math.round(mtimeMs), unansweredRequests: 0 };
    }
    let info: TranscriptInfo | null = null;
    for (const step of TAIL_STEPS) {
      const length = Math.min(size, step);
      const buf = length <= FIRST_TAIL ? firstTailBuffer() : Buffer.allocUnsafe(length);
      const got = readSync(fd, buf, 0, length, size - length);
      // Decoded as latin1, one byte a character: a copy, where UTF-8 decoding of 64 kB cost six
      // times as much. What is read from it is ASCII (types, times, stop reasons); the rest only
      // needs to stay valid JSON, and the bytes of multi-byte characters (0x80-0xff) do.
      info = parseTranscriptTail(buf.toString('latin1', 0, got), { path, fromStart: length === size, mtimeMs });
      if (info.state !== 'unknown' || length === size) break;
    }
    return info;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

// The first tail of every transcript goes into one buffer: a scan reads hundreds of them. The
// wider tails are rare and get their own, so nothing larger stays allocated.
const FIRST_TAIL = TAIL_STEPS[0]!;
let firstTail: Buffer | null = null;
function firstTailBuffer(): Buffer {
  firstTail ??= Buffer.allocUnsafe(FIRST_TAIL);
  return firstTail;
}

export interface TailOptions {
  path: string;
  /** The text starts at the file's first byte (else its first line may be cut and is skipped). */
  fromStart: boolean;
  /** The file's modification time, epoch ms: a write with no timestamp of its own still shows life. */
  mtimeMs: number | null;
}

interface Entry {
  type: string;
  at: number | null;
  stop?: string | null;
}

/**
 * The session's state from the end of its transcript. Pure. Walks back from the newest entry to
 * the last conversation entry (`user`, `assistant`, `api-request`):
 * - `assistant` with a final stop: the turn is over, since the newest entry after it;
 * - `assistant` stopping for `tool_use`: a tool runs, since then;
 * - `assistant` with no stop yet: a reply is being written;
 * - `user` or `api-request` with no answer after: a request is outstanding since the first of them
 *   (the CLI re-sends an unanswered request about every 6 minutes, each with its own api-request).
 * The text is not split: only the lines walked are sliced out of it.
 */
export function parseTranscriptTail(text: string, opts: TailOptions): TranscriptInfo {
  let lastActivity = opts.mtimeMs !== null && Number.isFinite(opts.mtimeMs) ? Math.round(opts.mtimeMs) : null;
  let newestAfter: number | null = null; // newest time among the entries after the conversation entry
  let state: TranscriptState = 'unknown';
  let since: number | null = null;
  let unanswered = 0;
  // The line before `end` (exclusive) starts after the newline before it; -1: no line is left. A
  // first line that does not start the file was cut by the tail read: it is not read.
  let end = text.length;
  const previous = (): Entry | null | undefined => {
    if (end < 0) return undefined;
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    const line = start === 0 && !opts.fromStart ? null : text.slice(start, end);
    end = start - 1;
    return line === null ? undefined : parseEntry(line);
  };
  // Newest first, to the last conversation entry.
  while (state === 'unknown') {
    const entry = previous();
    if (entry === undefined) break;
    if (!entry) continue;
    if (entry.type === 'assistant') {
      state = entry.stop === 'tool_use' ? 'tool-running' : entry.stop && FINAL_STOPS.has(entry.stop) ? 'turn-over' : 'responding';
      since = state === 'turn-over' ? max(entry.at, newestAfter) : entry.at;
    } else if (entry.type === 'user' || entry.type === 'api-request') {
      state = 'request-outstanding';
      since = entry.at;
      if (entry.type === 'api-request') unanswered++;
    } else if (entry.at !== null) {
      newestAfter = max(newestAfter, entry.at);
    }
    lastActivity = max(lastActivity, entry.at);
  }
  // Back through an unanswered run to the answer before it: the request has waited since its start.
  while (state === 'request-outstanding') {
    const entry = previous();
    if (entry === undefined || entry?.type === 'assistant') break;
    if (entry?.type === 'user' || entry?.type === 'api-request') {
      if (entry.at !== null) since = entry.at;
      if (entry.type === 'api-request') unanswered++;
    }
  }
  return { path: opts.path, state, since, lastActivity, unansweredRequests: unanswered };
}

const CONVERSATION = /"type":"(?:user|assistant|api-request)"/;
const TIMESTAMP = /"timestamp":"([^"]+)"/;

/** One line: its type and time, parsed fully only for conversation entries. */
function parseEntry(line: string): Entry | null {
  if (line.length < 2 || line.charCodeAt(0) !== 123 /* { */) return null;
  if (!CONVERSATION.test(line)) {
    const ts = TIMESTAMP.exec(line);
    return { type: 'other', at: ts ? parseTime(ts[1]) : null };
  }
  let data: { type?: unknown; timestamp?: unknown; message?: { stop_reason?: unknown } };
  try {
    data = JSON.parse(line) as typeof data;
  } catch {
    return null; // a line still being written
  }
  const type = typeof data.type === 'string' ? data.type : 'other';
  const at = typeof data.timestamp === 'string' ? parseTime(data.timestamp) : null;
  if (type === 'assistant') {
    const stop = data.message?.stop_reason;
    return { type, at, stop: typeof stop === 'string' ? stop : null };
  }
  return { type: type === 'user' || type === 'api-request' ? type : 'other', at };
}

function parseTime(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

function max(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
