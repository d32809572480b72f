// Statistics, ratios and budgets of one size, and the tables that show them.

// The budgets are ratios within one run (the machine is shared and noisy; absolute times move
// 5-25 % between runs, ratios far less), plus the CLI's memory.
const PLAIN_RATIO_MAX = 1.15; // the CLI may cost at most 15 % more than the bare /proc read
const PSUTIL_RATIO_BELOW = 1.0; // and must beat psutil where scans are big enough to matter:
const PSUTIL_FROM_PROCESSES = 500; // the budget's "600 processes and above"; the 0 size is mostly start-up
const RSS_BELOW_MB = 70;

const KIB_PER_MB = 1024;

export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const ratio = (a, b) => (a != null && b != null && b > 0 ? a / b : null);

/** Per-candidate statistics, the ratios between them and the budget verdicts for one size. */
export function summarize(list, checks, measured, processes) {
  const rows = list.map((c) => {
    const m = measured.get(c.id);
    const check = checks.get(c.id);
    const skipped = c.skip ?? (check && !check.ok ? check.why : null);
    if (skipped || !m) return { id: c.id, label: c.label, command: c.command, skipped };
    return {
      id: c.id,
      label: c.label,
      command: c.command,
      medianMs: median(m.samples),
      minMs: Math.min(...m.samples),
      maxMs: Math.max(...m.samples),
      samplesMs: m.samples,
      failedRuns: m.failedRuns,
      peakRssMb: m.rssKib.length ? median(m.rssKib) / KIB_PER_MB : null,
      rssKib: m.rssKib,
      outputBytes: check?.bytes ?? null,
      records: check?.records ?? null,
    };
  });
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  const { cli, 'plain-reader': plain, psutil, node, python } = by;
  for (const r of rows) r.overPlain = ratio(r.medianMs, plain?.medianMs);
  const ratios = {
    cliOverPlain: { median: ratio(cli?.medianMs, plain?.medianMs), min: ratio(cli?.minMs, plain?.minMs) },
    cliOverPsutil: { median: ratio(cli?.medianMs, psutil?.medianMs), min: ratio(cli?.minMs, psutil?.minMs) },
    cliAboveNodeStartMs: above(cli, node),
    // Not a budget: the two scans' own cost, each once its runtime has started and loaded.
    psutilAbovePythonStartMs: above(psutil, python),
  };
  ratios.scanWorkOverPsutil = ratio(ratios.cliAboveNodeStartMs, ratios.psutilAbovePythonStartMs);
  ratios.extraCaCertsMs = above(by['node-extra-ca'], node); // null unless NODE_EXTRA_CA_CERTS was removed
  const budgets = [
    verdict('cli-over-plain', 'CLI / plain-reader', ratios.cliOverPlain.median, `<= ${PLAIN_RATIO_MAX.toFixed(2)}`, (v) => v <= PLAIN_RATIO_MAX,
      missing(cli, plain)),
    verdict('cli-over-psutil', 'CLI / psutil', ratios.cliOverPsutil.median, `< ${PSUTIL_RATIO_BELOW.toFixed(2)}`, (v) => v < PSUTIL_RATIO_BELOW,
      processes < PSUTIL_FROM_PROCESSES ? `applies from ${PSUTIL_FROM_PROCESSES} processes` : missing(cli, psutil)),
    verdict('cli-peak-rss', 'CLI peak RSS', cli?.peakRssMb ?? null, `< ${RSS_BELOW_MB} MB`, (v) => v < RSS_BELOW_MB,
      missing(cli) ?? (cli?.peakRssMb == null ? 'no peak RSS measured' : null)),
  ];
  return { rows, ratios, budgets };
}

function above(row, floor) {
  return row?.medianMs != null && floor?.medianMs != null ? row.medianMs - floor.medianMs : null;
}

function missing(...rows) {
  const gone = rows.find((r) => !r || r.skipped || r.medianMs == null);
  return gone ? `${gone?.label ?? 'a candidate'} not measured` : null;
}

function verdict(id, label, value, limit, pass, notApplicable) {
  if (notApplicable || value == null) return { id, label, value: null, limit, verdict: 'n/a', note: notApplicable ?? 'not measured' };
  return { id, label, value, limit, verdict: pass(value) ? 'PASS' : 'FAIL' };
}

const fixed = (v, digits) => (v == null ? 'n/a' : v.toFixed(digits));

/** The table of one size, as lines of text. */
export function formatSize(size) {
  const head = `${size.extra} extra processes: ${size.processes.start} on the machine during the runs ` +
    `(${size.processes.end} after), ${size.processes.claude} named claude; load ${size.loadavg.map((l) => l.toFixed(2)).join(' ')}`;
  const table = [['candidate', 'median ms', 'min ms', 'peak RSS MB', 'x plain-reader', 'records']];
  const notes = [];
  for (const r of size.rows) {
    if (r.skipped) {
      table.push([r.label, '-', '-', '-', '-', '-']);
      notes.push(`${r.label}: not timed: ${r.skipped}`);
      continue;
    }
    table.push([r.label, fixed(r.medianMs, 1), fixed(r.minMs, 1), fixed(r.peakRssMb, 1), fixed(r.overPlain, 2), r.records ?? '-']);
    if (r.failedRuns > 0) notes.push(`${r.label}: ${r.failedRuns} timed runs exited non-zero`);
  }
  const files = size.claudeFiles;
  const out = [head];
  if (files?.records > 0) {
    out.push(`  Claude's files: ${files.records} session records (+${files.stale} stale), ${files.transcripts} transcripts, ` +
      `${fixed(files.transcriptBytes / 1e6, 1)} MB (${files.states})`);
  }
  out.push(...columns(table).map((l) => `  ${l}`));
  for (const n of notes) out.push(`  note: ${n}`);
  const c = size.ratios;
  const ms = (v) => (v == null ? 'n/a' : `${fixed(v, 1)} ms`);
  out.push(`  CLI - node start-up: ${ms(c.cliAboveNodeStartMs)}; psutil - import psutil: ${ms(c.psutilAbovePythonStartMs)}` +
    `; ratio of the two (not a budget): ${fixed(c.scanWorkOverPsutil, 2)}`);
  if (c.extraCaCertsMs != null) out.push(`  NODE_EXTRA_CA_CERTS adds ${ms(c.extraCaCertsMs)} to each Node start-up; removed for the other candidates (--keep-env keeps it)`);
  const budgetRows = size.budgets.map((b) => {
    const min = b.id === 'cli-over-plain' ? c.cliOverPlain.min : b.id === 'cli-over-psutil' ? c.cliOverPsutil.min : null;
    const value = b.value == null ? '-' : b.id === 'cli-peak-rss' ? `${fixed(b.value, 1)} MB` : `${fixed(b.value, 2)} (mins: ${fixed(min, 2)})`;
    return [b.label, value, b.limit, b.verdict === 'n/a' ? `n/a (${b.note})` : b.verdict];
  });
  out.push('  budgets:', ...columns(budgetRows, 'lrll').map((l) => `    ${l}`));
  return out;
}

/** Pads cells into columns; `align` has an l or r per column (default: first left, rest right). */
function columns(rows, align = 'l' + 'r'.repeat(rows[0].length - 1)) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const pad = (cell, i) => (align[i] === 'l' ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]));
  return rows.map((r) => r.map(pad).join('  ').trimEnd());
}

/** One line per budget state over all sizes. */
export function formatVerdicts(sizes) {
  const all = sizes.flatMap((s) => s.budgets.map((b) => ({ ...b, extra: s.extra })));
  const count = (v) => all.filter((b) => b.verdict === v).length;
  const failed = all.filter((b) => b.verdict === 'FAIL').map((b) => `${b.label} at +${b.extra}`);
  return `budgets: ${count('PASS')} PASS, ${count('FAIL')} FAIL, ${count('n/a')} n/a${failed.length ? ` (FAIL: ${failed.join(', ')})` : ''}`;
}
