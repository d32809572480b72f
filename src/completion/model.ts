// What a completion script needs to know about the program, read from the commander program
// itself (through the same Help methods that build --help), so completions never drift from the
// real commands and options.
import type { Argument, Command, Help, Option } from 'commander';

/** What an option's value (or a positional argument) completes to. */
export type ValueKind =
  | { kind: 'none' } // a flag: no value
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'file' }
  | { kind: 'any' }; // free text (a duration, a pid): nothing to offer

export interface OptionModel {
  /** `-w`, `--wide`: every spelling of the option. */
  flags: string[];
  description: string;
  value: ValueKind;
  /** What help calls the value: `duration` in `--sample <duration>`; '' for a flag. */
  valueName: string;
}

export interface ArgumentModel {
  name: string;
  variadic: boolean;
  value: ValueKind;
}

export interface CommandModel {
  name: string;
  /** Names leading here from the program, without the program's own: `['schedule', 'install']`. */
  path: string[];
  aliases: string[];
  description: string;
  options: OptionModel[];
  arguments: ArgumentModel[];
  commands: CommandModel[];
}

// Value names that mean a path, so the shell completes file names for them.
const FILE_VALUE = /^(file|path|dir)$/i;

/** The program as a tree of plain data: the root's name is the command the user types. */
export function describeProgram(program: Command): CommandModel {
  return describe(program, [], program.createHelp(), []);
}

function describe(cmd: Command, path: string[], help: Help, helpTopics: string[]): CommandModel {
  const subs = help.visibleCommands(cmd);
  const names = subs.map((s) => s.name());
  return {
    name: cmd.name(),
    path,
    aliases: cmd.aliases(),
    description: firstLine(cmd.description()),
    options: help.visibleOptions(cmd).map(describeOption),
    arguments: cmd.registeredArguments.map((a) => describeArgument(a, helpTopics)),
    // commander's implicit `help [command]` is not among cmd.commands; it takes a sibling's name.
    commands: subs.map((s) => describe(s, [...path, s.name()], help, cmd.commands.includes(s) ? [] : names.filter((n) => n !== 'help'))),
  };
}

function describeOption(option: Option): OptionModel {
  const flags = [option.short, option.long].filter((f): f is string => f !== undefined);
  const name = option.required || option.optional ? valueName(option.flags) : '';
  return { flags, description: firstLine(option.description), value: name ? valueKind(option.argChoices, name) : { kind: 'none' }, valueName: name };
}

function describeArgument(arg: Argument, names: string[]): ArgumentModel {
  return { name: arg.name(), variadic: arg.variadic, value: valueKind(arg.argChoices ?? names, arg.name()) };
}

function valueKind(choices: readonly string[] | undefined, name: string): ValueKind {
  if (choices && choices.length > 0) return { kind: 'choices', choices };
  return FILE_VALUE.test(name) ? { kind: 'file' } : { kind: 'any' };
}

/** `--config <file>` -> `file`; `--pid <pids...>` -> `pids`. */
function valueName(flags: string): string {
  return /[<[]([^>\]]*?)(\.\.\.)?[>\]]/.exec(flags)?.[1] || 'value';
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** Every command in the tree, the root first. */
export function allCommands(root: CommandModel): CommandModel[] {
  return [root, ...root.commands.flatMap(allCommands)];
}

/** The options that take a value, which a completer must step over with their value. */
export function valueOptions(cmd: CommandModel): OptionModel[] {
  return cmd.options.filter((o) => o.value.kind !== 'none');
}
