import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIn } from '../fixtures/schedule/cli.js';
import { crontabList, makeSandbox, tree, type Sandbox } from '../fixtures/schedule/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.remove());

describe('claude-reaper schedule', () => {
  it('picks cron on Linux when no systemd user manager answers', async () => {
    sb = makeSandbox();
    const r = await runIn(['schedule', 'install'], sb.env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^cron: installed\n/);
    expect(crontabList(sb)).toMatch(/^\*\/5 \* \* \* \* /);
  });

  it('status says what holds the job, in words and as JSON', async () => {
    sb = makeSandbox();
    expect((await runIn(['schedule', 'status'], sb.env)).stdout).toBe(
      'cron: not installed\nsystemd: not installed; no systemd user manager is reachable (systemctl --user: Failed to connect to bus: No medium found)\n',
    );
    await runIn(['schedule', 'install', '--every', '20m'], sb.env);
    const text = (await runIn(['schedule', 'status'], sb.env)).stdout;
    expect(text).toMatch(/^cron: installed, every 20m\n {2}command: {2}\S+ \S+ kill --yes >\/dev\/null\n {2}last run: unknown\n/);
    const doc = JSON.parse((await runIn(['schedule', 'status', '--json'], sb.env)).stdout);
    expect(doc.statusVersion).toBe(1);
    expect(doc.jobs.map((j: { scheduler: string; installed: boolean }) => [j.scheduler, j.installed])).toEqual([['cron', true], ['systemd', false]]);
  });

  it('uninstall with nothing installed says so and exits 0', async () => {
    sb = makeSandbox();
    expect(await runIn(['schedule', 'uninstall'], sb.env)).toEqual({ code: 0, stdout: 'not installed: nothing to remove\n', stderr: '' });
  });

  it('without crontab on PATH, says so in one line, exits 1 and writes nothing', async () => {
    sb = makeSandbox();
    const env = { ...sb.env, PATH: sb.bin };
    rmSync(`${sb.bin}/crontab`);
    const before = tree(sb.root);
    const r = await runIn(['schedule', 'install', '--with', 'cron'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('claude-reaper: error: cannot install with cron: crontab not found (is cron installed?); nothing was written (install cron, or choose another scheduler with --with)\n');
    expect(tree(sb.root)).toEqual(before);
  });

  it('without crontab on PATH, --print still shows the cron line, with a note on stderr, and exits 0', async () => {
    sb = makeSandbox();
    const env = { ...sb.env, PATH: sb.bin };
    rmSync(`${sb.bin}/crontab`);
    const before = tree(sb.root);
    const r = await runIn(['schedule', 'install', '--with', 'cron', '--every', '10m', '--print'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# cron: what install would do \(nothing is done with --print\)\n==> run crontab - <==\nwith this on stdin:\n\*\/10 \* \* \* \* \S+ \S+ kill --yes >\/dev\/null # claude-reaper schedule\n$/);
    expect(r.stderr).toBe('claude-reaper: note: cron cannot install on this machine (crontab not found (is cron installed?)); the plan is shown all the same\n');
    const un = await runIn(['schedule', 'uninstall', '--with', 'cron', '--print'], env);
    expect(un.code).toBe(0);
    expect(un.stdout).toMatch(/nothing to do\n$/);
    expect(un.stderr).toMatch(/^claude-reaper: note: cron cannot uninstall on this machine \(crontab not found/);
    expect(tree(sb.root)).toEqual(before);
  });

  it('--print of a scheduler for another platform shows its plan, with a note', async () => {
    sb = makeSandbox();
    const r = await runIn(['schedule', 'install', '--with', 'launchd', '--print'], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/==> write \S+\/Library\/LaunchAgents\/\S+\.plist <==/);
    expect(r.stderr).toBe('claude-reaper: note: launchd cannot install on this machine (launchd runs on darwin, not linux); the plan is shown all the same\n');
  });

  it('passes --metrics-file to the job by absolute path, and refuses a relative one or a missing directory', async () => {
    sb = makeSandbox();
    const file = `${sb.root}/claude-reaper.prom`;
    const r = await runIn(['schedule', 'install', '--with', 'cron', '--print', '--', '--orphans', '--metrics-file', file], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(` kill --yes --orphans --metrics-file ${file} >/dev/null # claude-reaper schedule\n`));
    for (const bad of ['claude-reaper.prom', `${sb.root}/missing/claude-reaper.prom`]) {
      const refused = await runIn(['schedule', 'install', '--with', 'cron', '--', '--metrics-file', bad], sb.env);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr.trim().split('\n'), bad).toHaveLength(1);
    }
    expect(crontabList(sb)).toBeNull();
  });

  it('passes --notify to the job', async () => {
    sb = makeSandbox();
    const r = await runIn(['schedule', 'install', '--with', 'cron', '--print', '--', '--orphans', '--notify'], sb.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ kill --yes --orphans --notify >\/dev\/null # claude-reaper schedule\n/);
  });

  it('refuses an unknown scheduler and unknown options as usage errors', async () => {
    sb = makeSandbox();
    expect((await runIn(['schedule', 'install', '--with', 'anacron'], sb.env)).code).toBe(2);
    expect((await runIn(['schedule', 'install', '--idle', '2m'], sb.env)).code).toBe(2);
    expect(crontabList(sb)).toBeNull();
  });

  it('prints the plan as JSON with --print --json', async () => {
    sb = makeSandbox();
    const doc = JSON.parse((await runIn(['schedule', 'install', '--with', 'systemd', '--print', '--json'], sb.env)).stdout);
    expect(doc).toMatchObject({ planVersion: 1, applied: false, plans: [{ scheduler: 'systemd' }] });
    expect(doc.plans[0].steps.map((s: { kind: string }) => s.kind)).toEqual(['write', 'write', 'run', 'run', 'run']);
    expect(tree(sb.home)).toEqual({});
  });

  it("shows the user's other crontab lines with their secrets redacted, and writes them unchanged", async () => {
    sb = makeSandbox();
    const theirs = '0 3 * * * GITHUB_TOKEN=plain-cron-token-0005 /usr/local/bin/backup --password hunter2-cron-0006\n';
    writeFileSync(join(sb.root, 'crontab'), theirs);
    for (const args of [['--print'], ['--print', '--json']]) {
      const r = await runIn(['schedule', 'install', '--with', 'cron', ...args], sb.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/plain-cron-token|hunter2-cron/);
      expect(r.stdout).toContain('GITHUB_TOKEN=‹redacted›');
      expect(r.stdout).toContain('--password ‹redacted›');
    }
    const r = await runIn(['schedule', 'install', '--with', 'cron'], sb.env);
    expect(r.code, r.stderr).toBe(0);
    expect(crontabList(sb)).toContain(theirs);
  });
});
