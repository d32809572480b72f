import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCimCpu, parseCimDate, parseCimList, parseDmtf, parseJsonRows, splitCommandLine, unwrapCollection } from '../../../src/platform/parse/cim.js';
import { windowsParentGone } from '../../../src/platform/windows-orphan.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/win32/${name}`, import.meta.url), 'utf8');
const NOW = Date.UTC(2026, 8, 22, 12, 0, 0);

describe('parseCimDate', () => {
  it('reads our script ISO text with 100 ns digits and keeps the text as the identity', () => {
    expect(parseCimDate('2026-09-22T11:46:11.0339280Z')).toEqual({
      startId: '2026-09-22T11:46:11.0339280Z',
      startTime: Date.UTC(2026, 8, 22, 11, 46, 11) + 33.928,
    });
  });

  it('reads PowerShell 7 local ISO text with an offset', () => {
    expect(parseCimDate('2019-08-26T17:46:00.14232-07:00')!.startTime).toBeCloseTo(Date.UTC(2019, 7, 27, 0, 46, 0) + 142.32, 6);
  });

  it('reads 5.1 /Date(ms)/ (its optional offset is informational: ms is already UTC)', () => {
    expect(parseCimDate('/Date(1790077571033)/')).toEqual({ startId: '/Date(1790077571033)/', startTime: 1790077571033 });
    expect(parseCimDate('/Date(1475067219000-0700)/')!.startTime).toBe(1475067219000);
  });

  it('reads raw DMTF text, negative offsets included', () => {
    expect(parseCimDate('20190826174600.142320-420')!.startTime).toBeCloseTo(Date.UTC(2019, 7, 27, 0, 46, 0) + 142.32, 6);
    expect(parseDmtf('20150329221650.080654+060')!.startTime).toBeCloseTo(Date.UTC(2015, 2, 29, 21, 16, 50) + 80.654, 6);
  });

  it('gives null for the idle process (no date) and for nonsense', () => {
    expect(parseCimDate(null)).toBeNull();
    expect(parseCimDate('')).toBeNull();
    expect(parseCimDate('9/2/2019 4:06:43 PM')).toBeNull();
  });
});

describe('a real Windows PowerShell 5.1 capture: one object, not an array (IsyMotron e1_wmi.json)', () => {
  const { records, cpuPercent, sampledMs } = parseCimList(fixture('cim-ps51-single-object.json'), NOW);

  it('still yields the one process', () => {
    expect([...records.keys()]).toEqual([16828]);
    expect(sampledMs).toBeNull();
    expect(cpuPercent.size).toBe(0);
  });

  it('reads the fields it has and leaves the others unknown', () => {
    expect(records.get(16828)).toMatchObject({
      ppid: 20256,
      name: 'Notepad.exe',
      exe: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsNotepad_11.2607.14.0_x64__8wekyb3d8bbwe\\Notepad\\Notepad.exe',
      argv: null,
      startId: '/Date(1790077571033)/',
      startTime: 1790077571033,
      elapsedMs: NOW - 1790077571033,
      cpuTimeMs: null,
      rssBytes: null,
      fdCount: null,
      pgid: null,
      sid: null,
      uid: null,
      tty: null,
      state: null,
    });
  });

  it('matches the GetProcessTimes FILETIME of the same run to the millisecond', () => {
    const filetime = 134345511710339280n; // RUN.md, same commit
    const ms = Number((filetime - 116444736000000000n) / 10_000n);
    expect(records.get(16828)!.startTime).toBe(ms);
  });

  // The same Notepad appears in the assembled PowerShell 7 fixture, and its note dates the FILETIME
  // in words: both must say what the FILETIME says, to the 100 ns tick.
  it('agrees with the PowerShell 7 fixture and the note on the same process, to the tick', () => {
    const filetime = 134345511710339280n;
    const sinceEpoch = filetime - 116444736000000000n; // 100 ns ticks from 1601 to 1970
    const iso = `${new Date(Number(sinceEpoch / 10_000n)).toISOString().slice(0, 19)}.${String(sinceEpoch % 10_000_000n).padStart(7, '0')}Z`;
    expect(iso).toBe('2026-09-22T11:46:11.0339280Z');
    expect(parseCimList(fixture('cim-list.ps7.json'), NOW).records.get(16828)!.startId).toBe(iso);
    expect(fixture('cim-ps51-single-object.source.md')).toContain(`i.e. ${iso.replace('0Z', 'Z')}`);
    expect(records.get(16828)!.startTime).toBe(Math.floor(parseCimDate(iso)!.startTime));
  });
});

describe('a real Windows PowerShell 5.1 capture with a command line (Explore-Process README)', () => {
  const text = fixture('cim-ps51-explore-process.json');
  const rec = parseCimList(text, NOW).records.get(4024)!;

  it('splits the quoted program path and ignores the trailing space', () => {
    expect(rec.argv).toEqual(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(rec).toMatchObject({ ppid: 2988, exe: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', name: '' });
  });

  it('shows why the script writes UTC text itself: 5.1 /Date/ made on another machine is 3 h off', () => {
    const row = parseJsonRows(text)[0]!;
    const viaJson = parseCimDate(row.CreationDate)!.startTime;
    const viaWmi = parseDmtf(row.CreationDateTimeStamp as string)!.startTime;
    expect(Math.round(viaWmi - viaJson)).toBe(3 * 3_600_000);
  });
});

describe('the list script output (assembled PowerShell 7 fixture)', () => {
  const { records, cpuPercent, sampledMs, skipped } = parseCimList(fixture('cim-list.ps7.json'), NOW);

  it('takes the window from the leading SampleMs element and skips the idle process', () => {
    expect(sampledMs).toBe(1004.2167);
    expect(records.has(0)).toBe(false);
    expect(skipped).toBe(1);
    expect(records.size).toBe(8);
  });

  it('computes CPU % over the window from the two readings (100 ns units)', () => {
    // explorer: 4150156250 - (2243750000 + 1906250000) = 156250 units = 15.625 ms over 1004.2 ms
    expect(cpuPercent.get(20256)).toBeCloseTo((15.625 / 1004.2167) * 100, 6);
    // claude -p burning a core: 1 s of CPU in the window
    expect(cpuPercent.get(9120)).toBeCloseTo((1000 / 1004.2167) * 100, 6);
    // gone before the second reading: no CPU figure rather than a made-up one
    expect(cpuPercent.has(11404)).toBe(false);
  });

  it('maps HandleCount to fdCount, ThreadCount to threads, WorkingSetSize to rss', () => {
    expect(records.get(4)).toMatchObject({ fdCount: 2807, threads: 182, rssBytes: 159744, argv: null, exe: null });
  });

  it('keeps a null CommandLine unknown (a service seen without elevation)', () => {
    expect(records.get(1228)).toMatchObject({ name: 'svchost.exe', argv: null, exe: null });
  });

  it('splits a claude command line with quotes, escaped quotes and non-ASCII paths', () => {
    expect(records.get(7312)!.argv).toEqual([
      'C:\\Users\\Jörg\\AppData\\Roaming\\npm\\node_modules\\@anthropic-ai\\claude-code\\bin\\claude.exe',
      '--output-format',
      'stream-json',
      '--verbose',
      '--input-format',
      'stream-json',
      '--model=claude-sonnet-4-5',
      '--append-system-prompt=Say "done" when done',
    ]);
    expect(records.get(6640)!.argv![1]).toBe('C:\\Users\\Jörg\\Документы\\agent\\worker-service.cjs');
  });

  it('feeds the Windows orphan rule: missing parent, reused parent pid, live parent', () => {
    expect(windowsParentGone(records.get(9120)!, records)).toBe(true); // parent 5004 is not there
    expect(windowsParentGone(records.get(11404)!, records)).toBe(true); // 16828 started after it
    expect(windowsParentGone(records.get(7312)!, records)).toBe(false); // node.exe 6640, older
  });
});

describe('parseJsonRows', () => {
  it('accepts a BOM, 5.1 \\u escapes and an empty answer', () => {
    const rows = parseJsonRows('\uFEFF[{"CommandLine":"C:\\\\Users\\\\J\\u00f6rg\\\\a.exe \\u0027x\\u0027"}]');
    expect(rows[0]!.CommandLine).toBe("C:\\Users\\Jörg\\a.exe 'x'");
    expect(parseJsonRows('')).toEqual([]);
    expect(parseJsonRows('[null]')).toEqual([]);
  });
});

describe('parseCimCpu', () => {
  it('reads the CPU script output per pid', () => {
    const out = parseCimCpu('[{"ProcessId":7312,"CreationDate":"2026-09-22T09:20:44.1207730Z","KernelModeTime":7812500,"UserModeTime":55468750}]');
    expect(out.get(7312)).toEqual({ cpuTimeMs: 6328.125, startId: '2026-09-22T09:20:44.1207730Z' });
  });
});

describe('splitCommandLine (CommandLineToArgvW rules)', () => {
  it('follows the documented backslash and quote rules', () => {
    // Examples from "Parsing C command-line arguments" (learn.microsoft.com).
    expect(splitCommandLine('a.exe "a b c" d e')).toEqual(['a.exe', 'a b c', 'd', 'e']);
    expect(splitCommandLine('a.exe "ab\\"c" "\\\\" d')).toEqual(['a.exe', 'ab"c', '\\', 'd']);
    expect(splitCommandLine('a.exe a\\\\\\b d"e f"g h')).toEqual(['a.exe', 'a\\\\\\b', 'de fg', 'h']);
    expect(splitCommandLine('a.exe a\\\\\\"b c d')).toEqual(['a.exe', 'a\\"b', 'c', 'd']);
    expect(splitCommandLine('a.exe a\\\\\\\\"b c" d e')).toEqual(['a.exe', 'a\\\\b c', 'd', 'e']);
    expect(splitCommandLine('a.exe "a ""b"" c"')).toEqual(['a.exe', 'a "b" c']);
  });

  it('takes argv[0] up to its closing quote with no escapes', () => {
    expect(splitCommandLine('"C:\\Program Files\\nodejs\\node.exe" x.js')).toEqual(['C:\\Program Files\\nodejs\\node.exe', 'x.js']);
    expect(splitCommandLine('C:\\WINDOWS\\Explorer.EXE')).toEqual(['C:\\WINDOWS\\Explorer.EXE']);
  });
});

describe("Windows PowerShell 5.1's collection wrapper {value, Count}", () => {
  it('reads the rows inside the wrapper, the sample window and 5.1 escapes included', () => {
    const { records, sampledMs, cpuPercent } = parseCimList(fixture('cim-list.ps51-wrapped.json'), NOW);
    expect([...records.keys()].sort((a, b) => a - b)).toEqual([4, 6640, 7312, 9120, 20256]);
    expect(sampledMs).toBe(1003.8841);
    expect(cpuPercent.get(9120)).toBeGreaterThan(90);
    expect(records.get(9120)!.argv).toEqual([
      'C:\\Users\\Jörg\\AppData\\Roaming\\npm\\node_modules\\@anthropic-ai\\claude-code\\bin\\claude.exe',
      '-p',
      "fix Tom's build & <test> it",
    ]);
  });

  it('unwraps the verbatim 5.1 output of PowerShell/PowerShell#5579, nested in an array too', () => {
    expect(unwrapCollection(JSON.parse('{"value":[2,3],"Count":2}'))).toEqual([2, 3]);
    expect(JSON.parse('[1,{"value":[2,3],"Count":2},4]').map(unwrapCollection)).toEqual([1, [2, 3], 4]);
    const rows = parseJsonRows('[{"ProcessId":1},{"value":[{"ProcessId":2},{"ProcessId":3}],"Count":2}]');
    expect(rows.map((r) => r.ProcessId)).toEqual([1, 2, 3]);
  });

  it('takes only the exact shape for a wrapper: two keys, Count equal to the length', () => {
    const lookalike = { value: [{ ProcessId: 1 }], Count: 2 };
    expect(unwrapCollection(lookalike)).toBe(lookalike);
    const more = { value: [], Count: 0, Name: 'x' };
    expect(unwrapCollection(more)).toBe(more);
    expect(parseJsonRows('{"ProcessId":9,"value":[],"Count":0}')).toEqual([{ ProcessId: 9, value: [], Count: 0 }]);
  });

  it('reads CPU rows inside the wrapper as well', () => {
    const cpu = parseCimCpu('{"value":[{"ProcessId":7312,"CreationDate":"2026-09-22T09:20:44.1207730Z","KernelModeTime":7812500,"UserModeTime":55468750}],"Count":1}');
    expect(cpu.get(7312)).toEqual({ cpuTimeMs: 6328.125, startId: '2026-09-22T09:20:44.1207730Z' });
  });
});
