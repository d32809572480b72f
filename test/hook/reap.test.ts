import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitGone } from '../../src/hook/reap.js';
import type { Identity, ProcessSource } from '../../src/platform/source.js';
import { runIn } from '../fixtures/schedule/cli.js';
import { makeSandbox } from '../fixtures/schedule/sandbox.js';
import { readStartId } from '../helpers/proc-read.js';

/** A source whose identify() answers from a script, one answer per poll. */
function answers(seq: (Identity | null | Error)[]): { source: ProcessSource; polls: () => number } {
  let i = 0;
  const source = {
    identify: async () => {
      const a = seq[Math.min(i++, seq.length - 1)]!;
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as ProcessSource;
  return { source, polls: () => i };
}

const who = { pid: 40, startId: 'S' };
const alive: Identity = { startId: 'S', zombie: false };
const noSleep = async () => {};

describe('waiting for the session\'s claude to exit', () => {
  it('is over when the pid is gone, a zombie, or names another process', async () => {
    expect(await waitGone(answers([alive, alive, null]).source, who, 10_000, noSleep)).toBe(true);
    expect(await waitGone(answers([alive, { startId: 'S', zombie: true }]).source, who, 10_000, noSleep)).toBe(true);
    expect(await waitGone(answers([{ startId: 'other', zombie: false }]).source, who, 10_000, noSleep)).toBe(true);
  });

  it('does not count an unreadable answer as gone', async () => {
    const a = answers([new Error('ps failed'), alive, null]);
    expect(await waitGone(a.source, who, 10_000, noSleep)).toBe(true);
    expect(a.polls()).toBe(3);
  });

  it('gives up after the wait, saying it is still running', async () => {
    const started = Date.now();
    expect(await waitGone(answers([alive]).source, who, 300)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('claude-reaper hook reap', () => {
  it('reaps nothing when the claude it waits for outlives the wait (a /clear ends a session, not the process)', async () => {
    const sb = makeSandbox();
    try {
      const args = ['hook', 'reap', '--after', String(process.pid), '--after-start', readStartId(process.pid)!, '--wait', '300ms', '--session', 'abc'];
      const r = await runIn(args, sb.env);
      expect(r).toEqual({ code: 0, stdout: `claude ${process.pid} is still running after 300ms: nothing reaped\n`, stderr: '' });
      expect(readFileSync(`${sb.state}/hook.log`, 'utf8')).toMatch(new RegExp(`^\\S+ after claude ${process.pid} \\(session abc\\): claude ${process.pid} still running after 0.3s: nothing reaped\\n$`));
      expect(existsSync(`${sb.state}/reaped.jsonl`)).toBe(false);
    } finally {
      sb.remove();
    }
  });

  it('refuses --after without its start token, and a pid that is not a number', async () => {
    expect((await runIn(['hook', 'reap', '--after', '12'], {})).stderr).toBe('claude-reaper: error: --after and --after-start go together\n');
    expect((await runIn(['hook', 'reap', '--after', 'x', '--after-start', '1'], {})).code).toBe(2);
  });
});
