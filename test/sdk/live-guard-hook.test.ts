// The guard's own machinery on real processes, in this process: children started through its
// spawn hook are the compiled fake claude (test/fixtures/bin/fake-claude.c), which can do what a
// real claude does only rarely or never on demand (ignore SIGTERM, keep an MCP-like child), and
// queries are stand-ins that yield what they are told. The exit hooks stay off here: they belong
// to a daemon (live-guard.test.ts), not to the test worker.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClaudeGuard, type GuardEvent, type GuardOptions, guardClaude } from '../../src/sdk/index.js';
import { SCRIPTS_DIR, baseEnv, buildFakeClaude, capture, readyPath, waitReady, workRoot } from '../helpers/fixtures.js';
import { SDK_ARGS, isAlive, isSameProcess, readStartId, track, useProcessCleanup, waitFor } from '../helpers/procs.js';

useProcessCleanup();

const stateDir = () => mkdtempSync(join(workRoot(), 'state-'));

/** A process that has nothing to do with any guard. */
function startSleeper(): { pid: number; startId: string } {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  return { pid: child.pid!, startId: track(child.pid!, child) };
}

const started: Promise<ClaudeGuard>[] = [];
// A test that fails half way still shuts its guard down (a name is one guard per process).
afterEach(async () => {
  for (const g of started.splice(0)) await g.then((guard) => guard.shutdown(), () => {});
});

function quietGuard(over: Partial<GuardOptions> & { stateDir: string }) {
  const events: GuardEvent[] = [];
  const guard = guardClaude({ name: 'hook', exitHooks: false, grace: '300ms', ...over, onEvent: (e) => events.push(e) });
  started.push(guard);
  return { events, guard };
}

/** A query stand-in: yields `messages`, then waits until close(); records that close() came. */
function standInQuery(messages: unknown[]) {
  let release: () => void = () => {};
  const closed = new Promise<void>((r) => (release = r));
  const q = {
    closeCalls: 0,
    close() {
      q.closeCalls++;
      release();
    },
    async *[Symbol.asyncIterator]() {
      yield* messages;
      await closed;
    },
  };
  return q;
}

/** Starts the fake claude through the guard's hook, as the SDK would, with its environment. */
function spawnFake(hook: (r: { command: string; args: string[]; env: Record<string, string | undefined> }) => { pid?: number }, env: Record<string, string>) {
  const ready = readyPath('fake');
  const child = hook({ command: buildFakeClaude(), args: SDK_ARGS, env: { PATH: process.env.PATH, ...env, FAKE_READY: ready } });
  track(child.pid!);
  return { pid: child.pid!, ready };
}

describe('ending a tracked child', () => {
  it('closes the query first, then SIGTERM, then SIGKILL for a child that ignores both, with its own child', { timeout: 30_000 }, async () => {
    const { guard: pending, events } = quietGuard({ stateDir: stateDir() });
    const guard = await pending;
    const opts = guard.options();
    const fake = spawnFake(opts.spawnClaudeCodeProcess, { FAKE_MODE: 'sleep', FAKE_IGNORE_TERM: '1', FAKE_CHILD: 'exec sleep 1000' });
    const { children } = await waitReady(fake.ready);
    const helper = children[0]!;
    const helperStart = readStartId(helper)!;
    const q = standInQuery([{ type: 'system', session_id: 'sid-1' }]);
    for await (const m of guard.track(q)) {
      expect(m).toEqual({ type: 'system', session_id: 'sid-1' });
      break;
    }
    // The loop is over only once the child is: nothing left to wait for.
    expect(q.closeCalls).toBe(1);
    expect(isAlive(fake.pid)).toBe(false);
    expect(isSameProcess(helper, helperStart) && isAlive(helper)).toBe(false);
    expect(events.filter((e) => e.type === 'ended')).toEqual([{ type: 'ended', pid: fake.pid, reason: 'query-ended', outcome: 'killed', signals: ['SIGTERM', 'SIGKILL'], detail: null }]);
    await guard.shutdown();
  });

  it('closes the stdin of a child no query tracks, at shutdown, and removes the registry', { timeout: 30_000 }, async () => {
    const dir = stateDir();
    const { guard: pending, events } = quietGuard({ stateDir: dir });
    const guard = await pending;
    const fake = spawnFake(guard.options().spawnClaudeCodeProcess, { FAKE_MODE: 'idle' });
    await waitReady(fake.ready);
    await waitFor(() => events.some((e) => e.type === 'spawned'), { what: 'the start token' });
    expect(readdirSync(join(dir, 'sdk-guards', 'hook'))).toEqual([`${process.pid}.json`]);
    expect(guard.children()).toEqual([expect.objectContaining({ pid: fake.pid, tracked: false, state: 'running', activity: expect.objectContaining({ state: 'unknown' }) })]);
    await guard.shutdown();
    expect(events.filter((e) => e.type === 'ended')).toEqual([expect.objectContaining({ pid: fake.pid, reason: 'shutdown', outcome: 'exited', signals: [] })]);
    expect(readdirSync(join(dir, 'sdk-guards', 'hook'))).toEqual([]);
    expect(() => guard.options().spawnClaudeCodeProcess({ command: buildFakeClaude(), args: [], env: {} })).toThrow(/has shut down/);
  });
});

describe('which child is the query’s', () => {
  it('refuses a bare track() when two children are not tracked yet, and pairs by the options the query was given', { timeout: 30_000 }, async () => {
    const { guard: pending } = quietGuard({ stateDir: stateDir() });
    const guard = await pending;
    const a = guard.options();
    const b = guard.options();
    const fa = spawnFake(a.spawnClaudeCodeProcess, { FAKE_MODE: 'idle' });
    const fb = spawnFake(b.spawnClaudeCodeProcess, { FAKE_MODE: 'idle' });
    await Promise.all([waitReady(fa.ready), waitReady(fb.ready)]);
    expect(() => guard.track(standInQuery([]))).toThrow(/2 claude processes started through this guard are not tracked yet/);
    const qb = standInQuery([{ type: 'system', session_id: 'b' }]);
    for await (const _ of guard.track(qb, { ...b, cwd: '/elsewhere' })) break;
    expect(isAlive(fb.pid)).toBe(false);
    expect(isAlive(fa.pid)).toBe(true);
    expect(guard.children().map((c) => c.pid)).toEqual([fa.pid]);
    await guard.shutdown();
  });

  it('refuses options that were not this guard’s, and a base that brings its own spawner', async () => {
    const { guard: pending } = quietGuard({ stateDir: stateDir() });
    const guard = await pending;
    expect(() => guard.track(standInQuery([]), { spawnClaudeCodeProcess: () => null })).toThrow(/must be what this guard's options\(\) returned/);
    expect(() => guard.options({ spawnClaudeCodeProcess: () => null })).toThrow(/already has a spawnClaudeCodeProcess/);
    expect(() => guard.track({} as never)).toThrow(/expected the query returned by query\(\)/);
    await guard.shutdown();
  });

  it('refuses a query whose first message comes with no child started through the guard, and closes it', async () => {
    const { guard: pending } = quietGuard({ stateDir: stateDir() });
    const guard = await pending;
    const given = guard.options(); // ignored, as SDKs before 0.1.65 ignore it: the SDK starts claude itself
    const q = standInQuery([{ type: 'system', session_id: 'x' }]);
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const m of guard.track(q)) seen.push(m);
    }).rejects.toMatchObject({ name: 'GuardError', code: 'not-spawned-through-guard', message: expect.stringContaining('0.1.65') });
    expect(seen).toEqual([]);
    expect(q.closeCalls).toBe(1);
    // Those SDKs have no close(); aborting the query's controller is what ends their claude.
    expect(given.abortController.signal.aborted).toBe(true);
    await guard.shutdown();
  });

  it('gives each query an abort controller, or keeps the one the base brings', async () => {
    const { guard: pending } = quietGuard({ stateDir: stateDir() });
    const guard = await pending;
    const mine = new AbortController();
    expect(guard.options({ abortController: mine, model: 'm' })).toMatchObject({ abortController: mine, model: 'm', spawnClaudeCodeProcess: expect.any(Function) });
    const a = guard.options();
    const b = guard.options();
    expect(a.abortController).toBeInstanceOf(AbortController);
    expect(a.abortController).not.toBe(b.abortController);
    await guard.shutdown();
  });

  it('refuses a second guard of the same name in one process', async () => {
    const dir = stateDir();
    const first = await quietGuard({ stateDir: dir }).guard;
    await expect(quietGuard({ stateDir: dir }).guard).rejects.toThrow(/a guard named 'hook' is already active in this process/);
    await first.shutdown();
    const again = await quietGuard({ stateDir: dir }).guard;
    await again.shutdown();
  });
});

describe('what an earlier run left', () => {
  /** A registry file as a run of `owner` would have written it. */
  function writeRun(dir: string, owner: { pid: number; startId: string }, children: { pid: number; startId: string }[]): string {
    const folder = join(dir, 'sdk-guards', 'hook');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, `${owner.pid}.json`);
    writeFileSync(path, JSON.stringify({ registryVersion: 1, guard: 'hook', owner, children: children.map((c) => ({ ...c, spawnedAt: Date.now() })) }), { mode: 0o600 });
    return path;
  }
  /** A pid that names no process now and names no process for a while: one we just saw exit. */
  async function deadOwner(): Promise<{ pid: number; startId: string }> {
    const s = startSleeper();
    const startId = s.startId;
    process.kill(s.pid, 'SIGKILL');
    await waitFor(() => !isSameProcess(s.pid, startId) || !isAlive(s.pid), { what: 'the owner to die' });
    return { pid: s.pid, startId };
  }

  it('reaps a dead run’s child that still runs, by pid and start token, and removes that run’s registry', { timeout: 30_000 }, async () => {
    const dir = stateDir();
    const leftover = startSleeper();
    const path = writeRun(dir, await deadOwner(), [leftover]);
    const guard = await quietGuard({ stateDir: dir }).guard;
    expect(guard.reaped).toEqual([expect.objectContaining({ pid: leftover.pid, startId: leftover.startId, outcome: 'terminated', signals: ['SIGTERM'] })]);
    expect(isAlive(leftover.pid)).toBe(false);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    await guard.shutdown();
  });

  it('never signals a pid the registry names under another start token, and forgets it', { timeout: 30_000 }, async () => {
    const dir = stateDir();
    const bystander = startSleeper();
    const path = writeRun(dir, await deadOwner(), [{ pid: bystander.pid, startId: String(Number(bystander.startId) - 1) }]);
    const guard = await quietGuard({ stateDir: dir }).guard;
    expect(guard.reaped).toEqual([]);
    expect(isSameProcess(bystander.pid, bystander.startId) && isAlive(bystander.pid)).toBe(true);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    await guard.shutdown();
  });

  it('leaves a live run’s children alone (a second copy of the daemon), registry and all', { timeout: 30_000 }, async () => {
    const dir = stateDir();
    const liveOwner = startSleeper();
    const itsChild = startSleeper();
    const path = writeRun(dir, liveOwner, [itsChild]);
    const before = readFileSync(path, 'utf8');
    const guard = await quietGuard({ stateDir: dir }).guard;
    expect(guard.reaped).toEqual([]);
    expect(isAlive(itsChild.pid)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(before);
    await guard.shutdown();
  });

  it('skips a registry file that is not one (garbage, another guard’s, a name that is not its owner)', { timeout: 30_000 }, async () => {
    const dir = stateDir();
    const bystander = startSleeper();
    const folder = join(dir, 'sdk-guards', 'hook');
    mkdirSync(folder, { recursive: true });
    const owner = await deadOwner();
    writeFileSync(join(folder, '123.json'), '{not json');
    writeFileSync(join(folder, '124.json'), JSON.stringify({ registryVersion: 1, guard: 'other', owner, children: [{ ...bystander, spawnedAt: 1 }] }));
    writeFileSync(join(folder, '125.json'), JSON.stringify({ registryVersion: 1, guard: 'hook', owner, children: [{ ...bystander, spawnedAt: 1 }] }));
    const guard = await quietGuard({ stateDir: dir }).guard;
    expect(guard.reaped).toEqual([]);
    expect(isAlive(bystander.pid)).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['123.json', '124.json', '125.json']);
    await guard.shutdown();
  });
});

describe('a daemon that takes a signal with no handler of its own', () => {
  /** The stub daemon (test/fixtures/scripts/guarded-stub.mjs) with a fake claude that ignores SIGTERM and its stdin closing. */
  async function startStub(grace: string) {
    const ready = readyPath('stub');
    const spec = join(workRoot(), `stub-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    const env = { PATH: process.env.PATH, FAKE_MODE: 'sleep', FAKE_IGNORE_TERM: '1', FAKE_READY: ready };
    writeFileSync(spec, JSON.stringify({ guard: { name: 'stub', grace, stateDir: stateDir() }, command: buildFakeClaude(), args: SDK_ARGS, env }));
    const daemon = spawn(process.execPath, [join(SCRIPTS_DIR, 'guarded-stub.mjs'), spec], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv() });
    track(daemon.pid!, daemon);
    const stderr = capture(daemon.stderr);
    const events: { event: string; type?: string; reason?: string; pid?: number }[] = [];
    daemon.stdout!.setEncoding('utf8').on('data', (d: string) => {
      for (const line of d.split('\n')) if (line.startsWith('{')) events.push(JSON.parse(line) as (typeof events)[number]);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => daemon.once('exit', (code, signal) => r({ code, signal })));
    const { pid } = await waitReady(ready, { process: daemon, output: stderr });
    const fake = { pid, startId: track(pid) };
    await waitFor(() => events.some((e) => e.type === 'spawned'), { what: 'the guard to record its child' });
    return { daemon, fake, events, exited };
  }

  it('escalates to SIGKILL for a child that ignores SIGTERM, then dies of the signal', { timeout: 30_000 }, async () => {
    const s = await startStub('300ms');
    process.kill(s.daemon.pid!, 'SIGTERM');
    expect(await s.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(s.events.filter((e) => e.type === 'ended')).toEqual([expect.objectContaining({ pid: s.fake.pid, reason: 'signal', outcome: 'killed', signals: ['SIGTERM', 'SIGKILL'] })]);
    await waitFor(() => !isSameProcess(s.fake.pid, s.fake.startId) || !isAlive(s.fake.pid), { what: 'the child to go' });
  });

  it('ends the children at once on a second signal during the grace, and dies of it', { timeout: 30_000 }, async () => {
    // A grace far longer than the test: only the second signal can end the child this soon.
    const s = await startStub('10m');
    process.kill(s.daemon.pid!, 'SIGTERM');
    await waitFor(() => s.events.some((e) => e.type === 'ending' && e.reason === 'signal'), { what: 'the guard to begin ending its child' });
    process.kill(s.daemon.pid!, 'SIGTERM');
    expect(await s.exited).toEqual({ code: null, signal: 'SIGTERM' });
    await waitFor(() => !isSameProcess(s.fake.pid, s.fake.startId) || !isAlive(s.fake.pid), { what: 'the child to go' });
  });
});
