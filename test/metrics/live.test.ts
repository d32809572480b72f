// Metrics with real leaks: orphaned and abandoned claude-shaped processes, checked by the real
// tools from Debian's packages (promtool, prometheus_client's OpenMetrics parser, and a
// node_exporter serving the file over HTTP on loopback). Other processes on the machine may leak
// too, so the config protects every process but this test's own (tagged) ones: the leak gauges
// then count exactly what the test started.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import { valueOf, parseOpenMetrics } from '../helpers/metrics.js';
import { NODE_EXPORTER, scrape, startNodeExporter } from '../helpers/node-exporter.js';
import { SDK_ARGS, isAlive, procStat, runCli, startDaemon, startOrphan, useProcessCleanup } from '../helpers/procs.js';
import { writeSessionRecord } from '../helpers/claude-files.js';
import { RULES } from '../../src/classify/registry.js';
import { find, sandbox, scanCli, waitAge, writeConfig } from '../helpers/scan-cli.js';
import { requireTools } from '../helpers/tools.js';

useProcessCleanup();
const box = sandbox();

/** A tag for this test's processes, and the scan options that protect every process without it. */
function onlyMine(): { tag: string; args: string[] } {
  const tag = `metrics-${randomUUID()}`;
  return { tag, args: ['--sample', '500ms', '--abandoned-after', '2s', '--config', writeConfig(box, { protect: [`^(?!.*${tag})`] })] };
}

const tagged = (tag: string) => [...SDK_ARGS, `--append-system-prompt=${tag}`];

async function orphans(tag: string, n: number): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < n; i++) pids.push((await startOrphan({ args: tagged(tag) })).pid);
  return pids;
}

/** A directory like node_exporter's textfile directory, for one test. */
function textfileDir(): string {
  return mkdtempSync(join(box.root, 'textfile-'));
}

const rssOf = (doc: ScanDocument, pids: readonly number[]) => pids.reduce((n, pid) => n + (find(doc, pid).rssBytes ?? 0), 0);

describe('scan --metrics-file, with live leaks', () => {
  it('writes the same numbers as the JSON of the same scan, counting exactly the leaks the test started', async () => {
    const { tag, args } = onlyMine();
    const leaked = await orphans(tag, 2);
    // Its child is idle by Claude's own record, as real claude writes it: past the 2 s threshold.
    const configDir = join(box.root, `claude-config-${tag}`);
    const d = await startDaemon({ count: 1, args: tagged(tag), env: { CLAUDE_CONFIG_DIR: configDir } });
    for (const pid of d.childPids) writeSessionRecord(configDir, pid, { procStart: procStat(pid)!.startId, status: 'idle', statusUpdatedAt: Date.now() - 5_000 });
    const file = join(textfileDir(), 'claude-reaper.prom');
    const r = await scanCli(box, ['--json', '--metrics-file', file, ...args]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ScanDocument;
    const text = readFileSync(file, 'utf8');
    const mine = [...leaked, ...d.childPids];
    for (const pid of mine) expect(find(doc, pid).reapable).toBe(true);
    expect(find(doc, d.childPids[0]!).flags).toContain('abandoned');
    expect(valueOf(text, 'claude_reaper_leaked_processes')).toBe(3);
    expect(valueOf(text, 'claude_reaper_leaked_rss_bytes')).toBe(rssOf(doc, mine));
    expect(valueOf(text, 'claude_reaper_leaked_rss_bytes')).toBeGreaterThan(0);
    expect(valueOf(text, 'claude_reaper_flagged_processes', { flag: 'orphan' })).toBe(doc.summary.byFlag.orphan);
    expect(valueOf(text, 'claude_reaper_flagged_processes', { flag: 'abandoned' })).toBe(doc.summary.byFlag.abandoned);
    expect(valueOf(text, 'claude_reaper_protected_processes', { reason: 'config' })).toBe(doc.processes.filter((p) => p.protection?.id === 'config').length);
    const sdk = doc.processes.filter((p) => p.kind === 'claude' && p.role === 'sdk').length;
    expect(valueOf(text, 'claude_reaper_processes', { kind: 'claude', role: 'sdk' })).toBe(sdk);
    expect(valueOf(text, 'claude_reaper_scan_success')).toBe(1);
    // A 500 ms CPU window is part of the scan.
    expect(valueOf(text, 'claude_reaper_scan_duration_seconds')).toBeGreaterThanOrEqual(0.5);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('passes promtool check metrics (Debian prometheus)', async () => {
    requireTools('promtool');
    const { tag, args } = onlyMine();
    await orphans(tag, 2);
    const file = join(textfileDir(), 'claude-reaper.prom');
    expect((await scanCli(box, ['--metrics-file', file, ...args])).code).toBe(0);
    expect(valueOf(readFileSync(file, 'utf8'), 'claude_reaper_leaked_processes')).toBe(2);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: readFileSync(file), encoding: 'utf8' });
    // promtool exits 3 and prints one line per problem when the lint finds any.
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('is served by a real node_exporter textfile collector, over HTTP on loopback, and follows a kill', async () => {
    requireTools(NODE_EXPORTER);
    const { tag, args } = onlyMine();
    const [first, second] = await orphans(tag, 2);
    const dir = textfileDir();
    const file = join(dir, 'claude-reaper.prom');
    expect((await scanCli(box, ['--metrics-file', file, ...args])).code).toBe(0);
    const exporter = await startNodeExporter(dir);
    const served = await scrape(exporter.url);
    expect(valueOf(served, 'node_textfile_scrape_error')).toBe(0);
    expect(valueOf(served, 'claude_reaper_leaked_processes')).toBe(2);
    expect(valueOf(served, 'claude_reaper_scan_success')).toBe(1);
    // Typed as the file types them: a counter stays a counter.
    expect(served).toContain('# TYPE claude_reaper_reaped_processes_total counter');
    expect(served).toContain('# TYPE claude_reaper_leaked_rss_bytes gauge');

    // The job a schedule runs: kill --yes with the file. What it reaped leaves the gauges and
    // enters the counters.
    const k = await runCli(['kill', '--yes', '--pid', String(first), '--grace', '1s', '--metrics-file', file, ...args], { env: box.env });
    expect(k.code, k.stderr).toBe(0);
    expect(isAlive(first!)).toBe(false);
    const after = await scrape(exporter.url);
    expect(valueOf(after, 'claude_reaper_leaked_processes')).toBe(1);
    expect(valueOf(after, 'claude_reaper_reaped_processes_total', { flag: 'orphan' })).toBe(1);
    const audit = readFileSync(join(box.stateDir, 'reaped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; rssBytes: number });
    const logged = audit.filter((e) => e.pid === first);
    expect(logged).toHaveLength(1);
    expect(valueOf(after, 'claude_reaper_freed_bytes_total', { flag: 'orphan' })).toBe(audit.reduce((n, e) => n + e.rssBytes, 0));
    expect(isAlive(second!)).toBe(true);
  });
});

describe('scan --openmetrics, with live leaks', () => {
  it("is strict OpenMetrics to prometheus_client's parser (Debian python3-prometheus-client), and reports the leaks", async () => {
    const { tag, args } = onlyMine();
    await orphans(tag, 2);
    const r = await scanCli(box, ['--openmetrics', ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const families = parseOpenMetrics(r.stdout);
    const family = (name: string) => families.find((f) => f.name === name)!;
    expect(family('claude_reaper_leaked_processes').samples).toEqual([{ name: 'claude_reaper_leaked_processes', labels: {}, value: 2 }]);
    expect(family('claude_reaper_leaked_rss_bytes')).toMatchObject({ type: 'gauge', unit: 'bytes' });
    expect(family('claude_reaper_build')).toMatchObject({ type: 'info' });
    expect(family('claude_reaper_reaped_processes')).toMatchObject({ type: 'counter' });
    expect(family('claude_reaper_reaped_processes').samples[0]!.name).toBe('claude_reaper_reaped_processes_total');
  });
});

describe('when the process table cannot be read', () => {
  it('writes scan_success 0 and no process gauge, prints the same, and exits 3', async () => {
    // The ps source with no ps to run: a real failure to read the table.
    const empty = mkdtempSync(join(box.root, 'no-programs-'));
    const file = join(textfileDir(), 'claude-reaper.prom');
    const r = await runCli(['scan', '--source', 'ps', '--sample', '0', '--openmetrics', '--metrics-file', file], { env: { ...box.env, PATH: empty } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^claude-reaper: error: cannot read the process table: ps failed/);
    for (const text of [r.stdout, readFileSync(file, 'utf8')]) {
      expect(valueOf(text, 'claude_reaper_scan_success')).toBe(0);
      expect(valueOf(text, 'claude_reaper_leaked_processes')).toBeUndefined();
      expect(valueOf(text, 'claude_reaper_processes', { kind: 'claude', role: 'sdk' })).toBeUndefined();
    }
    expect(r.stdout.endsWith('# EOF\n')).toBe(true);
  });
});

describe('watch --metrics-file', () => {
  it('rewrites the file every cycle by rename, so a reader never sees part of one', async () => {
    const dir = textfileDir();
    const file = join(dir, 'claude-reaper.prom');
    writeFileSync(file, 'old\n');
    const inodes = new Set<number>();
    const reads: string[] = [];
    let running = true;
    const reader = (async () => {
      while (running) {
        try {
          reads.push(readFileSync(file, 'utf8'));
          inodes.add(statSync(file).ino);
        } catch {
          // between unlink and rename there is no gap with rename(2); any error here fails below
          reads.push('<unreadable>');
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const r = await runCli(['watch', '--interval', '150ms', '--cycles', '8', '--sample', '0', '--metrics-file', file], { env: box.env });
    running = false;
    await reader;
    expect(r.code, r.stderr).toBe(0);
    const written = reads.filter((t) => t !== 'old\n');
    expect(written.length).toBeGreaterThan(0);
    for (const text of written) {
      expect(text.startsWith('# HELP claude_reaper_build_info ')).toBe(true);
      // Whole: it ends with the last series of the last family (the last rule's flag).
      expect(text).toMatch(new RegExp(`\\nclaude_reaper_freed_bytes_total\\{flag="${RULES.at(-1)!.id}"\\} \\d+\\n$`));
    }
    // Each cycle a new file took the old one's place.
    expect(inodes.size).toBeGreaterThanOrEqual(3);
    const stamps = new Set(written.map((t) => valueOf(t, 'claude_reaper_scan_timestamp_seconds')));
    expect(stamps.size).toBeGreaterThanOrEqual(3);
    expect(readdirSync(dir)).toEqual(['claude-reaper.prom']);
  });
});

describe('bad input', () => {
  it('refuses it with one line and exit 2, and writes nothing', async () => {
    const dir = textfileDir();
    const cases = [
      ['scan', '--metrics-file', ''],
      ['scan', '--metrics-file', join(dir, 'missing', 'x.prom')],
      ['scan', '--openmetrics', '--json'],
      ['watch', '--metrics-file', join(dir, 'missing', 'x.prom')],
      ['kill', '--yes', '--plan', join(dir, 'plan.json'), '--metrics-file', join(dir, 'x.prom')],
      ['kill', '--dry-run', '--metrics-file'],
    ];
    for (const args of cases) {
      const r = await runCli([...args, '--sample', '0'], { env: box.env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
