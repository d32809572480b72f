// `scan --json`: one document on stdout and nothing else, valid against the schema that ships with
// the package, with a summary that adds up; and the ps source agrees with /proc on who is claude.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ProcessReport, ScanDocument, ScanSummary } from '../../src/report.js';
import { SDK_ARGS, killHard, readCmdline, startClaude, startDaemon, startOrphan, track, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, listed, sandbox, scanCli, scanJson } from '../helpers/scan-cli.js';
import { mcpCommand, toolShellCommand } from '../helpers/claude-files.js';
import { startCopyAt, startZombieClaude } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/scan.schema.json', import.meta.url)), 'utf8')) as object;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_UTC.test(s) && Number.isFinite(Date.parse(s)) });
  return ajv.compile(SCHEMA);
}

/** A population with most shapes: daemon children, an orphan, a zombie, a claude with helpers. */
async function population() {
  const daemon = await startDaemon({ count: 2, mode: 'sleep' });
  const crashed = await startDaemon({ count: 1, mode: 'sleep' });
  await killHard(crashed.pid);
  const orphan = await startOrphan({ args: SDK_ARGS, mode: 'busy' });
  const zombie = await startZombieClaude();
  const helpers = await startClaude({ args: ['--resume', 'json-test'], mode: 'sleep', childCommands: [mcpCommand(), toolShellCommand(box.root)] });
  return { pids: [daemon.pid, ...daemon.childPids, ...crashed.childPids, orphan.pid, zombie.pid, helpers.pid, ...helpers.childPids] };
}

/** The summary recomputed from the processes listed. */
function summaryOf(processes: readonly ProcessReport[]): ScanSummary {
  const s: ScanSummary = { processes: processes.length, byKind: {}, rssBytes: 0, flagged: 0, byFlag: {}, protected: 0, reapable: 0, reclaimableRssBytes: 0 };
  for (const p of processes) {
    s.byKind[p.kind] = (s.byKind[p.kind] ?? 0) + 1;
    s.rssBytes += p.rssBytes ?? 0;
    if (p.flags.length > 0) s.flagged++;
    for (const f of p.flags) s.byFlag[f] = (s.byFlag[f] ?? 0) + 1;
    if (p.protection) s.protected++;
    if (p.reapable) {
      s.reapable++;
      s.reclaimableRssBytes += p.rssBytes ?? 0;
    }
  }
  return s;
}

describe('scan --json', () => {
  it('prints exactly one JSON document, valid against the schema, with the population in it', async () => {
    const { pids } = await population();
    const r = await scanCli(box, ['--json', '--sample', '500ms']);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    // The whole of stdout parses: no banner, no table, no second document.
    const doc = JSON.parse(r.stdout) as ScanDocument;
    const validate = validator();
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(doc).toMatchObject({ schemaVersion: 2, tool: { name: 'claude-reaper' }, platform: 'linux', source: 'procfs', sampleMs: 500 });
    for (const pid of pids) expect(listed(doc, pid), `pid ${pid}`).toBe(true);
    expect(Math.abs(Date.parse(doc.scannedAt) - Date.now())).toBeLessThan(10_000);
  });

  it('keeps the summary consistent with the processes it lists', async () => {
    await population();
    const doc = await scanJson(box, ['--sample', '500ms']);
    expect(doc.summary).toEqual(summaryOf(doc.processes));
    expect(doc.summary.byFlag.defunct).toBeGreaterThanOrEqual(1);
    expect(doc.summary.byFlag.orphan).toBeGreaterThanOrEqual(2);
  });

  it('writes nothing to stderr when there is nothing to warn about, and warnings only into the document', async () => {
    await startClaude({ args: SDK_ARGS });
    const r = await scanCli(box, ['--json', '--sample', '0']);
    const doc = JSON.parse(r.stdout) as ScanDocument;
    // Warnings (denied fields) belong in the document with --json; stderr stays free of them.
    expect(r.stderr).not.toMatch(/warning/);
    expect(Array.isArray(doc.warnings)).toBe(true);
  });
});

describe('scan --source ps', () => {
  it('lists the same claude pids as --source procfs', async () => {
    const daemon = await startDaemon({ count: 2, mode: 'sleep' });
    const orphan = await startOrphan({ args: SDK_ARGS });
    const variants = await Promise.all(
      (['native', 'versioned', 'sdk-bundled', 'desktop', 'npm-cli', 'title-only'] as const).map((variant) => startClaude({ variant, args: ['-p', 'x'] })),
    );
    const mine = [...daemon.childPids, orphan.pid, ...variants.map((v) => v.pid)];
    const [procfs, ps] = await Promise.all([scanJson(box, ['--sample', '0', '--source', 'procfs']), scanJson(box, ['--sample', '0', '--source', 'ps'])]);
    expect(ps.source).toBe('ps');
    const claudes = (doc: ScanDocument) => mine.filter((pid) => doc.processes.some((p) => p.pid === pid && p.kind === 'claude')).sort();
    expect(claudes(procfs)).toEqual([...mine].sort());
    expect(claudes(ps)).toEqual(claudes(procfs));
    expect(find(ps, daemon.pid).kind).toBe('agent-daemon');
  });

  it('recognizes install paths that hold a space, which ps prints split into words', async () => {
    // ps joins argv with spaces: `…/Jane Doe/…/claude daemon run` comes back as more words than it was.
    const root = join(box.root, 'Jane Doe', 'node_modules', '@anthropic-ai');
    const agent = await startCopyAt(join(root, 'claude-agent-sdk-linux-x64', 'claude'), ['daemon', 'run']);
    const cli = await startCopyAt(join(root, 'claude-code', 'cli.js'), ['-p', 'hello']);
    const [procfs, ps] = await Promise.all([scanJson(box, ['--sample', '0', '--source', 'procfs']), scanJson(box, ['--sample', '0', '--source', 'ps'])]);
    for (const doc of [procfs, ps]) {
      expect(find(doc, agent.pid), doc.source).toMatchObject({ kind: 'claude', variant: 'sdk-bundled', role: 'bg-daemon' });
      expect(find(doc, cli.pid), doc.source).toMatchObject({ kind: 'claude', variant: 'npm-cli', role: 'print' });
    }
    expect(find(procfs, agent.pid).argv).toEqual(agent.argv);
    expect(find(ps, agent.pid).argv).toEqual(agent.argv.join(' ').split(' '));
  });

  it("recognizes the bare binary and npm's bin/claude.exe under a path with a space, and not a shell running a file named claude", async () => {
    const root = join(box.root, 'Jane Doe');
    const bare = await startCopyAt(join(root, 'bin', 'claude'), ['-p', 'hello']);
    // Not the SDK's flags: they would make this test's own process an agent daemon, and the decoy
    // (its child too) one of its descendants.
    const npm = await startCopyAt(join(root, 'lib', 'node_modules', '@anthropic-ai', 'claude-code', 'bin', 'claude.exe'), ['--resume', 'abc']);
    // `/bin/sh notes/claude`: a program given a relative path that ends in claude.
    mkdirSync(join(root, 'notes'), { recursive: true });
    writeFileSync(join(root, 'notes', 'claude'), 'sleep 300; exit 0\n');
    const decoy = spawn('/bin/sh', ['notes/claude'], { cwd: root, stdio: 'ignore' });
    track(decoy.pid!, decoy);
    await waitFor(() => readCmdline(decoy.pid!)?.[1] === 'notes/claude', { what: 'the shell to start' });
    const [procfs, ps] = await Promise.all([scanJson(box, ['--sample', '0', '--source', 'procfs']), scanJson(box, ['--sample', '0', '--source', 'ps'])]);
    for (const doc of [procfs, ps]) {
      expect(find(doc, bare.pid), doc.source).toMatchObject({ kind: 'claude', variant: 'native', role: 'print', name: 'claude' });
      expect(find(doc, npm.pid), doc.source).toMatchObject({ kind: 'claude', variant: 'native', role: 'interactive', name: 'claude.exe' });
      expect(listed(doc, decoy.pid!), doc.source).toBe(false);
    }
    expect(find(ps, bare.pid).argv).toEqual(bare.argv.join(' ').split(' '));
  });
});
