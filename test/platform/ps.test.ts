import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireTools, which } from '../helpers/tools.js';
import { PlatformError } from '../../src/errors.js';
import { parseCmdline, parseStat } from '../../src/platform/parse/procfs.js';
import type { CommandResult, RunCommand } from '../../src/platform/exec.js';
import { createPsSource } from '../../src/platform/ps.js';
import type { ProcessRecord } from '../../src/types.js';

const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0, failed: false, timedOut: false, message: '' });

describe('the ps source, fed canned output', () => {
  it('throws PlatformError when ps cannot run, and when it prints nothing', async () => {
    const missing: RunCommand = async () => ({ ...ok(''), failed: true, code: 'ENOENT', message: 'spawn ps ENOENT' });
    await expect(createPsSource({ run: missing }).list({ sampleMs: 0 })).rejects.toThrow(PlatformError);
    await expect(createPsSource({ run: async () => ok('') }).list({ sampleMs: 0 })).rejects.toThrow(/no processes/);
  });

  it('runs one ps with the documented keywords, LC_ALL=C and TZ=UTC', async () => {
    const calls: [string, readonly string[], NodeJS.ProcessEnv | undefined][] = [];
    const run: RunCommand = async (file, args, opts) => {
      calls.push([file, args, opts.env]);
      return ok('    1     0     1     0 Ss   ??  07-21:28:18   57:24.25 Mon Aug 17 18:02:29 2026  14752 /sbin/launchd\n');
    };
    const listing = await createPsSource({ run }).list({ sampleMs: 0 });
    expect(listing.records.get(1)!.name).toBe('launchd');
    expect(calls).toEqual([['ps', ['-axww', '-o', 'pid=,ppid=,pgid=,uid=,state=,tty=,etime=,time=,lstart=,rss=,args='], { LC_ALL: 'C', TZ: 'UTC' }]]);
  });

  it("asks the kernel's name only of processes whose split words mention claude, and names them by it", async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      if (args[1] === 'pid=,ucomm=') return ok('  700 claude\n');
      return ok(
        [
          '    1     0     1     0 Ss   ??  07-21:28:18   57:24.25 Mon Aug 17 18:02:29 2026  14752 /sbin/launchd',
          '  700     1   700   501 S    ??     01:00:00    0:01.00 Mon Aug 24 14:13:09 2026 204000 /Users/Jane Doe/.local/bin/claude --resume abc',
          '  701     1   701   501 S    ??     01:00:00    0:01.00 Mon Aug 24 14:13:09 2026  90000 /Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
          '',
        ].join('\n'),
      );
    };
    const { records } = await createPsSource({ run }).list({ sampleMs: 0 });
    expect(calls.slice(1)).toEqual([['-o', 'pid=,ucomm=', '-p', '700']]);
    expect(records.get(700)).toMatchObject({ name: 'claude', argv: ['/Users/Jane', 'Doe/.local/bin/claude', '--resume', 'abc'] });
    expect(records.get(701)!.name).toBe('Google');
  });

  it('runs no extra ps when no program path may be split', async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      return ok('    1     0     1     0 Ss   ??  07-21:28:18   57:24.25 Mon Aug 17 18:02:29 2026  14752 /sbin/launchd\n');
    };
    await createPsSource({ run }).list({ sampleMs: 0 });
    expect(calls).toHaveLength(1);
  });

  it('batches lsof for the candidates, and leaves fd counts unknown when it times out or is missing', async () => {
    const seen: (readonly string[])[] = [];
    const counted: RunCommand = async (_f, args) => {
      seen.push(args);
      return ok('p10\nfcwd\nf0\nf1\nf2\np11\nfcwd\nf0\n');
    };
    const details = await createPsSource({ run: counted }).details([10, 11, 12], new Map());
    expect(seen).toEqual([['-nP', '-a', '-p', '10,11,12', '-F', 'f']]);
    expect(details.get(10)).toMatchObject({ fdCount: 3, denied: [] });
    expect(details.get(12)).toMatchObject({ fdCount: null, denied: ['fd count'] });

    const slow: RunCommand = async () => ({ ...ok(''), failed: true, timedOut: true, message: 'timed out' });
    expect((await createPsSource({ run: slow }).details([10], new Map())).get(10)).toMatchObject({ fdCount: null, denied: [] });
    const absent: RunCommand = async () => ({ ...ok(''), failed: true, code: 'ENOENT', message: 'ENOENT' });
    expect((await createPsSource({ run: absent }).details([10], new Map())).get(10)!.fdCount).toBeNull();
  });

  it("reads the environment of the user's own candidates with the platform's flag, and calls others' denied", async () => {
    const records = new Map(
      ([
        [10, 501, ['/bin/sh', '-c', 'sleep 9']],
        [11, 502, ['node', 'mcp.js']],
        [12, 501, null],
      ] as const).map(([pid, uid, argv]) => [pid, { pid, uid, argv } as unknown as ProcessRecord]),
    );
    for (const [platform, flag] of [['linux', 'e'], ['darwin', '-E'], ['freebsd', '-e']] as const) {
      const calls: (readonly string[])[] = [];
      const run: RunCommand = async (_file, args) => {
        calls.push(args);
        return args[0] === flag ? ok('   10 /bin/sh -c sleep 9 HOME=/h CLAUDE_PID=4242\n') : ok('');
      };
      const details = await createPsSource({ run, platform, user: { uid: 501, name: 'u' } }).details([10, 11, 12], records);
      expect(calls).toContainEqual([flag, '-ww', '-o', 'pid=,args=', '-p', '10']);
      expect(details.get(10)!.markers).toEqual({ home: '/h', claudePid: 4242 });
      expect(details.get(11)).toMatchObject({ markers: null, denied: ['fd count', 'environment'] });
      expect(details.get(12)).toMatchObject({ markers: null, denied: ['fd count'] });
    }
    // root reads everyone's.
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => (calls.push(args), ok(''));
    await createPsSource({ run, platform: 'linux', user: { uid: 0, name: 'root' } }).details([10, 11], records);
    expect(calls).toContainEqual(['e', '-ww', '-o', 'pid=,args=', '-p', '10,11']);
  });

  it('reads no environment when asked not to', async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      return ok('');
    };
    const records = new Map([[10, { pid: 10, uid: 501, argv: ['sleep', '9'] } as ProcessRecord]]);
    await createPsSource({ run, user: { uid: 501, name: 'u' } }).details([10], records, { environment: false });
    expect(calls.every((a) => a[0] === '-nP')).toBe(true);
  });

  it('runs no lsof when asked for the environment alone', async () => {
    const calls: (readonly string[])[] = [];
    const run: RunCommand = async (_file, args) => {
      calls.push(args);
      return args[0] === 'e' ? ok('   10 sleep 9 CLAUDE_PID=7\n') : ok('');
    };
    const records = new Map([[10, { pid: 10, uid: 501, argv: ['sleep', '9'] } as ProcessRecord]]);
    const details = await createPsSource({ run, platform: 'linux', user: { uid: 501, name: 'u' } }).details([10], records, { only: 'environment' });
    expect(calls).toEqual([['e', '-ww', '-o', 'pid=,args=', '-p', '10']]);
    expect(details.get(10)).toEqual({ markers: { claudePid: 7 }, fdCount: null, cwd: null, denied: [] });
  });

  it('keeps what ps printed before its output hit the cap, and leaves the rest unknown', async () => {
    const run: RunCommand = async (_file, args) =>
      args[0] === 'e' ? { ...ok('   10 sleep 9 CLAUDE_PID=1\n   11 sleep 8 CLAUDE_PI'), failed: true, truncated: true, message: 'maxBuffer' } : ok('');
    const records = new Map([10, 11].map((pid, i) => [pid, { pid, uid: 501, argv: ['sleep', String(9 - i)] } as ProcessRecord]));
    const details = await createPsSource({ run, platform: 'linux', user: { uid: 501, name: 'u' } }).details([10, 11], records);
    expect(details.get(10)!.markers).toEqual({ claudePid: 1 });
    expect(details.get(11)!.markers).toBeNull();
  });

  it('identifies a process by its lstart and tells a zombie by its state', async () => {
    const zombie: RunCommand = async (_f, args) => {
      expect(args).toEqual(['-o', 'state=,lstart=', '-p', '911']);
      return ok('Z    Sun Nov  1 08:30:00 2026\n');
    };
    expect(await createPsSource({ run: zombie }).identify(911)).toEqual({ startId: 'Sun Nov 1 08:30:00 2026', zombie: true });
  });

  it('reads "no such pid" from ps as gone, and a ps failure as an error', async () => {
    const gone: RunCommand = async () => ({ ...ok(''), failed: true, exitCode: 1, message: 'exit 1' });
    expect(await createPsSource({ run: gone }).identify(4242)).toBeNull();
    expect((await createPsSource({ run: gone }).readCpu([4242])).size).toBe(0);
    const broken: RunCommand = async () => ({ ...ok(''), failed: true, timedOut: true, message: 'timed out' });
    await expect(createPsSource({ run: broken }).identify(4242)).rejects.toThrow(PlatformError);
  });
});

// The macOS adapter uses only keywords procps also knows, so on Linux it can be checked against /proc.
describe.skipIf(process.platform !== 'linux')('the ps source, live on Linux, against /proc', () => {
  const children: ChildProcess[] = [];

  beforeEach(() => requireTools('ps'));

  afterEach(async () => {
    // End exactly the processes this test started, by pid, even when it failed.
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            process.kill(child.pid!, 'SIGKILL');
          }),
      ),
    );
  });

  function start(file: string, args: string[]): number {
    const child = spawn(file, args, { stdio: 'ignore' });
    children.push(child);
    return child.pid!;
  }

  const procArgv = (pid: number) => parseCmdline(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('reports the same pids, ppids, argv and start times as /proc', async () => {
    const pids = [start('sleep', ['300']), start(process.execPath, ['-e', 'setInterval(()=>{},1000)', 'alpha', 'beta'])];
    await sleep(300);
    const { records } = await createPsSource().list({ sampleMs: 0 });
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]) * 1000;
    for (const pid of pids) {
      const rec = records.get(pid)!;
      const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;
      expect(rec.ppid).toBe(process.pid);
      expect(rec.ppid).toBe(stat.ppid);
      expect(rec.pgid).toBe(stat.pgid);
      expect(rec.argv).toEqual(procArgv(pid));
      expect(rec.state).toBe(stat.state);
      expect(Math.abs(rec.startTime - (btime + Number(stat.startTicks) * 10))).toBeLessThan(1000);
      expect(await createPsSource().identify(pid)).toEqual({ startId: rec.startId, zombie: false });
    }
    expect(records.get(pids[1]!)!.argv).toEqual([process.execPath, '-e', 'setInterval(()=>{},1000)', 'alpha', 'beta']);
    expect(records.get(pids[0]!)!.name).toBe('sleep');
  });

  it('shows a busy process gaining more CPU time over the window than an idle one', async () => {
    const busy = start(process.execPath, ['-e', 'for(;;){}']);
    const idle = start('sleep', ['300']);
    await sleep(200);
    const source = createPsSource();
    const before = await source.readCpu([busy, idle]);
    await sleep(2000);
    const after = await source.readCpu([busy, idle]);
    const delta = (pid: number) => after.get(pid)!.cpuTimeMs - before.get(pid)!.cpuTimeMs;
    // procps prints `time` in whole seconds, so 2 s of spinning shows as at least 1 s.
    expect(delta(busy)).toBeGreaterThanOrEqual(1000);
    expect(delta(idle)).toBe(0);
    expect(after.get(busy)!.startId).toBe(before.get(busy)!.startId);
    expect(after.get(busy)!.at > before.get(busy)!.at).toBe(true);
  });

  it('counts fds with one lsof when lsof is installed, and says a dead pid is gone', async () => {
    const pid = start('sleep', ['300']);
    await sleep(200);
    const source = createPsSource();
    const fdCount = (await source.details([pid], new Map())).get(pid)!.fdCount;
    const hasLsof = which('lsof') !== null;
    expect(fdCount).toBe(hasLsof ? readdirSync(`/proc/${pid}/fd`).length : null);

    await new Promise<void>((resolve) => {
      children[0]!.once('exit', () => resolve());
      process.kill(pid, 'SIGKILL');
    });
    expect(await source.identify(pid)).toBeNull();
    expect((await source.readCpu([pid])).has(pid)).toBe(false);
  });
});
