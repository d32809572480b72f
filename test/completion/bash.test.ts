import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bashScript } from '../../src/completion/bash.js';
import { bashComplete, skipWithoutShell, programModel, scratchDir, syntaxCheck, writeScript } from './shells.js';

describe('the bash completion script, in a real bash', () => {
  beforeEach(skipWithoutShell('bash'));
  let script: string;
  beforeAll(() => {
    script = writeScript('claude-reaper.bash', bashScript(programModel()));
  });
  const complete = (...words: string[]) => bashComplete(script, ['claude-reaper', ...words]);

  it('passes bash -n', async () => {
    await syntaxCheck('bash', script);
  });

  it('says at its top how to install it', () => {
    const head = bashScript(programModel()).split('\n').slice(0, 8).join('\n');
    expect(head).toContain('source <(claude-reaper completion bash)');
    expect(head).toContain('~/.local/share/bash-completion/completions/claude-reaper');
  });

  it('completes command names', async () => {
    expect(await complete('sc')).toEqual(['scan', 'schedule']);
    expect(await complete('')).toEqual(expect.arrayContaining(['scan', 'kill', 'watch', 'schedule', 'hook', 'log', 'stats', 'completion']));
  });

  it("completes a command's options, and only its own", async () => {
    expect(await complete('scan', '--so')).toEqual(['--source']);
    expect(await complete('kill', '--sample', '1s', '--dr')).toEqual(['--dry-run']);
    expect(await complete('log', '--so')).toEqual([]);
  });

  it("completes an option's choices, after a space or an '=' (which bash splits into a word of its own)", async () => {
    expect(await complete('scan', '--source', '')).toEqual(['auto', 'procfs', 'ps', 'cim', 'wmic']);
    expect(await complete('scan', '--source', 'p')).toEqual(['procfs', 'ps']);
    expect(await complete('scan', '--source', '=')).toEqual(['auto', 'procfs', 'ps', 'cim', 'wmic']);
    expect(await complete('scan', '--source', '=', 'p')).toEqual(['procfs', 'ps']);
  });

  it('completes the subcommands of schedule and hook, and their options', async () => {
    expect(await complete('schedule', '')).toEqual(['install', 'uninstall', 'status', 'help']);
    expect(await complete('hook', '')).toEqual(['install', 'uninstall', 'run', 'reap', 'help']);
    expect(await complete('schedule', 'install', '--every', '5m', '--with', '')).toEqual(expect.arrayContaining(['cron', 'systemd', 'launchd', 'schtasks']));
    expect(await complete('hook', 'reap', '--af')).toEqual(['--after', '--after-start']);
  });

  it('completes the shells of completion, and command names after help', async () => {
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete('completion', 'bash', '')).toEqual([]);
    expect(await complete('help', 'wa')).toEqual(['watch']);
  });

  it('offers nothing for a free value, and file names for a file', async () => {
    expect(await complete('scan', '--sample', '')).toEqual([]);
    const dir = scratchDir();
    writeFileSync(join(dir, 'reaper.json'), '{}');
    expect(await bashComplete(script, ['claude-reaper', 'scan', '--config', 're'], dir)).toEqual(['reaper.json']);
  });
});
