import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CRON_MARKER, cronLine, cronSpec, everyOfSpec, withJob, withoutJob } from '../../src/schedule/cron.js';
import { reaperCommand } from '../../src/util/entry.js';
import { runIn } from '../fixtures/schedule/cli.js';
import { callsTo, crontabList, makeSandbox, realCrontab, type Sandbox } from '../fixtures/schedule/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.remove());

const UNRELATED = '# m h dom mon dow command\n17 3 * * * /usr/local/bin/backup --quiet\n';

describe('cron time fields', () => {
  it('writes steps that divide an hour, hours that divide a day, and a day', () => {
    expect(cronSpec(60_000)).toBe('* * * * *');
    expect(cronSpec(5 * 60_000)).toBe('*/5 * * * *');
    expect(cronSpec(30 * 60_000)).toBe('*/30 * * * *');
    expect(cronSpec(3_600_000)).toBe('0 * * * *');
    expect(cronSpec(6 * 3_600_000)).toBe('0 */6 * * *');
    expect(cronSpec(86_400_000)).toBe('0 0 * * *');
  });

  it('refuses what cron cannot express, in one line', () => {
    for (const ms of [7 * 60_000, 45 * 60_000, 90 * 60_000, 5 * 3_600_000, 2 * 86_400_000, 90_000]) {
      expect(() => cronSpec(ms)).toThrow(/^cron cannot run a job every \S+: use minutes that divide an hour/);
    }
  });

  it('reads back every interval it writes', () => {
    for (const ms of [60_000, 5 * 60_000, 20 * 60_000, 3_600_000, 12 * 3_600_000, 86_400_000]) {
      expect(everyOfSpec(cronSpec(ms).split(' '))).toBe(ms);
    }
  });
});

describe('the crontab line', () => {
  const job = { everyMs: 300_000, argv: ['/opt/node 20/bin/node', "/srv/it's/claude-reaper.js", 'kill', '--yes', '--min-rss', '50%'] };

  it('quotes for /bin/sh, escapes % for cron, drops stdout and ends with the marker', () => {
    expect(cronLine(job)).toBe(`*/5 * * * * '/opt/node 20/bin/node' '/srv/it'\\''s/claude-reaper.js' kill --yes --min-rss 50\\% >/dev/null ${CRON_MARKER}`);
  });

  it('replaces our line where it is, and removes exactly it', () => {
    const table = `${UNRELATED}${cronLine(job)}\n@reboot /usr/bin/true\n`;
    const next = withJob(table, cronLine({ ...job, everyMs: 600_000 }));
    expect(next.split('\n')[2]).toMatch(/^\*\/10 /);
    expect(next.match(/claude-reaper schedule/g)).toHaveLength(1);
    expect(withoutJob(next)).toBe(`${UNRELATED}@reboot /usr/bin/true\n`);
  });
});

/**
 * The same checks against a crontab stand-in and against the real crontab aimed at a sandbox. The
 * table is compared as `crontab -l` shows it: the real spool file also holds a header with the
 * time it was installed.
 */
function endToEnd(name: string, setup: (sb: Sandbox) => { table: string } | { skip: string } | Record<string, never>) {
  describe(`install, status and uninstall with ${name}`, () => {
    const prepare = (ctx: { skip: (why: string) => void }) => {
      sb = makeSandbox();
      const r = setup(sb);
      if ('skip' in r) ctx.skip(r.skip);
    };

    it('adds one marked line beside an unrelated one, replaces it on a second install, and uninstall restores the table byte for byte', async (ctx) => {
      prepare(ctx);
      const pre = await runIn(['schedule', 'uninstall', '--with', 'cron'], sb.env);
      expect(pre.stdout).toMatch(/not installed/);
      // Written through crontab itself, as a user would have.
      writeFileSync(`${sb.root}/unrelated`, UNRELATED);
      execFileSync('crontab', [`${sb.root}/unrelated`], { env: sb.env });
      const before = crontabList(sb);
      expect(before).toBe(UNRELATED);

      const first = await runIn(['schedule', 'install', '--with', 'cron', '--every', '10m', '--', '--orphans'], sb.env);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toMatch(/^cron: installed/);
      const second = await runIn(['schedule', 'install', '--with', 'cron', '--every', '15m', '--', '--orphans'], sb.env);
      expect(second.code).toBe(0);
      const installed = crontabList(sb)!;
      expect(installed.startsWith(UNRELATED)).toBe(true);
      const ours = installed.split('\n').filter((l) => l.includes(CRON_MARKER));
      const { node, script } = reaperCommand();
      expect(ours).toEqual([`*/15 * * * * ${node} ${script} kill --yes --orphans >/dev/null ${CRON_MARKER}`]);

      const status = await runIn(['schedule', 'status', '--with', 'cron', '--json'], sb.env);
      expect(JSON.parse(status.stdout).jobs).toEqual([
        { scheduler: 'cron', available: true, installed: true, everyMs: 900_000, command: `${node} ${script} kill --yes --orphans >/dev/null`, lastRun: null, detail: expect.any(String) },
      ]);

      const gone = await runIn(['schedule', 'uninstall'], sb.env);
      expect(gone).toMatchObject({ code: 0, stdout: 'cron: removed\n' });
      expect(crontabList(sb)).toBe(before);
    });

    it('removes the crontab it created when nothing else is in it', async (ctx) => {
      prepare(ctx);
      expect((await runIn(['schedule', 'install', '--with', 'cron'], sb.env)).code).toBe(0);
      expect(crontabList(sb)).toMatch(/^\*\/5 \* \* \* \* \S+ \S+ kill --yes >\/dev\/null # claude-reaper schedule\n$/);
      expect((await runIn(['schedule', 'uninstall', '--with', 'cron'], sb.env)).code).toBe(0);
      expect(crontabList(sb)).toBeNull();
    });

    it('refuses an interval cron cannot express or bad kill options: one line, exit 2, nothing written', async (ctx) => {
      prepare(ctx);
      for (const args of [['--every', '45m'], ['--every', '2x'], ['--', '--idle', '2x'], ['--', '--no-log'], ['--', '--bogus']]) {
        const r = await runIn(['schedule', 'install', '--with', 'cron', ...args], sb.env);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(crontabList(sb)).toBeNull();
      }
    });
  });
}

endToEnd('a crontab stand-in', () => ({}));
endToEnd('the real crontab in a private mount namespace', realCrontab);

describe('--print', () => {
  it('shows the table it would hand to crontab and writes nothing', async () => {
    sb = makeSandbox();
    const table = `${sb.root}/crontab`;
    writeFileSync(table, UNRELATED);
    const r = await runIn(['schedule', 'install', '--with', 'cron', '--print'], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('==> run crontab - <==\nwith this on stdin:\n# m h dom mon dow command\n17 3 * * * /usr/local/bin/backup --quiet\n*/5 * * * * ');
    expect(readFileSync(table, 'utf8')).toBe(UNRELATED);
    // It only reads: the table, and whether crontab answers at all.
    expect(new Set(callsTo(sb, 'crontab'))).toEqual(new Set(['crontab -l']));
    expect(r.stderr).toBe('');
  });
});
