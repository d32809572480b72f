// The guard on the real thing: a daemon on Agent SDK 0.3 and its native claude, against the loopback
// mock API, importing the guard from the built package. Each test ends what it started (cleanup).
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killHard, useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { workRoot } from '../helpers/fixtures.js';
import { type GuardedDaemon, type GuardedEvent, startGuardedDaemon } from '../helpers/guarded-daemon.js';
import { isAlive, isSameProcess, procStat } from '../helpers/proc-read.js';
import { pidsWithConfigDir, readRecord, startSdkDaemon, useRealClaude } from '../helpers/real-claude/index.js';

const TIMEOUT = { timeout: 120_000 };
/** How long a child may take to go after a daemon's exit signalled it: claude exits ~60 ms after SIGTERM. */
const GONE_MS = 10_000;

useProcessCleanup();
const rig = useRealClaude();

const stateDir = () => mkdtempSync(join(workRoot(), 'state-'));
/** No longer running as that process: exited (a zombie waiting for init to reap it counts) or its pid reused. */
const gone = (c: { pid: number; startId: string }) => !isSameProcess(c.pid, c.startId) || !isAlive(c.pid);
const waitGone = (c: { pid: number; startId: string }, what: string) => waitFor(() => gone(c), { timeoutMs: GONE_MS, what });
const guardEvents = (d: GuardedDaemon, type: string) => d.events.filter((e) => e.event === 'guard-event' && e.type === type);

/** Waits until the mock API holds the request of the daemon's session i (a HANG prompt). */
async function held(d: GuardedDaemon, session: number): Promise<void> {
  const init = await d.waitForEvent((e) => e.event === 'init' && e.session === session, `the init message of session ${session}`);
  await rig.api.waitForRequest((r) => r.sessionId === init.sessionId && r.answer === 'hang', { timeoutMs: 60_000, what: `the held request of session ${session}` });
}

describe('a tracked query on Agent SDK 0.3', () => {
  it('ends the child of a never-ending prompt when the loop breaks, before the loop is over, with close() alone', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'break' }] });
    const c = await d.childOf(0);
    const ended = await d.waitForEvent((e) => e.event === 'loop-ended', 'the loop to end');
    // `alive` was read by the daemon right after its loop: the child was already gone.
    expect(ended).toMatchObject({ how: 'break', alive: false });
    expect(gone(c)).toBe(true);
    expect(guardEvents(d, 'ended')).toEqual([expect.objectContaining({ pid: c.pid, reason: 'query-ended', outcome: 'exited', signals: [] })]);
  });

  it('ends the child when the loop throws, and the error still reaches the daemon', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'throw' }] });
    const c = await d.childOf(0);
    const ended = await d.waitForEvent((e) => e.event === 'loop-ended', 'the loop to end');
    expect(ended).toMatchObject({ how: 'error', message: 'the daemon failed mid-loop', alive: false });
    expect(gone(c)).toBe(true);
  });

  it('signals a mid-request child that close() does not end within the grace: SIGTERM after the identity check', TIMEOUT, async () => {
    // A held request: claude does not exit when its stdin closes, and the SDK itself waits ~2 s.
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir(), grace: '500ms' }, sessions: [{ kind: 'hang-break' }] });
    const c = await d.childOf(0);
    const ended = await d.waitForEvent((e) => e.event === 'loop-ended', 'the loop to end');
    expect(ended).toMatchObject({ how: 'break', alive: false });
    expect(gone(c)).toBe(true);
    expect(guardEvents(d, 'ended')).toEqual([expect.objectContaining({ pid: c.pid, reason: 'query-ended', outcome: 'terminated', signals: ['SIGTERM'] })]);
  });

  it('tells the daemon which children run and what Claude says each is doing', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }, { kind: 'hang' }, { kind: 'untracked' }] });
    const [leak, hang, untracked] = [await d.childOf(0), await d.childOf(1), await d.childOf(2)];
    await waitFor(() => readRecord(d.scene, leak.pid)?.status === 'idle' && readRecord(d.scene, untracked.pid)?.status === 'idle' && readRecord(d.scene, hang.pid)?.status === 'busy', {
      timeoutMs: 60_000,
      what: 'the records to say idle, busy, idle',
    });
    // Read before the guard is asked: Claude may rewrite its idle record after (a later
    // statusUpdatedAt), and the guard's `since` can only be as new as the record it read, or newer.
    const record = readRecord(d.scene, leak.pid)!;
    process.kill(d.pid, 'SIGUSR2');
    const listed = (await d.waitForEvent((e) => e.event === 'children', 'the children')).children as Record<string, unknown>[];
    const byPid = new Map(listed.map((c) => [c.pid, c]));
    expect(byPid.size).toBe(3);
    expect(byPid.get(leak.pid)).toMatchObject({
      startId: leak.startId,
      sessionId: record.sessionId,
      tracked: true,
      state: 'running',
      ending: null,
      activity: { state: 'idle', evidence: expect.stringMatching(/^(session-record|transcript)$/), since: expect.any(Number), idleForMs: expect.any(Number) },
    });
    expect((byPid.get(leak.pid)!.activity as { since: number }).since).toBeGreaterThanOrEqual(record.statusUpdatedAt as number);
    expect(byPid.get(hang.pid)).toMatchObject({ startId: hang.startId, tracked: true, activity: { state: 'busy', evidence: 'session-record', idleForMs: null } });
    expect(byPid.get(untracked.pid)).toMatchObject({ startId: untracked.startId, tracked: false, activity: { state: 'idle' } });
  });

  it('refuses a query whose SDK started claude without the guard, and closes it', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'unguarded' }] });
    const ended = await d.waitForEvent((e) => e.event === 'loop-ended', 'the loop to end');
    expect(ended).toMatchObject({ how: 'error', message: expect.stringContaining('started claude without the guard') });
    expect(ended.message).toContain('0.1.65');
    // The SDK's own child (not the guard's) went with the query's close().
    await waitFor(() => pidsWithConfigDir(d.scene.configDir).filter((p) => p !== d.pid).length === 0, { timeoutMs: GONE_MS, what: 'the unguarded claude to go' });
    expect(d.events.some((e) => e.event === 'child')).toBe(false);
  });
});

describe('idleAfter', () => {
  it("ends a child Claude's record shows idle past it, and leaves a busy one running", TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir(), idleAfter: '3s' }, sessions: [{ kind: 'leak' }, { kind: 'hang' }] });
    const [leak, hang] = [await d.childOf(0), await d.childOf(1)];
    const ending = await d.waitForEvent((e) => e.event === 'guard-event' && e.type === 'ending' && e.pid === leak.pid, 'the idle child to be ended', 60_000);
    const seenAt = Date.now();
    const activity = ending.activity as { state: string; since: number; evidence: string };
    expect(ending.reason).toBe('idle');
    expect(activity).toMatchObject({ state: 'idle', evidence: expect.stringMatching(/^(session-record|transcript)$/) });
    expect(seenAt - activity.since).toBeGreaterThanOrEqual(3000);
    // The loop ends as if the query had finished.
    expect(await d.waitForEvent((e) => e.event === 'loop-ended' && e.session === 0, 'the idle child’s loop to end')).toMatchObject({ how: 'done', alive: false });
    expect(gone(leak)).toBe(true);
    // Busy for as long as the idle one was idle: Claude says so, so it stays.
    expect(readRecord(d.scene, hang.pid)?.status).toBe('busy');
    expect(gone(hang)).toBe(false);
    expect(d.events.some((e) => e.event === 'guard-event' && e.type === 'ending' && e.pid === hang.pid)).toBe(false);
  });
});

describe('when the daemon ends', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`a daemon with no ${signal} handler of its own leaves no child, and dies of ${signal} as node would have it`, TIMEOUT, async () => {
      const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }, { kind: 'hang' }, { kind: 'untracked' }] });
      const children = [await d.childOf(0), await d.childOf(1), await d.childOf(2)];
      await held(d, 1);
      process.kill(d.pid, signal);
      expect(await d.exited()).toEqual({ code: null, signal });
      for (const c of children) expect(gone(c)).toBe(true);
      expect(guardEvents(d, 'ended').map((e) => e.reason)).toEqual(['signal', 'signal', 'signal']);
    });
  }

  it('a daemon whose only other listener is a library that re-raises the signal when alone (execa’s clean-up) still dies of SIGTERM, with no child left', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }, { kind: 'hang' }], handlers: { execa: true } });
    const children = [await d.childOf(0), await d.childOf(1)];
    const sub = (await d.waitForEvent((e) => e.event === 'subprocess', 'the execa subprocess')) as unknown as { pid: number; startId: string };
    await held(d, 1);
    process.kill(d.pid, 'SIGTERM');
    expect(await d.exited()).toEqual({ code: null, signal: 'SIGTERM' });
    for (const c of children) expect(gone(c)).toBe(true);
    // execa's own clean-up ran too: it ended its subprocess on the way out.
    await waitGone(sub, 'execa to end its subprocess');
  });

  it('without the guard, the same daemon leaves its mid-request child running after SIGTERM (the leak)', TIMEOUT, async () => {
    const d = await startSdkDaemon(rig, { sdk: 'native', sessions: [{ kind: 'hang' }] });
    const c = d.children[0]!;
    process.kill(d.daemonPid, 'SIGTERM');
    await waitFor(() => d.child.exitCode !== null || d.child.signalCode !== null, { what: 'the daemon to die' });
    expect(d.child.signalCode).toBe('SIGTERM');
    await waitFor(() => procStat(c.pid)?.ppid !== d.daemonPid, { what: 'the child to be reparented' });
    expect(gone(c)).toBe(false);
  });

  it('a daemon whose own SIGTERM handler exits keeps its exit code, and its children are ended as it exits', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }, { kind: 'hang' }], handlers: { SIGTERM: 'exit0' } });
    const children = [await d.childOf(0), await d.childOf(1)];
    await held(d, 1);
    process.kill(d.pid, 'SIGTERM');
    expect(await d.exited()).toEqual({ code: 0, signal: null });
    for (const c of children) await waitGone(c, `child ${c.pid} to go after the daemon's exit`);
  });

  it('a daemon that handles SIGHUP itself keeps running, and so do its children', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }], handlers: { SIGHUP: 'ignore' } });
    const c = await d.childOf(0);
    await d.waitForEvent((e) => e.event === 'result', 'the first turn');
    process.kill(d.pid, 'SIGHUP');
    await d.waitForEvent((e) => e.event === 'sighup', 'the daemon’s own handler');
    process.kill(d.pid, 'SIGUSR2'); // a round trip through the daemon: anything the guard did would be in the events by now
    await d.waitForEvent((e) => e.event === 'children', 'the children');
    expect(d.child.exitCode).toBeNull();
    expect(gone(c)).toBe(false);
    expect(guardEvents(d, 'ending')).toEqual([]);
  });

  it('a daemon that calls process.exit() with its queries open leaves no child', TIMEOUT, async () => {
    const d = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: stateDir() }, sessions: [{ kind: 'leak' }], exitAfterFirstResult: 3 });
    const c = await d.childOf(0);
    expect(await d.exited()).toEqual({ code: 3, signal: null });
    await waitGone(c, 'the child to go after the daemon’s exit');
    expect(guardEvents(d, 'ending')).toEqual([expect.objectContaining({ pid: c.pid, reason: 'exit' })]);
  });
});

describe('the next start of the same guard', () => {
  it('reaps the mid-request child a SIGKILLed run left with ppid 1, forgets the rest, and touches no other guard’s or program’s claude', TIMEOUT, async () => {
    const dir = stateDir();
    const first = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: dir }, sessions: [{ kind: 'leak' }, { kind: 'hang' }] });
    const [idle, busy] = [await first.childOf(0), await first.childOf(1)];
    const other = await startGuardedDaemon(rig, { guard: { name: 'other', stateDir: dir }, sessions: [{ kind: 'hang' }] });
    const othersChild = await other.childOf(0);
    const unguarded = await startSdkDaemon(rig, { sdk: 'native', sessions: [{ kind: 'hang' }] }); // returns once its request is held
    await held(first, 1);
    await held(other, 0);
    await waitFor(() => guardEvents(first, 'spawned').length === 2, { what: 'the registry to hold both children' });

    const registryPath = join(dir, 'sdk-guards', 'w', `${first.pid}.json`);
    const registry = JSON.parse(readFileSync(registryPath, 'utf8')) as { owner: unknown; children: unknown[] };
    expect(registry).toMatchObject({ registryVersion: 1, guard: 'w', owner: { pid: first.pid, startId: first.startId } });
    expect(registry.children).toEqual(expect.arrayContaining([expect.objectContaining(idle), expect.objectContaining(busy)]));
    expect(statSync(registryPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sdk-guards', 'w')).mode & 0o777).toBe(0o700);

    await killHard(first.pid);
    await killHard(other.pid);
    // The idle child exits when its stdin closes; the one waiting for its answer lives on, orphaned.
    await waitGone(idle, 'the idle child to exit with its daemon');
    await waitFor(() => procStat(busy.pid)?.ppid === 1, { what: 'the mid-request child to be reparented to init' });
    expect(gone(busy)).toBe(false);

    const next = await startGuardedDaemon(rig, { guard: { name: 'w', stateDir: dir }, sessions: [] });
    const reaped = next.events.find((e) => e.event === 'guard')!.reaped as GuardedEvent[];
    expect(reaped).toEqual([expect.objectContaining({ pid: busy.pid, startId: busy.startId, owner: { pid: first.pid, startId: first.startId }, outcome: 'terminated', signals: ['SIGTERM'] })]);
    expect(gone(busy)).toBe(true);
    expect(() => statSync(registryPath)).toThrow(/ENOENT/);
    // Another guard's orphan, and another program's claude, are not this guard's.
    expect(gone(othersChild)).toBe(false);
    expect(gone({ pid: unguarded.children[0]!.pid, startId: unguarded.children[0]!.startId })).toBe(false);
  });
});
