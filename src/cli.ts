// The commander program: parses and normalizes options once, calls a command, hands the result to
// a renderer. Commands return data; only this layer writes to stdout.
import { Command, Option } from 'commander';
import { runScan, DEFAULT_SAMPLE_MS } from './commands/scan.js';
import { EXIT } from './errors.js';
import { SOURCE_CHOICES, type SourceChoice } from './platform/index.js';
import { formatDuration } from './render/format.js';
import { parseDuration } from './util/duration.js';
import { VERSION } from './version.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  columns: number | undefined;
  env: NodeJS.ProcessEnv;
}

interface OutputOptions {
  json?: boolean;
  color: boolean;
  verbose?: boolean;
  wide?: boolean;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('claude-reaper')
    .description('Find and safely reap leaked, orphaned, idle and hung Claude Code processes.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (str, write) => write(`claude-reaper: ${str.replace(/^error: /, 'error: ').trim()}\n`),
    })
    .exitOverride();

  program
    .command('scan')
    .description('list claude-related processes, with CPU over a sample window')
    .option('--json', 'print one JSON document on stdout and nothing else')
    .addOption(new Option('--sample <duration>', 'CPU sample window, e.g. 500ms, 2s; 0 skips sampling').default(formatDuration(DEFAULT_SAMPLE_MS)))
    .addOption(new Option('--source <source>', 'where to read processes from').choices(SOURCE_CHOICES).default('auto'))
    .option('-v, --verbose', 'show why each process matched, and the evidence behind each flag')
    .option('-w, --wide', 'do not cut the command column to the terminal width')
    .option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)')
    .addHelpText('after', SCAN_EXAMPLES)
    .action(async (opts: { sample: string; source: SourceChoice } & OutputOptions) => {
      const sampleMs = parseDuration(opts.sample, '--sample', { allowZero: true });
      const result = await runScan({ sampleMs, source: opts.source });
      if (opts.json) {
        io.stdout(`${JSON.stringify(result.document, null, 2)}\n`);
      } else {
        const { renderScanTable } = await import('./render/table.js');
        io.stdout(renderScanTable(result.document, { color: useColor(io, opts), width: tableWidth(io, opts), verbose: opts.verbose ?? false }));
      }
      for (const w of opts.json ? [] : result.document.warnings) io.stderr(`claude-reaper: warning: ${w.message}\n`);
      setExit(EXIT.ok);
    });

  return program;
}

const SCAN_EXAMPLES = `
Examples:
  claude-reaper scan                  table of claude processes, CPU over 1s
  claude-reaper scan --sample 0       no sampling: instant, CPU % unknown
  claude-reaper scan --json | jq '.processes[] | {pid, kind, cpuPercent}'
`;

function useColor(io: Io, opts: OutputOptions): boolean {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return opts.color && io.isTTY && !noColor;
}

// A pipe has no width: keep lines readable in a pager without cutting what a script may grep.
const PIPE_WIDTH = 160;

function tableWidth(io: Io, opts: OutputOptions): number {
  if (opts.wide) return Number.MAX_SAFE_INTEGER;
  const fromEnv = Number(io.env.COLUMNS);
  return io.columns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : PIPE_WIDTH);
}
