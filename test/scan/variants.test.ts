// `scan` finds every shape of claude process, with the right variant and role, and reports each
// process record exactly as /proc has it.
import { describe, expect, it } from 'vitest';
import type { ClaudeOptions, StartedClaude } from '../helpers/procs.js';
import { SDK_ARGS, fdTargets, procStat, readCmdline, readComm, readExe, startClaude, startInteractive, ttyName, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { find, sandbox, scanJson, startEpochMs } from '../helpers/scan-cli.js';

useProcessCleanup();
const box = sandbox();

describe('scan finds every variant of claude', () => {
  it('reports each variant and role as it was started', async () => {
    const shapes: [string, ClaudeOptions, string, string][] = [
      ['native', { variant: 'native' }, 'native', 'interactive'],
      ['versioned (through ~/.local/bin/claude)', { variant: 'versioned' }, 'native', 'interactive'],
      ['sdk-bundled with the SDK argv', { variant: 'sdk-bundled', args: SDK_ARGS }, 'sdk-bundled', 'sdk'],
      ["Claude Desktop's copy", { variant: 'desktop' }, 'desktop', 'interactive'],
      ['npm-cli', { variant: 'npm-cli' }, 'npm-cli', 'interactive'],
      ['title-only', { variant: 'title-only' }, 'title-only', 'interactive'],
      ['native with -p', { variant: 'native', args: ['-p', 'hello'] }, 'native', 'print'],
      ['npm-cli with --print', { variant: 'npm-cli', args: ['--print', 'hello'] }, 'npm-cli', 'print'],
      ['native daemon run', { variant: 'native', args: ['daemon', 'run'] }, 'native', 'bg-daemon'],
      ['versioned --bg-pty-host', { variant: 'versioned', args: ['--bg-pty-host', '/tmp/x.sock'] }, 'native', 'bg-pty-host'],
      ['native with CLAUDE_CODE_ENTRYPOINT=sdk-ts and no flags', { variant: 'native', env: { CLAUDE_CODE_ENTRYPOINT: 'sdk-ts' } }, 'native', 'sdk'],
    ];
    const started: StartedClaude[] = [];
    for (const [, opts] of shapes) started.push(await startClaude(opts));
    const doc = await scanJson(box, ['--sample', '0']);
    for (const [i, [what, , variant, role]] of shapes.entries()) {
      const p = find(doc, started[i]!.pid);
      expect({ what, kind: p.kind, variant: p.variant, role: p.role }).toEqual({ what, kind: 'claude', variant, role });
    }
  });

  it('reports the identity and the raw record of a process as /proc has them', async () => {
    const c = await startClaude({ variant: 'sdk-bundled', args: [...SDK_ARGS, '--resume', 'b6f1c2e0-identity'] });
    const doc = await scanJson(box, ['--sample', '0']);
    const p = find(doc, c.pid);
    const stat = procStat(c.pid)!;
    expect(p.ppid).toBe(process.pid);
    expect(p.ppid).toBe(stat.ppid);
    expect([p.pgid, p.sid]).toEqual([stat.pgid, stat.sid]);
    expect(p.startId).toBe(stat.startId);
    expect(Math.abs(Date.parse(p.startTime) - startEpochMs(c.pid)!)).toBeLessThan(1000);
    expect(p.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(p.argv).toEqual(readCmdline(c.pid));
    expect(p.argv).toEqual(c.argv);
    expect(p.name).toBe(readComm(c.pid));
    expect(p.exe).toBe(readExe(c.pid));
    expect(p.state).toBe('S');
    expect(p.tty).toBeNull();
    expect(p.fdCount).toBe(fdTargets(c.pid)!.size);
    expect(p.uid).toBe(process.getuid!());
    expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(p.cpuTimeMs).toBeGreaterThanOrEqual(0);
    expect(p.rssBytes).toBeGreaterThan(0);
  });

  it('names the pty of an interactive session', async () => {
    const s = await startInteractive();
    const doc = await scanJson(box, ['--sample', '0']);
    const p = find(doc, s.claudePid);
    expect(p.tty).toBe(s.tty);
    expect(p.tty).toMatch(/^pts\/\d+$/);
    expect(p.role).toBe('interactive');
  });

  it("parses a process that names itself 'a) R 1 (' and lists it as claude's child", async () => {
    // The renamed process is node (one process, no shell in between) that writes its own comm.
    const rename = `require('fs').writeFileSync('/proc/self/comm', 'a) R 1 ('); setInterval(() => {}, 1 << 30)`;
    const c = await startClaude({ mode: 'sleep', childCommands: [`exec ${JSON.stringify(process.execPath)} -e ${JSON.stringify(rename)}`] });
    const child = c.childPids[0]!;
    await waitFor(() => readComm(child) === 'a) R 1 (', { what: 'the child to rename itself' });
    const doc = await scanJson(box, ['--sample', '0']);
    const p = find(doc, child);
    expect(p.name).toBe('a) R 1 (');
    expect(p.ppid).toBe(c.pid);
    expect(p.state).toBe('S');
    expect(p.startId).toBe(procStat(child)!.startId);
    expect(p.threads).toBeGreaterThanOrEqual(1);
    expect(p.kind).toBe('child');
    expect(p.owner).toBe(c.pid);
    expect(ttyName(procStat(child)!.ttyNr)).toBe(p.tty);
  });
});
