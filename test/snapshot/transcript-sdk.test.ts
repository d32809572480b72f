// The transcript's tail as SDK sessions of the real binaries leave it (the SDK guard's captures:
// test/fixtures/sdk-transcripts), and built lines.
import { readFileSync, utimesSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findTranscript, parseTranscriptTail, readTranscript } from '../../src/snapshot/transcript.js';

const DIR = fileURLToPath(new URL('../fixtures/sdk-transcripts/', import.meta.url));
const text = (name: string) => readFileSync(join(DIR, name), 'utf8');
const at = (iso: string) => Date.parse(iso);
const parseTail = (text: string, fromStart: boolean) => parseTranscriptTail(text, { path: 't.jsonl', fromStart, mtimeMs: null });

describe('the state of a turn, from a real transcript', () => {
  it('says a native turn is over since its newest entry after the answer', () => {
    expect(parseTail(text('native-turn-over.jsonl'), true)).toMatchObject({ state: 'turn-over', since: at('2026-12-03T08:27:35.761Z'), lastActivity: at('2026-12-03T08:27:35.761Z') });
  });

  it('says a native request is outstanding since the prompt its api-request carries', () => {
    expect(parseTail(text('native-request-outstanding.jsonl'), true)).toMatchObject({ state: 'request-outstanding', since: at('2026-12-03T08:27:35.747Z'), unansweredRequests: 1 });
  });

  it('reads the legacy CLI, which writes no api-request: over after the answer, outstanding after the user message', () => {
    expect(parseTail(text('legacy-turn-over.jsonl'), true)).toMatchObject({ state: 'turn-over', since: at('2026-12-03T08:27:40.156Z') });
    expect(parseTail(text('legacy-request-outstanding.jsonl'), true)).toMatchObject({ state: 'request-outstanding', since: at('2026-12-03T08:27:39.628Z') });
  });

  it('finds the answer from the file’s tail alone, and counts the file’s modification as activity', () => {
    const path = join(DIR, 'native-turn-over.jsonl');
    const copy = join(mkdtempSync(join(tmpdir(), 'turn-')), 'copy.jsonl');
    copyFileSync(path, copy);
    const mtime = at('2026-12-03T08:30:00.000Z');
    utimesSync(copy, mtime / 1000, mtime / 1000);
    expect(readTranscript(copy)).toMatchObject({ state: 'turn-over', since: at('2026-12-03T08:27:35.761Z'), lastActivity: mtime });
    expect(readTranscript(join(DIR, 'missing.jsonl'))).toBeNull();
  });
});

describe('the state of a turn, from built lines', () => {
  const line = (o: object) => JSON.stringify(o);
  const user = line({ type: 'user', timestamp: '2026-01-01T00:00:00.000Z', message: { role: 'user', content: 'hi' } });
  const assistant = (stop: string | null, ts = '2026-01-01T00:00:01.000Z') => line({ type: 'assistant', timestamp: ts, message: { stop_reason: stop } });

  it('tells a tool running and a reply streaming from a turn over', () => {
    expect(parseTail([user, assistant('tool_use')].join('\n'), true).state).toBe('tool-running');
    expect(parseTail([user, assistant(null)].join('\n'), true).state).toBe('responding');
    expect(parseTail([user, assistant('end_turn')].join('\n'), true).state).toBe('turn-over');
  });

  it('skips a last line still being written, and a first line the tail cut', () => {
    const half = '{"type":"user","timestamp":"2026-01-01T00:00:09.000Z","mess';
    expect(parseTail([user, assistant('end_turn'), half].join('\n'), true)).toMatchObject({ state: 'turn-over', since: at('2026-01-01T00:00:01.000Z') });
    expect(parseTail(['ge":"x"}', assistant('end_turn')].join('\n'), false).state).toBe('turn-over');
  });

  it('does not take a type inside another entry for the entry’s own', () => {
    const lastPrompt = line({ type: 'last-prompt', timestamp: '2026-01-01T00:00:05.000Z', text: '{"type":"user"}' });
    expect(parseTail([user, assistant('end_turn'), lastPrompt].join('\n'), true)).toMatchObject({ state: 'turn-over', since: at('2026-01-01T00:00:05.000Z') });
  });

  it('says unknown where no conversation entry is in the tail', () => {
    expect(parseTail(line({ type: 'queue-operation', timestamp: '2026-01-01T00:00:00.000Z' }), true)).toMatchObject({ state: 'unknown', since: null });
  });
});

describe('finding the transcript', () => {
  it('looks under the cwd’s project directory, then in every project directory', () => {
    const config = mkdtempSync(join(tmpdir(), 'cfg-'));
    mkdirSync(join(config, 'projects', '-work-my-app'), { recursive: true });
    mkdirSync(join(config, 'projects', '-shortened-name'), { recursive: true });
    copyFileSync(join(DIR, 'legacy-turn-over.jsonl'), join(config, 'projects', '-work-my-app', 'a.jsonl'));
    copyFileSync(join(DIR, 'legacy-turn-over.jsonl'), join(config, 'projects', '-shortened-name', 'b.jsonl'));
    expect(findTranscript(config, ['/work/my app'], 'a')).toBe(join(config, 'projects', '-work-my-app', 'a.jsonl'));
    expect(findTranscript(config, ['/work/my app'], 'b')).toBe(join(config, 'projects', '-shortened-name', 'b.jsonl'));
    expect(findTranscript(config, ['/work/my app'], 'c')).toBeNull();
  });
});
