// Protections, with real processes of each shape: the session the tool runs in, an interactive
// session on a live terminal, another user's process, and what the config protects. A protected
// process still shows its flags; it is just never reapable.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import { readyPath, waitReady } from '../helpers/fixtures.js';
import { CLI_PATH, SDK_ARGS, claudeCommand, procStat, runInPty, shellQuote, startClaude, startInteractive, startOrphan, track, ttyName, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, reasonText, sandbox, scanJson, writeConfig } from '../helpers/scan-cli.js';
import { startAsUser } from '../helpers/shapes.js';

useProcessCleanup();
const box = sandbox();

/** `node bin/claude-reaper.js scan --json --sample 0`, written to `out` whole (renamed into place). */
function scanInto(out: string): string {
  const scan = [process.execPath, CLI_PATH, 'scan', '--json', '--sample', '0'].map(shellQuote).join(' ');
  return `${scan} >${shellQuote(`${out}.tmp`)} && mv ${shellQuote(`${out}.tmp`)} ${shellQuote(out)}`;
}

const readDoc = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ScanDocument;

describe('protection of the session the tool runs in', () => {
  it('protects the claude (and its shell) that runs the tool as its ancestors', async () => {
    const out = join(box.root, `ancestor-${randomUUID()}.json`);
    const c = await startClaude({ args: SDK_ARGS, mode: 'sleep', env: box.env, childCommands: [scanInto(out)] });
    await waitFor(() => existsSync(out), { timeoutMs: 20_000, what: 'the scan run from the tool shell' });
    const doc = readDoc(out);
    const p = find(doc, c.pid);
    expect(p.protection).toEqual({ id: 'ancestor', text: 'an ancestor of this claude-reaper (the session it runs in)' });
    expect(p.reapable).toBe(false);
    expect(find(doc, c.childPids[0]!)).toMatchObject({ kind: 'tool-shell', protection: { id: 'ancestor' } });
  });

  it('protects a claude on a pty that runs the tool, and still shows its flags', async () => {
    const session = randomUUID();
    const out = join(box.root, `pty-${randomUUID()}.json`);
    const go = join(box.root, `go-${randomUUID()}`);
    const ready = readyPath('pty-claude');
    // The tool shell waits for `go`, so the test can start a newer twin of this session first.
    const child = `while [ ! -e ${shellQuote(go)} ]; do sleep 0.05; done; ${scanInto(out)}; kill $PPID`;
    const settings = { FAKE_MODE: 'sleep', FAKE_READY: ready, FAKE_CHILD: child };
    const cmd = claudeCommand('native', ['--resume', session]);
    const line = [...Object.entries(settings).map(([k, v]) => `${k}=${shellQuote(v)}`), ...[cmd.file, ...cmd.args].map(shellQuote)].join(' ');
    const run = runInPty(line, { env: box.env, timeoutMs: 30_000 });
    const claude = await waitReady(ready, { timeoutMs: 20_000 });
    track(claude.pid);
    const twin = await startClaude({ args: ['--resume', session] });
    writeFileSync(go, '');
    const result = await run;
    expect(result.stderr).toBe('');
    const doc = readDoc(out);
    const p = find(doc, claude.pid);
    expect(p.tty).toMatch(/^pts\/\d+$/);
    expect(p.flags).toContain('duplicate-session');
    expect(p.protection?.id).toBe('ancestor');
    expect(p.reapable).toBe(false);
    expect(find(doc, twin.pid).flags).not.toContain('duplicate-session');
  });
});

describe('protection of an interactive session on a live terminal', () => {
  it('protects a claude in the foreground of its pty, whatever its flags', async () => {
    const session = randomUUID();
    const s = await startInteractive({ args: ['--resume', session] });
    await startClaude({ args: ['--resume', session] });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, s.claudePid);
    expect(p.tty).toBe(s.tty);
    expect(p.protection).toEqual({ id: 'live-tty', text: `in the foreground of ${s.tty}` });
    expect(p.flags).toContain('duplicate-session');
    expect(p.reapable).toBe(false);
    expect(ttyName(procStat(s.claudePid)!.ttyNr)).toBe(s.tty);
  });
});

describe("protection of other users' processes", () => {
  // Starting a process as another user (setpriv) takes root, as the test machines have.
  it.skipIf(process.getuid?.() !== 0)('protects a claude of another user unless --all-users is given', async () => {
    const session = randomUUID();
    const nobody = await startAsUser(65534, ['--resume', session]);
    await startClaude({ args: ['--resume', session] });
    const doc = await scanJson(box, ['--sample', '500ms']);
    const p = find(doc, nobody.pid);
    expect(p.uid).toBe(65534);
    expect(p.flags).toContain('duplicate-session');
    expect(p.protection).toEqual({ id: 'other-user', text: `belongs to ${p.user ?? 'uid 65534'} (use --all-users)` });
    expect(p.reapable).toBe(false);

    const all = await scanJson(box, ['--sample', '500ms', '--all-users']);
    expect(find(all, nobody.pid).protection).toBeNull();
    expect(find(all, nobody.pid).reapable).toBe(true);
  });
});

describe('protection by the config', () => {
  it('protects what a protect pattern matches, and still flags it', async () => {
    const tag = `keep-${randomUUID()}`;
    const config = writeConfig(box, { protect: [tag] });
    const o = await startOrphan({ args: [...SDK_ARGS, `--append-system-prompt=${tag}`] });
    const doc = await scanJson(box, ['--sample', '500ms', '--config', config]);
    const p = find(doc, o.pid);
    expect(p.flags).toContain('orphan');
    expect(p.protection).toEqual({ id: 'config', text: `matches the config's protect pattern /${tag}/` });
    expect(p.reapable).toBe(false);
    expect(reasonText(p, 'orphan')).toBeDefined();
  });
});
