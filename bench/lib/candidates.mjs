// What is timed, and the tools the benchmark looks for on the machine (it installs nothing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCommand } from './options.mjs';

const PS_FIELDS = 'pid,ppid,etimes,time,rss,tty,comm,args';
const PSUTIL_PYTHONS = ['/usr/bin/python3', 'python3'];
const GNU_TIME = '/usr/bin/time';

/**
 * A leading `node` means the node that runs the benchmark, so every Node candidate starts the same
 * binary and the ratios compare the programs, not two installs.
 */
function nodeCommand(words) {
  return words[0] === 'node' ? [process.execPath, ...words.slice(1)] : words;
}

/**
 * The environment every candidate runs in. Node 20 reads and parses the file NODE_EXTRA_CA_CERTS
 * names at every start-up, before the first line of the program, whether or not the program ever
 * opens a TLS connection (none of these does): with a system CA bundle that is about 30 ms, which
 * would be timed as the candidates' own. So it is removed, unless --keep-env; the `node -e 0 +CA`
 * row shows what it costs.
 */
export function benchEnv(keepEnv) {
  if (keepEnv || process.env.NODE_EXTRA_CA_CERTS === undefined) return { env: process.env, removed: null };
  const { NODE_EXTRA_CA_CERTS: removed, ...env } = process.env;
  return { env, removed };
}

/** The candidates, in table order. `skip` says why one cannot run here. */
export function candidates({ cli, benchDir, environment = benchEnv(false) }) {
  const python = findPsutil();
  const [file, ...args] = nodeCommand(splitCommand(cli));
  const { env, removed } = environment;
  return withEnv(env, [
    { id: 'cli', label: 'CLI', command: cli, file, args },
    { id: 'plain-reader', label: 'plain-reader', command: 'node bench/plain-reader.mjs', file: process.execPath, args: [join(benchDir, 'plain-reader.mjs')] },
    { id: 'ps', label: 'ps', command: `ps -eo ${PS_FIELDS}`, file: 'ps', args: ['-eo', PS_FIELDS] },
    { id: 'node', label: 'node -e 0', command: 'node -e 0', file: process.execPath, args: ['-e', '0'] },
    python.ok
      ? { id: 'psutil', label: 'psutil', command: `${python.file} bench/psutil-scan.py`, file: python.file, args: [join(benchDir, 'psutil-scan.py')], version: python.version }
      : { id: 'psutil', label: 'psutil', command: 'python3 bench/psutil-scan.py', skip: python.why },
    // psutil's own floor, as `node -e 0` is the CLI's: what its scan costs once Python is running.
    python.ok
      ? { id: 'python', label: 'import psutil', command: `${python.file} -c "import psutil"`, file: python.file, args: ['-c', 'import psutil'] }
      : { id: 'python', label: 'import psutil', command: 'python3 -c "import psutil"', skip: python.why },
  ]).concat(removed === null ? [] : [
    { id: 'node-extra-ca', label: 'node -e 0 +CA', command: `NODE_EXTRA_CA_CERTS=${removed} node -e 0`, file: process.execPath, args: ['-e', '0'], env: process.env },
  ]);
}

function withEnv(env, list) {
  return list.map((c) => ({ ...c, env }));
}

/** The first python3 that imports psutil, or why none does. */
function findPsutil() {
  const tried = [];
  for (const file of PSUTIL_PYTHONS) {
    const r = spawnSync(file, ['-c', 'import psutil; print(psutil.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { ok: true, file, version: r.stdout.trim() };
    tried.push(r.error ? `${file}: ${r.error.code}` : `${file}: cannot import psutil`);
  }
  return {
    ok: false,
    why: `psutil not available (${tried.join('; ')}); on Debian: apt-get install python3-psutil`,
  };
}

/** GNU time, if it is there and reports the peak RSS (%M, in KiB) to a file. */
export function findGnuTime() {
  if (!existsSync(GNU_TIME)) return { ok: false, why: `${GNU_TIME} not found (Debian package: time)` };
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-bench-time-'));
  try {
    const out = join(dir, 'rss');
    const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
    const kib = r.status === 0 && existsSync(out) ? Number(readFileSync(out, 'utf8').trim()) : NaN;
    return Number.isFinite(kib) && kib > 0 ? { ok: true, file: GNU_TIME } : { ok: false, why: `${GNU_TIME} does not support -f %M -o` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
