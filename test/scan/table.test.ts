// The table for people: one row per process, each tree kept together, no colour where colour is
// not wanted, and nothing wider than the terminal unless --wide says so.
import { describe, expect, it } from 'vitest';
import { SDK_ARGS, startClaude, startDaemon, useProcessCleanup } from '../helpers/procs.js';
import { sandbox, scanCli, scanOnTty } from '../helpers/scan-cli.js';
import { mcpCommand, waitForExec } from '../helpers/claude-files.js';

useProcessCleanup();
const box = sandbox();

// ESC followed by `[`: the start of every colour and style sequence.
const ANSI = /\u001b\[/;

/** A claude with two helpers under it, and a daemon with two claude children. */
async function trees() {
  const claude = await startClaude({ args: [...SDK_ARGS, '--resume', 'table-test-session'], mode: 'sleep', childCommands: [mcpCommand(), 'exec sleep 1000'] });
  await waitForExec(claude.childPids[0]!, process.execPath);
  const daemon = await startDaemon({ count: 2 });
  return { claude, daemon };
}

/** Table rows (not notes, header or summary): pid, and the line. */
function rows(stdout: string): { pid: number; line: string }[] {
  return stdout
    .split('\n')
    .filter((l) => /^\d+\s/.test(l))
    .map((line) => ({ pid: Number(line.split(/\s+/)[0]), line }));
}

describe('scan prints a table', () => {
  it('gives each process one row and puts children right under their parent', async () => {
    const { claude, daemon } = await trees();
    const r = await scanCli(box, ['--sample', '0', '--wide']);
    expect(r.code).toBe(0);
    const table = rows(r.stdout);
    const at = (pid: number) => table.findIndex((row) => row.pid === pid);
    for (const pid of [claude.pid, ...claude.childPids, daemon.pid, ...daemon.childPids]) {
      expect(table.filter((row) => row.pid === pid), `rows of pid ${pid}`).toHaveLength(1);
    }
    for (const [parent, kids] of [[claude.pid, claude.childPids], [daemon.pid, daemon.childPids]] as const) {
      const positions = kids.map(at).sort((a, b) => a - b);
      expect(positions).toEqual(kids.map((_, i) => at(parent) + 1 + i));
      for (const kid of kids) expect(table[at(kid)]!.line).toMatch(/└ /);
    }
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/claude-related process/);
  });

  it('prints no colour codes when piped, with NO_COLOR, or with --no-color, and colours a terminal otherwise', async () => {
    await trees();
    const piped = await scanCli(box, ['--sample', '0']);
    const noColorEnv = await scanOnTty(box, ['--sample', '0'], { env: { NO_COLOR: '1' } });
    // NO_COLOR set empty: the suite itself may run with NO_COLOR=1 (CI does), which the CLI would inherit.
    const noColorFlag = await scanOnTty(box, ['--sample', '0', '--no-color'], { env: { NO_COLOR: '' } });
    const coloured = await scanOnTty(box, ['--sample', '0'], { env: { NO_COLOR: '' } });
    for (const r of [piped, noColorEnv, noColorFlag, coloured]) expect(r.stdout.replace(/\u001b\[[\d;]*m/g, '')).toMatch(/^PID\s+PPID/m);
    expect(piped.stdout).not.toMatch(ANSI);
    expect(noColorEnv.stdout).not.toMatch(ANSI);
    expect(noColorFlag.stdout).not.toMatch(ANSI);
    expect(coloured.stdout).toMatch(ANSI);
  });

  it('cuts the command column so that no line is wider than COLUMNS', async () => {
    const { claude } = await trees();
    const r = await scanCli(box, ['--sample', '0'], { env: { COLUMNS: '80' } });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const row = rows(r.stdout).find((x) => x.pid === claude.pid)!;
    expect(row.line).toMatch(/…$/);
  });

  it('keeps to the width of the terminal it writes to', async () => {
    await trees();
    const r = await scanOnTty(box, ['--sample', '0', '--no-color'], { columns: 90 });
    expect(r.stdout.trimEnd().split('\n').filter((l) => l.length > 90)).toEqual([]);
  });

  it('cuts nothing on a terminal that reports no width (a pty nobody sized)', async () => {
    const { claude } = await trees();
    const r = await scanOnTty(box, ['--sample', '0', '--no-color'], { columns: 0 });
    const row = rows(r.stdout).find((x) => x.pid === claude.pid)!;
    expect(row.line.endsWith(claude.argv.join(' '))).toBe(true);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ claude-related processes \(/);
  });

  it('prints every command whole with --wide', async () => {
    const { claude } = await trees();
    const r = await scanCli(box, ['--sample', '0', '--wide'], { env: { COLUMNS: '80' } });
    const row = rows(r.stdout).find((x) => x.pid === claude.pid)!;
    expect(row.line.endsWith(claude.argv.join(' '))).toBe(true);
  });
});
