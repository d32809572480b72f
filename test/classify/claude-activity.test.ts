// What Claude itself says a session is doing, from its record and transcript: what `scan` and the
// SDK guard both decide idleness by.
import { describe, expect, it } from 'vitest';
import { claudeActivity } from '../../src/classify/activity.js';
import type { SessionRecord, TranscriptInfo } from '../../src/types.js';

// Built with `as`: the record's type grows fields these tests do not need.
const record = (status: string | null, statusSince: number | null): SessionRecord =>
  ({ path: '/c/sessions/1.json', sessionId: 's', cwd: '/w', entrypoint: 'sdk-ts', kind: 'interactive', version: '2.1.334', status, statusSince, startedAt: 1 }) as SessionRecord;
const turn = (state: TranscriptInfo['state'], since: number | null, lastActivity: number | null = since): TranscriptInfo => ({ path: '/c/projects/-w/s.jsonl', state, since, lastActivity, unansweredRequests: 0 });

describe("what Claude says a session is doing", () => {
  it("takes the record's idle and the time it turned idle", () => {
    expect(claudeActivity(record('idle', 1000), null)).toEqual({ state: 'idle', since: 1000, evidence: 'session-record' });
  });

  it('takes busy and waiting (for a permission answer) as busy', () => {
    expect(claudeActivity(record('busy', 1000), turn('turn-over', 900))).toEqual({ state: 'busy', since: 1000, evidence: 'session-record' });
    expect(claudeActivity(record('waiting', 1000), null).state).toBe('busy');
  });

  it('lets the transcript overrule an idle record with a request or a tool run after it', () => {
    expect(claudeActivity(record('idle', 1000), turn('request-outstanding', 1500))).toEqual({ state: 'busy', since: 1500, evidence: 'transcript' });
    expect(claudeActivity(record('idle', 1000), turn('tool-running', 1500)).state).toBe('busy');
  });

  it('keeps the record\'s idle over a request the transcript shows from before it (an interrupted one)', () => {
    expect(claudeActivity(record('idle', 1000), turn('request-outstanding', 800, 1005))).toEqual({ state: 'idle', since: 1005, evidence: 'transcript' });
  });

  it("takes a transcript not read (last written as the record went idle) for its time alone", () => {
    expect(claudeActivity(record('idle', 1000), turn('not-read', null, 1004))).toEqual({ state: 'idle', since: 1004, evidence: 'transcript' });
  });

  it('takes the later of the record and the transcript as the start of idleness', () => {
    expect(claudeActivity(record('idle', 1000), turn('turn-over', 1200, 1300))).toEqual({ state: 'idle', since: 1300, evidence: 'transcript' });
    expect(claudeActivity(record('idle', 1000), turn('turn-over', 800, 900))).toEqual({ state: 'idle', since: 1000, evidence: 'session-record' });
  });

  it('decides by the transcript alone where the record has no status (the legacy CLI) or none can be read', () => {
    expect(claudeActivity(record(null, null), turn('turn-over', 1200, 1300))).toEqual({ state: 'idle', since: 1300, evidence: 'transcript' });
    expect(claudeActivity(null, turn('request-outstanding', 1200))).toEqual({ state: 'busy', since: 1200, evidence: 'transcript' });
  });

  it('says unknown, never idle, where neither says', () => {
    expect(claudeActivity(null, null)).toEqual({ state: 'unknown', since: null, evidence: null });
    expect(claudeActivity(null, turn('unknown', null))).toEqual({ state: 'unknown', since: null, evidence: null });
    expect(claudeActivity(record('idle', null), null).state).toBe('unknown');
  });
});
