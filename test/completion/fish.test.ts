import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fishScript } from '../../src/completion/fish.js';
import { fishComplete, skipWithoutShell, programModel, scratchDir, shell, syntaxCheck, writeScript } from './shells.js';

describe('the fish completion script, in a real fish', () => {
  beforeEach(skipWithoutShell('fish'));
  let script: string;
  beforeAll(() => {
    script = writeScript('claude-reaper.fish', fishScript(programModel()));
  });
  const complete = (line: string, cwd?: string) => fishComplete(script, `claude-reaper ${line}`, cwd);

  it('passes fish --no-execute', async () => {
    await syntaxCheck('fish', script);
  });

  it('says at its top how to install it', () => {
    expect(fishScript(programModel()).split('\n').slice(0, 6).join('\n')).toContain('claude-reaper completion fish > ~/.config/fish/completions/claude-reaper.fish');
  });

  it('completes command names, with their descriptions', async () => {
    expect(await complete('sc')).toEqual(['scan', 'schedule']);
    const { stdout } = await shell('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script, 'claude-reaper sca']);
    expect(stdout).toMatch(/^scan\tlist claude-related processes/);
  });

  it("completes a command's options, and only its own", async () => {
    expect(await complete('scan --so')).toEqual(['--source']);
    expect(await complete('kill --sample 1s --dr')).toEqual(['--dry-run']);
    expect(await complete('log --so')).toEqual([]);
  });

  it("completes an option's choices, after a space or an '='", async () => {
    expect((await complete('scan --source ')).sort()).toEqual(['auto', 'cim', 'procfs', 'ps', 'wmic']);
    expect(await complete('scan --source=p')).toEqual(['--source=procfs', '--source=ps']);
  });

  it('tells `schedule install` from `hook install`', async () => {
    expect((await complete('schedule ')).sort()).toEqual(['help', 'install', 'status', 'uninstall']);
    expect((await complete('hook ')).sort()).toEqual(['help', 'install', 'reap', 'run', 'uninstall']);
    expect((await complete('schedule install --every 5m --with ')).sort()).toEqual(['cron', 'launchd', 'schtasks', 'systemd']);
    expect(await complete('schedule install --se')).toEqual([]);
    expect(await complete('hook install --se')).toEqual(['--settings']);
  });

  it('completes the shells of completion, and command names after help', async () => {
    expect((await complete('completion ')).sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete('help wa')).toEqual(['watch']);
  });

  it('offers nothing for a free value, and file names for a file', async () => {
    expect(await complete('scan --sample ')).toEqual([]);
    const dir = scratchDir();
    writeFileSync(join(dir, 'reaper.json'), '{}');
    expect(await complete('scan --config re', dir)).toEqual(['reaper.json']);
  });
});
