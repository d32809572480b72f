import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { bashScript } from '../../src/completion/bash.js';
import { fishScript } from '../../src/completion/fish.js';
import { describeProgram } from '../../src/completion/model.js';
import { zshScript } from '../../src/completion/zsh.js';
import { runCli } from '../helpers/cli.js';
import { captureIo, fullProgram } from './shells.js';

const GENERATORS = { bash: bashScript, zsh: zshScript, fish: fishScript };

async function inProcess(args: string[]) {
  const out = captureIo();
  let code: number | null = null;
  const program = fullProgram(out.io, (c) => (code = c));
  let error: unknown;
  await program.parseAsync(args, { from: 'user' }).catch((err: unknown) => (error = err));
  return { code, error, stdout: out.stdout(), stderr: out.stderr(), program };
}

describe('claude-reaper completion <shell>', () => {
  it.each(Object.keys(GENERATORS) as (keyof typeof GENERATORS)[])('prints the %s script written from the program it runs in', async (shell) => {
    const r = await inProcess(['completion', shell]);
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(GENERATORS[shell](describeProgram(r.program)));
    for (const name of ['scan', 'kill', 'watch', 'schedule', 'hook', 'log', 'stats', 'completion', '--source', 'procfs']) expect(r.stdout).toContain(name);
  });

  it('refuses an unknown shell with one line naming the shells it knows', async () => {
    const r = await inProcess(['completion', 'tcsh']);
    expect(r.error).toBeInstanceOf(CommanderError);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^claude-reaper: error: .*'tcsh'.*bash, zsh, fish\.?\n$/);
  });
});

// The built CLI defines only the command it is asked for; completion must still see them all.
const registered = buildProgram(captureIo().io, () => {}).commands.some((c) => c.name() === 'completion');
if (!registered) console.log('skipping the built-CLI completion tests: src/cli/program.ts does not register the completion command');

describe.skipIf(!registered)('the built CLI', () => {
  it('prints the same bash script as the program with every command', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(bashScript(describeProgram(fullProgram())));
  });

  it('exits 2 with one line for an unknown shell', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
