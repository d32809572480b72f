// The commander program: parses and normalizes options once, calls a command, hands the result
// to a renderer. Commands return data; only this layer writes to stdout.
import { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { registerCompletion } from './completion.js';
import { registerDoctor } from './doctor.js';
import { registerHook } from './hook.js';
import { registerKill } from './kill.js';
import { registerLog } from './log.js';
import { registerScan } from './scan.js';
import { registerSchedule } from './schedule.js';
import { registerWatch } from './watch.js';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** Every command, in --help order, by the names that reach it. */
const COMMANDS: readonly [names: readonly string[], register: Register][] = [
  [['scan'], registerScan],
  [['kill'], registerKill],
  [['watch'], registerWatch],
  [['schedule'], registerSchedule],
  [['hook'], registerHook],
  [['log', 'stats'], registerLog],
  [['doctor'], registerDoctor],
];

/**
 * The program. Given the arguments, it defines only the command they name: defining every
 * command's options costs a few ms of each run. Help, a bare call and an unknown name get all of
 * them (help lists them; commander suggests near names).
 */
export function buildProgram(io: Io, setExit: (code: number) => void, argv?: readonly string[]): Command {
  const program = new Command('claude-reaper')
    .description('Find and safely reap leaked, orphaned, idle and hung Claude Code processes.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One line, always: commander puts its "(Did you mean …?)" on a line of its own.
      outputError: (str, write) => write(`claude-reaper: ${str.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    })
    .exitOverride()
    .addHelpText('after', ROOT_HELP);
  const name = argv?.find((a) => !a.startsWith('-'));
  const only = COMMANDS.find(([names]) => name !== undefined && name !== 'help' && names.includes(name));
  for (const [, register] of only ? [only] : COMMANDS) register(program, io, setExit);
  // On every run, and not in COMMANDS: asked for by name, it leaves every command defined, and
  // its script is written from them all.
  registerCompletion(program, io, setExit);
  return program;
}

const ROOT_HELP = `
Examples:
  claude-reaper scan                       what is running, what leaked, and why
  claude-reaper kill --dry-run             what kill would reap
  claude-reaper kill --idle 10m            reap claude processes idle for 10 minutes (asks first)
  claude-reaper scan --fail-on any         CI: exit 1 when something was left behind
  claude-reaper doctor                     what this machine lets claude-reaper see and do
  claude-reaper schedule install --every 15m -- --orphans
  claude-reaper help <command>             each command's options and examples
`;
