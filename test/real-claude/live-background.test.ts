// `claude --bg` on the real claude-code binary: the daemon it leaves, the pty hosts, the spares and
// the job's session, and what stays when the daemon is SIGKILLed.
import { describe, expect, it } from 'vitest';
import { killHard, useProcessCleanup, waitFor } from '../helpers/cleanup.js';
import { isAlive, procStat, readCmdline, readComm, readEnviron, readExe } from '../helpers/proc-read.js';
import { PTY_HOST_ARGV0, SPARE_ARGV0, listAgents, readRecord, startBackgroundAgent, useRealClaude } from '../helpers/real-claude/index.js';

const TIMEOUT = { timeout: 120_000 };

useProcessCleanup();
const rig = useRealClaude();

describe('claude --bg', () => {
  it('leaves a daemon reparented to init, pty hosts running spares, and the job in a session on a pts of its host', TIMEOUT, async () => {
    const bg = await startBackgroundAgent(rig, { prompt: 'say hi', orphanCheckMs: 600_000 });
    const binary = rig.claude.claudeCodeBinary;
    expect(bg.output).toContain(`backgrounded · ${bg.session.jobId}`);

    const daemon = procStat(bg.daemonPid)!;
    expect(daemon).toMatchObject({ ppid: 1, sid: bg.daemonPid, pgid: bg.daemonPid, ttyNr: 0 });
    const argv = readCmdline(bg.daemonPid)!;
    expect(argv.slice(0, 6)).toEqual([binary, 'daemon', 'run', '--origin', 'transient', '--spawned-by']);
    expect(JSON.parse(argv[6]!)).toEqual({ label: 'claude --bg', cwd: bg.scene.cwd, pid: bg.bgPid });
    expect(isAlive(bg.bgPid)).toBe(false);
    // Everything of the scene inherits the environment of the --bg invocation, the run's mark too.
    expect(readEnviron(bg.daemonPid)).toMatchObject({ REAPER_TEST_RUN: process.env.REAPER_TEST_RUN, CLAUDE_PTY_ORPHAN_CHECK_MS: '600000' });

    expect(bg.daemonDir).toMatch(/^\/tmp\/cc-daemon-\d+\/[0-9a-f]+$/);
    expect(bg.hosts.length).toBeGreaterThanOrEqual(2);
    for (const host of bg.hosts) {
      expect(procStat(host.pid)).toMatchObject({ ppid: bg.daemonPid, sid: host.pid, ttyNr: 0 });
      expect(readComm(host.pid)).toBe('claude.exe');
      expect(readExe(host.pid)).toBe(binary);
      const hostArgv = readCmdline(host.pid)!;
      // argv[0] is rewritten to one string: argv alone does not say which binary this is.
      expect(hostArgv[0]).toBe(PTY_HOST_ARGV0);
      expect(hostArgv[1]).toBe('--bg-pty-host');
      expect(hostArgv[2]).toMatch(/^\/tmp\/cc-daemon-\d+\/[0-9a-f]+\/(spare|pty)\/[0-9a-f]+\.(pty\.)?sock$/);
      expect(hostArgv.slice(3, 7)).toEqual(['200', '50', '--', binary]);
    }
    for (const spare of bg.spares) {
      expect(readCmdline(spare)).toEqual([SPARE_ARGV0, '--bg-spare', expect.stringMatching(/\/spare\/[0-9a-f]+\.claim\.sock$/)]);
      expect(bg.hosts.map((h) => h.pid)).toContain(procStat(spare)!.ppid);
      expect(readExe(spare)).toBe(binary);
    }

    const session = bg.session;
    expect(session.tty).toMatch(/^pts\/\d+$/);
    expect(bg.hosts.map((h) => h.pid)).toContain(procStat(session.pid)!.ppid);
    if (session.via === 'claimed-spare') expect(readCmdline(session.pid)![0]).toBe(SPARE_ARGV0);
    else expect(readCmdline(session.pid)).toContain('--session-id');
    expect(session.record).toMatchObject({ kind: 'bg', jobId: session.jobId, entrypoint: 'cli', status: 'idle', procStart: procStat(session.pid)!.startId });
    expect(session.sessionId.startsWith(session.jobId)).toBe(true);
    const agents = await listAgents(rig, bg.scene);
    expect(agents).toContainEqual(expect.objectContaining({ pid: session.pid, id: session.jobId, sessionId: session.sessionId, kind: 'background', status: 'idle' }));
    expect(rig.api.escapes().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.headers)}`)).toEqual([]);
  });

  it('keeps a job whose request is never answered busy, and lists it', TIMEOUT, async () => {
    const bg = await startBackgroundAgent(rig, { prompt: 'HANG' });
    expect(bg.session.record).toMatchObject({ kind: 'bg', jobId: bg.session.jobId, status: 'busy' });
    expect(rig.api.held().map((r) => r.sessionId)).toContain(bg.session.sessionId);
    const agents = await listAgents(rig, bg.scene);
    expect(agents).toContainEqual(expect.objectContaining({ pid: bg.session.pid, status: 'busy' }));
  });

  it('leaves the pty hosts reparented to init, each still running its spare or the job, when the daemon is SIGKILLed', TIMEOUT, async () => {
    const bg = await startBackgroundAgent(rig, { orphanCheckMs: 600_000 });
    await killHard(bg.daemonPid);
    const hosts = bg.hosts.filter((h) => isAlive(h.pid));
    expect(hosts.length).toBe(bg.hosts.length);
    // For a moment a host's parent may still be one of the dying daemon's threads.
    for (const host of hosts) await waitFor(() => procStat(host.pid)?.ppid === 1, { what: `host ${host.pid} to be reparented to init` });
    // The spares and the session are the hosts' children still, not init's.
    for (const spare of bg.spares) expect(hosts.map((h) => h.pid)).toContain(procStat(spare)?.ppid);
    expect(hosts.map((h) => h.pid)).toContain(procStat(bg.session.pid)?.ppid);
    expect(readRecord(bg.scene, bg.session.pid)).toMatchObject({ jobId: bg.session.jobId });
    const agents = await listAgents(rig, bg.scene);
    expect(agents.map((a) => a.pid)).toContain(bg.session.pid);
  });
});
