#!/usr/bin/env node
// `npm run bench`: times a full scan by the CLI against the bare floor (a plain Node /proc reader),
// ps, Node's start-up and psutil, with 0, 500 and 2,000 extra processes on the machine, and checks
// the performance budgets as ratios within the run. See bench/README.md.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv, candidates, findGnuTime } from './lib/candidates.mjs';
import { checkRun, measure } from './lib/measure.mjs';
import { USAGE, UsageError, parseOptions } from './lib/options.mjs';
import { countProcesses } from './lib/proc.mjs';
import { formatSize, formatVerdicts, summarize } from './lib/report.mjs';
import { DEFAULT_PID_FILE, startPopulation, stopOnExit, stopPopulation } from './population.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const RESULTS = join(BENCH_DIR, 'results', 'latest.json');

async function main(argv) {
  let opts;
  try {
    opts = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (process.platform !== 'linux') {
    console.error('error: the benchmark reads /proc and needs Linux');
    return 2;
  }
  // With --json, stdout carries the document alone; tables and progress go to stderr.
  const show = opts.json ? (line) => process.stderr.write(`${line}\n`) : (line) => process.stdout.write(`${line}\n`);
  // Progress overwrites itself on a terminal and stays out of logs.
  const progress = process.stderr.isTTY ? (line) => process.stderr.write(`  ${line}`.padEnd(60) + '\r') : () => {};

  stopOnExit();
  if (existsSync(DEFAULT_PID_FILE)) {
    // left by a benchmark that was killed outright: its processes would skew every number
    const old = stopPopulation(DEFAULT_PID_FILE);
    process.stderr.write(`ended ${old.killed} processes left by an earlier run (${DEFAULT_PID_FILE})\n`);
  }
  const environment = benchEnv(opts.keepEnv);
  const list = candidates({ cli: opts.cli, benchDir: BENCH_DIR, environment });
  const { removed } = environment;
  const gnuTime = findGnuTime();
  const notes = [];
  if (!gnuTime.ok) notes.push(`peak RSS: n/a: ${gnuTime.why}`);
  for (const c of list) if (c.skip) notes.push(`${c.label}: skipped: ${c.skip}`);

  show(`claude-reaper bench: ${opts.runs} timed runs per candidate after ${opts.warmup} warm-ups, round-robin; ` +
    `peak RSS: ${gnuTime.ok ? `median of ${opts.rssRuns} runs under ${gnuTime.file}` : 'n/a'}`);
  for (const c of list) show(`  ${c.label.padEnd(13)} ${c.command}${c.version ? ` (psutil ${c.version})` : ''}`);
  if (removed !== null) show(`  NODE_EXTRA_CA_CERTS=${removed} is removed from every candidate's environment but \`node -e 0 +CA\`: none opens a TLS connection, and Node 20 parses that file at each start-up (--keep-env keeps it)`);
  if (!gnuTime.ok) show(`  note: peak RSS: n/a: ${gnuTime.why}`);
  show('');

  const sizes = [];
  for (const extra of opts.sizes) {
    progress(`starting ${extra} extra processes`);
    const t0 = Date.now();
    const pop = await startPopulation(extra);
    const upMs = Date.now() - t0;
    try {
      const start = countProcesses();
      // Every candidate runs as the user whose ~/.claude holds the population's session records and
      // transcripts, as a scan on a machine with these sessions would.
      const runnable = list.filter((c) => !c.skip).map((c) => ({ ...c, env: { ...c.env, HOME: pop.home } }));
      const checks = new Map(runnable.map((c) => [c.id, checkRun(c, ROOT)]));
      const timed = runnable.filter((c) => checks.get(c.id).ok);
      const load = loadavg();
      const measured = await measure(timed, { ...opts, cwd: ROOT, gnuTime: gnuTime.ok ? gnuTime.file : null, progress });
      const end = countProcesses();
      const summary = summarize(list, checks, measured, start.total);
      const size = {
        extra,
        population: pop.counts,
        claudeFiles: pop.claudeFiles,
        populationUpMs: upMs,
        processes: { start: start.total, end: end.total, claude: start.claude },
        loadavg: load,
        ...summary,
      };
      sizes.push(size);
      progress('');
      for (const line of formatSize(size)) show(line);
      show('');
    } finally {
      const down = stopPopulation(pop.file);
      if (down.remaining.length > 0) {
        const note = `${down.remaining.length} population processes still listed after cleanup; pid file kept: ${pop.file}`;
        notes.push(note);
        show(`note: ${note}`);
      }
    }
  }

  show(formatVerdicts(sizes));
  const doc = {
    benchmark: 'claude-reaper scan',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, kernel: release(), node: process.version, loadavgEnd: loadavg() },
    options: { sizes: opts.sizes, runs: opts.runs, warmup: opts.warmup, rssRuns: opts.rssRuns, cli: opts.cli, keepEnv: opts.keepEnv },
    environment: { nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null, removedFromCandidates: removed !== null },
    candidates: list.map(({ id, label, command, version, skip }) => ({ id, label, command, version, skip })),
    notes,
    sizes,
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(doc, null, 2)}\n`);
  show(`results: ${RESULTS}`);
  if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);

  const cliFailed = sizes.some((s) => s.rows.find((r) => r.id === 'cli')?.skipped);
  if (cliFailed) {
    console.error('error: the CLI could not be measured (see the notes above)');
    return 1;
  }
  if (opts.strict && sizes.some((s) => s.budgets.some((b) => b.verdict === 'FAIL'))) return 1;
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  console.error(`error: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
