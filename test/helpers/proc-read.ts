// Direct /proc reads for the tests, independent of the code under test so they can check it.
// Every reader returns null when the process is gone (or unreadable) instead of throwing.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  ttyNr: number;
  tpgid: number;
  /** Clock ticks. */
  utime: number;
  stime: number;
  threads: number;
  /** Field 22, starttime in clock ticks since boot: with the pid, the process's identity. */
  startId: string;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** /proc/PID/stat, split after the LAST ')' because comm may itself contain ') '. */
export function procStat(pid: number): ProcStat | null {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  // f[0] is field 3 (state); field n is f[n - 3].
  const f = text.slice(close + 2).trim().split(' ');
  const n = (field: number): number => Number(f[field - 3]);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: f[0]!,
    ppid: n(4),
    pgid: n(5),
    sid: n(6),
    ttyNr: n(7),
    tpgid: n(8),
    utime: n(14),
    stime: n(15),
    threads: n(20),
    startId: f[22 - 3]!,
  };
}

/** The pids whose parent is pid (any of its threads), from every /proc/PID/stat. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (/^\d+$/.test(name) && procStat(Number(name))?.ppid === pid) out.push(Number(name));
  }
  return out;
}

export function readStartId(pid: number): string | null {
  return procStat(pid)?.startId ?? null;
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  const state = procStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Still the process that had this start id (a zombie counts: its pid is not free yet). */
export function isSameProcess(pid: number, startId: string): boolean {
  return readStartId(pid) === startId;
}

/**
 * argv from /proc/PID/cmdline. Trailing NULs are dropped: a process that set its title (node's
 * process.title) leaves the rest of the old argv area zeroed, and the kernel returns all of it.
 */
export function readCmdline(pid: number): string[] | null {
  const text = read(`/proc/${pid}/cmdline`);
  if (text === null) return null;
  return text.replace(/\0+$/, '').split('\0');
}

export function readComm(pid: number): string | null {
  return read(`/proc/${pid}/comm`)?.trimEnd() ?? null;
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

export function readExe(pid: number): string | null {
  return link(`/proc/${pid}/exe`);
}

export function readEnviron(pid: number): Record<string, string> | null {
  const text = read(`/proc/${pid}/environ`);
  if (text === null) return null;
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** fd number -> link target (`socket:[123]`, `/dev/pts/3`, `pipe:[9]`). */
export function fdTargets(pid: number): Map<number, string> | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const out = new Map<number, string>();
  for (const name of names) {
    const target = link(`/proc/${pid}/fd/${name}`);
    if (target !== null) out.set(Number(name), target);
  }
  return out;
}

/** The inode of a `socket:[N]` link target, or null for anything else. */
export function socketInode(target: string | undefined): string | null {
  return /^socket:\[(\d+)\]$/.exec(target ?? '')?.[1] ?? null;
}

/** Inodes of the unix sockets that exist, from /proc/net/unix (inode is the 7th column). */
export function unixSocketInodes(): Set<string> {
  const lines = (read('/proc/net/unix') ?? '').split('\n').slice(1);
  return new Set(lines.map((l) => l.trim().split(/\s+/)[6]).filter((x): x is string => !!x));
}

export interface TcpSocket {
  local: string;
  remote: string;
  /** Kernel state number in hex: 01 ESTABLISHED, 0A LISTEN. */
  state: string;
  inode: string;
}

/** IPv4 and IPv6 TCP sockets held by this process, matched through its fds' inodes. */
export function tcpSockets(pid: number): TcpSocket[] | null {
  const fds = fdTargets(pid);
  if (!fds) return null;
  const inodes = new Set([...fds.values()].map(socketInode).filter((x): x is string => x !== null));
  const out: TcpSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(file) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9]!)) out.push({ local: f[1]!, remote: f[2]!, state: f[3]!, inode: f[9]! });
    }
  }
  return out;
}

/** Total CPU time in nanoseconds, from /proc/PID/schedstat (first field). */
export function cpuNs(pid: number): number | null {
  const text = read(`/proc/${pid}/schedstat`);
  return text ? Number(text.split(' ')[0]) : null;
}

/** Name of a controlling terminal from stat's tty_nr (Linux devices.txt: 136-143 are pts). */
export function ttyName(ttyNr: number): string | null {
  if (ttyNr === 0) return null;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4 && minor < 64) return `tty${minor}`;
  return `${major}:${minor}`;
}
