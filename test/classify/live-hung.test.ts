// `hung`: a child that holds a connection nobody answers and makes no progress past the threshold.
import { once } from 'node:events';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat, startDaemon, tcpSockets, useProcessCleanup } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson, waitAge } from '../helpers/scan-cli.js';
import { writeSessionRecord } from '../helpers/claude-files.js';

useProcessCleanup();
const box = sandbox();

// The rule reads TCP sockets only for processes at least min(--abandoned-after, --hung-after) old.
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

async function hungChild(): Promise<number> {
  const d = await startDaemon({ count: 1, mode: 'sleep', tcp: await silentServer() });
  const pid = d.childPids[0]!;
  expect(tcpSockets(pid)!.filter((s) => s.state === '01')).toHaveLength(1);
  return pid;
}

describe('hung', () => {
  it('flags a child holding a silent TCP connection with no CPU progress past --hung-after', async () => {
    const pid = await hungChild();
    await waitAge([pid], PAST_THRESHOLD_MS);
    const doc = await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']);
    const p = find(doc, pid);
    expect(p.sockets?.tcpEstablished).toBeGreaterThanOrEqual(1);
    expect(p.sockets?.remoteTcp).toBe(0); // the server is on loopback
    expect(p.flags).toContain('hung');
    expect(reasonText(p, 'hung')).toMatch(/^1 open TCP connection, no CPU progress for \d+s$/);
    expect(reasonOf(p, 'hung')!.evidence).toMatchObject({ tcpEstablished: 1, thresholdMs: 2_000, sessionStatus: null });
    // A request in flight is not an abandoned idle child.
    expect(p.flags).not.toContain('abandoned');
    expect(p.reapable).toBe(true);
  });

  it('does not read the TCP sockets of a process younger than the thresholds', async () => {
    const pid = await hungChild();
    const doc = await scanJson(box, ['--sample', '500ms', '--hung-after', '1m']);
    const p = find(doc, pid);
    expect(p.sockets).toMatchObject({ tcpEstablished: null, remoteTcp: null, listeningPorts: null });
    expect(p.flags).not.toContain('hung');
    expect(procStat(pid)).not.toBeNull();
  });

  it("flags a child whose session record says busy while its CPU makes no progress, and does not call it idle", async () => {
    const configDir = join(box.root, 'claude-config');
    const d = await startDaemon({ count: 1, mode: 'sleep', env: { CLAUDE_CONFIG_DIR: configDir } });
    const pid = d.childPids[0]!;
    writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'busy', statusUpdatedAt: Date.now() });
    await waitAge([pid], PAST_THRESHOLD_MS);
    const doc = await scanJson(box, ['--sample', '500ms', '--hung-after', '2s']);
    const p = find(doc, pid);
    expect(p.session?.status).toBe('busy');
    expect(p.flags).toContain('hung');
    expect(p.flags).not.toContain('idle');
    expect(reasonText(p, 'hung')).toMatch(/^Claude's record says busy, no CPU progress for \d+s$/);
    expect(reasonOf(p, 'hung')!.evidence).toMatchObject({ sessionStatus: 'busy', tcpEstablished: 0 });
  });
});
