import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashScript } from '../../src/completion/bash.js';
import { fishScript } from '../../src/completion/fish.js';
import { allCommands, describeProgram, type CommandModel } from '../../src/completion/model.js';
import { zshScript } from '../../src/completion/zsh.js';
import { programModel } from './shells.js';

function find(root: CommandModel, path: string): CommandModel {
  const found = allCommands(root).find((c) => c.path.join(' ') === path);
  if (!found) throw new Error(`no command '${path}'`);
  return found;
}

function option(cmd: CommandModel, flag: string) {
  return cmd.options.find((o) => o.flags.includes(flag));
}

describe('the program description the scripts are written from', () => {
  const root = programModel();

  it('is named after the program and lists every command, with the help command commander adds', () => {
    expect(root.name).toBe('claude-reaper');
    expect(root.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['scan', 'kill', 'watch', 'schedule', 'hook', 'log', 'stats', 'completion', 'help']));
  });

  it('has the subcommands of schedule and hook', () => {
    expect(find(root, 'schedule').commands.map((c) => c.name)).toEqual(['install', 'uninstall', 'status', 'help']);
    expect(find(root, 'hook').commands.map((c) => c.name)).toEqual(['install', 'uninstall', 'run', 'reap', 'help']);
  });

  it("takes option choices from the options themselves (--source, --with) and the shells from completion's argument", () => {
    expect(option(find(root, 'scan'), '--source')?.value).toEqual({ kind: 'choices', choices: ['auto', 'procfs', 'ps', 'cim', 'wmic'] });
    expect(option(find(root, 'schedule install'), '--with')?.value).toMatchObject({ kind: 'choices', choices: expect.arrayContaining(['cron', 'systemd', 'launchd', 'schtasks']) });
    expect(find(root, 'completion').arguments).toEqual([{ name: 'shell', variadic: false, value: { kind: 'choices', choices: ['bash', 'zsh', 'fish'] } }]);
  });

  it('tells flags from options with a value, and completes file names where the value is a file', () => {
    const scan = find(root, 'scan');
    expect(option(scan, '--json')?.value).toEqual({ kind: 'none' });
    expect(option(scan, '--sample')).toMatchObject({ value: { kind: 'any' }, valueName: 'duration' });
    expect(option(scan, '--config')?.value).toEqual({ kind: 'file' });
    expect(option(scan, '-w')?.flags).toEqual(['-w', '--wide']);
    expect(option(scan, '--help')?.flags).toEqual(['-h', '--help']);
  });

  it("offers the sibling commands' names to `help`", () => {
    const commands = root.commands.map((c) => c.name).filter((n) => n !== 'help');
    expect(find(root, 'help').arguments[0]?.value).toEqual({ kind: 'choices', choices: commands });
    expect(find(root, 'schedule help').arguments[0]?.value).toEqual({ kind: 'choices', choices: ['install', 'uninstall', 'status'] });
  });

  it('follows the program: an option or command added to it is in every script', () => {
    const program = new Command('tool');
    program.command('go').addOption(new Option('--speed <speed>', 'how fast').choices(['slow', 'fast-as-light']));
    program.command('alias-target').alias('at');
    const model = describeProgram(program);
    for (const script of [bashScript(model), zshScript(model), fishScript(model)]) {
      expect(script).toContain('--speed');
      expect(script).toContain('fast-as-light');
      expect(script).toContain('alias-target');
    }
  });
});
