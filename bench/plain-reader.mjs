#!/usr/bin/env node
// The floor the CLI is compared against: the least a Node program can do to list every process
// from /proc and print it as JSON. Synchronous reads of stat and cmdline, the exe link and the
// owner of /proc/PID for every process; the fd count only where comm is claude. No
// classification, no formatting, no error mapping beyond skipping processes that vanish.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

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
    if (comm === 'claude') {
      try {
        fds = readdirSync(`${dir}/fd`).length;
      } catch {
        /* not ours */
      }
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
    });
  } catch (err) {
    if (err.code !== 'ENOENT' && err.code !== 'ESRCH') throw err; // it exited while being read
  }
}
process.stdout.write(`${JSON.stringify(records)}\n`);
