// Claude Code's own record of a process (`<CLAUDE_CONFIG_DIR>/sessions/<pid>.json`) is attached to
// the process it describes, and only when its procStart names that very process.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, startClaude, useProcessCleanup } from '../helpers/procs.js';
import { find, sandbox, scanJson, startEpochMs } from '../helpers/scan-cli.js';
import { writeSessionRecord, writeTranscript } from '../helpers/claude-files.js';

useProcessCleanup();
const box = sandbox();
// Claude Code keeps its config in $HOME/.claude without CLAUDE_CONFIG_DIR: these claudes' HOME is the sandbox's.
const atHome = { HOME: box.home };

describe('scan attaches the session record', () => {
  it('reads the record from the CLAUDE_CONFIG_DIR in the process environment', async () => {
    const configDir = join(box.root, 'claude-config');
    const c = await startClaude({ args: SDK_ARGS, env: { CLAUDE_CONFIG_DIR: configDir } });
    const since = Date.now() - 90_000;
    const path = writeSessionRecord(configDir, c.pid, { procStart: c.startId, status: 'idle', statusUpdatedAt: since, sessionId: 'sess-env' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toMatchObject({ path, sessionId: 'sess-env', status: 'idle', statusSince: since, entrypoint: 'sdk-ts' });
  });

  it('reads the record from ~/.claude when the environment names no config dir', async () => {
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: Number(c.startId), status: 'busy', sessionId: 'sess-home' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toMatchObject({ path, sessionId: 'sess-home', status: 'busy' });
  });

  it("takes ~ from the claude's own HOME, not the reaper's", async () => {
    const elsewhere = join(box.root, 'daemon-home');
    const c = await startClaude({ args: SDK_ARGS, env: { HOME: elsewhere } });
    // Where Claude Code would never write it: under the reaper's HOME.
    writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: c.startId, status: 'idle', sessionId: 'sess-not-here' });
    expect(find(await scanJson(box, ['--sample', '0']), c.pid).session).toBeNull();
    const path = writeSessionRecord(join(elsewhere, '.claude'), c.pid, { procStart: c.startId, status: 'idle', sessionId: 'sess-there' });
    expect(find(await scanJson(box, ['--sample', '0']), c.pid).session).toMatchObject({ path, sessionId: 'sess-there' });
  });

  it('reads nothing relative to its own working directory for a claude whose HOME is relative', async () => {
    const c = await startClaude({ args: SDK_ARGS, env: { HOME: 'rel-home' } });
    writeSessionRecord(join(box.root, 'rel-home', '.claude'), c.pid, { procStart: c.startId, status: 'idle', sessionId: 'sess-relative' });
    expect(find(await scanJson(box, ['--sample', '0'], { cwd: box.root }), c.pid).session).toBeNull();
  });

  it('ignores a record whose procStart names another process on the same pid', async () => {
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: String(Number(c.startId) - 1), status: 'idle' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });

  it("takes a legacy CLI's record, which has no procStart, when its startedAt follows the process's start", async () => {
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    const started = startEpochMs(c.pid)!;
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: null, status: null, startedAt: started + 300, sessionId: 'sess-legacy' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toMatchObject({ path, sessionId: 'sess-legacy', status: null, startedAt: started + 300 });
  });

  it("ignores a legacy record whose startedAt is long before the process began: an earlier process's, on a reused pid", async () => {
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: null, status: null, startedAt: startEpochMs(c.pid)! - 3_600_000 });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });

  it('ignores a record that does not parse', async () => {
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: c.startId });
    writeFileSync(path, '{"procStart": ');
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });
});

describe('scan attaches the transcript the record names', () => {
  it("reads it under the cwd's project directory, or under whichever project directory holds it", async () => {
    const config = join(box.home, '.claude');
    const [here, moved] = [await startClaude({ args: SDK_ARGS, env: atHome }), await startClaude({ args: SDK_ARGS, env: atHome })];
    const now = Date.now();
    const entries = [{ type: 'user', at: now - 60_000 }, { type: 'assistant', at: now - 59_000, stop: 'end_turn' }] as const;
    // Busy for an hour (past the hung threshold): its transcript's tail is read for what runs.
    writeSessionRecord(config, here.pid, { procStart: here.startId, sessionId: 'sess-here', cwd: '/work/app', status: 'busy', statusUpdatedAt: now - 3_600_000 });
    const direct = writeTranscript(config, '/work/app', 'sess-here', entries);
    // Claude shortens the directory names of very long paths: the cwd does not name it then.
    // Idle since its answer: a transcript not written since is found, and only its time is taken.
    writeSessionRecord(config, moved.pid, { procStart: moved.startId, sessionId: 'sess-moved', cwd: '/work/a-very-long-path', status: 'idle', statusUpdatedAt: now - 59_000 });
    const shortened = join(config, 'projects', '-work-a-very-lo-1f2e');
    mkdirSync(shortened, { recursive: true });
    renameSync(writeTranscript(config, '/work/a-very-long-path', 'sess-moved', entries), join(shortened, 'sess-moved.jsonl'));
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, here.pid).transcript).toMatchObject({ path: direct, state: 'turn-over', since: now - 59_000 });
    expect(find(doc, moved.pid).transcript).toMatchObject({ path: join(shortened, 'sess-moved.jsonl'), state: 'not-read', lastActivity: now - 59_000 });
    expect(find(doc, moved.pid).idle).toMatchObject({ evidence: 'session-record' });
  });

  it('takes only the time of the transcript of a claude busy for less than the hung threshold', async () => {
    const config = join(box.home, '.claude');
    const c = await startClaude({ args: SDK_ARGS, env: atHome });
    const now = Date.now();
    writeSessionRecord(config, c.pid, { procStart: c.startId, sessionId: 'sess-young', cwd: '/work/app', status: 'busy', statusUpdatedAt: now - 5_000 });
    const path = writeTranscript(config, '/work/app', 'sess-young', [{ type: 'user', at: now - 5_000 }, { type: 'api-request', at: now - 4_990 }]);
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).transcript).toEqual({ path, state: 'not-read', since: null, lastActivity: now - 4_990, unansweredRequests: 0 });
    expect(find(doc, c.pid).flags).not.toContain('hung');
  });
});
