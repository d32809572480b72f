// `claude-reaper completion <bash|zsh|fish>`: the completion script, written from the program
// this command is registered on, when it runs, so it lists exactly the commands and options the
// program has.
import { Argument, type Command } from 'commander';
import type { CommandModel } from '../completion/model.js';
import { EXIT } from '../errors.js';
import type { Io } from './io.js';

// Loaded when asked for: every run registers this command, few print a script.
const SCRIPTS: Record<string, () => Promise<(root: CommandModel) => string>> = {
  bash: async () => (await import('../completion/bash.js')).bashScript,
  zsh: async () => (await import('../completion/zsh.js')).zshScript,
  fish: async () => (await import('../completion/fish.js')).fishScript,
};

export function registerCompletion(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    // An unknown shell is refused by commander with one line (exit 2).
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SCRIPTS)))
    .addHelpText('after', HELP)
    .action(async (shell: string) => {
      const [script, { describeProgram }] = await Promise.all([SCRIPTS[shell]!(), import('../completion/model.js')]);
      io.stdout(script(describeProgram(program)));
      setExit(EXIT.ok);
    });
}

const HELP = `
Each script's first lines say how to install it; open a new shell afterwards.

Examples:
  claude-reaper completion bash > ~/.local/share/bash-completion/completions/claude-reaper
  source <(claude-reaper completion bash)                  this bash only, or put it in ~/.bashrc
  claude-reaper completion zsh > ~/.zfunc/_claude-reaper   any directory on $fpath
  claude-reaper completion fish > ~/.config/fish/completions/claude-reaper.fish
`;
