// The real shells the completion scripts are checked with, and the program they are written from.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { registerCompletion } from '../../src/cli/completion.js';
import type { Io } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { describeProgram, type CommandModel } from '../../src/completion/model.js';
import { workRoot } from '../helpers/fixtures.js';
import { missing } from '../helpers/tools.js';

export type Shell = 'bash' | 'zsh' | 'fish';

// A shell that hangs (a completion function waiting on a terminal) must not hang the run.
const SHELL_TIMEOUT_MS = 15_000;
const run = promisify(execFile);

/** Why the shell cannot be used here (for the skip), or null when it is installed. */
export function shellMissing(shell: Shell): string | null {
  // The scripts are for POSIX shells; Git Bash's path translation is not what users complete in.
  if (process.platform === 'win32') return `the ${shell} completion script is not run on Windows`;
  try {
    execFileSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' });
    return null;
  } catch {
    return missing(shell) ?? `${shell} does not run here`;
  }
}

/** For a suite's beforeEach: skips each of its tests, with the reason, where the shell is missing. */
export function skipWithoutShell(shell: Shell): (ctx: { skip: (note?: string) => void }) => void {
  const why = shellMissing(shell);
  return (ctx) => {
    if (why) ctx.skip(why);
  };
}

export interface Captured {
  io: Io;
  stdout: () => string;
  stderr: () => string;
}

export function captureIo(): Captured {
  let out = '';
  let err = '';
  const io: Io = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, stdinIsTTY: false, columns: undefined, env: {} };
  return { io, stdout: () => out, stderr: () => err };
}

/** The CLI's program with every command, and `completion` whether or not program.ts has it yet. */
export function fullProgram(io: Io = captureIo().io, setExit: (code: number) => void = () => {}): Command {
  const program = buildProgram(io, setExit);
  if (!program.commands.some((c) => c.name() === 'completion')) registerCompletion(program, io, setExit);
  return program;
}

export function programModel(): CommandModel {
  return describeProgram(fullProgram());
}

/** A fresh directory in this run's scratch space (removed when the run ends). */
export function scratchDir(): string {
  return mkdtempSync(join(workRoot(), 'completion-'));
}

/** Writes a script into a fresh directory under `name`; returns its path. */
export function writeScript(name: string, text: string): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, text);
  return path;
}

export async function shell(file: string, args: string[], cwd?: string): Promise<{ stdout: string; stderr: string }> {
  return run(file, args, { cwd, timeout: SHELL_TIMEOUT_MS, encoding: 'utf8' });
}

/** Syntax check: `bash -n`, `zsh -n`, `fish --no-execute`; rejects with the shell's message. */
export async function syntaxCheck(sh: Shell, path: string): Promise<void> {
  await shell(sh, sh === 'fish' ? ['--no-config', '--no-execute', path] : ['-n', path]);
}

/** What bash's completion function puts in COMPREPLY for these words (the last is completed). */
export async function bashComplete(script: string, words: string[], cwd?: string): Promise<string[]> {
  const body = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _claude_reaper; printf "%s\\n" "${COMPREPLY[@]}"';
  const { stdout } = await shell('bash', ['--norc', '--noprofile', '-c', body, 'bash', script, ...words], cwd);
  return lines(stdout);
}

/** What fish offers for the line (`complete -C`), without the descriptions. */
export async function fishComplete(script: string, line: string, cwd?: string): Promise<string[]> {
  const { stdout } = await shell('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script, line], cwd);
  return lines(stdout).map((l) => l.split('\t')[0]!);
}

const ZSH_DRIVER = fileURLToPath(new URL('./zsh-complete.zsh', import.meta.url));

/** What zsh's completion system offers for the line, typed with a TAB into an interactive zsh. */
export async function zshComplete(dir: string, line: string, how: 'fpath' | 'source' = 'fpath', cwd?: string): Promise<string[]> {
  const { stdout } = await shell('zsh', ['-f', ZSH_DRIVER, how, dir, line], cwd);
  return lines(stdout);
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
