// The transcript's tail, parsed: what the real CLI writes at the end of a turn, while a request
// waits for its answer, and across re-sends (fixtures: test/fixtures/transcripts/README.md).
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findTranscript, parseTranscriptTail, projectDirName, readTranscript, transcriptPath } from '../../src/snapshot/transcript.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/transcripts/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const at = (iso: string) => Date.parse(iso);
const parse = (text: string, mtimeMs: number | null = null) => parseTranscriptTail(text, { path: 't.jsonl', fromStart: true, mtimeMs });

describe('parseTranscriptTail', () => {
  it('reads a native SDK session between turns as turn over, since its last entry', () => {
    expect(parse(fixture('sdk-native-live.jsonl'))).toEqual({
      path: 't.jsonl', state: 'turn-over', since: at('2026-12-03T07:26:51.140Z'), lastActivity: at('2026-12-03T07:26:51.140Z'), unansweredRequests: 0,
    });
  });

  it('counts the prompt snapshot written after the answer as part of the turn', () => {
    expect(parse(fixture('print-native.jsonl'))).toMatchObject({ state: 'turn-over', since: at('2026-12-03T07:25:41.667Z') });
  });

  it('reads the legacy node CLI, which writes no api-request entries', () => {
    expect(parse(fixture('sdk-legacy-live.jsonl'))).toMatchObject({ state: 'turn-over', since: at('2026-12-03T07:32:15.117Z') });
  });

  it('reads a request never answered as outstanding since its prompt, and counts every re-send', () => {
    const info = parse(fixture('sdk-native-hung.jsonl'));
    expect(info.state).toBe('request-outstanding');
    expect(info.since).toBe(at('2026-12-03T07:26:56.181Z'));
    expect(info.unansweredRequests).toBeGreaterThanOrEqual(4);
    expect(info.lastActivity).toBe(at('2026-12-03T07:49:03.954Z'));
  });

  it('reads a request that has just been sent as outstanding since then', () => {
    const lines = fixture('sdk-native-hung.jsonl').split('\n');
    const firstRequest = lines.findIndex((l) => l.includes('"type":"api-request"'));
    const info = parse(lines.slice(0, firstRequest + 1).join('\n'));
    expect(info).toMatchObject({ state: 'request-outstanding', since: at('2026-12-03T07:26:56.181Z'), unansweredRequests: 1 });
  });

  it('reads a live session caught mid-turn (prompt sent, no answer yet) as a request outstanding', () => {
    const lines = fixture('sdk-native-live.jsonl').trimEnd().split('\n');
    const lastRequest = lines.findLastIndex((l) => l.includes('"type":"api-request"'));
    expect(parse(lines.slice(0, lastRequest + 1).join('\n'))).toMatchObject({ state: 'request-outstanding', since: at('2026-12-03T07:26:51.120Z') });
  });

  it('tells a tool running from a reply being written', () => {
    const base = { type: 'assistant', timestamp: '2026-12-03T08:00:00.000Z' };
    const tool = JSON.stringify({ ...base, message: { stop_reason: 'tool_use' } });
    const streaming = JSON.stringify({ ...base, message: { stop_reason: null } });
    expect(parse(`${tool}\n`)).toMatchObject({ state: 'tool-running', since: at(base.timestamp) });
    expect(parse(`${streaming}\n`)).toMatchObject({ state: 'responding', since: at(base.timestamp) });
  });

  it('takes the file time as the last sign of life when it is later than every entry', () => {
    const mtime = at('2026-12-03T07:30:00.000Z');
    expect(parse(fixture('sdk-native-live.jsonl'), mtime).lastActivity).toBe(mtime);
  });

  it('skips a first line cut by the tail read, and a last line still being written', () => {
    const text = fixture('sdk-legacy-live.jsonl');
    const tail = text.slice(text.length - 1500) + '{"type":"user","times';
    expect(parseTranscriptTail(tail, { path: 't', fromStart: false, mtimeMs: null })).toMatchObject({ state: 'turn-over', since: at('2026-12-03T07:32:15.117Z') });
  });

  it('says unknown when the tail holds no conversation entry', () => {
    expect(parse('{"type":"cost-state","totalCostUSD":0}\n').state).toBe('unknown');
  });
});

describe('readTranscript', () => {
  const answer = JSON.stringify({ type: 'assistant', timestamp: '2026-12-03T08:00:00.000Z', message: { stop_reason: 'end_turn' } });
  const after = (size: number) => JSON.stringify({ type: 'attachment', timestamp: '2026-12-03T08:00:01.000Z', attachment: { content: 'x'.repeat(size) } });

  it('reads only a bounded tail, widening it when the last entries are large', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'transcript-')), 's.jsonl');
    // An answer, then 300 kB of later entries with no conversation among them.
    writeFileSync(path, [answer, after(100_000), after(100_000), after(100_000), ''].join('\n'));
    utimesSync(path, new Date('2026-12-03T08:00:02Z'), new Date('2026-12-03T08:00:02Z'));
    expect(readTranscript(path)).toMatchObject({ state: 'turn-over', since: at('2026-12-03T08:00:01.000Z'), lastActivity: at('2026-12-03T08:00:02.000Z') });
  });

  it('gives up past its cap rather than read a huge file whole', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'transcript-')), 's.jsonl');
    writeFileSync(path, [answer, after(500_000), after(500_000), after(500_000), ''].join('\n'));
    expect(readTranscript(path)?.state).toBe('unknown');
  });

  it('reads a tail full of multi-byte characters, cut inside one, as the whole text says', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'transcript-')), 's.jsonl');
    const text = (i: number) => 'é😀ü∑ß'.repeat(900 + i); // 3-4 bytes a character: any tail starts inside one
    const lines = [answer];
    for (let i = 0; i < 12; i++) {
      lines.push(JSON.stringify({ type: 'user', timestamp: `2026-12-03T08:0${i % 10}:00.000Z`, message: { content: text(i) } }));
      lines.push(JSON.stringify({ type: 'assistant', timestamp: `2026-12-03T08:0${i % 10}:30.000Z`, message: { content: [{ type: 'text', text: text(i) }], stop_reason: i === 11 ? 'tool_use' : 'end_turn' } }));
    }
    lines.push(JSON.stringify({ type: 'attachment', timestamp: '2026-12-03T09:00:00.000Z', attachment: { content: text(99) } }));
    const whole = `${lines.join('\n')}\n`;
    writeFileSync(path, whole);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(100_000);
    const read = readTranscript(path);
    expect(read).toMatchObject({ state: 'tool-running', since: at('2026-12-03T08:01:30.000Z'), lastActivity: expect.any(Number) });
    expect({ ...read, lastActivity: null }).toEqual({ ...parseTranscriptTail(whole, { path, fromStart: true, mtimeMs: null }), lastActivity: null });
  });

  it('does not read a transcript last written by the time the record went idle (its time is enough), and reads one written later', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'transcript-')), 's.jsonl');
    writeFileSync(path, `${answer}\n`);
    const written = at('2026-12-03T08:00:00.500Z');
    utimesSync(path, written / 1000, written / 1000);
    expect(readTranscript(path, { idleSince: at('2026-12-03T08:00:00.000Z') })).toEqual({ path, state: 'not-read', since: null, lastActivity: written, unansweredRequests: 0 });
    expect(readTranscript(path, { idleSince: at('2026-12-03T07:59:00.000Z') })).toMatchObject({ state: 'turn-over' });
    // Only its time, when no rule could use the tail (a record busy for less than the hung threshold).
    expect(readTranscript(path, { timeOnly: true })).toEqual({ path, state: 'not-read', since: null, lastActivity: written, unansweredRequests: 0 });
    expect(readTranscript(path)).toMatchObject({ state: 'turn-over' });
  });

  it('is null for a file that is not there', () => {
    expect(readTranscript('/nonexistent/x.jsonl')).toBeNull();
  });
});

describe('where a transcript is', () => {
  it("names the project directory as Claude does: every character but letters and digits becomes '-'", () => {
    expect(projectDirName('/home/dev/my app.v2')).toBe('-home-dev-my-app-v2');
    expect(projectDirName('C:\\Users\\Dev\\repo')).toBe('C--Users-Dev-repo');
    expect(transcriptPath('/c', '/tmp/rig', 's')).toBe(join('/c', 'projects', '-tmp-rig', 's.jsonl'));
  });

  it('finds a transcript under another project directory when its cwd does not name it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-config-'));
    const project = join(dir, 'projects', '-a-shortened-name-1f2e');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'sid.jsonl'), '');
    expect(findTranscript(dir, '/a/very/long/path', 'sid')).toBe(join(project, 'sid.jsonl'));
    expect(findTranscript(dir, '/a/very/long/path', 'other')).toBeNull();
  });
});
