import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { captureIo, fullProgram } from './shells.js';

/** Every command and subcommand the program defines, as the words that reach it. */
function commandPaths(cmd: Command, path: string[] = []): string[][] {
  return cmd.commands.flatMap((sub) => [[...path, sub.name()], ...commandPaths(sub, [...path, sub.name()])]);
}

async function help(path: string[]): Promise<string> {
  const out = captureIo();
  try {
    await fullProgram(out.io).parseAsync([...path, '--help'], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError) || err.exitCode !== 0) throw err;
  }
  return out.stdout();
}

describe('--help for every command', () => {
  const paths = commandPaths(fullProgram());

  it('finds the commands and the subcommands of schedule and hook', () => {
    const names = paths.map((p) => p.join(' '));
    expect(names).toEqual(expect.arrayContaining(['scan', 'kill', 'watch', 'log', 'stats', 'completion', 'schedule install', 'schedule uninstall', 'schedule status', 'hook install', 'hook uninstall', 'hook run', 'hook reap']));
  });

  it.each(paths.map((p) => [p.join(' '), p] as const))('`claude-reaper %s --help` reads like a man page: usage, description, options, examples', async (name, path) => {
    const text = await help(path);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Usage: claude-reaper ${name} `));
    // commander puts the description after one blank line.
    expect(lines[1]).toBe('');
    expect(lines[2]?.trim().length).toBeGreaterThan(10);
    expect(text).toMatch(/\nOptions:\n/);
    const examples = text.split('\nExamples:\n')[1];
    expect(examples, `no Examples: section in\n${text}`).toBeDefined();
    const commands = examples!.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('claude-reaper '));
    expect(commands.some((l) => l.startsWith(`claude-reaper ${name}`)), `no example of claude-reaper ${name}`).toBe(true);
  });
});
