#!/usr/bin/env node
// The benchmark's population: N extra real processes, a fifth of them shaped like claude, started
// by population.sh and ended by pid. Every process is recorded with its start time in a pid file
// as it starts; only a pid whose start time still matches is ever signalled.
//
//   node bench/population.mjs up N [--file F]   start N processes and leave them running
//   node bench/population.mjs down [F]          end the processes listed in F
//
// F defaults to bench/results/population.pids, where `npm run bench` keeps its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeClaudeFiles } from './lib/claude-files.mjs';
import { argvOf, bootTimeMs, commOf, isAlive, isListed, sleepSync, startTimeOf } from './lib/proc.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PID_FILE = join(BENCH_DIR, 'results', 'population.pids');
const TEMP_PREFIX = 'claude-reaper-bench-';

// The mix, after the population the performance anchors in DESIGN.md section 8 were measured on.
const CLAUDE_SHARE = 0.2;
const PARENTED_SHARE = 0.4; // of the claude processes: children of a live non-claude parent
const WITH_MCP_SHARE = 0.3; // of the claude processes: orphans with two MCP-server children; the rest are lone orphans
const CLAUDES_PER_PARENT = 4;
const TRAP_SHARE = 0.02; // of all: command lines that mention claude but are not claude
// Of the plain processes: jobs a closed shell left behind (nohup), in a session whose leader is
// gone; the rest lead sessions of their own, as a system's daemons do.
const LEFTOVER_SHARE = 0.05;
const FD_HOLDER_EVERY = 4; // every 4th claude holds extra fds
const SDK_EVERY = 3; // every 3rd claude has an Agent SDK command line
const PARENT_KINDS = ['bash', 'chat', 'worker'];
const TRAP_KINDS = ['grep', 'cat', 'node', 'tail'];

const READY_TIMEOUT_MS = 30_000;
const GONE_TIMEOUT_MS = 15_000; // killed orphans are reaped by init, which may take a moment
const POLL_MS = 50;
const SPAWNER_STOP_MS = 5_000;
const MS_PER_TICK = 10; // stat's start time counts USER_HZ ticks, 100 a second on Linux

/** What to start for N extra processes: plan lines for population.sh and the counts they add up to. */
export function planPopulation(n) {
  const claude = Math.round(n * CLAUDE_SHARE);
  const parented = Math.round(claude * PARENTED_SHARE);
  const withMcp = Math.round(claude * WITH_MCP_SHARE);
  const lone = claude - parented - withMcp;
  const parents = Math.ceil(parented / CLAUDES_PER_PARENT);
  const traps = n > 0 ? Math.max(1, Math.round(n * TRAP_SHARE)) : 0;
  const plain = n - claude - parents - 2 * withMcp - traps;
  if (plain < 0) throw new Error(`population size ${n} is too small for its mix`);

  let i = 0;
  const flags = () => {
    const f = (i % FD_HOLDER_EVERY === FD_HOLDER_EVERY - 1 ? 'f' : '') + (i % SDK_EVERY === 1 ? 's' : '');
    i++;
    return f || '-';
  };
  const lines = [];
  const leftovers = Math.round(plain * LEFTOVER_SHARE);
  if (plain - leftovers > 0) lines.push(`plain ${plain - leftovers}`);
  if (leftovers > 0) lines.push(`leftover ${leftovers}`);
  for (let p = 0; p < parents; p++) {
    const kids = Math.min(CLAUDES_PER_PARENT, parented - p * CLAUDES_PER_PARENT);
    lines.push(`parent ${PARENT_KINDS[p % PARENT_KINDS.length]} ${Array.from({ length: kids }, flags).join(' ')}`);
  }
  for (let k = 0; k < withMcp; k++) lines.push(`mcp ${flags()}`);
  for (let k = 0; k < lone; k++) lines.push(`lone ${flags()}`);
  for (let k = 0; k < traps; k++) lines.push(`trap ${TRAP_KINDS[k % TRAP_KINDS.length]}`);
  const counts = { total: n, claude, parented, withMcp, lone, parents, mcpChildren: 2 * withMcp, traps, plain, leftovers };
  return { lines, counts };
}

/** The pid file: a `# dir PATH` header, then one `pid starttime role comm` line per process. */
export function readPidFile(file) {
  const text = readFileSync(file, 'utf8');
  const dir = /^# dir (.+)$/m.exec(text)?.[1] ?? null;
  const records = [];
  for (const line of text.split('\n')) {
    const [pid, start, role, comm] = line.split(' ');
    if (/^\d+$/.test(pid ?? '') && /^\d+$/.test(start ?? '')) records.push({ pid: Number(pid), start, role, comm });
  }
  return { dir, records };
}

// The population being started or running, for the interrupt handlers.
let current = null;

/**
 * Starts N processes, then writes Claude's files for its claude processes under `home` (a fresh
 * home directory in the temp dir: a scan run with HOME pointing there finds them in ~/.claude).
 * Resolves once all of them exist with the comm they are meant to have.
 */
export async function startPopulation(n, { file = DEFAULT_PID_FILE } = {}) {
  const { lines, counts } = planPopulation(n);
  if (existsSync(file)) stopPopulation(file);
  mkdirSync(dirname(file), { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), TEMP_PREFIX));
  const home = join(dir, 'home');
  writeFileSync(file, `# dir ${dir}\n`);
  if (n === 0) {
    const claudeFiles = writeClaudeFiles(home, [], { startTimeMs: () => 0 });
    return { file, dir, home, records: [], counts, claudeFiles };
  }
  const plan = join(dir, 'plan');
  writeFileSync(plan, `${lines.join('\n')}\n`);
  // Its own session, as a leaked process would be: a Ctrl-C at the terminal does not reach the
  // population, the interrupt handler ends it by pid instead. Claude's markers, there when the
  // benchmark itself runs under Claude Code, are left out of its environment: CLAUDE_CONFIG_DIR would
  // send a scan to another config dir than the population's, CLAUDE_PID would make every process a
  // Bash-tool leftover.
  const spawner = spawn('bash', [join(BENCH_DIR, 'population.sh'), dir, plan, file], { detached: true, stdio: 'ignore', env: withoutClaudeMarkers(process.env) });
  current = { file, spawner: { pid: spawner.pid, start: startTimeOf(spawner.pid) } };
  const code = await new Promise((resolve, reject) => {
    spawner.on('error', reject);
    spawner.on('exit', (status, signal) => resolve(status ?? signal));
  });
  if (code !== 0) throw new Error(`population.sh failed (${code}): ${readLog(dir)}`);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const { records } = readPidFile(file);
    // perl-shaped processes take their comm a moment after they start
    const waiting = records.filter((r) => commOf(r.pid) !== r.comm);
    if (records.length === n && waiting.length === 0) {
      const boot = bootTimeMs();
      const claudes = records.filter((r) => r.role === 'claude' && r.comm === 'claude')
        .map((r) => ({ pid: r.pid, start: r.start, sdk: argvOf(r.pid)?.includes('--output-format') ?? false }));
      const claudeFiles = writeClaudeFiles(home, claudes, { startTimeMs: (ticks) => boot + Number(ticks) * MS_PER_TICK });
      return { file, dir, home, records, counts, claudeFiles };
    }
    if (Date.now() > deadline) {
      throw new Error(`population not ready after ${READY_TIMEOUT_MS} ms: ${records.length} of ${n} started, ` +
        `${waiting.length} without their comm yet; ${readLog(dir)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The environment without what Claude Code sets for the processes it starts. */
function withoutClaudeMarkers(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^CLAUDE/.test(k)));
}

function readLog(dir) {
  try {
    return readFileSync(join(dir, 'spawn.log'), 'utf8').trim() || 'spawn.log is empty';
  } catch {
    return 'no spawn.log';
  }
}

/**
 * Ends every process listed in the pid file whose start time still matches, waits until they are
 * out of the process table, then removes the temp dir and the file. Synchronous, so it also works
 * in an 'exit' handler.
 */
export function stopPopulation(file) {
  if (current?.file === file) stopSpawner(current.spawner);
  const handled = new Map();
  const result = { killed: 0, alreadyGone: 0, remaining: [] };
  let dir = null;
  // The file can still grow for a moment after an interrupted start: read it until it stops.
  for (let pass = 0; pass < 3; pass++) {
    let listed;
    try {
      listed = readPidFile(file);
    } catch {
      break;
    }
    dir ??= listed.dir;
    const fresh = listed.records.filter((r) => !handled.has(`${r.pid}:${r.start}`));
    if (fresh.length === 0 && pass > 0) break;
    for (const r of fresh) {
      handled.set(`${r.pid}:${r.start}`, r);
      if (isAlive(r.pid, r.start) && signal(r.pid)) result.killed++;
      else result.alreadyGone++;
    }
    sleepSync(POLL_MS);
  }
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  let left = [...handled.values()].filter((r) => isListed(r.pid, r.start));
  while (left.length > 0 && Date.now() < deadline) {
    for (const r of left) if (isAlive(r.pid, r.start)) signal(r.pid);
    sleepSync(POLL_MS);
    left = left.filter((r) => isListed(r.pid, r.start));
  }
  result.remaining = left;
  if (dir && basename(dir).startsWith(TEMP_PREFIX)) rmSync(dir, { recursive: true, force: true });
  if (left.length === 0) rmSync(file, { force: true });
  if (current?.file === file) current = null;
  return result;
}

/** An interrupted start: population.sh records the process it just forked, then exits. */
function stopSpawner({ pid, start }) {
  if (!pid || !start || !isAlive(pid, start)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + SPAWNER_STOP_MS;
  while (isAlive(pid, start) && Date.now() < deadline) sleepSync(10);
  if (isAlive(pid, start)) process.kill(pid, 'SIGKILL');
}

function signal(pid) {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false; // exited on its own in the meantime
  }
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Ends the population being started or running if this process is interrupted or exits. */
export function stopOnExit() {
  const cleanup = () => {
    if (current) stopPopulation(current.file);
  };
  process.on('exit', cleanup);
  for (const [sig, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: ending the benchmark population\n`);
      cleanup();
      process.exit(code);
    });
  }
}

/** Leaves a started population running past this process's exit (the `up` command). */
export function keepRunning() {
  current = null;
}

async function main(argv) {
  const [command, ...rest] = argv;
  const at = rest.indexOf('--file');
  const file = at >= 0 ? rest.splice(at, 2)[1] : undefined;
  if (command === 'up' && /^\d+$/.test(rest[0] ?? '')) {
    stopOnExit();
    const t0 = Date.now();
    const pop = await startPopulation(Number(rest[0]), { file: file ?? DEFAULT_PID_FILE });
    keepRunning();
    console.log(`started ${pop.records.length} processes in ${Date.now() - t0} ms: ${JSON.stringify(pop.counts)}`);
    console.log(`Claude's files: ${JSON.stringify(pop.claudeFiles)} in ${pop.home}/.claude`);
    console.log(`scan it with: HOME=${pop.home} node bin/claude-reaper.js scan`);
    console.log(`pid file: ${pop.file}\nend them with: node bench/population.mjs down ${pop.file}`);
    return 0;
  }
  if (command === 'down' && rest.length <= 1) {
    const target = rest[0] ?? file ?? DEFAULT_PID_FILE;
    if (!existsSync(target)) {
      console.log(`no pid file at ${target}: nothing to end`);
      return 0;
    }
    const t0 = Date.now();
    const r = stopPopulation(target);
    console.log(`ended ${r.killed} processes in ${Date.now() - t0} ms (${r.alreadyGone} already gone)`);
    if (r.remaining.length > 0) {
      console.error(`still listed: ${r.remaining.map((p) => p.pid).join(' ')}; pid file kept: ${target}`);
      return 1;
    }
    return 0;
  }
  console.error('usage: node bench/population.mjs up N [--file F] | down [F]');
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  });
}
