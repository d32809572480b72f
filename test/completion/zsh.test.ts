import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zshScript } from '../../src/completion/zsh.js';
import { skipWithoutShell, programModel, scratchDir, syntaxCheck, writeScript, zshComplete } from './shells.js';

// Each case starts an interactive zsh on a pseudo-terminal and runs compinit: under 200 ms.
describe('the zsh completion script, in a real zsh', () => {
  beforeEach(skipWithoutShell('zsh'));
  let dir: string;
  beforeAll(() => {
    dir = dirname(writeScript('_claude-reaper', zshScript(programModel())));
  });
  const complete = (line: string, cwd?: string) => zshComplete(dir, `claude-reaper ${line}`, 'fpath', cwd);

  it('passes zsh -n', async () => {
    await syntaxCheck('zsh', join(dir, '_claude-reaper'));
  });

  it('starts with #compdef and says how to install it', () => {
    const head = zshScript(programModel()).split('\n').slice(0, 8);
    expect(head[0]).toBe('#compdef claude-reaper');
    expect(head.join('\n')).toContain('_claude-reaper in a directory on $fpath');
  });

  it('completes command names, autoloaded from $fpath by compinit', async () => {
    expect(await complete('sc')).toEqual(['scan', 'schedule']);
  });

  it('completes command names when sourced after compinit instead', async () => {
    expect(await zshComplete(dir, 'claude-reaper sc', 'source')).toEqual(['scan', 'schedule']);
  });

  it("completes a command's options, and an option's choices after a space or an '='", async () => {
    expect(await complete('scan --so')).toEqual(['--source']);
    expect(await complete('scan --source ')).toEqual(['auto', 'procfs', 'ps', 'cim', 'wmic']);
    expect(await complete('scan --source=p')).toEqual(['procfs', 'ps']);
  });

  it('completes the subcommands of schedule and hook, and their options', async () => {
    expect(await complete('schedule ')).toEqual(['install', 'uninstall', 'status', 'help']);
    expect(await complete('hook ')).toEqual(['install', 'uninstall', 'run', 'reap', 'help']);
    expect(await complete('schedule install --every 5m --with ')).toEqual(['cron', 'systemd', 'launchd', 'schtasks']);
    expect(await complete('hook install --se')).toEqual(['--settings']);
  });

  it('completes the shells of completion, and file names for a file', async () => {
    expect(await complete('completion ')).toEqual(['bash', 'zsh', 'fish']);
    const cwd = scratchDir();
    writeFileSync(join(cwd, 'reaper.json'), '{}');
    expect(await complete('scan --config re', cwd)).toEqual(['reaper.json']);
  });
});
