import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Variant,
  CLAUDE_VERSION,
  SDK_ARGS,
  cpuNs,
  fdTargets,
  isAlive,
  procStat,
  readCmdline,
  readComm,
  readEnviron,
  readExe,
  startClaude,
  tcpSockets,
  useProcessCleanup,
  waitFor,
} from './procs.js';

useProcessCleanup();

const SAMPLE_MS = 500;
// A spinning process gets far less than a core when other test files run beside it on a small machine.
const BUSY_MIN_SHARE = 0.2;
const IDLE_MAX_SHARE = 0.05;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startClaude', () => {
  const native: [Variant, RegExp][] = [
    ['native', /\/bin\/claude$/],
    ['versioned', new RegExp(`/\\.local/share/claude/versions/${CLAUDE_VERSION.replace(/\./g, '\\.')}$`)],
    ['sdk-bundled', /\/node_modules\/@anthropic-ai\/claude-agent-sdk-linux-x64\/claude$/],
    ['desktop', new RegExp(`/Library/Application Support/Claude/claude-code/${CLAUDE_VERSION}/claude$`)],
  ];

  it.each(native)('gives the %s variant comm claude, its exe path and exactly the argv it was given', async (variant, exe) => {
    const c = await startClaude({ variant, args: [...SDK_ARGS, '--resume', 'abc-123'] });
    expect(readComm(c.pid)).toBe('claude');
    expect(readExe(c.pid)).toMatch(exe);
    expect(readCmdline(c.pid)).toEqual([c.binPath, ...SDK_ARGS, '--resume', 'abc-123']);
    expect(c.argv).toEqual(readCmdline(c.pid));
  });

  it('runs the versioned variant through a symlink in ~/.local/bin', async () => {
    const c = await startClaude({ variant: 'versioned' });
    expect(c.binPath).toMatch(/\/home\/\.local\/bin\/claude$/);
    expect(readCmdline(c.pid)![0]).toBe(c.binPath);
  });

  it('runs the npm-cli variant as node with cli.js and the arguments visible', async () => {
    const c = await startClaude({ variant: 'npm-cli', args: ['-p', 'hello'] });
    expect(readComm(c.pid)).toBe('node');
    expect(readExe(c.pid)).toBe(process.execPath);
    expect(readCmdline(c.pid)).toEqual(['node', c.binPath, '-p', 'hello']);
    expect(c.binPath).toMatch(/\/node_modules\/@anthropic-ai\/claude-code\/cli\.js$/);
  });

  it('runs the title-only variant as node whose cmdline is just claude', async () => {
    const c = await startClaude({ variant: 'title-only', args: ['--verbose'] });
    expect(readComm(c.pid)).toBe('claude');
    expect(readExe(c.pid)).toBe(process.execPath);
    expect(readCmdline(c.pid)).toEqual(['claude']);
  });

  it.each(['native', 'npm-cli'] as const)('ends an idle %s claude with exit code 0 when its stdin closes', async (variant) => {
    const c = await startClaude({ variant });
    await sleep(100);
    expect(isAlive(c.pid)).toBe(true);
    const exit = once(c.child!, 'exit');
    c.child!.stdin!.end();
    expect((await exit)[0]).toBe(0);
  });

  it('gives an SDK-shaped claude no tty and unix sockets on fds 0-2', async () => {
    const c = await startClaude({ args: SDK_ARGS });
    expect(procStat(c.pid)!.ttyNr).toBe(0);
    const fds = fdTargets(c.pid)!;
    for (const fd of [0, 1, 2]) expect(fds.get(fd)).toMatch(/^socket:\[\d+\]$/);
  });

  it('passes the extra environment and drops any inherited Claude markers', async () => {
    process.env.CLAUDE_CODE_ENTRYPOINT = 'cli';
    try {
      const c = await startClaude({ env: { CLAUDE_CONFIG_DIR: '/tmp/cfg' } });
      const env = readEnviron(c.pid)!;
      expect(env.CLAUDE_CONFIG_DIR).toBe('/tmp/cfg');
      expect(env.CLAUDE_CODE_ENTRYPOINT).toBeUndefined();
    } finally {
      delete process.env.CLAUDE_CODE_ENTRYPOINT;
    }
  });

  it.each(['native', 'npm-cli'] as const)('keeps a %s claude that ignores SIGTERM alive after SIGTERM', async (variant) => {
    const stubborn = await startClaude({ variant, ignoreTerm: true });
    const plain = await startClaude({ variant });
    process.kill(stubborn.pid, 'SIGTERM');
    process.kill(plain.pid, 'SIGTERM');
    await waitFor(() => !isAlive(plain.pid), { what: 'the plain claude to die' });
    await sleep(200);
    expect(isAlive(stubborn.pid)).toBe(true);
  });

  it('burns CPU when busy and almost none when idle', async () => {
    const busy = await startClaude({ mode: 'busy' });
    const idle = await startClaude({ mode: 'idle' });
    const before = [cpuNs(busy.pid)!, cpuNs(idle.pid)!];
    await sleep(SAMPLE_MS);
    const used = [cpuNs(busy.pid)! - before[0]!, cpuNs(idle.pid)! - before[1]!].map((ns) => ns / 1e6);
    expect(used[0]).toBeGreaterThan(SAMPLE_MS * BUSY_MIN_SHARE);
    expect(used[1]).toBeLessThan(SAMPLE_MS * IDLE_MAX_SHARE);
  });

  it('spends about busyMs of every periodMs on the CPU in periodic mode', async () => {
    const c = await startClaude({ mode: 'periodic', busyMs: 100, periodMs: 400 });
    const before = cpuNs(c.pid)!;
    await sleep(2_000);
    const share = (cpuNs(c.pid)! - before) / 1e6 / 2_000;
    expect(share).toBeGreaterThan(IDLE_MAX_SHARE);
    expect(share).toBeLessThan(0.5);
  });

  describe('with a silent server', () => {
    let server: net.Server;
    const peers: net.Socket[] = [];
    afterEach(async () => {
      for (const s of peers.splice(0)) s.destroy();
      await new Promise((r) => server.close(r));
    });

    it.each(['native', 'npm-cli'] as const)('holds an ESTABLISHED TCP connection for the %s variant', async (variant) => {
      server = net.createServer((s) => peers.push(s)); // accepts, never answers
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as net.AddressInfo;
      const c = await startClaude({ variant, tcp: `127.0.0.1:${port}`, mode: 'sleep' });
      const hex = port.toString(16).toUpperCase().padStart(4, '0');
      const socks = tcpSockets(c.pid)!;
      expect(socks.filter((s) => s.state === '01' && s.remote.endsWith(`:${hex}`))).toHaveLength(1);
    });
  });

  it('listens on the port it reports', async () => {
    const c = await startClaude({ listen: 0 });
    expect(c.port).toBeGreaterThan(0);
    const hex = c.port!.toString(16).toUpperCase().padStart(4, '0');
    expect(tcpSockets(c.pid)!.some((s) => s.state === '0A' && s.local === `0100007F:${hex}`)).toBe(true);
  });

  it('starts child commands with pipes to claude, $PPID as its pid and no fake settings', async () => {
    const c = await startClaude({ ignoreTerm: true, childCommands: ['CLAUDECODE=1 CLAUDE_PID=$PPID exec sleep 1000', 'exec sleep 1001'] });
    expect(c.childPids).toHaveLength(2);
    const [mcp, second] = c.childPids as [number, number];
    expect(procStat(mcp)!.ppid).toBe(c.pid);
    expect(readCmdline(mcp)).toEqual(['sleep', '1000']);
    expect(readCmdline(second)).toEqual(['sleep', '1001']);
    const env = readEnviron(mcp)!;
    expect(env.CLAUDE_PID).toBe(String(c.pid));
    expect(Object.keys(env).filter((k) => k.startsWith('FAKE_'))).toEqual([]);
    expect(fdTargets(mcp)!.get(0)).toMatch(/^pipe:/);
    // SIGTERM is not inherited as ignored.
    process.kill(second, 'SIGTERM');
    await waitFor(() => !isAlive(second), { what: 'the child to die of SIGTERM' });
  });

  it('ends its child commands on a clean exit but leaves them when SIGKILLed', async () => {
    const clean = await startClaude({ childCommands: ['exec sleep 1000'] });
    const killed = await startClaude({ childCommands: ['exec sleep 1000'] });
    clean.child!.stdin!.end();
    process.kill(killed.pid, 'SIGKILL');
    await waitFor(() => !isAlive(clean.childPids[0]!), { what: 'the clean exit to end its child' });
    await waitFor(() => procStat(killed.childPids[0]!)?.ppid !== killed.pid, { what: 'reparenting' });
    expect(isAlive(killed.childPids[0]!)).toBe(true);
  });
});
