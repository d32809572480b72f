// What a kill reports per process when the signal fails or does not take: Windows' taskkill
// answers in the user's language and says "no running instance" both for a process that was
// exiting and for one Windows keeps listed, so the outcome is decided by reading the process again.
// The sources and taskkill are stand-ins here (no Windows on this machine); the outcomes are the
// executor's own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult, RunCommand } from '../../src/platform/exec.js';
import type { Identity, ProcessSource } from '../../src/platform/source.js';
import { appendAudit, earlierAttempts } from '../../src/reap/audit.js';
import { executePlan, type EarlierAttempts, type KillResult } from '../../src/reap/execute.js';
import { PLAN_VERSION, type KillPlan, type PlanTarget } from '../../src/reap/plan.js';
import { taskkill, type SignalSender } from '../../src/reap/signal.js';
import type { ReparentModel } from '../../src/types.js';

const START = '2026-09-22T09:20:44.1207730Z';
const PID = 7312;

function target(pid = PID, startId = START): PlanTarget {
  return { pid, startId, name: 'claude.exe', argv: ['claude.exe'], kind: 'claude', user: null, rssBytes: 200 << 20, startTime: '2026-09-22T09:20:44.120Z', flags: ['orphan'], reason: 'orphan', startedBy: null, descendants: [] };
}

function plan(targets: PlanTarget[] = [target()]): KillPlan {
  return {
    planVersion: PLAN_VERSION,
    tool: { name: 'claude-reaper', version: '0' },
    createdAt: '2026-09-22T12:00:00.000Z',
    platform: 'win32',
    source: 'cim',
    selection: { reapable: false, idleMs: null, orphans: true, duplicates: false, hung: false, pids: [], olderThanMs: null, minRssBytes: null },
    signal: 'SIGTERM',
    graceMs: 30,
    targets,
    skipped: [],
    summary: { targets: targets.length, processes: targets.length, rssBytes: 0 },
  };
}

/** A source whose identify() answers from a script: one answer per call, the last one repeated. */
function source(reparent: ReparentModel, answers: (Identity | null)[]): ProcessSource & { reads: number } {
  let reads = 0;
  return {
    id: reparent === 'windows' ? 'cim' : 'procfs',
    reparent,
    get reads() {
      return reads;
    },
    list: async () => ({ records: new Map(), denied: new Map() }),
    details: async () => new Map(),
    readCpu: async () => new Map(),
    identify: async () => answers[Math.min(reads++, answers.length - 1)] ?? null,
  };
}

const listed: Identity = { startId: START, zombie: false };
const failed = (over: Partial<CommandResult>): CommandResult => ({ stdout: '', stderr: '', failed: true, timedOut: false, message: 'Command failed: taskkill /PID 7312 /F', ...over });
const ok: CommandResult = { stdout: 'SUCCESS: The process with PID 7312 has been terminated.\r\n', stderr: '', exitCode: 0, failed: false, timedOut: false, message: '' };

/** The real taskkill sender over a stand-in for the taskkill command; records what it was asked. */
function taskkillWith(...results: CommandResult[]): SignalSender & { calls: (readonly string[])[] } {
  const calls: (readonly string[])[] = [];
  const run: RunCommand = async (_file, args) => {
    calls.push(args);
    return results[Math.min(calls.length - 1, results.length - 1)]!;
  };
  return Object.assign((pid: number) => taskkill(run, pid), { calls });
}

async function onWindows(src: ProcessSource, send: SignalSender, history?: (pid: number, startId: string) => EarlierAttempts | null): Promise<KillResult> {
  return executePlan(plan(), { source: src, never: [], send, platform: 'win32', killWaitMs: 30, history });
}

// anthropics/claude-code#84454, verbatim.
const NO_INSTANCE = 'ERROR: The process with PID 7312 (child process of PID 33956) could not be terminated.\r\nReason: There is no running instance of the task.\r\n';

describe('Windows kill outcomes: read the process again after taskkill fails', () => {
  it('calls a process gone when taskkill found no running instance and it is no longer listed', async () => {
    const send = taskkillWith(failed({ exitCode: 128, stderr: NO_INSTANCE }));
    const r = await onWindows(source('windows', [listed, null]), send);
    expect(r.outcomes[0]).toMatchObject({ outcome: 'gone', signals: [] });
    expect(r.outcomes[0]!.detail).toMatch(/taskkill \/PID 7312 \/F: exit code 128: ERROR: The process with PID 7312 .* could not be terminated\. Reason: There is no running instance of the task\.; read again, it was gone/);
    expect(send.calls).toEqual([['/PID', '7312', '/F']]);
  });

  it('calls it denied when taskkill failed and it is still the same process, whatever language taskkill spoke', async () => {
    for (const stderr of ['FEHLER: Der Prozess "7312" konnte nicht beendet werden.\r\nUrsache: Zugriff verweigert\r\n', NO_INSTANCE]) {
      const r = await onWindows(source('windows', [listed]), taskkillWith(failed({ exitCode: 128, stderr })));
      expect(r.outcomes[0]!.outcome).toBe('denied');
      expect(r.outcomes[0]!.detail).toMatch(/still running$/);
      expect(r.summary.denied).toBe(1);
    }
  });

  it('calls a pid that now names another process gone, not denied', async () => {
    const r = await onWindows(source('windows', [listed, { startId: '2026-09-22T11:00:00.0000000Z', zombie: false }]), taskkillWith(failed({ exitCode: 128, stderr: NO_INSTANCE })));
    expect(r.outcomes[0]!.outcome).toBe('gone');
  });

  it('calls it survived, not denied, when taskkill itself timed out', async () => {
    const r = await onWindows(source('windows', [listed]), taskkillWith(failed({ timedOut: true, signal: 'SIGTERM' })));
    expect(r.outcomes[0]).toMatchObject({ outcome: 'survived', detail: 'taskkill /PID 7312 /F: timed out' });
  });

  it('terminates a process taskkill ended', async () => {
    const r = await onWindows(source('windows', [listed, null]), taskkillWith(ok));
    expect(r.outcomes[0]).toMatchObject({ outcome: 'terminated', signals: ['SIGTERM'] });
  });
});

describe('unkillable: a process a forceful kill left running again', () => {
  const before: EarlierAttempts = { attempts: 2, since: '2026-09-20T08:00:00.000Z' };

  it('names a process still listed after taskkill /F, as on earlier runs, unkillable and points at the reboot', async () => {
    const send = taskkillWith(ok);
    const r = await onWindows(source('windows', [listed]), send, (pid, startId) => (pid === PID && startId === START ? before : null));
    expect(r.outcomes[0]!.outcome).toBe('unkillable');
    expect(r.outcomes[0]!.detail).toBe('Still listed after taskkill /F, as after 2 earlier runs since 2026-09-20T08:00:00.000Z: Windows keeps this process until a reboot (anthropics/claude-code#84454)');
    expect(r.summary).toMatchObject({ unkillable: 1, survived: 0 });
    // Both rounds were tried: taskkill, the grace period, taskkill again.
    expect(send.calls).toHaveLength(2);
  });

  it('keeps taskkill’s words and the elevated case when taskkill failed each time', async () => {
    const r = await onWindows(source('windows', [listed]), taskkillWith(failed({ exitCode: 128, stderr: NO_INSTANCE })), () => before);
    expect(r.outcomes[0]!.outcome).toBe('unkillable');
    expect(r.outcomes[0]!.detail).toMatch(/^taskkill \/PID 7312 \/F: exit code 128: .*still running\. Still listed after taskkill \/F, as after 2 earlier runs .* until a reboot .*, unless it runs elevated/);
  });

  it('calls the first time survived: one run alone does not tell', async () => {
    const r = await onWindows(source('windows', [listed]), taskkillWith(ok), () => null);
    expect(r.outcomes[0]!.outcome).toBe('survived');
  });

  it('calls a POSIX process that outlives SIGKILL again unkillable, and one it may not signal still denied', async () => {
    const surviving: SignalSender = async () => 'sent';
    const r = await executePlan(plan(), { source: source('posix', [listed]), never: [], send: surviving, platform: 'linux', killWaitMs: 30, history: () => before });
    expect(r.outcomes[0]).toMatchObject({ outcome: 'unkillable', signals: ['SIGTERM', 'SIGKILL'] });
    expect(r.outcomes[0]!.detail).toMatch(/^Still running after SIGKILL, as after 2 earlier runs .*stuck in the kernel/);

    const refusing: SignalSender = async () => 'denied';
    const d = await executePlan(plan(), { source: source('posix', [listed]), never: [], send: refusing, platform: 'linux', killWaitMs: 30, history: () => before });
    expect(d.outcomes[0]!.outcome).toBe('denied');
  });

  it('refuses a platform of its own without a sender of its own', async () => {
    await expect(executePlan(plan(), { source: source('windows', [listed]), never: [], platform: 'win32' })).rejects.toThrow(RangeError);
  });
});

describe('the audit log as memory of processes that resisted', () => {
  it('counts the earlier survived, denied and unkillable outcomes of the same pid and start time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-audit-'));
    const runs: KillResult[] = [];
    for (const [i, outcome] of (['survived', 'denied', 'killed'] as const).entries()) {
      const r = await onWindows(source('windows', [listed]), taskkillWith(ok));
      r.finishedAt = `2026-09-2${i}T08:00:00.000Z`;
      r.outcomes[0]!.outcome = outcome;
      runs.push(r);
      appendAudit(dir, r);
    }
    const history = earlierAttempts(dir);
    expect(history(PID, START)).toEqual({ attempts: 2, since: '2026-09-20T08:00:00.000Z' });
    expect(history(PID, '2026-09-22T11:00:00.0000000Z')).toBeNull();
    expect(history(9999, START)).toBeNull();
  });

  it('gives no history when there is no log', () => {
    expect(earlierAttempts(join(tmpdir(), 'claude-reaper-no-such-dir'))(PID, START)).toBeNull();
  });
});
