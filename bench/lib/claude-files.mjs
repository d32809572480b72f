// Claude Code's own files for the population's claude processes, as the real CLI leaves them in
// `~/.claude`: a session record per process (`sessions/<pid>.json`, with the `<pid>.<hash>.key`
// file the native CLI writes beside it) and a transcript per session (`projects/<cwd as
// dashes>/<sessionId>.jsonl`). The transcripts are put together from the lines of the real ones in
// test/fixtures (sanitized, sizes as written), restamped to times before now, so a scan reads the
// tails it would read on a machine with these sessions: a turn that ended with a prompt snapshot of
// up to ~57 kB after the answer, a request still waiting (re-sent every ~6 minutes), a tool
// running, a reply being written, and the legacy CLI's short lines.
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'test', 'fixtures');

// The mix of records. Native records carry `status`; the legacy node CLI's carry neither status nor
// procStart (only startedAt), and its transcripts have no api-request lines.
const LEGACY_EVERY = 8; // every 8th session is the legacy CLI's
const BUSY_SHARE = 0.4; // of the native ones: a turn in progress (the rest: idle between turns)
const ONE_TURN_SHARE = 0.4; // of the idle native ones: a leak after its first turn (the whole transcript is that turn)
const SNAPSHOT_AFTER_SHARE = 0.35; // of the other idle ones: a prompt snapshot written after the last answer
const STALE_RECORD_SHARE = 0.1; // records left by SIGKILLed processes, whose pids are gone
const PROJECTS = ['api', 'web', 'infra', 'docs', 'mobile-app', 'data/pipeline', 'ml/experiments', 'tools', 'billing', 'search'];

// Sizes and ages drawn log-uniformly: transcripts grow by the turn, and leaks are minutes to hours old.
const TRANSCRIPT_BYTES = [60e3, 1.5e6];
const LEGACY_TRANSCRIPT_BYTES = [8e3, 300e3];
const ANSWER_BYTES = [400, 20e3]; // the text of the last answer
const TOOL_RESULT_BYTES = [300, 40e3];
const SNAPSHOT_BYTES = [20e3, 57e3]; // the prompt snapshot after an answer (57 kB seen in print-native.jsonl)
const AGE_MS = [10e3, 6 * 3600e3]; // since the record's status last changed
const RESEND_MS = 6 * 60e3; // the CLI re-sends an unanswered request about every 6 minutes
const MAX_RESENDS = 12;

/** The fixture lines the transcripts are made of, read once. */
function fixtureLines() {
  const read = (file) => readFileSync(join(FIXTURES, file), 'utf8').split('\n').filter(Boolean);
  const firstTurn = read('sdk-transcripts/native-turn-over.jsonl'); // a whole first turn, 21 lines
  const live = read('transcripts/sdk-native-live.jsonl'); // later turns without the start-up lines
  const hung = read('transcripts/sdk-native-hung.jsonl');
  const legacy = read('transcripts/sdk-legacy-live.jsonl');
  const legacyHeld = read('sdk-transcripts/legacy-request-outstanding.jsonl');
  const pick = (lines, type) => lines.find((l) => JSON.parse(l).type === type);
  return {
    sessionStart: firstTurn.slice(0, 13), // queue-operations, the first prompt, its attachments
    request: firstTurn.slice(13, 17), // api-request-shape (31 kB), two blobs, api-request
    answer: firstTurn[17],
    snapshot: firstTurn[18], // the prompt snapshot (50 kB) after the answer
    afterFirst: firstTurn.slice(19), // last-prompt, atis-latch
    laterTurn: live.slice(21, 25), // queue-operation x2, user, api-request
    afterLater: live.slice(61), // last-prompt, cost-state
    retryError: hung.find((l) => l.includes('"subtype":"api_error"')),
    resend: pick(hung, 'api-request'),
    legacyStart: legacy.slice(0, 4), // queue-operation x2, user, skill_listing attachment
    legacyTurn: [...legacy.slice(5, 8)], // queue-operation x2, user
    legacyAnswer: legacy[4],
    legacyHeldAfter: legacyHeld.slice(3), // the attachment written with an unanswered prompt
    lastPrompt: pick(legacy, 'last-prompt'),
  };
}

function pidMax() {
  try {
    return Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim()) || 32768;
  } catch {
    return 32768;
  }
}

/** A deterministic number in [0, 1) for session k and a purpose, so every run builds the same mix. */
function draw(k, salt) {
  let h = (k + 1) * 2654435761 + salt * 40503;
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

function logUniform(k, salt, [lo, hi]) {
  return Math.round(lo * (hi / lo) ** draw(k, salt));
}

function uuid(k, salt) {
  const hex = (n) => Math.floor(draw(k, salt + n) * 2 ** 32).toString(16).padStart(8, '0');
  const h = hex(1) + hex(2) + hex(3) + hex(4);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A fixture line as this session's: its time and session id replaced. */
function stamp(line, at, sessionId) {
  let out = line.replace(/"sessionId":"[^"]*"/g, `"sessionId":"${sessionId}"`);
  if (at !== null) out = out.replace(/"timestamp":"[^"]*"/g, `"timestamp":"${new Date(at).toISOString()}"`);
  return out;
}

/** An answer of about `bytes` of text, ending for `stop` (null: still being written). */
function answerLine(template, bytes, stop) {
  const entry = JSON.parse(template);
  entry.message.content = stop === 'tool_use'
    ? [{ type: 'tool_use', id: 'toolu_xxxxxxxxxxxxxxxxxxxxxxxx', name: 'Bash', input: { command: 'x'.repeat(bytes), description: 'xxxxxxxxxxxxxxxxxxxxxxxx' } }]
    : [{ type: 'text', text: 'x'.repeat(bytes) }];
  entry.message.stop_reason = stop;
  return JSON.stringify(entry);
}

/** A tool's result as the next user entry, of about `bytes`. */
function toolResultLine(userTemplate, bytes) {
  const entry = JSON.parse(userTemplate);
  entry.message.content = [{ tool_use_id: 'toolu_xxxxxxxxxxxxxxxxxxxxxxxx', type: 'tool_result', content: 'x'.repeat(bytes), is_error: false }];
  return JSON.stringify(entry);
}

/** The prompt snapshot resized to about `bytes` (its tool list trimmed or its prompt padded). */
function snapshotLine(template, bytes) {
  const entry = JSON.parse(template);
  const pad = bytes - template.length;
  if (pad > 0) entry.attachment.systemPrompt = [...entry.attachment.systemPrompt, 'x'.repeat(pad)];
  else entry.attachment.tools = entry.attachment.tools.slice(0, Math.max(1, Math.round(entry.attachment.tools.length * (bytes / template.length))));
  return JSON.stringify(entry);
}

/**
 * One session's transcript lines ([line, time or null]) and its record's status, for session k
 * whose status changed at `statusAt` (epoch ms). Earlier turns are a minute apart before it.
 */
function transcriptFor(k, f, statusAt, legacy, now) {
  const out = [];
  const push = (line, at) => out.push([line, at]);
  if (legacy) {
    const target = logUniform(k, 11, LEGACY_TRANSCRIPT_BYTES);
    const held = draw(k, 12) < 0.25; // the last prompt has no answer yet
    const answers = [];
    let size = f.legacyStart.join('').length;
    while (size < target || answers.length === 0) {
      answers.push(logUniform(k * 131 + answers.length, 13, ANSWER_BYTES));
      size += f.legacyTurn.join('').length + answers.at(-1) + 900;
    }
    let at = statusAt - (answers.length - 1) * 60_000 - 5000;
    f.legacyStart.forEach((l) => push(l, at));
    for (let t = 0; t < answers.length; t++) {
      if (t > 0) f.legacyTurn.forEach((l) => push(l, at));
      const last = t === answers.length - 1;
      if (last && held) {
        f.legacyHeldAfter.forEach((l) => push(l, at));
        return { lines: out, status: null, tail: 'prompt waiting' };
      }
      push(answerLine(f.legacyAnswer, answers[t], 'end_turn'), last ? statusAt : at + 5000);
      at += 60_000;
    }
    push(f.lastPrompt, null);
    return { lines: out, status: null, tail: 'turn over' };
  }

  const busy = draw(k, 21) < BUSY_SHARE;
  const busyKind = draw(k, 22); // < 0.5 a request waits, < 0.85 a tool runs, else a reply is being written
  const waiting = busy && busyKind < 0.5;
  const oneTurn = !busy && draw(k, 23) < ONE_TURN_SHARE;
  const target = oneTurn ? 0 : logUniform(k, 24, TRANSCRIPT_BYTES);
  // Earlier turns: each a prompt and its request, sometimes a tool round, then the answer.
  const turns = [];
  let size = f.sessionStart.join('').length + f.request.join('').length;
  while (size < target) {
    const j = k * 131 + turns.length;
    const turn = { answer: logUniform(j, 25, ANSWER_BYTES), tool: draw(j, 26) < 0.5 ? logUniform(j, 27, TOOL_RESULT_BYTES) : 0 };
    turns.push(turn);
    size += f.laterTurn.join('').length + turn.answer + turn.tool + 3000;
  }
  // The last request went out when the record turned busy (waiting), or a few seconds before its answer.
  let at = (waiting ? statusAt : statusAt - 5000) - turns.length * 60_000;
  f.sessionStart.forEach((l) => push(l, at));
  f.request.forEach((l) => push(l, at));
  for (const turn of turns) {
    if (turn.tool) {
      push(answerLine(f.answer, 200, 'tool_use'), at + 1000);
      push(toolResultLine(f.laterTurn[2], turn.tool), at + 2000);
      push(f.laterTurn[3], at + 2000);
    }
    push(answerLine(f.answer, turn.answer, 'end_turn'), at + 5000);
    at += 60_000;
    f.laterTurn.forEach((l) => push(l, at));
  }
  if (!busy) {
    push(oneTurn ? f.answer : answerLine(f.answer, logUniform(k, 28, ANSWER_BYTES), 'end_turn'), statusAt);
    if (oneTurn || draw(k, 29) < SNAPSHOT_AFTER_SHARE) push(snapshotLine(f.snapshot, logUniform(k, 30, SNAPSHOT_BYTES)), statusAt + 25);
    (oneTurn ? f.afterFirst : f.afterLater).forEach((l) => push(l, null));
    return { lines: out, status: 'idle', tail: 'turn over' };
  }
  if (waiting) {
    const resends = Math.min(MAX_RESENDS, Math.floor((now - statusAt) / RESEND_MS));
    for (let r = 1; r <= resends; r++) {
      push(f.retryError, statusAt + r * RESEND_MS - 4000);
      push(f.resend, statusAt + r * RESEND_MS);
    }
    f.afterFirst.forEach((l) => push(l, null));
    return { lines: out, status: 'busy', tail: 'request waiting' };
  }
  const tool = busyKind < 0.85;
  push(tool ? answerLine(f.answer, 300, 'tool_use') : answerLine(f.answer, logUniform(k, 31, ANSWER_BYTES), null), statusAt);
  return { lines: out, status: 'busy', tail: tool ? 'tool running' : 'reply being written' };
}

/**
 * Writes the records and transcripts for `claudes` ({pid, start, sdk}) under `home/.claude`.
 * `startTimeMs(start)` turns a stat starttime into epoch ms (for the legacy records' startedAt).
 * Returns what it wrote.
 */
export function writeClaudeFiles(home, claudes, { startTimeMs, now = Date.now() }) {
  const config = join(home, '.claude');
  const sessions = join(config, 'sessions');
  mkdirSync(sessions, { recursive: true });
  if (claudes.length === 0) return { records: 0, stale: 0, transcripts: 0, transcriptBytes: 0, states: '' };
  const f = fixtureLines();
  let transcriptBytes = 0;
  const states = new Map();
  const count = (key) => states.set(key, (states.get(key) ?? 0) + 1);
  const made = new Set();
  claudes.forEach((c, k) => {
    const legacy = k % LEGACY_EVERY === LEGACY_EVERY - 1;
    const sessionId = uuid(k, 1);
    const cwd = `/home/dev/${PROJECTS[k % PROJECTS.length]}`;
    const statusAt = now - logUniform(k, 2, AGE_MS);
    const t = transcriptFor(k, f, statusAt, legacy, now);
    count(`${t.status ?? 'no status'}, ${t.tail}`);
    const startedAt = Math.round(startTimeMs(c.start)) + 350;
    const record = legacy
      ? { pid: c.pid, sessionId, cwd, startedAt, kind: 'interactive', entrypoint: c.sdk ? 'sdk-ts' : 'cli' }
      : {
          pid: c.pid, sessionId, cwd, startedAt, procStart: c.start, version: '2.1.334', peerProtocol: 1,
          peerFeatures: ['messaging'], kind: 'interactive', entrypoint: c.sdk ? 'sdk-ts' : 'cli', pidDomain: 'host',
          messagingSocketPath: `/tmp/claude-0/cc-socks/${c.pid}.sock`, name: `session-${sessionId.slice(0, 8)}`,
          status: t.status, updatedAt: statusAt, statusUpdatedAt: statusAt,
        };
    writeFileSync(join(sessions, `${c.pid}.json`), JSON.stringify(record));
    if (!legacy) writeFileSync(join(sessions, `${c.pid}.${sessionId.slice(0, 16).replace('-', '')}.key`), uuid(k, 7));

    const dir = join(config, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const text = t.lines.map(([line, at]) => stamp(line, at, sessionId)).join('\n') + '\n';
    const path = join(dir, `${sessionId}.jsonl`);
    writeFileSync(path, text);
    transcriptBytes += Buffer.byteLength(text);
    // As the CLI leaves it: last written when its last timed entry was.
    const last = Math.max(...t.lines.map(([, at]) => at ?? 0));
    utimesSync(path, last / 1000, last / 1000);
  });
  // Records a SIGKILLed CLI left behind: their pids are free (a scan opens only the records of live claude pids).
  const stale = Math.round(claudes.length * STALE_RECORD_SHARE);
  let pid = pidMax() - 1;
  for (let s = 0; s < stale; s++) {
    while (existsSync(`/proc/${pid}`)) pid--;
    writeFileSync(join(sessions, `${pid}.json`), JSON.stringify({ pid, sessionId: uuid(s, 9), cwd: '/home/dev/api', startedAt: now - 86_400_000, procStart: '1000', version: '2.1.330', kind: 'interactive', entrypoint: 'cli', status: 'idle', statusUpdatedAt: now - 86_000_000 }));
    pid--;
  }
  const mix = [...states].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${n} ${key}`).join('; ');
  return { records: claudes.length, stale, transcripts: claudes.length, transcriptBytes, states: mix };
}
