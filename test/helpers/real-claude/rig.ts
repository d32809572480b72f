// The per-file entry point: the installed binaries (from global setup) and one mock API.
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type { RealClaude } from './install.mjs';
import { type MockApi, startMockServer } from './mock-server.js';
import { REQUIRE_ENV } from './setup.js';

export interface Rig {
  /** The installed binaries. Only read inside a test (the test is skipped when they are missing). */
  readonly claude: RealClaude;
  /** This file's mock API (started before the first test, closed after the last). */
  readonly api: MockApi;
  /**
   * Accepts up to `atMost` refused proxy requests to `host` (e.g. `api.anthropic.com:443`) that a
   * test causes on purpose and knows the reason for; any other still fails the file.
   */
  allowEscapes(host: string, atMost: number, why: string): void;
}

/** Why the rig cannot run here, or null when it can. Usable at collection time (describe.skipIf). */
export function realClaudeMissing(): string | null {
  const setup = inject('realClaude');
  return 'error' in setup ? setup.error : null;
}

/**
 * Call once at the top of a test file. Each test is skipped with the reason when the rig is not
 * installed (unless REAPER_REQUIRE_REAL_CLAUDE=1, when it fails instead). After the last test the
 * file fails if anything tried to reach a host other than the mock. Call useProcessCleanup() as
 * well: this only manages the binaries and the mock.
 */
export function useRealClaude(): Rig {
  let api: MockApi | undefined;
  const allowed = new Map<string, number>();
  const missing = realClaudeMissing();
  beforeAll(async () => {
    if (missing && process.env[REQUIRE_ENV] === '1') throw new Error(missing);
    if (!missing) api = await startMockServer();
  });
  beforeEach((ctx) => {
    if (missing) ctx.skip(missing);
  });
  afterAll(async () => {
    await api?.close();
    // Nothing may leave 127.0.0.1: a request meant for another host reached the mock as a proxy
    // request (and was refused). Checked over the whole file, late requests included.
    const left = new Map(allowed);
    const escapes = (api?.escapes() ?? []).filter((r) => {
      const n = left.get(r.path) ?? 0;
      if (n > 0) left.set(r.path, n - 1);
      return n === 0;
    });
    if (escapes.length > 0) throw new Error(`real Claude Code tried to reach other hosts: ${escapes.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  });
  return {
    get claude(): RealClaude {
      const setup = inject('realClaude');
      if ('error' in setup) throw new Error(setup.error);
      return setup;
    },
    allowEscapes(host, atMost) {
      allowed.set(host, (allowed.get(host) ?? 0) + atMost);
    },
    get api(): MockApi {
      if (!api) throw new Error('the mock API runs only inside tests of a file that called useRealClaude()');
      return api;
    },
  };
}
