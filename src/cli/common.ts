// Options shared by the commands that scan (scan, kill, watch), parsed and normalized once.
import { Option, type Command } from 'commander';
import { DEFAULT_SAMPLE_MS, type ScanOptions } from '../commands/scan.js';
import { loadConfig } from '../config.js';
import { stateDir } from '../platform/dirs.js';
import { SOURCE_CHOICES, type SourceChoice } from '../platform/index.js';
import { formatDuration } from '../render/format.js';
import { parseDuration } from '../util/duration.js';
import type { Io } from './io.js';

export interface RawScanOptions {
  sample: string;
  source: SourceChoice;
  config?: string;
  allUsers?: boolean;
  abandonedAfter?: string;
  hungAfter?: string;
}

export function addScanOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--sample <duration>', 'CPU sample window, e.g. 500ms, 2s; 0 skips sampling').default(formatDuration(DEFAULT_SAMPLE_MS)))
    .option('--abandoned-after <duration>', 'idle this long under a live daemon is a leak (default 10m)')
    .option('--hung-after <duration>', 'busy with no CPU progress this long is hung (default 10m)')
    .option('--all-users', "include other users' processes (protected otherwise)")
    .option('--config <file>', 'config file (default ~/.config/claude-reaper/config.json)')
    .addOption(new Option('--source <source>', 'where to read processes from').choices(SOURCE_CHOICES).default('auto'));
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout and nothing else')
    .option('-v, --verbose', 'show why each process matched, and the evidence behind each flag')
    .option('-w, --wide', 'do not cut the command column to the terminal width')
    .option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)');
}

/** Turns the raw strings into ScanOptions, refusing bad input (UsageError, exit 2). */
export function resolveScanOptions(raw: RawScanOptions, io: Io): ScanOptions {
  const config = loadConfig(raw.config, io.env);
  return {
    sampleMs: parseDuration(raw.sample, '--sample', { allowZero: true }),
    source: raw.source,
    config,
    allUsers: raw.allUsers ?? config.allUsers,
    thresholds: {
      abandonedAfterMs: raw.abandonedAfter === undefined ? undefined : parseDuration(raw.abandonedAfter, '--abandoned-after'),
      hungAfterMs: raw.hungAfter === undefined ? undefined : parseDuration(raw.hungAfter, '--hung-after'),
    },
    stateDir: stateDir(io.env),
  };
}
