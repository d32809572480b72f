// `hung`: a request Claude says is outstanding, past the threshold, with no CPU progress. An open
// connection alone is never hung: a live session keeps one to the API between turns.
import { once } from 'node:events';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat, startDaemon, tcpSockets, useProcessCleanup } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson, waitAge } from '../helpers/scan-cli.js';
import { writeSessionRecord, writeTranscript } from '../helpers/claude-files.js';

useProcessCleanup();
const box = sandbox();

const PAST_THRESHOLD_MS = 2_500;

let server: net.Server | undefined;
const peers: net.Socket[] = [];

/** A server that accepts connections and never answers, as an API that stopped responding. */
async function silentServer(): Promise<string> {
  server = net.createServer((s) => peers.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of peers.splice(0)) s.destroy();
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

async function childWithConnection(env: Record<string, string> = {}): Promise<number> {
  const d = await startDaemon({ count: 1, mode: 'sleep', tcp: await silentServer(), env });
  const pid = d.childPids[0]!;
  expect(tcpSockets(pid)!.filter((s) => s.state === '01')).toHaveLength(1);
  return pid;
}

describe('hung', () => {
  it('never flags a child for a silent open connection alone, at any age', async () => {
    const pid = await childWithConnection();
    for (const age of [500, PAST_THRESHOLD_MS, 5_000]) {
      await waitAge([pid], age);
      const p = find(await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']), pid);
      expect(p.flags, `age ${age}`).not.toContain('hung');
      expect(p.reapable).toBe(false);
    }
  });

  it("flags a request the transcript shows unanswered past --hung-after, with its record busy and the CPU quiet", async () => {
    const configDir = join(box.root, 'claude-config-transcript');
    const pid = await childWithConnection({ CLAUDE_CONFIG_DIR: configDir });
    const sent = Date.now();
    const sessionId = 'c0ffee00-0000-4000-8000-000000000002';
    writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'busy', statusUpdatedAt: sent, sessionId, cwd: '/srv/app' });
    writeTranscript(configDir, '/srv/app', sessionId, [{ type: 'user', at: sent - 10 }, { type: 'attachment', at: sent - 5 }, { type: 'api-request', at: sent }]);
    const young = find(await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']), pid);
    expect(young.flags).not.toContain('hung');
    await waitAge([pid], PAST_THRESHOLD_MS + 500);
    const doc = await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']);
    const p = find(doc, pid);
    expect(p.transcript).toMatchObject({ state: 'request-outstanding', since: sent - 10, unansweredRequests: 1 });
    expect(p.flags).toContain('hung');
    expect(p.flags).not.toContain('idle');
    expect(reasonText(p, 'hung')).toMatch(/^the transcript's last request has no answer for \d+s, with no CPU progress$/);
    expect(reasonOf(p, 'hung')!.evidence).toMatchObject({ evidence: 'transcript', sessionStatus: 'busy', thresholdMs: 2_000 });
    expect(p.reapable).toBe(true);
  });

  it("flags a child whose session record says busy, with no transcript to read, while its CPU makes no progress", async () => {
    const configDir = join(box.root, 'claude-config');
    const d = await startDaemon({ count: 1, mode: 'sleep', env: { CLAUDE_CONFIG_DIR: configDir } });
    const pid = d.childPids[0]!;
    writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'busy', statusUpdatedAt: Date.now() });
    await waitAge([pid], PAST_THRESHOLD_MS);
    const doc = await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']);
    const p = find(doc, pid);
    expect(p.session?.status).toBe('busy');
    expect(p.transcript).toBeNull();
    expect(p.flags).toContain('hung');
    expect(p.flags).not.toContain('idle');
    expect(reasonText(p, 'hung')).toMatch(/^Claude's record says busy for \d+s, with no CPU progress$/);
    expect(reasonOf(p, 'hung')!.evidence).toMatchObject({ sessionStatus: 'busy', evidence: 'session-record' });
  });

  it('does not flag a child whose record says idle, however long its connection stays open', async () => {
    const configDir = join(box.root, 'claude-config-idle');
    const pid = await childWithConnection({ CLAUDE_CONFIG_DIR: configDir });
    writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'idle', statusUpdatedAt: Date.now() });
    await waitAge([pid], PAST_THRESHOLD_MS);
    const p = find(await scanJson(box, ['--sample', '500ms', '--hung-after', '2s', '--abandoned-after', '1h']), pid);
    expect(p.flags).toEqual(['idle']);
  });
});
