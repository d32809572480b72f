#!/usr/bin/env node
// The floor the CLI is compared against: the least a Node program can do to list every process
// from /proc and print it as JSON. Synchronous reads of stat and cmdline, the exe link and the
// owner of /proc/PID for every process; where comm is claude, the fd count and what only Claude's
// own files say (whether it is idle or waiting for an answer, and since when): its session
// record in ~/.claude/sessions and, where the record does not say idle, the last 64 kB of the
// transcript it names. No
// classification, no formatting, no error mapping beyond skipping processes that vanish.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';

const CLAUDE_HOME = `${process.env.HOME}/.claude`;
const TAIL_BYTES = 64 * 1024;
const tail = Buffer.allocUnsafe(TAIL_BYTES);

/** Claude's record of a process and the end of its transcript, or null where it has none. */
function claudeFiles(pid) {
  let record;
  try {
    record = JSON.parse(readFileSync(`${CLAUDE_HOME}/sessions/${pid}.json`, 'utf8'));
  } catch {
    return null;
  }
  let last = null;
  if (record.status !== 'idle' && typeof record.sessionId === 'string' && typeof record.cwd === 'string') {
    try {
      const fd = openSync(`${CLAUDE_HOME}/projects/${record.cwd.replace(/[^a-zA-Z0-9]/g, '-')}/${record.sessionId}.jsonl`, 'r');
      try {
        const size = fstatSync(fd).size;
        const length = Math.min(size, TAIL_BYTES);
        const got = readSync(fd, tail, 0, length, size - length);
        const text = tail.toString('latin1', 0, got);
        const from = text.lastIndexOf('\n', text.length - 2) + 1;
        last = text.slice(from, from + 200); // the last entry's start: its type and time
      } finally {
        closeSync(fd);
      }
    } catch {
      /* no transcript */
    }
  }
  return { status: record.status ?? null, since: record.statusUpdatedAt ?? null, last };
}

const records = [];
for (const name of readdirSync('/proc')) {
  const c = name.charCodeAt(0);
  if (c < 48 || c > 57) continue; // not a pid directory
  const dir = `/proc/${name}`;
  try {
    const stat = readFileSync(`${dir}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' '); // f[0] is field 3 of proc(5)
    const cmdline = readFileSync(`${dir}/cmdline`, 'utf8');
    const argv = cmdline.length > 0 ? cmdline.split('\0') : [];
    if (argv[argv.length - 1] === '') argv.pop();
    const uid = statSync(dir).uid;
    let exe = null;
    try {
      exe = readlinkSync(`${dir}/exe`);
    } catch {
      /* kernel thread, zombie or not ours: no executable to show */
    }
    let fds = null;
    let claude = null;
    if (comm === 'claude') {
      try {
        fds = readdirSync(`${dir}/fd`).length;
      } catch {
        /* not ours */
      }
      claude = claudeFiles(name);
    }
    records.push({
      pid: Number(name),
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      uid,
      comm,
      state: f[0],
      exe,
      argv,
      startTicks: Number(f[19]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      rssPages: Number(f[21]),
      ttyNr: Number(f[4]),
      threads: Number(f[17]),
      fds,
      claude,
    });
  } catch (err) {
    if (err.code !== 'ENOENT' && err.code !== 'ESRCH') throw err; // it exited while being read
  }
}
process.stdout.write(`${JSON.stringify(records)}\n`);
