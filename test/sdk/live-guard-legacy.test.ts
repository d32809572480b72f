// The guard with the legacy Agent SDK 0.2.111, whose claude is node running cli.js (it calls
// spawnClaudeCodeProcess too: the option exists from 0.1.65). Its record has no status, so
// idleness comes from the transcript alone.
//
// Each test has a mock API of its own: the legacy CLI, ended gently (stdin closed, or SIGTERM),
// flushes its metrics on the way out and asks https://api.anthropic.com/api/claude_code/
// organizations/metrics_enabled first (whatever CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC says), a
// request the mock refuses as a proxy CONNECT. The rig fails a file for any such request to its
// shared mock; here each test checks that this CONNECT is the only one.
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killHard, useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { workRoot } from '../helpers/fixtures.js';
import { type GuardedDaemon, type GuardedEvent, startGuardedDaemon } from '../helpers/guarded-daemon.js';
import { isAlive, isSameProcess, procStat } from '../helpers/proc-read.js';
import { type MockApi, startMockApi, useRealClaude } from '../helpers/real-claude/index.js';

const TIMEOUT = { timeout: 120_000 };
const GONE_MS = 10_000;
const METRICS_CHECK = 'CONNECT api.anthropic.com:443';

useProcessCleanup();
const rig = useRealClaude();

const stateDir = () => mkdtempSync(join(workRoot(), 'state-'));
const gone = (c: { pid: number; startId: string }) => !isSameProcess(c.pid, c.startId) || !isAlive(c.pid);

async function held(api: MockApi, d: GuardedDaemon, session: number): Promise<void> {
  const init = await d.waitForEvent((e) => e.event === 'init' && e.session === session, `the init message of session ${session}`);
  await api.waitForRequest((r) => r.sessionId === init.sessionId && r.answer === 'hang', { timeoutMs: 60_000, what: `the held request of session ${session}` });
}

function onlyMetricsChecks(api: MockApi): void {
  expect(api.escapes().map((r) => `${r.method} ${r.path}`).filter((r) => r !== METRICS_CHECK)).toEqual([]);
}

describe('a daemon on the legacy Agent SDK 0.2', () => {
  it('ends the child of a never-ending prompt when the loop breaks, before the loop is over', TIMEOUT, async () => {
    const api = await startMockApi();
    const d = await startGuardedDaemon(rig, { sdk: 'legacy', apiUrl: api.url, guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'break' }] });
    const c = await d.childOf(0);
    expect(procStat(c.pid)?.ppid).toBe(d.pid);
    const ended = await d.waitForEvent((e) => e.event === 'loop-ended', 'the loop to end');
    expect(ended).toMatchObject({ how: 'break', alive: false });
    expect(gone(c)).toBe(true);
    onlyMetricsChecks(api);
  });

  it('leaves no child when the daemon takes SIGTERM with no handler of its own, and dies of SIGTERM', TIMEOUT, async () => {
    const api = await startMockApi();
    const d = await startGuardedDaemon(rig, { sdk: 'legacy', apiUrl: api.url, guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }, { kind: 'hang' }] });
    const children = [await d.childOf(0), await d.childOf(1)];
    await d.waitForEvent((e) => e.event === 'result' && e.session === 0, 'the first turn');
    await held(api, d, 1);
    process.kill(d.pid, 'SIGTERM');
    expect(await d.exited()).toEqual({ code: null, signal: 'SIGTERM' });
    for (const c of children) expect(gone(c)).toBe(true);
    onlyMetricsChecks(api);
  });

  it("ends a child the transcript shows idle past idleAfter (its record has no status), and leaves the one waiting for its answer", TIMEOUT, async () => {
    const api = await startMockApi();
    const d = await startGuardedDaemon(rig, { sdk: 'legacy', apiUrl: api.url, guard: { name: 'w', stateDir: stateDir(), idleAfter: '3s' }, sessions: [{ kind: 'leak' }, { kind: 'hang' }] });
    const [leak, hang] = [await d.childOf(0), await d.childOf(1)];
    const ending = await d.waitForEvent((e) => e.event === 'guard-event' && e.type === 'ending' && e.pid === leak.pid, 'the idle child to be ended', 60_000);
    const seenAt = Date.now();
    const activity = ending.activity as { state: string; since: number; evidence: string };
    expect(ending.reason).toBe('idle');
    expect(activity).toMatchObject({ state: 'idle', evidence: 'transcript' });
    expect(seenAt - activity.since).toBeGreaterThanOrEqual(3000);
    await d.waitForEvent((e) => e.event === 'loop-ended' && e.session === 0, 'the idle child’s loop to end');
    expect(gone(leak)).toBe(true);
    expect(gone(hang)).toBe(false);
    expect(d.events.some((e) => e.event === 'guard-event' && e.type === 'ending' && e.pid === hang.pid)).toBe(false);
    onlyMetricsChecks(api);
  });

  it('reaps at the next start what a SIGKILLed run left waiting for its answer', TIMEOUT, async () => {
    const api = await startMockApi();
    const dir = stateDir();
    const first = await startGuardedDaemon(rig, { sdk: 'legacy', apiUrl: api.url, guard: { name: 'w', stateDir: dir }, sessions: [{ kind: 'hang' }] });
    const busy = await first.childOf(0);
    await held(api, first, 0);
    await waitFor(() => first.events.some((e) => e.event === 'guard-event' && e.type === 'spawned'), { what: 'the child in the registry' });
    await killHard(first.pid);
    await waitFor(() => procStat(busy.pid)?.ppid === 1, { what: 'the child to be reparented to init' });
    const next = await startGuardedDaemon(rig, { sdk: 'legacy', apiUrl: api.url, guard: { name: 'w', stateDir: dir }, sessions: [] });
    const reaped = next.events.find((e) => e.event === 'guard')!.reaped as GuardedEvent[];
    expect(reaped).toEqual([expect.objectContaining({ pid: busy.pid, startId: busy.startId, outcome: 'terminated' })]);
    await waitFor(() => gone(busy), { timeoutMs: GONE_MS, what: 'the reaped child to go' });
    expect(() => statSync(join(dir, 'sdk-guards', 'w', `${first.pid}.json`))).toThrow(/ENOENT/);
    onlyMetricsChecks(api);
  });
});
