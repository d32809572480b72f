// run(argv) -> exit code: the one place that catches errors and maps them to exit codes.
import { CommanderError } from 'commander';
import { processIo, type Io } from './cli/io.js';
import { buildProgram } from './cli/program.js';
import { EXIT, PlatformError, UsageError } from './errors.js';

/** Exit code for a failure nobody anticipated (a bug): distinct from findings (1) and usage (2). */
export const EXIT_INTERNAL = 4;

export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c), argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`claude-reaper: error: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof PlatformError) {
      io.stderr(`claude-reaper: error: ${err.message}\n`);
      return EXIT.platform;
    }
    io.stderr(`claude-reaper: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT_INTERNAL;
  }
}

export { useImporter } from './util/importer.js';
export { scannedRelated } from './util/warm.js';
