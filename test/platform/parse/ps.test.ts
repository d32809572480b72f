import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  mayBeSplitProgram,
  parsePsEnvironment,
  parsePsNames,
  parseCpuTime,
  parseEtime,
  parseLsofFdCounts,
  parseLstart,
  parsePsCpu,
  parsePsLine,
  parsePsList,
} from '../../../src/platform/parse/ps.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/darwin/${name}`, import.meta.url), 'utf8');

describe('parseEtime', () => {
  it('reads every etime shape in a real macOS ps capture (fusioninventory-agent)', () => {
    const lines = fixture('ps-A-etime.fusioninventory.txt').trim().split('\n').slice(1);
    // user pid %cpu %mem vsz tty etime command...
    const etimes = lines.map((l) => l.trim().split(/\s+/)[6]!);
    expect(etimes).toHaveLength(66);
    for (const e of etimes) expect(parseEtime(e), e).not.toBeNull();
    expect(parseEtime('07-21:28:18')).toBe(((7 * 24 + 21) * 3600 + 28 * 60 + 18) * 1000);
    expect(parseEtime('20:58:56')).toBe((20 * 3600 + 58 * 60 + 56) * 1000);
    expect(parseEtime('03:34')).toBe(214_000);
    expect(parseEtime('00:00')).toBe(0);
  });

  it('refuses what is not an etime', () => {
    expect(parseEtime('')).toBeNull();
    expect(parseEtime('12')).toBeNull();
    expect(parseEtime('1:2:3:4')).toBeNull();
  });
});

describe('parseCpuTime', () => {
  it('reads macOS minutes:seconds.centiseconds from a real ps -ef (fastfetch#984)', () => {
    const times = fixture('ps-ef.fastfetch-984.txt').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)[6]!);
    for (const t of times) expect(parseCpuTime(t), t).not.toBeNull();
    expect(parseCpuTime('57:24.25')).toBe((57 * 60 + 24) * 1000 + 250);
    expect(parseCpuTime('0:00.62')).toBe(620);
    // Minutes run past 60 on macOS: pid 122 in the same capture.
    expect(parseCpuTime('139:17.71')).toBe((139 * 60 + 17) * 1000 + 710);
  });

  it('reads the h:mm:ss.cc form and Linux procps [dd-]hh:mm:ss', () => {
    expect(parseCpuTime('1:02:03.50')).toBe((3600 + 2 * 60 + 3) * 1000 + 500);
    expect(parseCpuTime('00:00:01')).toBe(1000);
    expect(parseCpuTime('2-03:04:05')).toBe(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000);
  });

  it('refuses garbage', () => {
    expect(parseCpuTime('-')).toBeNull();
    expect(parseCpuTime('1:2:3:4')).toBeNull();
  });
});

describe('parseLstart', () => {
  it('reads the text as UTC and keeps it, single-spaced, as the start token', () => {
    expect(parseLstart('Mon Aug 24 14:13:09 2026')).toEqual({
      startId: 'Mon Aug 24 14:13:09 2026',
      startTime: Date.UTC(2026, 7, 24, 14, 13, 9),
    });
  });

  it('copes with the space-padded day of %c', () => {
    expect(parseLstart('Sat Aug  1 11:20:42 2026')).toEqual({
      startId: 'Sat Aug 1 11:20:42 2026',
      startTime: Date.UTC(2026, 7, 1, 11, 20, 42),
    });
  });

  it('refuses other locales and shapes', () => {
    expect(parseLstart('sam. 1 août 11:20:42 2026')).toBeNull();
    expect(parseLstart('2026-08-01 11:20:42')).toBeNull();
  });
});

describe('parsePsList on the macOS column layout', () => {
  const { records, unparsed } = parsePsList(fixture('ps-axww-lstart.txt'), { userName: (uid) => (uid === 501 ? 'admin' : null) });

  it('parses every line', () => {
    expect(unparsed).toEqual([]);
    expect(records.size).toBe(14);
  });

  it('splits the fixed columns off the front, lstart being five tokens', () => {
    expect(records.get(92318)).toMatchObject({
      pid: 92318,
      ppid: 1,
      pgid: 92317,
      uid: 501,
      user: 'admin',
      state: 'R',
      tty: null,
      startId: 'Mon Aug 24 14:13:09 2026',
      startTime: Date.UTC(2026, 7, 24, 14, 13, 9),
      elapsedMs: (25 * 3600 + 17 * 60 + 38) * 1000,
      cpuTimeMs: (318 * 60 + 44) * 1000 + 900,
      rssBytes: 2240 * 1024,
      argv: ['/bin/zsh'],
      name: 'zsh',
      exe: null,
      sid: null,
      threads: null,
      fdCount: null,
    });
  });

  it('agrees with itself: lstart plus etime is the capture instant on every row', () => {
    const instant = Date.UTC(2026, 7, 25, 15, 30, 47);
    for (const rec of records.values()) expect(rec.startTime + rec.elapsedMs, String(rec.pid)).toBe(instant);
  });

  it('reads the first letter of macOS stat-like state and ?? as no terminal', () => {
    expect(records.get(64924)).toMatchObject({ state: 'R', tty: null, ppid: 1 });
    expect(records.get(1202)).toMatchObject({ tty: 'ttys000', name: 'bash', argv: ['-bash'] });
  });

  it('splits args on spaces, so a program path with spaces loses its boundaries', () => {
    const excel = records.get(955)!;
    expect(excel.argv![0]).toBe('/Applications/Microsoft');
    expect(excel.argv!.join(' ')).toBe('/Applications/Microsoft Office 2008/Microsoft Excel.app/Contents/MacOS/Microsoft Excel -psn_0_536707');
    expect(records.get(4754)!.argv).toEqual(['claude', '--dangerously-skip-permissions']);
    expect(records.get(4754)!.name).toBe('claude');
  });

  it('treats a command shown as (name) as unreadable arguments, not as argv', () => {
    expect(records.get(1232)).toMatchObject({ name: 'userInit', argv: null, rssBytes: 0 });
  });
});

describe('parsePsLine on Linux procps output', () => {
  it('reads ? as no terminal, whole-second time, and [kthread] names', () => {
    const rec = parsePsLine('    2     0     0     0 S ?              06:22 00:00:00 Sun Nov 22 08:20:24 2026     0 [kthreadd]')!;
    expect(rec).toMatchObject({ pid: 2, ppid: 0, tty: null, cpuTimeMs: 0, name: 'kthreadd', argv: null });
    const zombie = parsePsLine('  911   900   900  1000 Z pts/1          00:05 00:00:00 Sun Nov 22 08:30:00 2026     0 [sh] <defunct>')!;
    expect(zombie).toMatchObject({ state: 'Z', tty: 'pts/1', name: 'sh', argv: null });
  });

  it('returns null for a line that is not the list format', () => {
    expect(parsePsLine('  PID  PPID')).toBeNull();
    expect(parsePsLine('')).toBeNull();
  });
});

describe('parsePsCpu', () => {
  it('reads pid, time and lstart, macOS and Linux alike', () => {
    const out = parsePsCpu(
      '92318  318:44.90 Mon Aug 24 14:13:09 2026\n' + ' 4242 00:00:02 Sun Nov 22 08:20:24 2026\n' + 'garbage\n',
    );
    expect(out.get(92318)).toEqual({ cpuTimeMs: (318 * 60 + 44) * 1000 + 900, startId: 'Mon Aug 24 14:13:09 2026' });
    expect(out.get(4242)).toEqual({ cpuTimeMs: 2000, startId: 'Sun Nov 22 08:20:24 2026' });
    expect(out.size).toBe(2);
  });
});

describe('parseLsofFdCounts', () => {
  it('counts numeric descriptors only, per process', () => {
    const text = ['p100', 'fcwd', 'ftxt', 'f0', 'f1', 'f2', 'f12', 'p200', 'fcwd', 'frtd', 'f0', ''].join('\n');
    expect(parseLsofFdCounts(text)).toEqual(new Map([[100, 4], [200, 1]]));
  });

  it('gives null, not 0, when lsof could not read the fd table', () => {
    const text = ['p300', 'fcwd', 'frtd', 'ftxt', 'fNOFD', 'p400', 'ftxt', ''].join('\n');
    expect(parseLsofFdCounts(text)).toEqual(new Map([[300, null], [400, null]]));
  });
});

describe('program paths ps may have split at a space', () => {
  it('suspects a path followed by a word that continues a path', () => {
    expect(mayBeSplitProgram(['/Users/Jane', 'Doe/.local/bin/claude', '--resume'])).toBe(true);
    expect(mayBeSplitProgram(['/Users/u/Library/Application', 'Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude'])).toBe(true);
  });

  it('does not suspect a bare name, a flag, an absolute argument or a lone word', () => {
    expect(mayBeSplitProgram(['claude', 'x/y'])).toBe(false);
    expect(mayBeSplitProgram(['/usr/bin/tail', '-f', 'a/b'])).toBe(false);
    expect(mayBeSplitProgram(['/bin/cat', '/etc/claude'])).toBe(false);
    expect(mayBeSplitProgram(['/usr/local/bin/claude'])).toBe(false);
    expect(mayBeSplitProgram(null)).toBe(false);
  });

  it("reads the kernel's names, spaces and all", () => {
    expect(parsePsNames('  700 claude\n  701 Google Chrome He\n  702 2.1.330\n\n')).toEqual(
      new Map([
        [700, 'claude'],
        [701, 'Google Chrome He'],
        [702, '2.1.330'],
      ]),
    );
  });
});

describe('parsePsEnvironment: the environment after the command line', () => {
  const linux = (name: string) => readFileSync(new URL(`../../fixtures/linux/${name}`, import.meta.url), 'utf8');
  const darwin = (name: string) => readFileSync(new URL(`../../fixtures/darwin/${name}`, import.meta.url), 'utf8');

  it("reads Claude's markers from real procps output, parsed against the listing's command lines", () => {
    const { records } = parsePsList(linux('ps-axww-env.procps.txt'));
    const markers = parsePsEnvironment(linux('ps-e-ww.procps.txt'), (pid) => records.get(pid)?.argv);
    expect(markers.get(27288)).toEqual({ claudeCode: true, entrypoint: 'cli', claudePid: 4242, home: '/home/dev' });
    expect(markers.get(27289)).toEqual({ home: '/home/dev', claudeCode: true, sessionId: '6f53f9d3-c73e-4f9e-b04f-fcd3742290f1', messagingSocket: '/tmp/cc-socks/4242.sock' });
    // node that set process.title = 'claude': the command line is the title, the environment intact.
    expect(records.get(27290)!.argv).toEqual(['claude']);
    expect(markers.get(27290)).toEqual({ home: '/home/dev', configDir: '/home/dev/My Claude', entrypoint: 'sdk-ts', sdkVersion: '0.3.330' });
    // A value with a space (NOTE=a=b c) ends at the next NAME= word.
    expect(markers.get(27292)).toEqual({ home: '/home/dev' });
  });

  it('calls a command line with nothing after it unknown, not empty', () => {
    const { records } = parsePsList(linux('ps-axww-env.procps.txt'));
    expect(parsePsEnvironment(linux('ps-e-ww.procps.txt'), (pid) => records.get(pid)?.argv).get(27291)).toBeNull();
  });

  it('reads macOS output whose program path and variables hold spaces, and nothing for a platform binary', () => {
    const FNM = '/Users/u/Library/Application Support/fnm/node-versions/v22.12.0/installation/lib/node_modules';
    const argv = new Map<number, string[]>([
      [812, `${FNM}/@anthropic-ai/claude-code/bin/claude.exe --resume 2f1c`.split(' ')],
      [921, ['/bin/zsh']],
      [933, ['/opt/homebrew/bin/node', '/Users/u/.npm/_npx/4a1b/node_modules/.bin/mcp-server-memory']],
      [1044, '/Users/u/Library/Application Support/Claude/claude-code/2.1.78/claude.app/Contents/MacOS/claude --output-format stream-json --verbose --input-format stream-json --permission-prompt-tool stdio'.split(' ')],
    ]);
    const markers = parsePsEnvironment(darwin('ps-E-ww.txt'), (pid) => argv.get(pid));
    expect(markers.get(812)).toEqual({ claudeCode: true, entrypoint: 'cli', home: '/Users/u' });
    expect(markers.get(921)).toBeNull();
    expect(markers.get(933)).toMatchObject({ sessionId: '0c9b44e1-1a57-4d0c-9d8b-3c0f3a5e2b71', messagingSocket: '/var/folders/js/pysx198n77z6420t4yzz1n740000gn/T/cc-socks/812.sock' });
    expect(markers.get(1044)).toEqual({ home: '/Users/u', entrypoint: 'claude-desktop', sdkVersion: '0.3.234', configDir: '/Users/u/Library/Application Support/Claude/claude-code-config' });
  });

  it('takes no marker from the arguments, only from what follows them', () => {
    const argv = ['/usr/bin/env', 'CLAUDE_PID=1', 'CLAUDE_CODE_ENTRYPOINT=sdk-ts', 'sleep', '9'];
    const markers = parsePsEnvironment(`  50 ${argv.join(' ')} HOME=/h\n`, () => argv);
    expect(markers.get(50)).toEqual({ home: '/h' });
  });

  it('tells nothing when the command line is not the listed one (the pid was reused or exec\'d)', () => {
    const markers = parsePsEnvironment('  60 /bin/other CLAUDE_PID=7\n  61 sleep 99CLAUDE_PID=7\n', (pid) => (pid === 60 ? ['/bin/sleep', '9'] : ['sleep', '9']));
    expect(markers.get(60)).toBeNull();
    expect(markers.get(61)).toBeNull();
  });
});
