// `scan --fail-on`: the exit code as an assertion for CI. Other processes on the machine may carry
// any flag, so each test protects, through the config, every process but its own (a protect
// pattern that matches any command line without the test's tag): only its own can then fail it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../src/report.js';
import { SDK_ARGS, startClaude, startOrphan, useProcessCleanup } from '../helpers/procs.js';
import { find, sandbox, scanCli, writeConfig } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

/** A tag for the test's own processes, and a config that protects everything without it. */
function onlyMine(): { tag: string; config: string } {
  const tag = `fail-on-${randomUUID()}`;
  return { tag, config: writeConfig(box, { protect: [`^(?!.*${tag})`] }) };
}

async function failOn(flags: string, config: string): Promise<{ code: number | null; doc: ScanDocument }> {
  const r = await scanCli(box, ['--json', '--sample', '500ms', '--fail-on', flags, '--config', config]);
  return { code: r.code, doc: JSON.parse(r.stdout) as ScanDocument };
}

describe('scan --fail-on', () => {
  it('exits 1 when an unprotected process has the flag, and still prints the document', async () => {
    const { tag, config } = onlyMine();
    const o = await startOrphan({ args: [...SDK_ARGS, `--append-system-prompt=${tag}`] });
    const { code, doc } = await failOn('orphan', config);
    expect(find(doc, o.pid)).toMatchObject({ protection: null, reapable: true });
    expect(find(doc, o.pid).flags).toContain('orphan');
    expect(code).toBe(1);
  });

  it('exits 0 when the only processes with the flag are protected', async () => {
    const { config } = onlyMine();
    // The orphan carries no tag: the config protects it like everything else.
    const o = await startOrphan({ args: SDK_ARGS });
    const { code, doc } = await failOn('orphan', config);
    expect(find(doc, o.pid).flags).toContain('orphan');
    expect(find(doc, o.pid).protection?.id).toBe('config');
    expect(code).toBe(0);
  });

  it('exits 0 when no unprotected process has any of the flags', async () => {
    const { tag, config } = onlyMine();
    const c = await startClaude({ args: [...SDK_ARGS, `--append-system-prompt=${tag}`] });
    const { code, doc } = await failOn('orphan,hung,duplicate-session', config);
    expect(find(doc, c.pid).protection).toBeNull();
    expect(find(doc, c.pid).flags).not.toContain('orphan');
    expect(code).toBe(0);
  });

  it('exits 1 for "any" flag, even one that is not reapable', async () => {
    const { tag, config } = onlyMine();
    const c = await startClaude({ args: [...SDK_ARGS, `--append-system-prompt=${tag}`] });
    const { code, doc } = await failOn('any', config);
    expect(find(doc, c.pid).flags).toEqual(['idle']);
    expect(code).toBe(1);
  });

  it('exits 2 for a flag it does not know, before scanning', async () => {
    const r = await scanCli(box, ['--json', '--fail-on', 'orphan,bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^claude-reaper: error: invalid --fail-on flag 'bogus'/);
  });
});
