// The rig's installer, without the network: a cache that verifies is reused as is, a failed install
// is an answer (never a throw), and the lock waits for a live owner and takes over a dead one's.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { track, useProcessCleanup } from '../helpers/cleanup.js';
import { readStartId } from '../helpers/proc-read.js';
import { REAL_CLAUDE_PACKAGES, cacheKey, cacheRoot, ensureRealClaude } from '../helpers/real-claude/install.mjs';
import { setUpRealClaude } from '../helpers/real-claude/setup.js';

useProcessCleanup();

const PATHS = {
  sdkNativeModule: 'sdk-native/node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs',
  nativeBinary: 'sdk-native/node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude',
  sdkLegacyModule: 'sdk-legacy/node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs',
  legacyCli: 'sdk-legacy/node_modules/@anthropic-ai/claude-agent-sdk/cli.js',
  claudeCodeBinary: 'claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe',
};
const BINARY_BYTES = 64 * 1024 * 1024; // sparse: costs no disk

let root: string;
let savedPath: string | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rig-install-'));
  // An npm that fails at once, as with no network: nothing here may download.
  const bin = join(root, 'fake-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), '#!/bin/sh\necho "npm ERR! network unreachable" >&2\nexit 1\n');
  chmodSync(join(bin, 'npm'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}:${savedPath ?? ''}`;
});

afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(root, { recursive: true, force: true });
});

/** A cache directory laid out as an install leaves it. */
function fakeCache(sizes: Partial<Record<keyof typeof PATHS, number>> = {}): string {
  const dir = join(root, 'cache', cacheKey());
  for (const [k, rel] of Object.entries(PATHS)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
    truncateSync(path, sizes[k as keyof typeof PATHS] ?? (k.endsWith('Binary') ? BINARY_BYTES : 10));
  }
  const versions = { sdkNative: '0.3.334', sdkLegacy: '0.2.111', claudeCode: '2.1.332' };
  writeFileSync(join(dir, 'rig.json'), JSON.stringify({ layout: 1, versions, paths: PATHS, installMs: 1234, diskBytes: 5678, installedAt: 'then' }));
  return dir;
}

describe('the real Claude Code installer', () => {
  it('pins each package to an exact version and keys the cache on them', () => {
    for (const p of Object.values(REAL_CLAUDE_PACKAGES)) expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cacheKey()).toMatch(/^[0-9a-f]{16}$/);
    expect(cacheRoot({ REAPER_REAL_CLAUDE_CACHE: '/x/y' })).toBe('/x/y');
    expect(cacheRoot({ XDG_CACHE_HOME: '/c' })).toBe('/c/claude-reaper-test');
  });

  it('reuses a cache whose manifest and binaries verify, without running npm', async () => {
    const dir = fakeCache();
    const rig = await ensureRealClaude({ root: join(root, 'cache') });
    expect(rig).toMatchObject({ dir, fresh: false, installMs: 1234, nativeBinary: join(dir, PATHS.nativeBinary), claudeCodeBinary: join(dir, PATHS.claudeCodeBinary) });
  });

  it("installs again over a cache whose binary is npm's small placeholder, and reports npm's failure as the reason", async () => {
    fakeCache({ claudeCodeBinary: 500 });
    const rig = await ensureRealClaude({ root: join(root, 'cache') });
    expect(rig).toEqual({ error: expect.stringMatching(/could not be installed .*npm ERR! network unreachable/s) });
    // Nothing half written is left, and the lock is released.
    expect(readdirSync(join(root, 'cache')).filter((n) => n.includes('.staging-') || n.endsWith('.lock'))).toEqual([]);
  });

  it('takes over a lock whose owner is gone', async () => {
    mkdirSync(join(root, 'cache', `${cacheKey()}.lock`), { recursive: true });
    writeFileSync(join(root, 'cache', `${cacheKey()}.lock`, 'owner.json'), JSON.stringify({ pid: 999_999_999, startId: '1' }));
    const rig = await ensureRealClaude({ root: join(root, 'cache'), lockWaitMs: 2_000 });
    expect(rig).toEqual({ error: expect.stringContaining('npm ERR! network unreachable') });
    expect(existsSync(join(root, 'cache', `${cacheKey()}.lock`))).toBe(false);
  });

  it('waits for a lock whose owner is alive, and gives up after the wait with that reason', async () => {
    const owner = spawn('sleep', ['30'], { stdio: 'ignore' });
    track(owner.pid!, owner);
    const lockDir = join(root, 'cache', `${cacheKey()}.lock`);
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'owner.json'), JSON.stringify({ pid: owner.pid, startId: readStartId(owner.pid!) }));
    const rig = await ensureRealClaude({ root: join(root, 'cache'), lockWaitMs: 300 });
    expect(rig).toEqual({ error: expect.stringContaining('timed out waiting') });
    expect(existsSync(lockDir)).toBe(true); // still the owner's
  });

  it('skips with a reason when switched off, and fails instead when the rig is required', async () => {
    expect(await setUpRealClaude({ REAPER_REAL_CLAUDE: 'off' })).toEqual({ error: expect.stringContaining('REAPER_REAL_CLAUDE=off') });
    await expect(setUpRealClaude({ REAPER_REAL_CLAUDE: 'off', REAPER_REQUIRE_REAL_CLAUDE: '1' })).rejects.toThrow(/REAPER_REQUIRE_REAL_CLAUDE=1/);
  });
});
