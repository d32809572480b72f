// Runs the candidates: one checked run each, then timed runs round-robin, then peak-RSS runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * One run with stdout captured, untimed: does the candidate work here, and what does it print?
 * A candidate that fails it is not timed (a failing run can be fast for the wrong reason).
 */
export function checkRun(c, cwd) {
  const r = spawnSync(c.file, c.args, { cwd, env: c.env, maxBuffer: MAX_OUTPUT_BYTES, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = r.stderr?.toString('utf8').trim().split('\n')[0] ?? '';
  if (r.error) return { ok: false, why: `cannot start: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `exit ${r.status ?? r.signal}${stderr ? `: ${stderr}` : ''}` };
  return { ok: true, bytes: r.stdout.length, records: countRecords(r.stdout) };
}

/** Entries in the answer: a JSON array's length, a JSON document's `processes`, or lines after a header. */
function countRecords(stdout) {
  const text = stdout.toString('utf8');
  if (text.length === 0) return 0;
  try {
    const doc = JSON.parse(text);
    if (Array.isArray(doc)) return doc.length;
    if (Array.isArray(doc?.processes)) return doc.processes.length;
    return null;
  } catch {
    return text.trimEnd().split('\n').length - 1; // ps: one header line
  }
}

/** Wall time of the whole process, start-up to exit, with its output thrown away. */
function timeOnce(c, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.file, c.args, { cwd, env: c.env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, ok: !r.error && r.status === 0 };
}

/** Peak RSS in KiB as GNU time reports it (ru_maxrss of the candidate), or null. */
function rssOnce(c, cwd, gnuTime, out) {
  const r = spawnSync(gnuTime, ['-f', '%M', '-o', out, c.file, ...c.args], { cwd, env: c.env, stdio: 'ignore' });
  if (r.status !== 0) return null;
  // On failure GNU time writes "Command exited with non-zero status N" first; %M is the last line.
  const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  return Number.isFinite(kib) ? kib : null;
}

/** Lets the event loop run between two runs, so an interrupt is handled at once, not at the end. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Times every runnable candidate `runs` times after `warmup` untimed rounds. Each round runs every
 * candidate once, starting one further along each time, so machine noise and ordering effects
 * land on all of them alike.
 */
export async function measure(list, { runs, warmup, rssRuns, cwd, gnuTime, progress }) {
  const results = new Map(list.map((c) => [c.id, { samples: [], failedRuns: 0, rssKib: [] }]));
  const rounds = warmup + runs;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const c = list[(round + k) % list.length];
      const t = timeOnce(c, cwd);
      const res = results.get(c.id);
      if (!t.ok) res.failedRuns++;
      if (round >= warmup) res.samples.push(t.ms);
      await turn();
    }
    progress?.(`round ${round + 1}/${rounds}${round < warmup ? ' (warm-up)' : ''}`);
  }
  if (gnuTime && rssRuns > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-bench-rss-'));
    try {
      for (let round = 0; round < rssRuns; round++) {
        for (let k = 0; k < list.length; k++) {
          const c = list[(round + k) % list.length];
          const kib = rssOnce(c, cwd, gnuTime, join(dir, 'rss'));
          if (kib !== null) results.get(c.id).rssKib.push(kib);
          await turn();
        }
        progress?.(`peak RSS ${round + 1}/${rssRuns}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
