// Pure parsers for the text of Linux /proc files. Field numbers follow proc(5), counting from 1.
import type { ClaudeMarkers } from '../../types.js';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  ttyNr: number;
  tpgid: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  threads: number;
  /** starttime: clock ticks after boot. The process's identity, together with the pid. */
  startTicks: string;
  rssPages: number;
}

// Fields 1-24 of /proc/PID/stat, capturing those used. The name (field 2) is taken greedily, so
// it ends at the LAST `) ` that the fields can follow: a process may name itself `a) R 1 (`.
// One regular expression is faster, and makes less garbage, than walking or splitting the line
// by hand (measured on 2,000 processes).
const STAT = /^(\d+) \((.*)\) (\S+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) \S+ \S+ \S+ \S+ \S+ (\d+) (\d+) \S+ \S+ \S+ \S+ (-?\d+) \S+ (\d+) \S+ (-?\d+)/s;

/** Parses /proc/PID/stat; null when it is not one. */
export function parseStat(text: string): ProcStat | null {
  const m = STAT.exec(text);
  if (!m) return null;
  return {
    pid: Number(m[1]),
    comm: m[2]!,
    state: m[3]!,
    ppid: Number(m[4]),
    pgid: Number(m[5]),
    sid: Number(m[6]),
    ttyNr: Number(m[7]),
    tpgid: Number(m[8]),
    cpuTicks: Number(m[9]) + Number(m[10]),
    threads: Number(m[11]),
    startTicks: m[12]!,
    rssPages: Number(m[13]),
  };
}

/**
 * /proc/PID/cmdline: NUL-separated, usually NUL-terminated. Empty for kernel threads and zombies.
 * Read as UTF-8 text (Node's fast path for whole-file reads; NUL is valid UTF-8).
 */
export function parseCmdline(text: string): string[] {
  // node's process.title zero-fills the rest of the old argv area: `claude\0\0\0…`. Trailing
  // NULs are dropped whole (so are trailing empty arguments, which cannot be told apart).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  if (end === 0) return [];
  // A process that rewrote its argv area as one string with spaces (setproctitle) has no NULs.
  return text.slice(0, end).split('\0');
}

/** /proc/PID/schedstat: time on CPU (ns), time waiting (ns), timeslices. */
export function parseSchedstat(text: string): number | null {
  const ns = Number(text.slice(0, text.indexOf(' ')));
  return Number.isFinite(ns) ? ns : null;
}

/** `btime` from /proc/stat: boot time in seconds since the epoch. */
export function parseBtime(text: string): number | null {
  const m = /^btime (\d+)$/m.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Names the terminal encoded in `tty_nr` (major in bits 15-8, minor in bits 31-20 and 7-0).
 * Devices with majors listed in devices(7): 136-143 are Unix98 ptys, 4 the virtual consoles and
 * serial ports, 5/1 the system console. Anything else gets its numbers, which is still unique.
 */
export function ttyName(ttyNr: number): string | null {
  if (ttyNr === 0) return null;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 1) return 'console';
  return `tty(${major},${minor})`;
}

const MARKER_KEYS = [
  'CLAUDECODE=',
  'CLAUDE_CODE_ENTRYPOINT=',
  'CLAUDE_AGENT_SDK_VERSION=',
  'CLAUDE_CONFIG_DIR=',
  'CLAUDE_PID=',
  'CLAUDE_CODE_SESSION_ID=',
  'CLAUDE_CODE_MESSAGING_SOCKET=',
] as const;

/** Picks Claude Code's markers, and HOME, out of /proc/PID/environ (NUL-separated KEY=value). */
export function parseEnvironMarkers(text: string): ClaudeMarkers {
  const markers: ClaudeMarkers = {};
  const home = environValue(text, 'HOME=');
  if (home) markers.home = home;
  // Cheap pre-check: most environments carry no CLAUDE variable at all.
  if (!text.includes('CLAUDE')) return markers;
  for (const entry of text.split('\0')) {
    if (!entry.startsWith('CLAUDE')) continue;
    const key = MARKER_KEYS.find((k) => entry.startsWith(k));
    if (!key) continue;
    const value = entry.slice(key.length);
    switch (key) {
      case 'CLAUDECODE=': markers.claudeCode = value === '1'; break;
      case 'CLAUDE_CODE_ENTRYPOINT=': markers.entrypoint = value; break;
      case 'CLAUDE_AGENT_SDK_VERSION=': markers.sdkVersion = value; break;
      case 'CLAUDE_CONFIG_DIR=': markers.configDir = value; break;
      case 'CLAUDE_PID=': if (/^\d+$/.test(value)) markers.claudePid = Number(value); break;
      case 'CLAUDE_CODE_SESSION_ID=': markers.sessionId = value; break;
      case 'CLAUDE_CODE_MESSAGING_SOCKET=': markers.messagingSocket = value; break;
    }
  }
  return markers;
}

/** The value of the entry that starts with `key` (like 'HOME='), the first if several; undefined if none. */
function environValue(text: string, key: string): string | undefined {
  let at = 0;
  if (!text.startsWith(key)) {
    const i = text.indexOf(`\0${key}`);
    if (i < 0) return undefined;
    at = i + 1;
  }
  const end = text.indexOf('\0', at);
  return text.slice(at + key.length, end < 0 ? text.length : end);
}

export interface TcpSocket {
  inode: string;
  /** TCP state, per include/net/tcp_states.h: 01 ESTABLISHED, 0A LISTEN. */
  state: number;
  localPort: number;
  remoteLoopback: boolean;
}

/** /proc/net/tcp and tcp6: one socket a line; addresses are hex in host byte order. */
export function parseNetTcp(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [localAddr, localPort] = f[1]!.split(':');
    const [remoteAddr] = f[2]!.split(':');
    sockets.push({
      inode: f[9]!,
      state: parseInt(f[3]!, 16),
      localPort: parseInt(localPort ?? '0', 16),
      remoteLoopback: isLoopbackHex(remoteAddr ?? '') || (localAddr !== undefined && remoteAddr === localAddr),
    });
  }
  return sockets;
}

export const TCP_ESTABLISHED = 0x01;
export const TCP_LISTEN = 0x0a;

function isLoopbackHex(addr: string): boolean {
  // IPv4 is one little-endian word: 127.x.x.x ends in 7F. IPv6 ::1 and ::ffff:127.x.x.x.
  if (addr.length === 8) return addr.endsWith('7F');
  if (addr.length === 32) {
    return addr === '00000000000000000000000001000000' || (addr.startsWith('0000000000000000FFFF0000') && addr.endsWith('7F'));
  }
  return false;
}

export interface UnixSocket {
  inode: string;
  refCount: number;
  /** 1 = SOCK_STREAM. */
  type: number;
  /** Socket state: 3 = connected. */
  st: number;
  path: string | null;
}

/** /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`, all hex but the inode. */
export function parseNetUnix(text: string): Map<string, UnixSocket> {
  const sockets = new Map<string, UnixSocket>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 7) continue;
    sockets.set(f[6]!, {
      inode: f[6]!,
      refCount: parseInt(f[1]!, 16),
      type: parseInt(f[4]!, 16),
      st: parseInt(f[5]!, 16),
      path: f[7] ?? null,
    });
  }
  return sockets;
}

/**
 * Whether the far end of a connected, unnamed stream socket has been closed. A connected end is
 * referenced by its own file and by its peer (`unix_peer()` holds a reference; see
 * net/unix/af_unix.c, unix_release_sock): a socketpair end shows RefCount 3 while its peer lives
 * and 2 once the peer is released. Measured on Linux 6.x with node's stdio socketpairs.
 */
export function unixPeerGone(sock: UnixSocket): boolean {
  const SOCK_STREAM = 1;
  const SS_CONNECTED = 3;
  return sock.type === SOCK_STREAM && sock.st === SS_CONNECTED && sock.path === null && sock.refCount <= 2;
}
