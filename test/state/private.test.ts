// State files are private: created 600 in a directory of 700 whatever the umask, and a looser file
// or `claude-reaper` directory of ours is tightened when written to; a directory the user named is
// left as it is (doctor reports it). POSIX modes only: Windows keeps none.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, AUDIT_FILE } from '../../src/reap/audit.js';
import type { KillResult } from '../../src/reap/execute.js';
import { saveHistory } from '../../src/state/history.js';
import { acquireLock, LOCK_FILE } from '../../src/state/lock.js';
import { appendPrivate, checkPrivate, ensurePrivateDir, replacePrivate } from '../../src/state/private.js';
import { createProcfsSource } from '../../src/platform/procfs.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const posix = typeof process.getuid === 'function';

let root: string;
let umask: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'reaper-private-'));
  // The widest umask: every mode below comes from the code, none from the umask.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!posix)('private state files (skipped on Windows: no POSIX modes there)', () => {
  it('creates the state directory 700 and a file in it 600, under a umask of 0', () => {
    const dir = join(root, 'state', 'claude-reaper');
    appendPrivate(dir, 'hook.log', 'line\n');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'hook.log'))).toBe(0o600);
    expect(checkPrivate(dir)).toBe('private');
  });

  it('leaves the parents of the state directory to the umask: they are not ours', () => {
    const dir = join(root, 'xdg-state', 'claude-reaper');
    ensurePrivateDir(dir);
    expect(mode(join(root, 'xdg-state'))).toBe(0o777);
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens an existing claude-reaper directory and audit log that are readable by others', () => {
    const dir = join(root, 'claude-reaper');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, AUDIT_FILE), '', { mode: 0o644 });
    appendAudit(dir, oneOutcome());
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, AUDIT_FILE))).toBe(0o600);
  });

  it('leaves a directory the user named as it is, and still writes its files 600', () => {
    const dir = join(root, 'my-state');
    mkdirSync(dir, { mode: 0o755 });
    appendAudit(dir, oneOutcome());
    expect(mode(dir)).toBe(0o755);
    expect(checkPrivate(dir)).toBe('shared');
    expect(mode(join(dir, AUDIT_FILE))).toBe(0o600);
  });

  it('replaces a looser samples file with a private one', () => {
    const dir = join(root, 'claude-reaper');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'samples.json'), '{}', { mode: 0o664 });
    saveHistory(dir, new Map([['1:2', [{ at: 1, cpuTimeMs: 0 }]]]));
    expect(mode(join(dir, 'samples.json'))).toBe(0o600);
    replacePrivate(dir, 'other.json', '{}');
    expect(mode(join(dir, 'other.json'))).toBe(0o600);
  });

  it('says what it finds: missing, private, shared', () => {
    expect(checkPrivate(join(root, 'nothing'))).toBe('missing');
    writeFileSync(join(root, 'f'), '', { mode: 0o600 });
    expect(checkPrivate(join(root, 'f'))).toBe('private');
    chmodSync(join(root, 'f'), 0o640);
    expect(checkPrivate(join(root, 'f'))).toBe('shared');
  });
});

describe.skipIf(process.platform !== 'linux')('the lock file (Linux: it reads its holder from /proc)', () => {
  it('is 600 in a 700 directory while held', async () => {
    const dir = join(root, 'runtime', 'claude-reaper');
    const got = await acquireLock(dir, createProcfsSource(), 'kill');
    expect('lock' in got).toBe(true);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, LOCK_FILE))).toBe(0o600);
    if ('lock' in got) got.lock.release();
  });
});

/** A result with one outcome, enough for one audit line. */
function oneOutcome(): KillResult {
  const target = { pid: 4242, startId: '1', name: 'claude', argv: ['claude'], kind: 'claude' as const, user: 'dev', rssBytes: 1, startTime: '2026-01-01T00:00:00.000Z', flags: [], reason: 'asked for by --pid', startedBy: null, descendants: [] };
  const plan = { planVersion: 1 as const, tool: { name: 'claude-reaper' as const, version: '0' }, createdAt: '', platform: 'linux', source: 'procfs', selection: { reapable: false, idleMs: null, orphans: false, duplicates: false, hung: false, pids: [4242], olderThanMs: null, minRssBytes: null }, signal: 'SIGTERM', graceMs: 0, targets: [target], skipped: [], summary: { targets: 1, processes: 1, rssBytes: 1 } };
  const outcome = { pid: 4242, startId: '1', name: 'claude', target: 4242, outcome: 'gone' as const, signals: [], rssBytes: 1, detail: null };
  return { resultVersion: 1, tool: { name: 'claude-reaper', version: '0' }, plan, startedAt: '', finishedAt: '2026-01-01T00:00:01.000Z', outcomes: [outcome], summary: { terminated: 0, killed: 0, gone: 1, 'pid-reused': 0, denied: 0, survived: 0, unkillable: 0, refused: 0, freedRssBytes: 0 } };
}
