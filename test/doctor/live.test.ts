// `doctor` under real conditions: a /proc mounted with hidepid (in a private mount namespace), a
// process whose environment its own user cannot read (not dumpable), state files others can read,
// a state dir that cannot be written, a real hook install, a schedule through the sandboxed
// crontab stand-in, a reaper holding the lock, and a data source that cannot run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check, DoctorReport } from '../../src/doctor/check.js';
import { makeSandbox } from '../fixtures/schedule/sandbox.js';
import { CLI_PATH, SDK_ARGS, compiled, runCli, startOrphan, track, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { baseEnv } from '../helpers/fixtures.js';
import { missing, skipHere } from '../helpers/tools.js';

useProcessCleanup();

const NOBODY = 65534;

/** A HOME, state and config of its own, owned by `uid`. */
function home(uid = process.getuid!()): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'doctor-'));
  chmodSync(root, 0o755);
  for (const d of ['home', 'state', 'config']) {
    mkdirSync(join(root, d));
    chownSync(join(root, d), uid, uid);
  }
  chownSync(root, uid, uid);
  return { HOME: join(root, 'home'), CLAUDE_REAPER_STATE_DIR: join(root, 'state', 'claude-reaper'), CLAUDE_REAPER_CONFIG_DIR: join(root, 'config'), XDG_RUNTIME_DIR: '', CLAUDE_CONFIG_DIR: '' };
}

async function doctor(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; report: DoctorReport; stderr: string }> {
  const r = await runCli(['doctor', '--json', ...args], { env });
  return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport, stderr: r.stderr };
}

const byId = (report: DoctorReport, id: string): Check => {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}: ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
};

/** Skips unless this test can switch users and mount namespaces (root, with util-linux). */
function needRoot(): void {
  if (process.getuid?.() !== 0) skipHere('running as another user and in a private mount namespace needs root');
  const why = missing('setpriv', 'unshare');
  if (why) skipHere(why);
  // A container without CAP_SYS_ADMIN, or a chroot whose / is not a mount point, cannot have one.
  const probe = spawnSync('unshare', ['-m', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) skipHere(`no private mount namespace here (unshare -m: ${probe.stderr.trim() || `exit ${probe.status}`})`);
}

/** Runs `doctor --json` as `nobody`, optionally inside a mount namespace with /proc remounted. */
function doctorAsNobody(env: Record<string, string>, procOptions: string | null): { code: number | null; report: DoctorReport; stderr: string } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const run = `exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups -- ${q(process.execPath)} ${q(CLI_PATH)} doctor --json`;
  const script = procOptions === null ? run : `mount -t proc -o ${procOptions} proc /proc && ${run}`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { env: { ...baseEnv(), ...env }, encoding: 'utf8' });
  if (r.stdout === '') throw new Error(`doctor as nobody printed nothing (exit ${r.status}): ${r.stderr}`);
  return { code: r.status, report: JSON.parse(r.stdout) as DoctorReport, stderr: r.stderr };
}

describe('doctor', () => {
  it('prints one JSON document whose exit code follows its verdict, with a fix for every problem', async () => {
    const { code, report, stderr } = await doctor(home());
    expect(stderr).toBe('');
    expect(report).toMatchObject({ doctorVersion: 1, tool: { name: 'claude-reaper' }, platform: 'linux' });
    expect(code).toBe(report.trusted ? 0 : 1);
    expect(report.trusted).toBe(!report.checks.some((c) => c.level === 'limit'));
    for (const c of report.checks.filter((x) => x.level === 'limit' || x.level === 'warning')) expect(c.fix, c.id).toBeTruthy();
    expect(byId(report, 'source')).toMatchObject({ level: 'ok', facts: { choice: 'auto', chain: ['procfs', 'ps'], inUse: 'procfs' } });
    expect(byId(report, 'source').facts.processes).toBeGreaterThan(1);
  });

  it('says the ps source cannot run without ps, with the fix, and exits 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'doctor-no-programs-'));
    const { code, report } = await doctor({ ...home(), PATH: empty }, ['--source', 'ps']);
    expect(code).toBe(1);
    expect(byId(report, 'source')).toMatchObject({ level: 'limit', fix: 'install ps (Debian: procps) or put it on PATH', facts: { inUse: null, fallbacks: [{ id: 'ps', unavailable: 'ps is not on PATH' }] } });
    expect(byId(report, 'source').text).toMatch(/^cannot read the process table: ps failed/);
  });

  it('refuses bad usage with one line and exit 2', async () => {
    for (const args of [['--bogus'], ['--source', 'nope'], ['extra']]) {
      const r = await runCli(['doctor', ...args], { env: home() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('doctor and /proc mounted with hidepid (a private mount namespace)', () => {
  it('calls it a limit for a user it hides other users from, with the fix, and exits 1', () => {
    needRoot();
    const { code, report } = doctorAsNobody(home(NOBODY), 'hidepid=2');
    expect(code).toBe(1);
    expect(report.trusted).toBe(false);
    expect(byId(report, 'hidepid')).toMatchObject({ level: 'limit', facts: { procRoot: '/proc', hidepid: 'invisible', gid: null } });
    expect(byId(report, 'hidepid').fix).toMatch(/remount it: mount -o remount,hidepid=0 \/proc$/);
  });

  it('spares a member of the gid= group, and root', () => {
    needRoot();
    const gid = 4242;
    const env = home(NOBODY);
    const q = `exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --groups=${gid} -- '${process.execPath}' '${CLI_PATH}' doctor --json`;
    const asMember = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t proc -o hidepid=2,gid=${gid} proc /proc && ${q}`], { env: { ...baseEnv(), ...env }, encoding: 'utf8' });
    expect(byId(JSON.parse(asMember.stdout) as DoctorReport, 'hidepid')).toMatchObject({ level: 'info', facts: { gid } });
    const asRoot = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t proc -o hidepid=2 proc /proc && exec '${process.execPath}' '${CLI_PATH}' doctor --json`], { env: { ...baseEnv(), ...home() }, encoding: 'utf8' });
    expect(byId(JSON.parse(asRoot.stdout) as DoctorReport, 'hidepid').level).toBe('info');
  });
});

describe("doctor and environments it cannot read", () => {
  it("calls a limit a user's own process whose environment that user cannot read (not dumpable)", async () => {
    needRoot();
    const ready = join(mkdtempSync(join(tmpdir(), 'doctor-undumpable-')), 'ready');
    chownSync(dirname(ready), NOBODY, NOBODY);
    const child = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', compiled('undumpable'), ready], { stdio: 'ignore' });
    track(child.pid!, child);
    await waitFor(() => existsSync(ready), { what: 'the undumpable process' });
    const { code, report } = doctorAsNobody(home(NOBODY), null);
    expect(byId(report, 'environ-own')).toMatchObject({ level: 'limit', facts: { uid: NOBODY, tried: [child.pid], denied: [child.pid] } });
    expect(code).toBe(1);
    // Other users' processes (root's) are out of reach for nobody: information, not a limit.
    expect(byId(report, 'environ-others')).toMatchObject({ level: 'info', facts: { anyReadable: false } });
  });
});

describe('doctor and the state dir', () => {
  it('warns about state files others can read, with the chmod that fixes them, and is content once it ran', async () => {
    const env = home();
    const dir = env.CLAUDE_REAPER_STATE_DIR!;
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'reaped.jsonl'), '', { mode: 0o644 });
    chmodSync(join(dir, 'reaped.jsonl'), 0o644);
    const { code, report } = await doctor(env);
    const c = byId(report, 'state-private');
    expect(c.level).toBe('warning');
    expect(c.facts.loose).toEqual([{ path: dir, mode: '755' }, { path: join(dir, 'reaped.jsonl'), mode: '644' }]);
    expect(c.fix).toBe(`chmod 700 ${dir} && chmod 600 ${join(dir, 'reaped.jsonl')}`);
    // A warning: the scan itself is not made less true.
    expect(code).toBe(report.trusted ? 0 : 1);
    execFileSync('sh', ['-c', c.fix!]);
    expect(byId((await doctor(env)).report, 'state-private').level).toBe('ok');
  });

  it('calls a state dir that cannot be written a limit (here a file stands where its parent should be)', async () => {
    const env = home();
    const blocker = join(env.HOME!, 'not-a-dir');
    writeFileSync(blocker, '');
    const { code, report } = await doctor({ ...env, CLAUDE_REAPER_STATE_DIR: join(blocker, 'claude-reaper') });
    expect(byId(report, 'state-dir')).toMatchObject({ level: 'limit', fix: expect.stringMatching(/CLAUDE_REAPER_STATE_DIR/) });
    expect(byId(report, 'state-dir').text).toMatch(/ENOTDIR/);
    expect(code).toBe(1);
  });

  it('names the reaper that holds the lock', async () => {
    const env = home();
    const watch = spawn(process.execPath, [CLI_PATH, 'watch', '--interval', '1h', '--sample', '0'], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    track(watch.pid!, watch);
    let said = '';
    watch.stderr!.setEncoding('utf8').on('data', (d: string) => (said += d));
    await waitFor(() => /watching every/.test(said), { what: 'watch to take the lock' });
    const lock = byId((await doctor(env)).report, 'lock');
    expect(lock).toMatchObject({ level: 'info', facts: { live: true, holder: { pid: watch.pid, command: 'watch' } } });
  });
});

describe('doctor and Claude Code', () => {
  it('finds the config dir with its session records, versions and transcripts, and the native install', async () => {
    const env = home();
    const config = join(env.HOME!, 'claude-config');
    mkdirSync(join(config, 'sessions'), { recursive: true });
    mkdirSync(join(config, 'projects', '-srv-app'), { recursive: true });
    writeFileSync(join(config, 'sessions', '4242.json'), JSON.stringify({ sessionId: 's1', version: '2.1.330', procStart: '1' }));
    writeFileSync(join(config, 'sessions', '4243.json'), JSON.stringify({ sessionId: 's2', version: '2.1.329', procStart: '2' }));
    writeFileSync(join(config, 'projects', '-srv-app', 's1.jsonl'), '{}\n');
    const versions = join(env.HOME!, '.local', 'share', 'claude', 'versions');
    mkdirSync(versions, { recursive: true });
    writeFileSync(join(versions, '2.1.330'), '');
    const { report } = await doctor({ ...env, CLAUDE_CONFIG_DIR: config });
    expect(byId(report, 'claude-config').facts.dirs).toEqual([{ path: config, sessionRecords: 2, transcripts: 1, versions: ['2.1.329', '2.1.330'] }]);
    expect(byId(report, 'claude-install').facts.installs).toContainEqual({ path: join(versions, '2.1.330'), version: '2.1.330', how: 'native installer' });
  });

  it('says whether the SessionEnd hook is installed, after a real install into the config dir', async () => {
    const env = home();
    const config = join(env.HOME!, 'claude-config');
    mkdirSync(config);
    const cenv = { ...env, CLAUDE_CONFIG_DIR: config };
    expect(byId((await doctor(cenv)).report, 'hook')).toMatchObject({ level: 'info', facts: { settings: join(config, 'settings.json'), installed: false } });
    expect((await runCli(['hook', 'install'], { env: cenv })).code).toBe(0);
    expect(byId((await doctor(cenv)).report, 'hook')).toMatchObject({ level: 'ok', facts: { installed: true, lastRun: null } });
    writeFileSync(join(config, 'settings.json'), '{ not json');
    expect(byId((await doctor(cenv)).report, 'hook')).toMatchObject({ level: 'warning', facts: { installed: null } });
  });
});

describe('doctor and the schedule', () => {
  it('finds the job cron holds (a sandboxed crontab), and the last reap in the audit log', async () => {
    const sb = makeSandbox();
    try {
      const env = { ...sb.env, XDG_RUNTIME_DIR: '', CLAUDE_CONFIG_DIR: '' } as Record<string, string>;
      expect(byId((await doctor(env)).report, 'schedule')).toMatchObject({ level: 'info', facts: { lastReap: null } });
      expect((await runCli(['schedule', 'install', '--with', 'cron', '--every', '10m'], { env })).code).toBe(0);
      const o = await startOrphan({ args: SDK_ARGS });
      expect((await runCli(['kill', '--yes', '--pid', String(o.pid), '--sample', '0', '--grace', '1s'], { env })).code).toBe(0);
      const c = byId((await doctor(env)).report, 'schedule');
      expect(c.level).toBe('ok');
      expect(c.text).toMatch(/^scheduled: cron, every 10m, last run unknown \(cron keeps no record of when a job last ran\); the audit log's last reap: \d{4}-/);
      expect(c.facts.lastReap).toEqual(expect.any(String));
    } finally {
      sb.remove();
    }
  });
});
