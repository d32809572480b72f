// A real Prometheus node_exporter (Debian's prometheus-node-exporter) on a free loopback port,
// with only the textfile collector on, registered by pid and start time so cleanup() ends it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { track, waitFor } from './cleanup.js';
import { capture } from './fixtures.js';
import { which } from './tools.js';

export const NODE_EXPORTER = 'prometheus-node-exporter';
const START_TIMEOUT_MS = 10_000;

export interface StartedNodeExporter {
  pid: number;
  url: string;
}

/** A port nobody listens on right now (the exporter may still lose it to a race: it is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts node_exporter serving the `*.prom` files of `dir`; retries once if its port was taken. */
export async function startNodeExporter(dir: string): Promise<StartedNodeExporter> {
  const bin = which(NODE_EXPORTER);
  if (!bin) throw new Error(`${NODE_EXPORTER} is not installed`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    const port = await freePort();
    const child = spawn(
      bin,
      [
        `--web.listen-address=127.0.0.1:${port}`,
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${dir}`,
        '--web.disable-exporter-metrics',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (child.pid === undefined) throw new Error(`cannot start ${bin}`);
    track(child.pid, child);
    const output = capture(child.stderr);
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`${NODE_EXPORTER} exited with code ${child.exitCode}: ${output()}`);
          return (await fetch(url).then((r) => r.ok).catch(() => false)) || undefined;
        },
        { timeoutMs: START_TIMEOUT_MS, intervalMs: 50, what: `${NODE_EXPORTER} to answer on ${url}` },
      );
      return { pid: child.pid, url };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** One scrape: the exposition text, as Prometheus would get it. */
export async function scrape(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return r.text();
}
