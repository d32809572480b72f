// Where the redaction step sits: the classifier works on the real argv, and what it hands on for
// output (the scan document, the plan built from it) carries a redacted copy. Built snapshots.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/classify/thresholds.js';
import { buildDocument } from '../../src/document.js';
import { REDACTED } from '../../src/redact/index.js';
import { emptySelection, planKill } from '../../src/reap/select.js';
import { NOW, SDK_ARGV, claude, proc, snapshot } from '../helpers/snapshot.js';

const KEY = 'plain-api-key-value-0011';

describe('the redaction step', () => {
  it('leaves the classifier the real argv: a protect pattern on the secret still protects', () => {
    const snap = snapshot([claude({ pid: 100, ppid: 1, argv: [...SDK_ARGV, '--api-key', KEY] })]);
    const findings = classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: new Map(), allUsers: false, patterns: [new RegExp(`--api-key ${KEY}`)] });
    expect(findings.get(100)!.protection).toMatchObject({ id: 'config' });
    const doc = buildDocument(snap, findings, DEFAULT_THRESHOLDS);
    expect(doc.processes.find((p) => p.pid === 100)!.argv).toEqual([...SDK_ARGV, '--api-key', REDACTED]);
    expect(snap.processes.get(100)!.argv).toEqual([...SDK_ARGV, '--api-key', KEY]);
    // The protection names the pattern, and the pattern holds the secret: shown redacted.
    expect(findings.get(100)!.protection!.text).toBe(`matches the config's protect pattern /--api-key ${REDACTED}/`);
    expect(JSON.stringify(doc)).not.toContain(KEY);
  });

  it('hands the plan redacted command lines, and what started a target without its secrets', () => {
    const daemon = proc({ pid: 60, ppid: 1, name: 'node', argv: ['node', '/srv/chat/server.js', '--token', KEY], ageMs: 7_200_000 });
    const child = claude({ pid: 101, ppid: 60, pgid: 60, sid: 60, argv: [...SDK_ARGV, `--password=${KEY}`] });
    const snap = snapshot([daemon, child]);
    const findings = classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: new Map(), allUsers: false, patterns: [] });
    const plan = planKill({ snapshot: snap, findings, document: buildDocument(snap, findings, DEFAULT_THRESHOLDS) }, { ...emptySelection(), pids: [101] }, { signal: 'SIGTERM', graceMs: 5000 });
    expect(plan.targets[0]).toMatchObject({ pid: 101, argv: [...SDK_ARGV, `--password=${REDACTED}`], startedBy: `server.js --token ${REDACTED}` });
    expect(JSON.stringify(plan)).not.toContain(KEY);
  });
});
