// Pure parsers for BSD/macOS `ps` output, which Linux procps also produces for the keywords we use:
//   ps -axww -o pid=,ppid=,pgid=,uid=,state=,tty=,etime=,time=,lstart=,rss=,args=
// run with LC_ALL=C (English month names, `.` as the decimal point) and TZ=UTC (lstart in UTC).
//
// No `comm`/`ucomm` column: only the last column is printed whole. Before it, macOS cuts `comm`
// to 16 characters (`/System/Applicat`, vanodevium/processes#3), and both it and Linux comm may
// hold spaces, so they could not be told apart from args. The name is argv[0]'s basename instead.
import type { ClaudeMarkers, ProcessRecord } from '../../types.js';
import { parseEnvironMarkers } from './procfs.js';

const MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `etime`, `[[dd-]hh:]mm:ss`, as milliseconds; null when it is not that shape. */
export function parseEtime(text: string): number | null {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * MS.d + Number(m[2] ?? 0) * MS.h + Number(m[3]) * MS.m + Number(m[4]) * MS.s;
}

/**
 * `time` (user + system CPU) as milliseconds. macOS prints minutes, seconds and centiseconds,
 * `mmm:ss.cc`, the minutes growing past 60 (`139:17.71`, seen in a real `ps -ef` from macOS in
 * fastfetch-cli/fastfetch#984); other BSDs switch to `h:mm:ss` after 100 minutes. Linux procps
 * prints `[dd-]hh:mm:ss` in whole seconds. All of these are `[dd-]` then 1-3 colon parts, the
 * last with an optional fraction.
 */
export function parseCpuTime(text: string): number | null {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const parts = [m[2], m[3], m[4]].filter((p): p is string => p !== undefined).map(Number);
  while (parts.length < 3) parts.unshift(0); // [h, m, s]
  const fraction = m[5] ? Number(`0.${m[5]}`) * MS.s : 0;
  return Number(m[1] ?? 0) * MS.d + parts[0]! * MS.h + parts[1]! * MS.m + parts[2]! * MS.s + Math.round(fraction);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

export interface Lstart {
  /** The lstart text with single spaces: `Tue Aug 25 05:53:49 2026`. */
  startId: string;
  /** Epoch ms, reading the text as UTC (ps ran with TZ=UTC). */
  startTime: number;
}

/**
 * `lstart`: strftime `%c` in the C locale, `Tue Aug  5 05:53:49 2026` (the day is space-padded, so
 * the text is always five tokens). One-second resolution: with the pid it is the identity.
 */
export function parseLstart(text: string): Lstart | null {
  const startId = text.trim().split(/\s+/).join(' ');
  const m = LSTART.exec(startId);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  const startTime = Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return { startId, startTime };
}

// The fixed columns, then args. lstart is five tokens; args is everything after rss and its one space.
const LINE = new RegExp(
  String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+` +
    String.raw`([A-Z][a-z]{2}\s+[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4})\s+(\S+)(?: (.*))?$`,
);

/**
 * How ps shows a process whose arguments it cannot read: Linux procps puts the kernel's name in
 * brackets (`[kthreadd]`, zombies `[sh] <defunct>`), macOS in parentheses (`(userInit)`, in the
 * capture from fusioninventory-agent's resources/generic/ps/macos).
 */
const NO_ARGS = /^(?:\[(.+)\]|\((.+)\))(?: <defunct>)?$/;

export interface PsParseOptions {
  /** When ps ran, epoch ms: the elapsed time falls back to it if `etime` does not parse. */
  now?: number;
  /** A name for a uid, where the caller knows one (its own uid). */
  userName?: (uid: number) => string | null;
}

/** One line of the list command's output, or null when it is not that shape. */
export function parsePsLine(line: string, opts: PsParseOptions = {}): ProcessRecord | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const lstart = parseLstart(m[9]!);
  if (!lstart) return null;
  const uid = Number(m[4]);
  const etimeMs = parseEtime(m[7]!);
  const rssKiB = Number(m[10]);
  const args = m[11] ?? '';
  const hidden = NO_ARGS.exec(args);
  // ps joins argv with spaces and cannot give back the original boundaries: an argument that
  // holds a space (`/Applications/Google Chrome.app/...`) comes back as two. argv[0] is the
  // first token; matching on argv must allow for that.
  const argv = hidden || args === '' ? null : args.split(' ');
  return {
    pid: Number(m[1]),
    ppid: Number(m[2]),
    pgid: Number(m[3]),
    sid: null,
    uid,
    user: opts.userName?.(uid) ?? null,
    name: hidden ? (hidden[1] ?? hidden[2]!) : argv ? nameOf(argv[0]!) : '',
    exe: null,
    argv,
    startTime: lstart.startTime,
    startId: lstart.startId,
    elapsedMs: etimeMs ?? Math.max(0, (opts.now ?? lstart.startTime) - lstart.startTime),
    cpuTimeMs: parseCpuTime(m[8]!),
    rssBytes: Number.isFinite(rssKiB) ? rssKiB * 1024 : null,
    tty: ttyOf(m[6]!),
    tpgid: null,
    // macOS `state` is `stat` (`Ss`, `R+`, `U`); the first letter is the state proper.
    state: m[5]!.charAt(0),
    threads: null,
    fdCount: null,
    cwd: null,
  };
}

export interface PsListing {
  records: Map<number, ProcessRecord>;
  /** Non-empty lines that did not parse (kept for a warning, never silently dropped). */
  unparsed: string[];
}

export function parsePsList(text: string, opts: PsParseOptions = {}): PsListing {
  const records = new Map<number, ProcessRecord>();
  const unparsed: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const rec = parsePsLine(line, opts);
    if (rec) records.set(rec.pid, rec);
    else unparsed.push(line);
  }
  return { records, unparsed };
}

/** Output of `ps -o pid=,time=,lstart= -p ...`: CPU time and start token per pid. */
export function parsePsCpu(text: string): Map<number, { cpuTimeMs: number; startId: string }> {
  const out = new Map<number, { cpuTimeMs: number; startId: string }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const cpuTimeMs = parseCpuTime(m[2]!);
    const lstart = parseLstart(m[3]!);
    if (cpuTimeMs !== null && lstart) out.set(Number(m[1]), { cpuTimeMs, startId: lstart.startId });
  }
  return out;
}

/**
 * `lsof -F f` output: a `p<pid>` line opens each process, then one `f<descriptor>` line per open
 * file. Only numeric descriptors are fds; `cwd`, `txt`, `rtd`, `mem` are not. A process whose fd
 * table lsof could not read (`NOFD`, another user's process) or that shows no numeric fd at all
 * gets null: unknown, not zero.
 */
export function parseLsofFdCounts(text: string): Map<number, number | null> {
  const out = new Map<number, number | null>();
  let pid = -1;
  let count = 0;
  let unreadable = false;
  const flush = () => {
    if (pid >= 0) out.set(pid, unreadable || count === 0 ? null : count);
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('p')) {
      flush();
      pid = Number(line.slice(1));
      count = 0;
      unreadable = false;
    } else if (line.startsWith('f')) {
      const fd = line.slice(1);
      if (/^\d+$/.test(fd)) count++;
      else if (fd === 'NOFD') unreadable = true;
    }
  }
  flush();
  return out;
}

/** `??` (macOS) and `?` (Linux procps) mean no controlling terminal. */
function ttyOf(text: string): string | null {
  return text === '?' || text === '??' || text === '-' ? null : text;
}

/** The program name from argv[0]: its basename, without the `-` that marks a login shell. */
function nameOf(argv0: string): string {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.startsWith('-') && base.length > 1 ? base.slice(1) : base;
}

/**
 * Whether ps may have split this process's program path at a space, so that argv[0] is only the
 * path's first part: it is a path, and the next word continues one (`/Users/Jane` then
 * `Doe/bin/claude`: a `/` inside, no leading `/` or `-`).
 */
export function mayBeSplitProgram(argv: readonly string[] | null): boolean {
  if (!argv || argv.length < 2 || !argv[0]!.includes('/')) return false;
  const next = argv[1]!;
  return next.includes('/') && !next.startsWith('/') && !next.startsWith('-');
}

/**
 * Output of `ps -o pid=,ucomm= -p ...`: the kernel's name of each process (the executable's
 * basename, cut to 15 characters on Linux and 16 on macOS; it may hold spaces, so it is the last
 * column and taken whole).
 */
export function parsePsNames(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+) (.*?)\s*$/.exec(line);
    if (m && m[2] !== '') out.set(Number(m[1]), m[2]!);
  }
  return out;
}

// An environment variable's name, where a word of `ps e` / `ps -E` output starts one.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Claude's markers from `ps e -ww -o pid=,args=` (procps) or `ps -E -ww -o pid=,args=` (macOS):
 * each line is the pid, the command line, then the environment as `NAME=value` words, all joined
 * with single spaces. The command line is known from the listing (`argvOf`), so the environment
 * is what follows it; a line whose command line is not that one (the pid was reused, the process
 * exec'd) tells nothing. A word that does not start `NAME=` continues the value before it (a value
 * with a space); a value that itself holds ` NAME=` cannot be told apart, as in any ps output.
 *
 * Null where nothing follows the command line: ps shows no environment for other users'
 * processes, and macOS none for its platform binaries (`/bin/zsh`, `/bin/sh`) even the user's
 * own, so no words means unknown, not empty.
 */
export function parsePsEnvironment(text: string, argvOf: (pid: number) => readonly string[] | null | undefined): Map<number, ClaudeMarkers | null> {
  const out = new Map<number, ClaudeMarkers | null>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const argv = argvOf(pid);
    if (!argv || argv.length === 0) continue;
    const args = argv.join(' ');
    const rest = m[2]!;
    if (!rest.startsWith(args) || rest.length === args.length || rest[args.length] !== ' ') {
      out.set(pid, null);
      continue;
    }
    const env = rest.slice(args.length + 1);
    out.set(pid, parseEnvironMarkers(environWords(env)));
  }
  return out;
}

/** `A=1 B=x y C=2` as /proc/PID/environ has it: `A=1\0B=x y\0C=2`. */
function environWords(env: string): string {
  let out = '';
  for (const word of env.split(' ')) {
    if (ENV_NAME.test(word)) out += out === '' ? word : `\0${word}`;
    else if (out !== '') out += ` ${word}`;
  }
  return out;
}
