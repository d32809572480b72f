import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemdQuote, systemdUnquote } from '../../src/schedule/quote.js';
import { SERVICE, serviceUnit, systemdSpan, TIMER, timerUnit } from '../../src/schedule/systemd.js';
import { reaperCommand } from '../../src/util/entry.js';
import { runIn } from '../fixtures/schedule/cli.js';
import { callsTo, fakeSystemctl, makeSandbox, tree, useReal, type Sandbox } from '../fixtures/schedule/sandbox.js';
import { missing } from '../helpers/tools.js';

let sb: Sandbox;
afterEach(() => sb?.remove());

const unitDir = (s: Sandbox) => join(s.home, '.config/systemd/user');
const job = (argv: string[]) => ({ everyMs: 300_000, argv });

/** Unrelated units a user already has, which install and uninstall must not touch. */
function userUnits(s: Sandbox): void {
  const dir = unitDir(s);
  mkdirSync(join(dir, 'timers.target.wants'), { recursive: true });
  writeFileSync(join(dir, 'backup.service'), '[Service]\nType=oneshot\nExecStart=/usr/bin/true\n');
  writeFileSync(join(dir, 'backup.timer'), '[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n');
  symlinkSync('../backup.timer', join(dir, 'timers.target.wants/backup.timer'));
}

describe('the units', () => {
  it('pass systemd-analyze verify, with the real node as ExecStart', (ctx) => {
    const absent = missing('systemd-analyze');
    if (absent) return ctx.skip(absent);
    const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-units-'));
    try {
      const j = job([process.execPath, '/opt/claude reaper/bin/claude-reaper.js', 'kill', '--yes', '--min-rss', '50%', '--config', '/home/u/$HOME.json']);
      writeFileSync(join(dir, SERVICE), serviceUnit(j));
      writeFileSync(join(dir, TIMER), timerUnit(j));
      const r = spawnSync('systemd-analyze', ['verify', join(dir, SERVICE), join(dir, TIMER)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('write the interval in whole seconds and refuse less', () => {
    expect(timerUnit(job(['/n']))).toContain('OnActiveSec=300s\nOnUnitActiveSec=300s\n');
    expect(systemdSpan(90_000)).toBe('90s');
    expect(() => systemdSpan(90_500)).toThrow(/whole seconds/);
  });

  it('quote ExecStart words so systemd splits them back exactly', () => {
    const argv = ['/usr/bin/node', '/a b/c"d\\e.js', '100%', '$HOME', 'plain'];
    const line = argv.map(systemdQuote).join(' ');
    expect(line).toBe('/usr/bin/node "/a b/c\\"d\\\\e.js" "100%%" "$$HOME" plain');
    expect(systemdUnquote(line)).toEqual(argv);
  });
});

describe('install without a reachable user manager', () => {
  it('says so in one line, exits 1 and writes nothing (the real systemctl)', async (ctx) => {
    const probe = spawnSync('systemctl', ['--user', 'show-environment'], { encoding: 'utf8' });
    if (probe.error) return ctx.skip(missing('systemctl') ?? `systemctl cannot run: ${probe.error.message}`);
    if (probe.status === 0) return ctx.skip('a systemd user manager is running here; this test needs one that is not');
    sb = makeSandbox();
    useReal(sb, 'systemctl');
    userUnits(sb);
    const before = tree(sb.root);
    const r = await runIn(['schedule', 'install', '--with', 'systemd'], sb.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^claude-reaper: error: cannot install with systemd: no systemd user manager is reachable \(systemctl --user: .+\); nothing was written \(use --with cron/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(tree(sb.root)).toEqual(before);
  });

  it('is not what the default picks: that falls back to cron', async () => {
    sb = makeSandbox();
    fakeSystemctl(sb, { unreachable: true });
    const r = await runIn(['schedule', 'install', '--print'], sb.env);
    expect(r.stdout).toMatch(/^# cron: what install would do/);
  });
});

describe('with a user manager (systemctl stand-in recording its calls)', () => {
  it('writes both units, reloads, enables and restarts the timer; uninstall disables and leaves the directory as it was', async () => {
    sb = makeSandbox();
    fakeSystemctl(sb);
    userUnits(sb);
    const before = tree(sb.home);

    const r = await runIn(['schedule', 'install', '--every', '10m', '--', '--orphans', '--idle', '1h'], sb.env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^systemd: installed\n {2}output goes to the journal/);
    const { node, script } = reaperCommand();
    const service = readFileSync(join(unitDir(sb), SERVICE), 'utf8');
    expect(service).toContain(`\nType=oneshot\nExecStart=${systemdQuote(node)} ${systemdQuote(script)} kill --yes --orphans --idle 1h\n`);
    expect(readFileSync(join(unitDir(sb), TIMER), 'utf8')).toContain('OnUnitActiveSec=600s');
    expect(callsTo(sb, 'systemctl')).toEqual([
      'systemctl --user show-environment',
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      `systemctl --user enable ${TIMER}`,
      `systemctl --user restart ${TIMER}`,
    ]);

    const status = JSON.parse((await runIn(['schedule', 'status', '--json'], sb.env)).stdout);
    expect(status.jobs.find((j: { scheduler: string }) => j.scheduler === 'systemd')).toEqual({
      scheduler: 'systemd',
      available: true,
      installed: true,
      everyMs: 600_000,
      command: `${node} ${script} kill --yes --orphans --idle 1h`,
      lastRun: '2023-11-14T22:13:20.000Z',
      detail: 'timer active, enabled',
    });

    writeFileSync(sb.calls, '');
    const gone = await runIn(['schedule', 'uninstall'], sb.env);
    expect(gone).toMatchObject({ code: 0, stdout: 'systemd: removed\n' });
    expect(callsTo(sb, 'systemctl').filter((c) => !c.includes('show'))).toEqual([`systemctl --user disable --now ${TIMER}`, 'systemctl --user daemon-reload']);
    expect(tree(sb.home)).toEqual(before);
  });

  it('uninstall also removes the enable link when the manager could not do it', async () => {
    sb = makeSandbox();
    fakeSystemctl(sb);
    userUnits(sb);
    const before = tree(sb.home);
    expect((await runIn(['schedule', 'install', '--with', 'systemd'], sb.env)).code).toBe(0);
    symlinkSync(`../${TIMER}`, join(unitDir(sb), 'timers.target.wants', TIMER)); // what a real enable makes
    fakeSystemctl(sb, { unreachable: true });
    expect((await runIn(['schedule', 'uninstall', '--with', 'systemd'], sb.env)).code).toBe(0);
    expect(tree(sb.home)).toEqual(before);
  });

  it('--print shows both units and the commands, and writes nothing and runs nothing but the probe', async () => {
    sb = makeSandbox();
    fakeSystemctl(sb);
    const r = await runIn(['schedule', 'install', '--with', 'systemd', '--print'], sb.env);
    expect(r.stdout).toContain(`==> write ${join(unitDir(sb), SERVICE)} <==\n# Written by`);
    expect(r.stdout).toContain(`==> run systemctl --user enable ${TIMER} <==`);
    expect(tree(sb.home)).toEqual({});
    // Only the read-only question "does a user manager answer?", for the note when none does.
    expect(callsTo(sb, 'systemctl')).toEqual(['systemctl --user show-environment']);
    expect(r.stderr).toBe('');
  });
});
