import { describe, expect, it } from 'vitest';
import type { KillResult } from '../../src/reap/execute.js';
import { renderResult } from '../../src/render/kill.js';
import { resultLine } from '../../src/render/result-line.js';

const result = {
  resultVersion: 1,
  tool: { name: 'claude-reaper', version: '0' },
  plan: {} as KillResult['plan'],
  startedAt: '2026-09-22T12:00:00.000Z',
  finishedAt: '2026-09-22T12:00:05.000Z',
  outcomes: [
    { pid: 7312, startId: 's', name: 'claude.exe', target: 7312, outcome: 'unkillable', signals: ['SIGTERM', 'SIGKILL'], rssBytes: 1, detail: 'Still listed after taskkill /F, as after 1 earlier run since 2026-09-21T08:00:00.000Z: Windows keeps this process until a reboot (anthropics/claude-code#84454)' },
    { pid: 9120, startId: 't', name: 'claude.exe', target: 9120, outcome: 'terminated', signals: ['SIGTERM'], rssBytes: 1024, detail: null },
  ],
  summary: { terminated: 1, killed: 0, gone: 0, 'pid-reused': 0, denied: 0, survived: 0, unkillable: 1, refused: 0, freedRssBytes: 1024 },
} satisfies KillResult;

describe('the kill result as text', () => {
  it('shows an unkillable process with why, and counts it in the summary line', () => {
    const text = renderResult(result, { color: false, width: 400 });
    expect(text).toContain('   7312  unkillable  UNKILLABLE: more attempts will not end it (Still listed after taskkill /F, as after 1 earlier run since 2026-09-21T08:00:00.000Z: Windows keeps this process until a reboot (anthropics/claude-code#84454))  claude.exe');
    expect(resultLine(result)).toBe('reaped 1 process, freed 1 KB (1 unkillable).');
  });
});
