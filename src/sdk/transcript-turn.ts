// Where a session's turn stands, from the end of Claude Code's transcript
// `$CLAUDE_CONFIG_DIR/projects/<cwd, every non-alphanumeric as '-'>/<sessionId>.jsonl`, which every
// CLI version writes (the legacy node CLI too, whose session record has no status). Only the tail is
// read: transcripts grow to many MB, and one entry (a prompt snapshot) can reach tens of kB.
import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type TurnState = 'turn-over' | 'request-outstanding' | 'tool-running' | 'responding' | 'unknown';

export interface Turn {
  state: TurnState;
  /** When the state began, epoch ms: the end of the turn (its newest entry), the request, the tool call. */
  since: number | null;
  /** The newest sign of life: the newest entry's time or the file's modification time. */
  lastActivity: number | null;
}

// Tail sizes tried in turn until a conversation entry turns up; the cap bounds the cost of a tail
// that is one huge tool result.
const TAIL_STEPS = [64 * 1024, 256 * 1024, 1024 * 1024];
/** Stop reasons that end a turn; `tool_use` means a tool runs, and none a reply still streaming. */
const FINAL_STOPS = new Set(['end_turn', 'stop_sequence', 'max_tokens', 'refusal', 'model_context_window_exceeded']);
// Claude shortens very long project directory names; those are found by listing, within bounds.
const MAX_PROJECT_DIRS = 2000;

/** The session's transcript: under its cwd's project directory, else wherever a file of that id is. */
export function findTranscript(configDir: string, cwds: readonly string[], sessionId: string): string | null {
  for (const cwd of cwds) {
    const direct = join(configDir, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'), `${sessionId}.jsonl`);
    if (existsSync(direct)) return direct;
  }
  let dirs: string[];
  try {
    dirs = readdirSync(join(configDir, 'projects'));
  } catch {
    return null;
  }
  for (const dir of dirs.slice(0, MAX_PROJECT_DIRS)) {
    const path = join(configDir, 'projects', dir, `${sessionId}.jsonl`);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Reads the transcript's tail; null when it cannot be read. */
export function readTurn(path: string): Turn | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size, mtimeMs } = fstatSync(fd);
    let turn: Turn | null = null;
    for (const step of TAIL_STEPS) {
      const length = Math.min(size, step);
      const buf = Buffer.allocUnsafe(length);
      const got = readSync(fd, buf, 0, length, size - length);
      turn = parseTurn(buf.toString('utf8', 0, got), length === size, mtimeMs);
      if (turn.state !== 'unknown' || length === size) break;
    }
    return turn;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The turn's state from the transcript's tail, newest entry first, back to the last conversation
 * entry: an `assistant` with a final stop (the turn is over, since the newest entry after it), one
 * stopping for `tool_use` (a tool runs), one with no stop yet (a reply is streaming); a `user` or
 * `api-request` with no answer after it (a request is outstanding). Pure.
 */
export function parseTurn(text: string, fromStart: boolean, mtimeMs: number | null): Turn {
  const lines = text.split('\n');
  if (!fromStart) lines.shift(); // cut mid-line by the tail read
  let lastActivity = mtimeMs !== null && Number.isFinite(mtimeMs) ? Math.round(mtimeMs) : null;
  let newestAfter: number | null = null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const entry = parseEntry(lines[i]!);
    if (!entry) continue;
    lastActivity = max(lastActivity, entry.at);
    if (entry.type === 'assistant') {
      const over = entry.stop !== null && FINAL_STOPS.has(entry.stop);
      const state: TurnState = over ? 'turn-over' : entry.stop === 'tool_use' ? 'tool-running' : 'responding';
      return { state, since: over ? max(entry.at, newestAfter) : entry.at, lastActivity };
    }
    if (entry.type === 'user' || entry.type === 'api-request') return { state: 'request-outstanding', since: entry.at, lastActivity };
    newestAfter = max(newestAfter, entry.at);
  }
  return { state: 'unknown', since: null, lastActivity };
}

interface Entry {
  type: string;
  at: number | null;
  stop: string | null;
}

const CONVERSATION = /"type":"(?:user|assistant|api-request)"/;
const TIMESTAMP = /"timestamp":"([^"]+)"/;

/** One line: its type and time, parsed fully only for conversation entries. */
function parseEntry(line: string): Entry | null {
  if (line.length < 2 || line.charCodeAt(0) !== 123 /* { */) return null;
  if (!CONVERSATION.test(line)) {
    const ts = TIMESTAMP.exec(line);
    return { type: 'other', at: ts ? parseTime(ts[1]!) : null, stop: null };
  }
  let data: { type?: unknown; timestamp?: unknown; message?: { stop_reason?: unknown } };
  try {
    data = JSON.parse(line) as typeof data;
  } catch {
    return null; // a line still being written
  }
  const type = typeof data.type === 'string' ? data.type : 'other';
  const at = typeof data.timestamp === 'string' ? parseTime(data.timestamp) : null;
  const stop = type === 'assistant' && typeof data.message?.stop_reason === 'string' ? data.message.stop_reason : null;
  return { type, at, stop };
}

function parseTime(text: string): number | null {
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

function max(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
