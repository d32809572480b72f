// The benchmark's own logic: its options, the environment its candidates run in, and the figures
// it derives from the timings.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSessionRecord } from '../src/snapshot/session-record.js';
import { findTranscript, readTranscript } from '../src/snapshot/transcript.js';
// @ts-expect-error: plain JavaScript, without types
import { writeClaudeFiles } from '../bench/lib/claude-files.mjs';
// @ts-expect-error: plain JavaScript, without types
import { benchEnv, candidates } from '../bench/lib/candidates.mjs';
// @ts-expect-error: plain JavaScript, without types
import { UsageError, parseOptions } from '../bench/lib/options.mjs';
// @ts-expect-error: plain JavaScript, without types
import { summarize } from '../bench/lib/report.mjs';

const saved = process.env.NODE_EXTRA_CA_CERTS;
afterEach(() => {
  if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = saved;
});

describe('bench environment', () => {
  it('removes NODE_EXTRA_CA_CERTS from the candidates, and times node -e 0 with it', () => {
    process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
    const { env, removed } = benchEnv(false);
    expect(removed).toBe('/etc/ssl/certs/ca-certificates.crt');
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(env.PATH).toBe(process.env.PATH);
    const list = candidates({ cli: 'node bin/claude-reaper.js scan --json --sample 0', benchDir: 'bench' }) as { id: string; env: NodeJS.ProcessEnv }[];
    for (const c of list.filter((c) => c.id !== 'node-extra-ca')) expect(c.env.NODE_EXTRA_CA_CERTS, c.id).toBeUndefined();
    expect(list.find((c) => c.id === 'node-extra-ca')?.env.NODE_EXTRA_CA_CERTS).toBe('/etc/ssl/certs/ca-certificates.crt');
  });

  it('keeps it with --keep-env, and adds no extra row where it is not set', () => {
    process.env.NODE_EXTRA_CA_CERTS = '/x.pem';
    expect(parseOptions(['--keep-env']).keepEnv).toBe(true);
    expect(parseOptions([]).keepEnv).toBe(false);
    expect(benchEnv(true)).toEqual({ env: process.env, removed: null });
    const kept = candidates({ cli: 'node x.js', benchDir: 'bench', environment: benchEnv(true) }) as { id: string; env: NodeJS.ProcessEnv }[];
    expect(kept.map((c) => c.id)).not.toContain('node-extra-ca');
    expect(kept.every((c) => c.env.NODE_EXTRA_CA_CERTS === '/x.pem')).toBe(true);
    delete process.env.NODE_EXTRA_CA_CERTS;
    expect((candidates({ cli: 'node x.js', benchDir: 'bench' }) as { id: string }[]).map((c) => c.id)).not.toContain('node-extra-ca');
    expect(() => parseOptions(['--keep-env=yes'])).toThrow(UsageError);
    expect(() => parseOptions(['--json=1'])).toThrow(UsageError);
  });
});

describe('bench figures', () => {
  it('derives each scan above its runtime start-up, and the cost of the extra CA file', () => {
    const row = (id: string) => ({ id, label: id, command: id });
    const ids = { cli: 50, 'plain-reader': 45, node: 20, psutil: 75, python: 31, 'node-extra-ca': 54 };
    const list = Object.keys(ids).map(row);
    const measured = new Map(Object.entries(ids).map(([id, ms]) => [id, { samples: [ms], failedRuns: 0, rssKib: [40_000] }]));
    const checks = new Map(Object.keys(ids).map((id) => [id, { ok: true, bytes: 1, records: 1 }]));
    const s = summarize(list, checks, measured, 574) as { ratios: Record<string, number | null | object>; budgets: { id: string; verdict: string }[] };
    expect(s.ratios.cliAboveNodeStartMs).toBe(30);
    expect(s.ratios.psutilAbovePythonStartMs).toBe(44);
    expect(s.ratios.scanWorkOverPsutil).toBeCloseTo(30 / 44, 6);
    expect(s.ratios.extraCaCertsMs).toBe(34);
    expect(s.budgets.find((b) => b.id === 'cli-over-psutil')?.verdict).toBe('PASS');
    expect(s.budgets.find((b) => b.id === 'cli-over-plain')?.verdict).toBe('PASS'); // 50 / 45 = 1.11
  });
});

describe("the population's Claude files", () => {
  it('gives every claude a record the scan accepts and a transcript whose tail agrees with its status', () => {
    const home = mkdtempSync(join(tmpdir(), 'bench-home-'));
    try {
      const boot = 1_796_000_000_000;
      const claudes = Array.from({ length: 48 }, (_, k) => ({ pid: 900_000 + k, start: String(5_000_000 + k * 7), sdk: k % 3 === 1 }));
      const startTimeMs = (ticks: string) => boot + Number(ticks) * 10;
      const wrote = writeClaudeFiles(home, claudes, { startTimeMs }) as { records: number; transcripts: number; stale: number };
      expect(wrote).toMatchObject({ records: 48, transcripts: 48 });
      const config = join(home, '.claude');
      const seen = new Set<string>();
      for (const c of claudes) {
        const record = readSessionRecord({ pid: c.pid, startId: c.start, startTime: startTimeMs(c.start) }, config);
        expect(record, `pid ${c.pid}`).not.toBeNull();
        expect(record!.entrypoint).toBe(c.sdk ? 'sdk-ts' : 'cli');
        const path = findTranscript(config, record!.cwd, record!.sessionId!);
        const t = readTranscript(path!);
        const state = `${record!.status ?? 'none'}: ${t?.state}`;
        seen.add(state);
        expect(['idle: turn-over', 'busy: request-outstanding', 'busy: tool-running', 'busy: responding', 'none: turn-over', 'none: request-outstanding'], `pid ${c.pid}`).toContain(state);
        // The record turned idle as the answer was written: its time is the turn's end (or, where
        // a prompt snapshot followed, a moment before it).
        if (record!.status === 'idle') expect(t!.since! - record!.statusSince!).toBeGreaterThanOrEqual(0);
        if (record!.status === 'idle') expect(t!.since! - record!.statusSince!).toBeLessThan(1000);
      }
      for (const state of ['idle: turn-over', 'busy: request-outstanding', 'busy: tool-running', 'none: turn-over']) expect(seen).toContain(state);
      // A record a SIGKILLed CLI left behind, for a pid that is free: the scan never opens it.
      const names = readdirSync(join(config, 'sessions'));
      expect(names.filter((n) => n.endsWith('.json'))).toHaveLength(48 + wrote.stale);
      expect(wrote.stale).toBeGreaterThan(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
