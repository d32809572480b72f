// macOS: one `ps` for the table, two more for CPU readings, and for candidates only one batched
// `lsof` (fds) and one `ps -E` (their environment: Claude's markers). The kernel's names are read
// with one more `ps` where a program path may have been split at a space. Only keywords that Linux
// procps understands too, so this source also runs (and is tested) on Linux.
import { userInfo } from 'node:os';
import { PlatformError } from '../errors.js';
import { mayBeSplitProgram, parseLsofFdCounts, parseLstart, parsePsCpu, parsePsEnvironment, parsePsList, parsePsNames } from './parse/ps.js';
import { runCommand, type RunCommand } from './exec.js';
import { commandFailed, programName } from './failure.js';
import type { ClaudeMarkers, ProcessRecord } from '../types.js';
import type { CpuReading, Details, Listing, ProcessSource } from './source.js';

/** English month names and UTC start times, whatever the user's locale and zone. */
const PS_ENV = { LC_ALL: 'C', TZ: 'UTC' };
export const PS_LIST_ARGS = ['-axww', '-o', 'pid=,ppid=,pgid=,uid=,state=,tty=,etime=,time=,lstart=,rss=,args='];
const PS_CPU_FIELDS = 'pid=,time=,lstart=';
const LIST_TIMEOUT_MS = 15_000;
const CPU_TIMEOUT_MS = 10_000;
// lsof can take seconds on a busy Mac; fd counts are evidence, never worth a stalled scan.
const LSOF_TIMEOUT_MS = 2_000;
// Past this many pids, one `ps -ax` is cheaper than a long `-p` list.
const MAX_PID_ARGS = 200;
// The kernel's names cost one more ps run: asked only for processes whose program path may have
// been split at a space and whose words mention claude, the only programs a scan recognizes by
// their path. A Mac full of `/Applications/Google Chrome.app/…` helpers costs nothing more.
const NAME_WORTH = 'claude';
// Environments of candidates only, and at most this much of them: a few KB each is usual, and a
// scan has tens of candidates. Past it the rest stay unknown rather than the scan waiting on ps.
const ENV_MAX_BYTES = 4 * 1024 * 1024;
/**
 * How ps is asked for the environment after the command: procps's BSD-style `e`, macOS `-E`,
 * FreeBSD and OpenBSD `-e` (on macOS `-e` means every process, and a bare `e` is read as `-e`).
 */
const ENV_FLAG: Partial<Record<NodeJS.Platform, string>> = { linux: 'e', android: 'e', darwin: '-E', freebsd: '-e', openbsd: '-e', netbsd: '-e' };

export interface PsSourceOptions {
  ps?: string;
  lsof?: string;
  run?: RunCommand;
  /** Whose ps this is, for the environment flag (default: this machine's). */
  platform?: NodeJS.Platform;
  /** Who runs it (default: this process's user): ps shows that user's environments only. */
  user?: { uid: number; name: string } | null;
}

export function createPsSource(opts: PsSourceOptions = {}): ProcessSource {
  const ps = opts.ps ?? 'ps';
  const lsof = opts.lsof ?? 'lsof';
  const run = opts.run ?? runCommand;
  const me = opts.user !== undefined ? opts.user : selfUser();
  const envFlag = ENV_FLAG[opts.platform ?? process.platform] ?? '-E';

  return {
    id: 'ps',
    reparent: 'posix',

    async list() {
      const r = await run(ps, PS_LIST_ARGS, { timeout: LIST_TIMEOUT_MS, env: PS_ENV });
      if (r.failed) throw new PlatformError(`cannot read the process table: ${commandFailed(ps, r)}`);
      const { records, unparsed } = parsePsList(r.stdout, { now: Date.now(), userName: (uid) => (uid === me?.uid ? me.name : null) });
      if (records.size === 0) throw new PlatformError(`cannot read the process table: ${programName(ps)} printed no processes`);
      await addKernelNames(run, ps, records);
      const denied = new Map<number, string[]>();
      for (const line of unparsed) {
        const pid = Number(/^\s*(\d+)/.exec(line)?.[1] ?? NaN);
        if (Number.isInteger(pid)) denied.set(pid, ['record: ps line did not parse']);
      }
      return { records, denied } satisfies Listing;
    },

    async details(pids, records, opts) {
      const out = new Map<number, Details>();
      const counts = pids.length > 0 && opts?.only !== 'environment' ? await fdCounts(run, lsof, pids) : null;
      // ps shows the environment of the user's own processes only (root: everyone's).
      const readable = (pid: number) => me !== null && (me.uid === 0 || records.get(pid)?.uid === me.uid);
      const withEnv = opts?.environment ?? true;
      const markers = withEnv ? await environments(run, ps, envFlag, pids.filter((pid) => readable(pid) && records.get(pid)?.argv), records) : new Map();
      for (const pid of pids) {
        const fdCount = counts?.get(pid) ?? null;
        // lsof ran but could not count this one: another user's process, or it is gone.
        const denied = counts && fdCount === null ? ['fd count'] : [];
        if (withEnv && !readable(pid) && records.get(pid)?.argv) denied.push('environment');
        out.set(pid, { markers: markers.get(pid) ?? null, fdCount, cwd: null, denied });
      }
      return out;
    },

    async readCpu(pids) {
      const out = new Map<number, CpuReading>();
      if (pids.length === 0) return out;
      const args = pids.length > MAX_PID_ARGS ? ['-ax', '-o', PS_CPU_FIELDS] : ['-o', PS_CPU_FIELDS, '-p', pids.join(',')];
      const r = await run(ps, args, { timeout: CPU_TIMEOUT_MS, env: PS_ENV });
      const at = process.hrtime.bigint();
      // ps exits 1 when none of the pids exists any more: that is an answer, not a failure.
      if (r.failed && !(r.exitCode === 1 && r.stdout.trim() === '')) {
        throw new PlatformError(`cannot read CPU times: ${commandFailed(ps, r)}`);
      }
      const wanted = new Set(pids);
      for (const [pid, cpu] of parsePsCpu(r.stdout)) {
        if (wanted.has(pid)) out.set(pid, { cpuNs: cpu.cpuTimeMs * 1e6, at, startId: cpu.startId, cpuTimeMs: cpu.cpuTimeMs });
      }
      return out;
    },

    async identify(pid) {
      const r = await run(ps, ['-o', 'state=,lstart=', '-p', String(pid)], { timeout: CPU_TIMEOUT_MS, env: PS_ENV });
      if (r.failed && !(r.exitCode === 1 && r.stdout.trim() === '')) {
        throw new PlatformError(`cannot read process ${pid}: ${commandFailed(ps, r)}`);
      }
      const m = /^\s*(\S+)\s+(.+)$/.exec(r.stdout.trim());
      const lstart = m ? parseLstart(m[2]!) : null;
      return m && lstart ? { startId: lstart.startId, zombie: m[1]!.startsWith('Z') } : null;
    },
  };
}

/**
 * ps joins argv with spaces, so a program under `/Users/Jane Doe/` comes back as `/Users/Jane`
 * then `Doe/…`, and the name taken from argv[0] would be `Jane`. For such processes the record's
 * name becomes the kernel's (`ucomm`), which the matcher needs to rejoin the path and nothing else
 * can give (see programPath in classify/match.ts). A failed read leaves the names as they were.
 */
async function addKernelNames(run: RunCommand, ps: string, records: ReadonlyMap<number, ProcessRecord>): Promise<void> {
  const pids = new Set<number>();
  for (const rec of records.values()) {
    if (mayBeSplitProgram(rec.argv) && rec.argv!.some((w) => w.includes(NAME_WORTH))) pids.add(rec.pid);
  }
  if (pids.size === 0) return;
  const args = pids.size > MAX_PID_ARGS ? ['-ax', '-o', 'pid=,ucomm='] : ['-o', 'pid=,ucomm=', '-p', [...pids].join(',')];
  const r = await run(ps, args, { timeout: CPU_TIMEOUT_MS, env: PS_ENV });
  if (r.failed && r.exitCode !== 1) return;
  for (const [pid, name] of parsePsNames(r.stdout)) {
    const rec = records.get(pid);
    if (rec && pids.has(pid)) rec.name = name;
  }
}

/**
 * Claude's markers of the given processes, from their environment as ps prints it after the
 * command (see parsePsEnvironment), in batches, at most ENV_MAX_BYTES of output each. What ps
 * could not show, or what fell past the cap, is absent (unknown).
 */
async function environments(run: RunCommand, ps: string, flag: string, pids: readonly number[], records: ReadonlyMap<number, ProcessRecord>): Promise<Map<number, ClaudeMarkers | null>> {
  const out = new Map<number, ClaudeMarkers | null>();
  const argvOf = (pid: number) => records.get(pid)?.argv;
  for (let i = 0; i < pids.length; i += MAX_PID_ARGS) {
    const batch = pids.slice(i, i + MAX_PID_ARGS);
    const r = await run(ps, [flag, '-ww', '-o', 'pid=,args=', '-p', batch.join(',')], { timeout: CPU_TIMEOUT_MS, env: PS_ENV, maxBuffer: ENV_MAX_BYTES });
    // Exit 1 is "some pid is gone"; cut off at the cap, the last line may be partial: drop it.
    if (r.failed && r.exitCode !== 1 && !r.truncated) continue;
    const text = r.truncated ? r.stdout.slice(0, r.stdout.lastIndexOf('\n') + 1) : r.stdout;
    for (const [pid, markers] of parsePsEnvironment(text, argvOf)) out.set(pid, markers);
  }
  return out;
}

/**
 * One `lsof` for all candidates. lsof exits 1 when some pid had nothing to show, and prints the
 * rest anyway; a missing lsof or a timeout leaves every count unknown.
 */
async function fdCounts(run: RunCommand, lsof: string, pids: readonly number[]): Promise<Map<number, number | null> | null> {
  const r = await run(lsof, ['-nP', '-a', '-p', pids.join(','), '-F', 'f'], { timeout: LSOF_TIMEOUT_MS });
  if (r.timedOut || r.code !== undefined) return null;
  return parseLsofFdCounts(r.stdout);
}

function selfUser(): { uid: number; name: string } | null {
  try {
    const info = userInfo();
    return info.uid >= 0 ? { uid: info.uid, name: info.username } : null;
  } catch {
    return null;
  }
}
