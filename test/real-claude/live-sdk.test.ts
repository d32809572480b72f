// The rig's SDK scenes on the real binaries: Agent SDK 0.3 with its native claude, and the legacy
// SDK 0.2 whose claude is node running cli.js. What a reaper reads (records, transcripts, sockets,
// command lines) is checked as Claude Code really writes it.
import { describe, expect, it } from 'vitest';
import { useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { isAlive, procStat, readCmdline, readComm, readEnviron, readExe, tcpSockets } from '../helpers/proc-read.js';
import { ANSWER_TEXT, readRecord, sessionTranscript, startSdkDaemon, turnEntries, useRealClaude } from '../helpers/real-claude/index.js';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { newScene, recordPath } from '../helpers/real-claude/env.js';
import { find, reasonOf, sandbox, scanJson, sleep } from '../helpers/scan-cli.js';

const TCP_ESTABLISHED = '01';
const TIMEOUT = { timeout: 120_000 };

useProcessCleanup();
const rig = useRealClaude();

function established(pid: number): number {
  return (tcpSockets(pid) ?? []).filter((s) => s.state === TCP_ESTABLISHED).length;
}

describe('SDK 0.3 with its native claude', () => {
  it('shows a live session idle between turns with its connection open, a leaked one idle, a hung one busy, and a finished one gone', TIMEOUT, async () => {
    const d = await startSdkDaemon(rig, {
      sdk: 'native',
      sessions: [{ kind: 'live', everyMs: 60_000 }, { kind: 'leak' }, { kind: 'hang' }, { kind: 'once' }],
    });
    const [live, leak, hang, once] = d.children;
    const native = rig.claude.nativeBinary;

    for (const c of [live!, leak!, hang!]) {
      expect(readExe(c.pid)).toBe(native);
      expect(readCmdline(c.pid)?.slice(0, 6)).toEqual([native, '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json']);
      expect(procStat(c.pid)).toMatchObject({ ppid: d.daemonPid, pgid: d.daemonPid, sid: d.daemonPid, ttyNr: 0 });
      expect(readEnviron(c.pid)).toMatchObject({ CLAUDE_CODE_ENTRYPOINT: 'sdk-ts', CLAUDE_AGENT_SDK_VERSION: rig.claude.versions.sdkNative });
      const record = readRecord(d.scene, c.pid)!;
      expect(record).toMatchObject({ pid: c.pid, sessionId: c.sessionId, kind: 'interactive', entrypoint: 'sdk-ts', procStart: procStat(c.pid)!.startId });
      // A live session keeps its keep-alive connection to the API between turns; so does a hung one.
      expect(established(c.pid)).toBeGreaterThanOrEqual(1);
    }
    expect(readRecord(d.scene, live!.pid)!.status).toBe('idle');
    expect(readRecord(d.scene, leak!.pid)!.status).toBe('idle');
    expect(readRecord(d.scene, hang!.pid)!.status).toBe('busy');
    expect(rig.api.held().map((r) => r.sessionId)).toContain(hang!.sessionId);

    // The transcripts: a turn over ends with the assistant's end_turn; a hung one with the request.
    const over = turnEntries(sessionTranscript(d.scene, leak!.sessionId));
    expect(over.at(-1)).toMatchObject({ type: 'assistant', stopReason: 'end_turn' });
    const hung = turnEntries(sessionTranscript(d.scene, hang!.sessionId));
    expect(hung.at(-1)?.type).toBe('api-request');
    expect(hung.some((e) => e.type === 'assistant')).toBe(false);

    // A session whose prompt stream ended: its claude exited and removed its record.
    expect(isAlive(once!.pid)).toBe(false);
    expect(existsSync(recordPath(d.scene, once!.pid))).toBe(false);
    expect(d.events).toContainEqual({ event: 'result', session: 3, n: 1, subtype: 'success', text: ANSWER_TEXT });
    expect(rig.api.escapes()).toEqual([]);
  });

  it('flips a live session record to busy for the length of a turn and back to idle after it', TIMEOUT, async () => {
    const d = await startSdkDaemon(rig, { sdk: 'native', sessions: [{ kind: 'live', everyMs: 1_000, slowMs: 1_500 }] });
    const pid = d.children[0]!.pid;
    const seen: string[] = [];
    await waitFor(
      () => {
        const status = readRecord(d.scene, pid)?.status;
        if (status && seen.at(-1) !== status) seen.push(status);
        return seen.join(',').includes('idle,busy,idle');
      },
      { timeoutMs: 20_000, intervalMs: 25, what: 'the record to go idle, busy, idle' },
    );
    const record = readRecord(d.scene, pid)!;
    expect(record.statusUpdatedAt).toBeGreaterThan(record.startedAt);
    expect(d.events.filter((e) => e.event === 'result').length).toBeGreaterThanOrEqual(2);
  });
});

describe('the legacy SDK 0.2, whose claude is node running cli.js', () => {
  it('shows claude as comm and the whole command line, with node as exe, and a record without status', TIMEOUT, async () => {
    const d = await startSdkDaemon(rig, { sdk: 'legacy', sessions: [{ kind: 'leak' }, { kind: 'hang' }] });
    const [leak, hang] = d.children;
    for (const c of [leak!, hang!]) {
      expect(c.command).toBe('node');
      expect(c.args[0]).toBe(rig.claude.legacyCli);
      expect(readComm(c.pid)).toBe('claude');
      expect(readCmdline(c.pid)).toEqual(['claude']);
      expect(readExe(c.pid)).toBe(process.execPath);
      const record = readRecord(d.scene, c.pid)!;
      expect(Object.keys(record).sort()).toEqual(['cwd', 'entrypoint', 'kind', 'pid', 'sessionId', 'startedAt']);
      expect(record).toMatchObject({ pid: c.pid, sessionId: c.sessionId, kind: 'interactive', entrypoint: 'sdk-ts' });
      expect(established(c.pid)).toBeGreaterThanOrEqual(1);
    }
    expect(turnEntries(sessionTranscript(d.scene, leak!.sessionId)).at(-1)).toMatchObject({ type: 'assistant', stopReason: 'end_turn' });
    // The legacy CLI writes no api-request entries: the unanswered user message is the last word.
    const hung = turnEntries(sessionTranscript(d.scene, hang!.sessionId));
    expect(hung.at(-1)?.type).toBe('user');
    expect(hung.some((e) => e.type === 'assistant')).toBe(false);
  });
});

describe('a daemon that gives its claude a HOME of its own and no CLAUDE_CONFIG_DIR', () => {
  const box = sandbox();
  const THRESHOLD_MS = 5_000;
  const ABANDONED = ['--abandoned-after', '5s'];

  it.each([['native'], ['legacy']] as const)('SDK %s: Claude keeps its record and transcript in $HOME/.claude, and scans as it ages read them there', { timeout: 150_000 }, async (sdk) => {
    const scene = newScene(rig.api.url, `home-${sdk}`, { configIn: 'home' });
    const d = await startSdkDaemon(rig, { sdk, scene, sessions: [{ kind: 'live', everyMs: 1_000 }, { kind: 'leak' }, { kind: 'hang' }] });
    const [live, leak, hang] = d.children;
    for (const c of [live!, leak!, hang!]) {
      expect(readEnviron(c.pid)).toMatchObject({ HOME: scene.home });
      expect(readEnviron(c.pid)).not.toHaveProperty('CLAUDE_CONFIG_DIR');
      expect(existsSync(join(scene.home, '.claude', 'sessions', `${c.pid}.json`))).toBe(true);
    }
    // Not where this user's passwd entry, or the reaper's HOME, would put it.
    expect(scene.home).not.toBe(userInfo().homedir);
    expect(scene.home).not.toBe(box.home);
    const turnEnded = Date.now();

    const scanAt = async (when: string) => {
      const doc = await scanJson(box, ['--sample', '500ms', ...ABANDONED]);
      for (const c of [live!, leak!, hang!]) {
        const p = find(doc, c.pid);
        expect(p.session?.path, `${c.kind} ${when}`).toBe(join(scene.home, '.claude', 'sessions', `${c.pid}.json`));
        expect(p.session?.sessionId, `${c.kind} ${when}`).toBe(c.sessionId);
        expect(p.transcript, `${c.kind} ${when}`).not.toBeNull();
      }
      // A live session between turns and one waiting on its request are never reapable.
      for (const c of [live!, hang!]) expect(find(doc, c.pid).reapable, `${c.kind} ${when}`).toBe(false);
      return find(doc, leak!.pid);
    };

    // Young: the leak is idle, but not for the threshold yet.
    const young = await scanAt('young');
    if (Date.now() - turnEnded < THRESHOLD_MS) {
      expect(young.flags).not.toContain('abandoned');
      expect(young.reapable).toBe(false);
    }

    // Scanned every 2 s from then on: past the threshold after its turn ended, and once no later
    // sample shows CPU work Claude's record does not account for (the native CLI works for a few
    // seconds after its first turn), abandoned under its live daemon, by Claude's own word; never
    // before the threshold.
    let scans = 0;
    const p = await waitFor(
      async () => {
        await sleep(2_000);
        const q = await scanAt(`scan ${++scans}`);
        if (q.reapable) expect(Date.now() - turnEnded, 'the leak reapable before its threshold').toBeGreaterThanOrEqual(THRESHOLD_MS);
        return q.flags.includes('abandoned') ? q : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 0, what: 'the leak to be abandoned' },
    );
    expect(p.flags).toContain('idle');
    // The native CLI's record says idle; the legacy one's has no status, so its transcript tells.
    expect(reasonOf(p, 'abandoned')!.evidence).toMatchObject({ owner: d.daemonPid, evidence: sdk === 'native' ? 'session-record' : 'transcript' });
    expect(p.reapable).toBe(true);
    expect(rig.api.escapes()).toEqual([]);
  });
});
