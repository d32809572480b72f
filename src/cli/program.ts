// The commander program: parses and normalizes options once, calls a command, hands the result
// to a renderer. Commands return data; only this layer writes to stdout.
import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { registerHook } from './hook.js';
import { registerKill } from './kill.js';
import { registerLog } from './log.js';
import { registerScan } from './scan.js';
import { registerSchedule } from './schedule.js';
import { registerWatch } from './watch.js';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('claude-reaper')
    .description('Find and safely reap leaked, orphaned, idle and hung Claude Code processes.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (str, write) => write(`claude-reaper: ${str.trim()}\n`),
    })
    .exitOverride();
  registerScan(program, io, setExit);
  registerKill(program, io, setExit);
  registerSchedule(program, io, setExit);
  registerHook(program, io, setExit);
  registerWatch(program, io, setExit);
  registerLog(program, io, setExit);
  return program;
}
