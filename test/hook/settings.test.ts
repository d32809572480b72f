import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hookCommand } from '../../src/hook/command.js';
import { BACKUP_SUFFIX } from '../../src/hook/settings.js';
import { reaperCommand } from '../../src/util/entry.js';
import { runIn } from '../fixtures/schedule/cli.js';
import { makeSandbox, tree, type Sandbox } from '../fixtures/schedule/sandbox.js';

let sb: Sandbox;
afterEach(() => sb?.remove());

const EXISTING = {
  model: 'opus',
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/guard.sh' }] }],
    SessionEnd: [{ matcher: 'logout', hooks: [{ type: 'command', command: 'notify-send "bye"', timeout: 5 }] }],
  },
  permissions: { allow: ['Bash(ls:*)'], deny: [] },
  env: { FOO: 'bär' },
};

function settingsFile(s: Sandbox, text: string): string {
  const dir = join(s.home, '.claude');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'settings.json');
  writeFileSync(path, text);
  return path;
}

describe('hook install and uninstall', () => {
  it('merges into existing settings, keeps a backup, is idempotent, and uninstall gives back the same bytes', async () => {
    sb = makeSandbox();
    const original = `${JSON.stringify(EXISTING, null, 2)}\n`;
    const path = settingsFile(sb, original);
    chmodSync(path, 0o600);

    const r = await runIn(['hook', 'install'], sb.env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`added the SessionEnd hook to ${path} (the previous file is in ${path}${BACKUP_SUFFIX})\n  it runs: ${hookCommand(reaperCommand())}\n`);
    expect(readFileSync(`${path}${BACKUP_SUFFIX}`, 'utf8')).toBe(original);
    const installed = readFileSync(path, 'utf8');
    const data = JSON.parse(installed);
    expect(data.hooks.PreToolUse).toEqual(EXISTING.hooks.PreToolUse);
    expect(data.hooks.SessionEnd).toEqual([...EXISTING.hooks.SessionEnd, { matcher: '', hooks: [{ type: 'command', command: hookCommand(reaperCommand()) }] }]);
    expect(Object.keys(data)).toEqual(Object.keys(EXISTING));
    expect(installed).toMatch(/^\{\n {2}"model": "opus",\n/);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const again = await runIn(['hook', 'install'], sb.env);
    expect(again.stdout).toBe(`the SessionEnd hook is already in ${path}: nothing changed\n`);
    expect(readFileSync(path, 'utf8')).toBe(installed);

    const removed = await runIn(['hook', 'uninstall'], sb.env);
    expect(removed).toMatchObject({ code: 0, stdout: `removed the SessionEnd hook from ${path} (the previous file is in ${path}${BACKUP_SUFFIX})\n` });
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(readFileSync(`${path}${BACKUP_SUFFIX}`, 'utf8')).toBe(installed);
  });

  it('keeps a 4-space indent and a missing final newline; other formatting comes back equal as JSON', async () => {
    sb = makeSandbox();
    const fourSpaces = JSON.stringify(EXISTING, null, 4);
    const path = settingsFile(sb, fourSpaces);
    await runIn(['hook', 'install'], sb.env);
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {4}"model"/);
    await runIn(['hook', 'uninstall'], sb.env);
    expect(readFileSync(path, 'utf8')).toBe(fourSpaces);

    const squeezed = '{"model":"opus",   "env": {"FOO":"b\\u00e4r"}}\n';
    writeFileSync(path, squeezed);
    await runIn(['hook', 'install'], sb.env);
    await runIn(['hook', 'uninstall'], sb.env);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(squeezed));
  });

  it('creates the file (and its directory) when there is none, under $CLAUDE_CONFIG_DIR when set', async () => {
    sb = makeSandbox();
    const dir = join(sb.root, 'claude-config');
    const r = await runIn(['hook', 'install'], { ...sb.env, CLAUDE_CONFIG_DIR: dir });
    expect(r.stdout).toMatch(/ \(new file\)\n/);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ hooks: { SessionEnd: [{ matcher: '', hooks: [{ type: 'command', command: hookCommand(reaperCommand()) }] }] } });
    expect(existsSync(join(dir, `settings.json${BACKUP_SUFFIX}`))).toBe(false);
    expect(existsSync(join(sb.home, '.claude'))).toBe(false);
  });

  it('writes through a symlinked settings file to where it points', async () => {
    sb = makeSandbox();
    const real = join(sb.root, 'dotfiles', 'claude-settings.json');
    mkdirSync(join(sb.root, 'dotfiles'));
    writeFileSync(real, '{\n  "model": "opus"\n}\n');
    mkdirSync(join(sb.home, '.claude'));
    symlinkSync(real, join(sb.home, '.claude', 'settings.json'));
    await runIn(['hook', 'install'], sb.env);
    expect(JSON.parse(readFileSync(real, 'utf8')).hooks.SessionEnd).toHaveLength(1);
    expect(tree(join(sb.home, '.claude'))['settings.json']).toBe(`-> ${real}`);
  });

  it('refuses a file that is not JSON, or not an object: one line, exit 2, nothing written', async () => {
    sb = makeSandbox();
    for (const text of ['{"model": "opus",}\n', '[1, 2]\n', '{"hooks": []}\n']) {
      const path = settingsFile(sb, text);
      const before = tree(sb.root);
      for (const verb of ['install', 'uninstall']) {
        const r = await runIn(['hook', verb, '--settings', path], sb.env);
        expect(r.code, `${verb} ${text}`).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^claude-reaper: error: settings ${path}: .*nothing was written.*\\n$`));
        expect(r.stderr.split('\n')).toHaveLength(2);
        expect(tree(sb.root)).toEqual(before);
      }
    }
  });
});
