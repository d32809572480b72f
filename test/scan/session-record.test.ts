// Claude Code's own record of a process (`<CLAUDE_CONFIG_DIR>/sessions/<pid>.json`) is attached to
// the process it describes, and only when its procStart names that very process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, startClaude, useProcessCleanup } from '../helpers/procs.js';
import { find, sandbox, scanJson, startEpochMs } from '../helpers/scan-cli.js';
import { writeSessionRecord } from '../helpers/claude-files.js';

useProcessCleanup();
const box = sandbox();

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
    const c = await startClaude({ args: SDK_ARGS });
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: Number(c.startId), status: 'busy', sessionId: 'sess-home' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toMatchObject({ path, sessionId: 'sess-home', status: 'busy' });
  });

  it('ignores a record whose procStart names another process on the same pid', async () => {
    const c = await startClaude({ args: SDK_ARGS });
    writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: String(Number(c.startId) - 1), status: 'idle' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });

  it("takes a legacy CLI's record, which has no procStart, when its startedAt follows the process's start", async () => {
    const c = await startClaude({ args: SDK_ARGS });
    const started = startEpochMs(c.pid)!;
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: null, status: null, startedAt: started + 300, sessionId: 'sess-legacy' });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toMatchObject({ path, sessionId: 'sess-legacy', status: null, startedAt: started + 300 });
  });

  it("ignores a legacy record whose startedAt is long before the process began: an earlier process's, on a reused pid", async () => {
    const c = await startClaude({ args: SDK_ARGS });
    writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: null, status: null, startedAt: startEpochMs(c.pid)! - 3_600_000 });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });

  it('ignores a record that does not parse', async () => {
    const c = await startClaude({ args: SDK_ARGS });
    const path = writeSessionRecord(join(box.home, '.claude'), c.pid, { procStart: c.startId });
    writeFileSync(path, '{"procStart": ');
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, c.pid).session).toBeNull();
  });
});
