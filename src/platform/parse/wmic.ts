// Pure parsers for `wmic process get ... /format:csv` (WMI datetimes are parsed in cim.ts).
//
// What the CSV really looks like (see test/fixtures/win32/*.source.md for the captures):
// - it starts with an empty line, and lines end in CRLF (often `\r\r\n` when read from a pipe);
// - the first column is always `Node` (the computer name), and the others come in alphabetical
//   order, whatever order they were asked in;
// - nothing is quoted or escaped: a command line holding commas (`--field-trial-handle=1552,90…`)
//   simply has more fields, and a leading `"` is part of the command line itself;
// - a null value is an empty field.
import type { ProcessRecord } from '../../types.js';
import { isDmtf, parseDmtf, win32Cpu, win32ProcessRecord, type Win32ProcessFields } from './cim.js';

/** Columns that may hold commas; the first gets the spare fields first. */
const FREE_TEXT = ['CommandLine', 'ExecutablePath', 'Name', 'Caption', 'Description'];
const NUMERIC = /^\d*$/;
const num = (v: string | undefined): number | null => (v === undefined || v === '' || !NUMERIC.test(v) ? null : Number(v));

/** Whether a value can belong to its column: this is what pins the free-text columns down. */
function fits(column: string, value: string): boolean {
  switch (column) {
    case 'CreationDate':
      return value === '' || isDmtf(value);
    case 'ExecutablePath':
      return value === '' || /^(?:[A-Za-z]:\\|\\\\)/.test(value);
    case 'Node':
    case 'CommandLine':
    case 'Name':
    case 'Caption':
    case 'Description':
      return true;
    default:
      return NUMERIC.test(value);
  }
}

/**
 * Splits wmic's CSV into rows keyed by column. A row with more fields than the header has commas
 * inside free-text columns; the spare fields go to CommandLine first (where commas really occur),
 * then ExecutablePath, then Name, trying each split until every column holds a value of its kind
 * (a DMTF date, a path, digits). A row no split explains is returned in `bad`, never guessed.
 */
export interface BadRow {
  line: string;
  /** The pid, read from the right where no free-text column follows it; null when unknown. */
  pid: number | null;
}

export function splitWmicCsv(text: string): { rows: Record<string, string>[]; bad: BadRow[] } {
  const lines = text.split(/\r*\n/).map((l) => l.replace(/\r+$/, '')).filter((l) => l !== '');
  const headerAt = lines.findIndex((l) => l.startsWith('Node,'));
  if (headerAt < 0) return { rows: [], bad: lines.map((line) => ({ line, pid: null })) };
  const header = lines[headerAt]!.split(',');
  const textCols = FREE_TEXT.map((c) => header.indexOf(c)).filter((i) => i >= 0);
  const pidAt = header.indexOf('ProcessId');
  const pidFromEnd = pidAt > Math.max(...textCols) ? header.length - pidAt : 0;
  const rows: Record<string, string>[] = [];
  const bad: BadRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    const fields = line.split(',');
    const row = splitRow(fields, header, textCols);
    if (row) rows.push(row);
    else bad.push({ line, pid: pidFromEnd > 0 ? num(fields[fields.length - pidFromEnd]) : null });
  }
  return { rows, bad };
}

function splitRow(fields: string[], header: string[], textCols: number[]): Record<string, string> | null {
  const spare = fields.length - header.length;
  if (spare < 0) return null;
  for (const extra of shares(spare, textCols.length)) {
    const row: Record<string, string> = {};
    let at = 0;
    let ok = true;
    for (let c = 0; c < header.length && ok; c++) {
      const take = 1 + (extra[textCols.indexOf(c)] ?? 0);
      const value = fields.slice(at, at + take).join(',');
      at += take;
      ok = fits(header[c]!, value);
      row[header[c]!] = value;
    }
    if (ok) return row;
  }
  return null;
}

/** Every way to hand `n` spare fields to `k` columns, the first column getting the most first. */
function* shares(n: number, k: number): Generator<number[]> {
  if (k === 0) {
    if (n === 0) yield [];
    return;
  }
  for (let first = n; first >= 0; first--) {
    for (const rest of shares(n - first, k - 1)) yield [first, ...rest];
  }
}


/** One wmic row as a record; null when it has no pid or no creation date (the idle process). */
export function wmicRowToRecord(row: Record<string, string>, now: number): ProcessRecord | null {
  return win32ProcessRecord(wmicFields(row), now);
}

function wmicFields(row: Record<string, string>): Win32ProcessFields {
  return {
    pid: num(row.ProcessId),
    ppid: num(row.ParentProcessId),
    name: row.Name ?? '',
    exe: row.ExecutablePath || null,
    commandLine: row.CommandLine || null,
    created: parseDmtf(row.CreationDate ?? ''),
    kernel: num(row.KernelModeTime),
    user: num(row.UserModeTime),
    workingSet: num(row.WorkingSetSize),
    threads: num(row.ThreadCount),
    handles: num(row.HandleCount),
  };
}

export function parseWmicList(text: string, now: number): { records: Map<number, ProcessRecord>; bad: BadRow[] } {
  const { rows, bad } = splitWmicCsv(text);
  const records = new Map<number, ProcessRecord>();
  for (const row of rows) {
    const rec = wmicRowToRecord(row, now);
    if (rec) records.set(rec.pid, rec);
  }
  return { records, bad };
}

/** `wmic process where ... get CreationDate,KernelModeTime,ProcessId,UserModeTime`: per pid. */
export function parseWmicCpu(text: string): Map<number, { cpuTimeMs: number; startId: string }> {
  return new Map(splitWmicCsv(text).rows.map((row) => win32Cpu(wmicFields(row))).filter((e) => e !== null));
}
