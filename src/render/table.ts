// The table for people: one row per claude-related process, trees kept together (a daemon and its
// children, a claude and its MCP servers), flagged trees first, the command cut to the width.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { ProcessReport, ScanDocument } from '../report.js';
import type { TranscriptState } from '../types.js';
import { cut, formatAge, formatBytes, formatPercent } from './format.js';
import { orderAsTrees } from './order.js';
import { summaryLine } from './summary.js';

export interface TableOptions {
  color: boolean;
  /** Columns available; the command is cut to fit. */
  width: number;
  verbose?: boolean;
}

const HEAD = ['PID', 'PPID', 'AGE', 'CPU%', 'RSS', 'FDS', 'TTY', 'WHAT', 'FLAGS', 'COMMAND'];
const GAP = 2; // spaces between columns
// The command gets what the other columns leave, and at least this much while WHAT and FLAGS can
// still give way; below that it takes the cut, so that no line is wider than the terminal.
const MIN_COMMAND = 20;
// How far the WHAT and FLAGS cells may be cut (with an ellipsis) on a narrow terminal, in the order
// they give way. Their full text is in the reason line under the row, and in --wide and --json.
const SHRINKABLE: readonly [column: number, min: number][] = [
  [HEAD.indexOf('FLAGS'), 12],
  [HEAD.indexOf('WHAT'), 10],
];

export function renderScanTable(doc: ScanDocument, opts: TableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  if (doc.processes.length === 0) return `${wrap(summaryLine(doc), opts.width)}\n`;
  const ordered = orderAsTrees(doc.processes);
  const rows = ordered.map(({ proc, depth }) => cells(proc, depth));
  const widths = fitColumns(HEAD.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length))), opts.width);
  const fixed = widths.reduce((a, b) => a + b + GAP, 0);
  const room = Math.max(1, opts.width - fixed);

  const table = new Table({
    // The command's heading is cut like its cells: on a narrow terminal it may have a column or two.
    head: [...HEAD.slice(0, -1), cut(HEAD.at(-1)!, room)].map((h) => c.bold(h)),
    chars: noBorders(),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': GAP },
  });
  for (const [i, row] of rows.entries()) {
    const paint = rowPaint(c, ordered[i]!.proc);
    table.push([...row.slice(0, -1).map((cell, col) => paint(cut(cell, widths[col]!))), paint(cut(row.at(-1)!, room))]);
  }
  // Notes go between the rows, outside the table, so they never widen its columns.
  const lines = trimRight(table.toString()).split('\n');
  const out = [lines[0]!];
  for (const [i, { proc }] of ordered.entries()) {
    out.push(lines[i + 1]!);
    const notes = opts.verbose ? evidenceLines(proc, Date.parse(doc.scannedAt)) : reasonLine(proc);
    for (const note of notes) out.push(c.dim(cut(note, opts.width)));
  }
  return `${out.join('\n')}\n${wrap(summaryLine(doc), opts.width)}\n`;
}

/** Narrows the shrinkable columns, in turn, until the command has MIN_COMMAND columns or they are at their minimum. */
function fitColumns(natural: readonly number[], width: number): number[] {
  const widths = [...natural];
  const over = () => widths.reduce((a, b) => a + b + GAP, 0) + MIN_COMMAND - width;
  for (const [col, min] of SHRINKABLE) {
    if (over() <= 0) break;
    widths[col] = Math.max(min, widths[col]! - over());
  }
  return widths;
}

/** Breaks a line of words into lines of at most `width` columns (a longer word gets a line of its own). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

function cells(p: ProcessReport, depth: number): string[] {
  const what = p.kind === 'claude' ? `${p.variant}/${p.role}` : p.kind;
  const flags = p.flags.length > 0 ? p.flags.join(',') : '-';
  const command = p.argv === null ? `[${p.name}] (command line unknown)` : p.argv.length === 0 ? `[${p.name}]` : p.argv.join(' ');
  const indent = depth > 0 ? `${'  '.repeat(depth - 1)}└ ` : '';
  return [
    String(p.pid),
    String(p.ppid),
    formatAge(p.elapsedMs),
    formatPercent(p.cpuPercent),
    formatBytes(p.rssBytes),
    p.fdCount === null ? '-' : String(p.fdCount),
    p.tty ?? '-',
    what,
    p.protection ? `${flags} (${p.protection.id})` : flags,
    indent + command,
  ];
}

function rowPaint(c: ChalkInstance, p: ProcessReport): (s: string) => string {
  if (p.reapable) return c.red;
  if (p.protection) return c.green;
  if (p.flags.length > 0) return c.yellow;
  return (s) => s;
}

/** The short why under a row with something to say: every reason but plain `idle`, which the FLAGS column shows. */
function reasonLine(p: ProcessReport): string[] {
  const reasons = p.reasons.filter((r) => r.flag !== 'idle');
  if (reasons.length === 0) return [];
  const why = reasons.map((r) => r.text).join('; ');
  return [`      ↳ ${why}${p.protection ? ` — protected: ${p.protection.text}` : ''}`];
}

const TRANSCRIPT_WORDS: Record<TranscriptState, string> = {
  'turn-over': 'turn over',
  'request-outstanding': 'request outstanding',
  'tool-running': 'a tool running',
  responding: 'a reply being written',
  unknown: 'no conversation entry in its tail',
  'not-read': "not read: Claude's record settles it",
};

function sinceText(at: number | null, now: number): string {
  return at === null ? '' : ` for ${formatAge(Math.max(0, now - at))}`;
}

function evidenceLines(p: ProcessReport, now: number): string[] {
  const lines = p.reasons.map((r) => `      ↳ ${r.flag}: ${r.text} ${JSON.stringify(r.evidence)}`);
  if (p.protection) lines.push(`      ↳ protected (${p.protection.id}): ${p.protection.text}`);
  lines.push(`      ↳ matched: ${p.matchedBy}${p.owner !== null ? `; owner ${p.owner}` : ''}`);
  if (p.session) lines.push(`      ↳ session ${p.session.sessionId ?? '?'}: ${p.session.status ?? 'no status'}${sinceText(p.session.statusSince, now)} (${p.session.path})`);
  if (p.transcript) lines.push(`      ↳ transcript: ${TRANSCRIPT_WORDS[p.transcript.state]}${sinceText(p.transcript.since, now)} (${p.transcript.path})`);
  return lines;
}

function trimRight(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

function noBorders(): Record<string, string> {
  const keys = ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'];
  return Object.fromEntries(keys.map((k) => [k, '']));
}
