// Small /proc helpers shared by the population and the runner. Linux only, like the benchmark.
import { readFileSync, readdirSync } from 'node:fs';

/** Fields of /proc/PID/stat after the `(comm)` field, or null when the process is gone. */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // comm may hold spaces and parentheses: the fields start after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * Start time of a process in clock ticks since boot (stat field 22), as a string, or null when
 * there is no such process. With the pid it identifies a process: a reused pid has a later start.
 */
export function startTimeOf(pid) {
  return statFields(pid)?.[19] ?? null;
}

/** Whether the process that had this pid and start time still exists and is not a zombie. */
export function isAlive(pid, start) {
  const f = statFields(pid);
  return f !== null && f[19] === start && f[0] !== 'Z';
}

/** Whether this pid and start time still names a process table entry (zombies included). */
export function isListed(pid, start) {
  return statFields(pid)?.[19] === start;
}

/** Boot time, epoch ms (`btime` of /proc/stat): a start time in ticks is this plus ticks * 10 ms. */
export function bootTimeMs() {
  const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1];
  if (!btime) throw new Error('/proc/stat has no btime');
  return Number(btime) * 1000;
}

/** The command line's words, or null when the process is gone. */
export function argvOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return null;
  }
}

export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trimEnd();
  } catch {
    return null;
  }
}

/** Processes on the machine (numeric entries of /proc: one per thread group) and how many are claude. */
export function countProcesses() {
  let total = 0;
  let claude = 0;
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    total++;
    if (commOf(name) === 'claude') claude++;
  }
  return { total, claude };
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: usable in an 'exit' handler, where nothing asynchronous runs any more. */
export function sleepSync(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}
