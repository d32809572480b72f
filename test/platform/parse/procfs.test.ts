import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TCP_ESTABLISHED,
  TCP_LISTEN,
  parseBtime,
  parseCmdline,
  parseEnvironMarkers,
  parseNetTcp,
  parseNetUnix,
  parseSchedstat,
  parseStat,
  ttyName,
  unixPeerGone,
} from '../../../src/platform/parse/procfs.js';
import { parsePasswd } from '../../../src/platform/parse/passwd.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/linux/${name}`, import.meta.url), 'utf8');

describe('parseStat', () => {
  it('splits after the last parenthesis, so a name like `a) R 1 (` cannot forge fields', () => {
    const stat = parseStat(fixture('stat-renamed.txt'))!;
    expect(stat).toMatchObject({ pid: 4570, comm: 'a) R 1 (', state: 'R', ppid: 4568, pgid: 4568, sid: 1018, ttyNr: 0, tpgid: -1 });
    expect(stat.cpuTicks).toBe(3 + 0); // utime 3 + stime 0
    expect(stat.threads).toBe(1);
    expect(stat.startTicks).toBe('56762');
    expect(stat.rssPages).toBe(3341);
  });

  it('keeps a name that holds a newline or the text of a stat line', () => {
    const line = fixture('stat-renamed.txt');
    const tail = line.slice(line.lastIndexOf(')') + 1);
    expect(parseStat(`4570 (a\nb)${tail}`)).toMatchObject({ pid: 4570, comm: 'a\nb', ppid: 4568 });
    expect(parseStat(`4570 (x) S 9 9 9 0 -1)${tail}`)).toMatchObject({ comm: 'x) S 9 9 9 0 -1', state: 'R', ppid: 4568 });
  });

  it('reads init, whose parent is 0', () => {
    expect(parseStat(fixture('stat-init.txt'))).toMatchObject({ pid: 1, comm: 'process_api', ppid: 0, startTicks: '23' });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('')).toBeNull();
    expect(parseStat('12 (x) S 1')).toBeNull();
  });
});

describe('other /proc files', () => {
  it('splits cmdline on NUL and drops the trailing one', () => {
    expect(parseCmdline('claude\0--output-format\0stream-json\0')).toEqual(['claude', '--output-format', 'stream-json']);
    expect(parseCmdline('')).toEqual([]);
    expect(parseCmdline('bash -c echo hi')).toEqual(['bash -c echo hi']);
    // node's process.title = 'claude' zero-fills what is left of the argv area
    expect(parseCmdline('claude\0\0\0\0\0\0\0\0')).toEqual(['claude']);
  });

  it('reads nanoseconds on CPU from schedstat', () => {
    expect(parseSchedstat('1004436 52800 1\n')).toBe(1004436);
  });

  it('reads btime from /proc/stat', () => {
    expect(parseBtime('cpu  1 2 3\nbtime 1795335624\nprocesses 5\n')).toBe(1795335624);
  });

  it('names pty, console and serial terminals from tty_nr', () => {
    expect(ttyName(0)).toBeNull();
    expect(ttyName((136 << 8) | 3)).toBe('pts/3');
    expect(ttyName((137 << 8) | 4)).toBe('pts/260');
    expect(ttyName((136 << 8) | (1 << 20) | 2)).toBe('pts/258'); // high minor bits
    expect(ttyName((4 << 8) | 1)).toBe('tty1');
    expect(ttyName((4 << 8) | 64)).toBe('ttyS0');
    expect(ttyName((5 << 8) | 1)).toBe('console');
  });

  it("picks only Claude's markers out of the environment", () => {
    const env = (
      ['PATH=/usr/bin', 'CLAUDECODE=1', 'CLAUDE_CODE_ENTRYPOINT=sdk-ts', 'CLAUDE_PID=4242', 'CLAUDE_CODE_SESSION_ID=abc',
        'CLAUDE_CODE_MESSAGING_SOCKET=/tmp/cc-socks/4242.sock', 'CLAUDE_CONFIG_DIR=/home/u/.claude-work', 'CLAUDE_AGENT_SDK_VERSION=0.3.330', 'CLAUDE_PIDX=1', ''].join('\0')
    );
    expect(parseEnvironMarkers(env)).toEqual({
      claudeCode: true,
      entrypoint: 'sdk-ts',
      claudePid: 4242,
      sessionId: 'abc',
      messagingSocket: '/tmp/cc-socks/4242.sock',
      configDir: '/home/u/.claude-work',
      sdkVersion: '0.3.330',
    });
    expect(parseEnvironMarkers('PATH=/usr/bin\0LANG=C\0')).toEqual({});
  });

  it('takes HOME, where a claude without CLAUDE_CONFIG_DIR keeps its config, from the entry named HOME alone', () => {
    expect(parseEnvironMarkers('HOME=/root\0')).toEqual({ home: '/root' });
    expect(parseEnvironMarkers('PATH=/bin\0HOME=/srv/bot\0CLAUDE_CODE_ENTRYPOINT=sdk-ts')).toEqual({ home: '/srv/bot', entrypoint: 'sdk-ts' });
    expect(parseEnvironMarkers('PATH=/bin\0HOME=/srv/last')).toEqual({ home: '/srv/last' });
    // Not HOME: a longer name, a value holding HOME=, an empty HOME.
    expect(parseEnvironMarkers('XDG_HOME=/x\0MYHOME=/y\0NOTE=HOME=/z\0')).toEqual({});
    expect(parseEnvironMarkers('HOME=\0PATH=/bin')).toEqual({});
    // The first of two, as getenv(3) finds it.
    expect(parseEnvironMarkers('HOME=/a\0HOME=/b')).toEqual({ home: '/a' });
  });

  it('maps uids to names and homes from /etc/passwd, first entry winning', () => {
    const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\ntoor:x:0:0::/:/bin/sh\n');
    expect(users.get(0)).toEqual({ name: 'root', home: '/root' });
    expect(users.get(65534)).toEqual({ name: 'nobody', home: '/nonexistent' });
  });
});

describe('sockets', () => {
  it('reads TCP listeners and established connections with their inodes', () => {
    const tcp = parseNetTcp(fixture('net-tcp.txt'));
    expect(tcp).toHaveLength(4);
    expect(tcp[0]).toEqual({ inode: '8562', state: TCP_LISTEN, localPort: 0xb041, remoteLoopback: false });
    expect(tcp[2]).toMatchObject({ inode: '8563', state: TCP_ESTABLISHED, remoteLoopback: true });
  });

  it("tells a stdio socketpair whose peer was released from one whose peer lives", () => {
    const unix = parseNetUnix(fixture('net-unix.txt'));
    expect(unixPeerGone(unix.get('5219')!)).toBe(false);
    expect(unixPeerGone(unix.get('5221')!)).toBe(true);
    expect(unix.get('9120')!.path).toBe('/run/user/0/bus');
    expect(unixPeerGone(unix.get('9120')!)).toBe(false); // unconnected listener
  });
});
