// `duplicate-daemon` and `duplicate-session` on real copies: every copy but the one to keep.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProcessReport, ScanDocument } from '../../src/report.js';
import { procStat, startClaude, startDaemon, useProcessCleanup } from '../helpers/procs.js';
import { find, reasonOf, reasonText, sandbox, scanJson } from '../helpers/scan-cli.js';
import { startWorker } from '../helpers/worker.js';

useProcessCleanup();
const box = sandbox();

/** Arguments no copy started elsewhere on the machine has, so only this test's copies are one daemon. */
const ownTag = () => [`--instance=${randomUUID()}`];

describe('duplicate-daemon', () => {
  it('flags the younger of two copies from two install paths and keeps the older', async () => {
    const tag = ownTag();
    const older = await startWorker({ installPath: 'plugins/marketplaces/thedotmack/scripts', args: tag });
    const younger = await startWorker({ installPath: 'plugins/cache/thedotmack/10.2.4/scripts', args: tag });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, older.pid).kind).toBe('agent-daemon');
    expect(find(doc, older.pid).flags).not.toContain('duplicate-daemon');
    const p = find(doc, younger.pid);
    expect(p.kind).toBe('agent-daemon');
    expect(p.flags).toContain('duplicate-daemon');
    expect(reasonText(p, 'duplicate-daemon')).toBe(`2 copies of claude-mem worker; keeping ${older.pid} (the oldest)`);
    expect(reasonOf(p, 'duplicate-daemon')!.evidence).toEqual({ keeper: older.pid, copies: 2, keeperBy: 'the oldest' });
    expect(p.reapable).toBe(true);
  });

  it('keeps the copy that holds the port, even when it is the younger', async () => {
    const tag = ownTag();
    const older = await startWorker({ installPath: 'plugins/marketplaces/thedotmack/scripts', args: tag });
    const younger = await startWorker({ installPath: 'plugins/cache/thedotmack/10.2.4/scripts', args: tag, listen: true });
    const doc = await scanJson(box, ['--sample', '0']);
    expect(find(doc, younger.pid).sockets?.listeningPorts).toEqual([younger.port]);
    expect(find(doc, younger.pid).flags).not.toContain('duplicate-daemon');
    const p = find(doc, older.pid);
    expect(p.flags).toContain('duplicate-daemon');
    expect(reasonText(p, 'duplicate-daemon')).toBe(`2 copies of claude-mem worker; keeping ${younger.pid} (holds port ${younger.port})`);
  });

  it('counts the claude-driving daemon started from two install paths as copies of one', async () => {
    // Same script and arguments as any other copy on the machine: the keeper is the oldest of all.
    const first = await startDaemon({ count: 1 });
    const second = await startDaemon({ count: 1, installPath: 'opt/other/plugin/scripts' });
    const doc = await scanJson(box, ['--sample', '0']);
    const copies = copiesOf(doc, find(doc, second.pid));
    expect(copies.map((p) => p.pid)).toEqual(expect.arrayContaining([first.pid, second.pid]));
    const keeper = oldest(copies);
    const p = find(doc, second.pid);
    expect(p.flags).toContain('duplicate-daemon');
    expect(reasonOf(p, 'duplicate-daemon')!.evidence).toMatchObject({ keeper: keeper.pid, copies: copies.length });
    expect(keeper.pid).not.toBe(second.pid);
  });
});

/** The processes in the scan that run the same daemon script with the same arguments, as the same user. */
function copiesOf(doc: ScanDocument, daemon: ProcessReport): ProcessReport[] {
  const identity = (p: ProcessReport) => [p.argv![1]!.split('/').at(-1), ...p.argv!.slice(2)].join(' ');
  return doc.processes.filter((p) => p.kind === 'agent-daemon' && p.uid === daemon.uid && p.argv && p.argv.length > 1 && identity(p) === identity(daemon));
}

function oldest(procs: ProcessReport[]): ProcessReport {
  return procs.reduce((a, b) => (Date.parse(b.startTime) < Date.parse(a.startTime) || (b.startTime === a.startTime && b.pid < a.pid) ? b : a));
}

describe('duplicate-session', () => {
  it('flags all but the newest of three claudes resuming one session', async () => {
    const session = randomUUID();
    const copies = [];
    for (let i = 0; i < 3; i++) copies.push(await startClaude({ args: ['--resume', session, '--output-format', 'stream-json'] }));
    // The newest by start time, as the kernel counts it (ties broken by the higher pid).
    const newest = copies.reduce((a, b) => {
      const [ta, tb] = [Number(procStat(a.pid)!.startId), Number(procStat(b.pid)!.startId)];
      return tb > ta || (tb === ta && b.pid > a.pid) ? b : a;
    });
    const doc = await scanJson(box, ['--sample', '0']);
    for (const c of copies) {
      const p = find(doc, c.pid);
      if (c === newest) {
        expect(p.flags).not.toContain('duplicate-session');
        continue;
      }
      expect(p.flags).toContain('duplicate-session');
      expect(reasonText(p, 'duplicate-session')).toBe(`3 processes resume session ${session}; the newest is ${newest.pid}`);
      expect(p.reapable).toBe(true);
    }
  });

  it('does not count claudes resuming different sessions', async () => {
    const a = await startClaude({ args: ['--resume', randomUUID()] });
    const b = await startClaude({ args: ['--resume', randomUUID()] });
    const doc = await scanJson(box, ['--sample', '0']);
    for (const c of [a, b]) expect(find(doc, c.pid).flags).not.toContain('duplicate-session');
  });
});
