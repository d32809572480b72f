// Pure parsers for the JSON that PowerShell's `Get-CimInstance Win32_Process | ConvertTo-Json`
// prints, on Windows PowerShell 5.1 and on PowerShell 7; WMI datetimes; Windows command lines.
import type { ProcessRecord } from '../../types.js';

export interface WmiTime {
  /** The text exactly as given, the identity token. */
  startId: string;
  startTime: number;
}

// yyyymmddHHMMSS.mmmmmm+UUU: local time, microseconds, and the offset from UTC in minutes
// (Win32_Process CreationDate, CIM_DATETIME; negative offsets are real: `20190826174600.142320-420`).
const DMTF = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$/;

/** A DMTF datetime as epoch ms (microseconds kept as a fraction); null when not one. */
export function parseDmtf(text: string): WmiTime | null {
  const m = DMTF.exec(text.trim());
  if (!m) return null;
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + Number(m[7]) / 1000;
  const offsetMin = Number(m[9]) * (m[8] === '-' ? -1 : 1);
  return { startId: text.trim(), startTime: local - offsetMin * 60_000 };
}

export const isDmtf = (text: string): boolean => DMTF.test(text);

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;
// Windows PowerShell 5.1 (JavaScriptSerializer) writes a DateTime as "\/Date(1790077571033)\/",
// epoch ms in UTC, sometimes with an informational offset: "\/Date(1475067219000-0700)\/".
const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/**
 * A CreationDate in any of the shapes it reaches us in: our script's ISO text
 * (`2026-08-24T12:13:09.1234560Z`, 100 ns digits), PowerShell 7's own DateTime text
 * (`2019-08-26T17:46:00.14232-07:00`), 5.1's `/Date(ms)/`, or a raw DMTF string.
 * The identity token is the text as given, so it keeps its full precision.
 */
export function parseCimDate(value: unknown): WmiTime | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const ms = MS_DATE.exec(text);
  if (ms) return { startId: text, startTime: Number(ms[1]) };
  const m = ISO.exec(text);
  if (!m) return parseDmtf(text);
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + fraction;
  // No zone at all would be a DateTime of unspecified kind; our script always writes UTC (`Z`).
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8].startsWith('-') ? -1 : 1;
    t -= sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) * 60_000;
  }
  return { startId: text, startTime: t };
}

/**
 * Splits a Windows command line the way CommandLineToArgvW and the MSVC runtime do
 * (learn.microsoft.com, "Parsing C command-line arguments"): the program name ends at the closing
 * quote or the first space, with no escapes; after it, `2n` backslashes before a quote give `n`
 * backslashes and the quote toggles quoting, `2n+1` give `n` and a literal quote, `""` inside
 * quotes is a literal quote, and other backslashes are literal. Each program may parse its own
 * command line differently; this is the convention nearly all of them follow.
 */
export function splitCommandLine(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  // argv[0]
  let first = '';
  if (line[0] === '"') {
    const end = line.indexOf('"', 1);
    first = end < 0 ? line.slice(1) : line.slice(1, end);
    i = end < 0 ? line.length : end + 1;
  }
  while (i < line.length && line[i] !== ' ' && line[i] !== '\t') first += line[i++];
  argv.push(first);
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    while (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) {
      let slashes = 0;
      while (line[i] === '\\') {
        slashes++;
        i++;
      }
      if (line[i] === '"') {
        arg += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) arg += '"';
        else if (quoted && line[i + 1] === '"') {
          arg += '"';
          i++;
        } else quoted = !quoted;
        i++;
      } else {
        arg += '\\'.repeat(slashes);
        if (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) arg += line[i++];
      }
    }
    argv.push(arg);
  }
  return argv;
}

/** A number from JSON: CIM's UInt64 values arrive as numbers, some tools print them as strings. */
function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

export interface CimListing {
  records: Map<number, ProcessRecord>;
  /** CPU % of one core over the window, for rows that carry the second reading. */
  cpuPercent: Map<number, number>;
  /** The window the script measured between its two readings, ms; null when it sent none. */
  sampledMs: number | null;
  /** Rows without a usable pid or CreationDate (the idle process, or a malformed row). */
  skipped: number;
}

/** Parses the list script's output (see cim-script.ts); plain ConvertTo-Json of Win32_Process too. */
export function parseCimList(text: string, now: number): CimListing {
  const rows = parseJsonRows(text);
  const meta = rows.find((r) => 'SampleMs' in r);
  const sampledMs = num(meta?.SampleMs);
  const records = new Map<number, ProcessRecord>();
  const cpuPercent = new Map<number, number>();
  let skipped = 0;
  for (const row of rows) {
    if (row === meta) continue;
    const rec = cimRowToRecord(row, now);
    if (!rec) {
      skipped++;
      continue;
    }
    records.set(rec.pid, rec);
    const after = num(row.CpuTime2);
    if (after !== null && rec.cpuTimeMs !== null && sampledMs && sampledMs > 0) {
      cpuPercent.set(rec.pid, Math.max(0, ((after / 10_000 - rec.cpuTimeMs) / sampledMs) * 100));
    }
  }
  return { records, cpuPercent, sampledMs, skipped };
}

/**
 * The rows of a JSON document that is an array of objects, or one object (5.1 unwraps those), or
 * either inside Windows PowerShell 5.1's collection wrapper (see unwrapCollection).
 */
export function parseJsonRows(text: string): Record<string, unknown>[] {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return [];
  const doc = unwrapCollection(JSON.parse(body));
  const list = Array.isArray(doc) ? doc.flatMap((r) => unwrapCollection(r)) : [doc];
  return list.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
}

/**
 * Windows PowerShell 5.1 writes an array that reaches ConvertTo-Json as one object (wrapped in a
 * PSObject, or nested in another array) as `{"value": [...], "Count": n}`: the ETS alias property
 * `Count` that 5.1's types.ps1xml gives System.Array is serialized beside the elements
 * (PowerShell/PowerShell#3222, #3153, #5579; PowerShell 6 and later do not). Such a wrapper is
 * its array; anything else is itself. Only the exact shape counts: those two keys, and a Count
 * equal to the array's length.
 */
export function unwrapCollection(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const keys = Object.keys(doc);
  const { value, Count } = doc as { value?: unknown; Count?: unknown };
  if (keys.length === 2 && Array.isArray(value) && Count === value.length) return value;
  return doc;
}

export function cimRowToRecord(row: Record<string, unknown>, now: number): ProcessRecord | null {
  return win32ProcessRecord(cimFields(row), now);
}

function cimFields(row: Record<string, unknown>): Win32ProcessFields {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    pid: num(row.ProcessId),
    ppid: num(row.ParentProcessId),
    name: str(row.Name) ?? '',
    exe: str(row.ExecutablePath) || null,
    commandLine: str(row.CommandLine),
    created: parseCimDate(row.CreationDate),
    kernel: num(row.KernelModeTime),
    user: num(row.UserModeTime),
    workingSet: num(row.WorkingSetSize),
    threads: num(row.ThreadCount),
    handles: num(row.HandleCount),
  };
}

/** What both readers of Win32_Process (CIM's JSON, wmic's CSV) give, once typed. */
export interface Win32ProcessFields {
  pid: number | null;
  ppid: number | null;
  name: string;
  exe: string | null;
  commandLine: string | null;
  created: WmiTime | null;
  /** KernelModeTime and UserModeTime: 100 ns units. */
  kernel: number | null;
  user: number | null;
  workingSet: number | null;
  threads: number | null;
  handles: number | null;
}

/** One Win32_Process as a record; null for the idle process or a row without a creation date. */
export function win32ProcessRecord(f: Win32ProcessFields, now: number): ProcessRecord | null {
  // pid 0 is the System Idle Process: an accounting entry, not a process (procfs has none either).
  if (f.pid === null || f.pid === 0 || !f.created) return null;
  return {
    pid: f.pid,
    ppid: f.ppid ?? 0,
    pgid: null,
    sid: null,
    uid: null,
    user: null,
    name: f.name,
    exe: f.exe,
    // Empty or absent when Windows would not show it (elevated or other users' processes):
    // unknown, not an empty command line.
    argv: f.commandLine ? splitCommandLine(f.commandLine) : null,
    startTime: f.created.startTime,
    startId: f.created.startId,
    elapsedMs: Math.max(0, Math.round(now - f.created.startTime)),
    cpuTimeMs: win32CpuMs(f),
    rssBytes: f.workingSet,
    tty: null,
    tpgid: null,
    state: null,
    threads: f.threads,
    fdCount: f.handles,
    cwd: null,
  };
}

/** CPU time, ms, from the 100 ns counters; null unless both are known. */
function win32CpuMs(f: Pick<Win32ProcessFields, 'kernel' | 'user'>): number | null {
  return f.kernel === null || f.user === null ? null : (f.kernel + f.user) / 10_000;
}

/** The CPU reading of one row, keyed for parseCimCpu and parseWmicCpu. */
export function win32Cpu(f: Win32ProcessFields): [number, { cpuTimeMs: number; startId: string }] | null {
  const cpuTimeMs = win32CpuMs(f);
  return f.pid !== null && f.created && cpuTimeMs !== null ? [f.pid, { cpuTimeMs, startId: f.created.startId }] : null;
}

/** Output of the CPU script (cim-script.ts cpuScript): CPU time and start token per pid. */
export function parseCimCpu(text: string): Map<number, { cpuTimeMs: number; startId: string }> {
  return new Map(parseJsonRows(text).map((row) => win32Cpu(cimFields(row))).filter((e) => e !== null));
}
