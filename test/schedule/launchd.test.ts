import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installJob, jobStatus, uninstallJob } from '../../src/schedule/actions.js';
import { LABEL, LOG_FILE, plist, plistPath, readPlist } from '../../src/schedule/launchd.js';
import { createRunner } from '../../src/schedule/run.js';
import type { Context } from '../../src/schedule/scheduler.js';
import { runIn } from '../fixtures/schedule/cli.js';
import { callsTo, fakeLaunchctl, makeSandbox, tree, type Sandbox } from '../fixtures/schedule/sandbox.js';
import { requireTools } from '../helpers/tools.js';

let sb: Sandbox;
afterEach(() => sb?.remove());

const darwin = (s: Sandbox): Context => ({ env: s.env, home: s.home, stateDir: s.state, uid: 501, platform: 'darwin', run: createRunner(s.env) });
const command = { node: '/opt/homebrew/bin/node', script: '/Users/me/R&D <tools>/claude-reaper/bin/claude-reaper.js' };

// launchd.plist(5): each key we write, and the type the manual gives it.
const DOCUMENTED: Record<string, string> = {
  Label: 'str',
  ProgramArguments: 'list',
  StartInterval: 'int',
  RunAtLoad: 'bool',
  ProcessType: 'str',
  StandardOutPath: 'str',
  StandardErrorPath: 'str',
};

/** Parses a plist with python3's plistlib: each key's python type and value. */
function parsePlist(path: string): Record<string, [string, unknown]> {
  const py = 'import json,plistlib,sys; d=plistlib.load(open(sys.argv[1],"rb")); print(json.dumps({k:[type(v).__name__,v] for k,v in d.items()}))';
  const r = spawnSync('python3', ['-c', py, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`plistlib could not read ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('the launchd agent plist', () => {
  it('is a plist that plistlib reads, with only documented keys of the documented types', () => {
    requireTools('python3');
    sb = makeSandbox();
    const path = join(sb.root, `${LABEL}.plist`);
    writeFileSync(path, plist({ everyMs: 600_000, argv: [command.node, command.script, 'kill', '--yes', '--idle', '1h'] }, { stateDir: sb.state }));
    const parsed = parsePlist(path);
    expect(Object.fromEntries(Object.entries(parsed).map(([k, [t]]) => [k, t]))).toEqual(DOCUMENTED);
    expect(parsed.Label![1]).toBe(LABEL);
    expect(parsed.ProgramArguments![1]).toEqual([command.node, command.script, 'kill', '--yes', '--idle', '1h']);
    expect(parsed.StartInterval![1]).toBe(600);
    expect(parsed.RunAtLoad![1]).toBe(false);
    expect(['Background', 'Standard', 'Adaptive', 'Interactive']).toContain(parsed.ProcessType![1]);
    expect(parsed.StandardOutPath![1]).toBe(join(sb.state, LOG_FILE));
  });

  it('reads back what it wrote, special characters included', () => {
    const argv = [command.node, command.script, 'kill', '--yes'];
    expect(readPlist(plist({ everyMs: 90_000, argv }, { stateDir: '/s' }))).toEqual({ everyMs: 90_000, argv });
  });
});

describe('install, status and uninstall (launchctl stand-in)', () => {
  it('unloads any old copy, writes the plist, bootstraps it into gui/<uid>; uninstall boots it out and leaves HOME as it was', async () => {
    sb = makeSandbox();
    fakeLaunchctl(sb);
    const before = tree(sb.home);
    const done = await installJob({ everyMs: 300_000, killArgs: ['--orphans'], command, with: 'launchd' }, darwin(sb));
    expect(done.applied).toBe(true);
    const path = plistPath(darwin(sb));
    expect(readPlist(readFileSync(path, 'utf8')).argv).toEqual([command.node, command.script, 'kill', '--yes', '--orphans']);
    expect(callsTo(sb, 'launchctl')).toEqual(['launchctl help', `launchctl bootout gui/501/${LABEL}`, `launchctl bootstrap gui/501 ${path}`]);

    const [status] = await jobStatus({ with: 'launchd' }, darwin(sb));
    expect(status).toMatchObject({ scheduler: 'launchd', installed: true, everyMs: 300_000, detail: 'loaded, runs = 3, last exit code = 0' });
    expect(status!.command).toBe(`${command.node} '${command.script}' kill --yes --orphans`);

    const removed = await uninstallJob({}, darwin(sb));
    expect(removed.map((d) => d.plan.scheduler)).toEqual(['launchd']);
    expect(callsTo(sb, 'launchctl').at(-1)).toBe(`launchctl bootout gui/501/${LABEL}`);
    expect(tree(sb.home)).toEqual(before);
  });

  it('falls back to launchctl load when bootstrap fails', async () => {
    sb = makeSandbox();
    fakeLaunchctl(sb, { bootstrapFails: true });
    await installJob({ everyMs: 300_000, killArgs: [], command, with: 'launchd' }, darwin(sb));
    const path = plistPath(darwin(sb));
    expect(callsTo(sb, 'launchctl').slice(-2)).toEqual([`launchctl bootstrap gui/501 ${path}`, `launchctl load -w ${path}`]);
  });

  it('is refused off macOS except with --print', async () => {
    sb = makeSandbox();
    const r = await runIn(['schedule', 'install', '--with', 'launchd'], sb.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('claude-reaper: error: launchd runs on darwin, not linux; --print shows what it would do\n');
    const printed = await runIn(['schedule', 'install', '--with', 'launchd', '--print'], sb.env);
    expect(printed.stdout).toContain(`==> write ${join(sb.home, 'Library/LaunchAgents', `${LABEL}.plist`)} <==\n<?xml`);
    expect(tree(sb.home)).toEqual({});
  });
});
