// The metrics options: `--metrics-file <path>` (scan, kill, watch, and so schedules) and the
// writing of the file, whose failure is a warning, never a failure of the scan or the reap.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeMetrics, type MetricsRun } from '../commands/metrics.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export function addMetricsFileOption(cmd: Command): Command {
  return cmd.option('--metrics-file <path>', "rewrite this file (atomically) with the metrics in the Prometheus text format, for node_exporter's textfile collector");
}

/** The file's absolute path; its directory must exist (it is not created: it is node_exporter's). */
export function parseMetricsFile(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (text.trim() === '') throw new UsageError("invalid --metrics-file '': expected a file path");
  const path = resolve(text);
  let isDir = false;
  try {
    isDir = statSync(dirname(path)).isDirectory();
  } catch {
    // missing or unreadable: said below
  }
  if (!isDir) throw new UsageError(`invalid --metrics-file '${text}': ${dirname(path)} is not a directory`);
  return path;
}

/** Writes the file; a failure is one warning line on stderr. */
export function emitMetricsFile(path: string | null, run: MetricsRun, io: Io): void {
  if (path === null) return;
  try {
    writeMetrics(path, run);
  } catch (err) {
    io.stderr(`claude-reaper: warning: cannot write the metrics file ${path}: ${(err as Error).message}\n`);
  }
}
