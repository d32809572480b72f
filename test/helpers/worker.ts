// A bare worker daemon of claude-mem's shape, from any install path, that can hold a port: for the
// duplicate-daemon tests, which look at the daemons themselves (the fixtures' daemon.cjs drives
// claude children but never listens).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { track } from './cleanup.js';
import { baseEnv, capture, readyPath, waitReady, workRoot } from './fixtures.js';

export interface StartedWorker {
  pid: number;
  startId: string;
  port?: number;
  scriptPath: string;
  argv: string[];
}

// A bare worker daemon: holds a port when asked, and otherwise sleeps. No claude children; the
// duplicate-daemon rule looks at the daemons themselves.
const WORKER_SCRIPT = `'use strict';
const fs = require('node:fs');
const net = require('node:net');
const ready = process.env.WORKER_READY;
function done(port) {
  fs.writeFileSync(ready + '.tmp', JSON.stringify({ pid: process.pid, children: [], port }));
  fs.renameSync(ready + '.tmp', ready);
  setInterval(() => {}, 1 << 30);
}
if (process.env.WORKER_LISTEN === '1') {
  const server = net.createServer(() => {});
  server.listen(0, '127.0.0.1', () => done(server.address().port));
} else {
  done(undefined);
}
`;

/**
 * `node <root>/<installPath>/worker-service.cjs --daemon ...args`: claude-mem's worker shape from
 * any install path. Give `args` a tag of the test's own so that copies started elsewhere on the
 * machine (same script, same arguments) are not counted with these.
 */
export async function startWorker(opts: { installPath: string; args?: string[]; listen?: boolean }): Promise<StartedWorker> {
  const dir = join(workRoot(), 'workers', opts.installPath);
  const scriptPath = join(dir, 'worker-service.cjs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(scriptPath, WORKER_SCRIPT);
  const ready = readyPath('worker');
  const args = [scriptPath, '--daemon', ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    argv0: 'node',
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...baseEnv(), WORKER_READY: ready, ...(opts.listen ? { WORKER_LISTEN: '1' } : {}) },
  });
  if (child.pid === undefined) throw new Error('cannot start node for the worker');
  const got = await waitReady(ready, { process: child, output: capture(child.stderr) });
  const out: StartedWorker = { pid: child.pid!, startId: track(child.pid!, child), scriptPath, argv: ['node', ...args] };
  if (got.port !== undefined) out.port = got.port;
  return out;
}
