// The kill options shared by `kill` and `watch --kill`: selectors, signal, grace, audit log.
import type { Command } from 'commander';
import { DEFAULT_GRACE_MS } from '../commands/kill.js';
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import type { Selection } from '../reap/plan.js';
import { normalizeSignal } from '../reap/signal.js';
import { parseDuration } from '../util/duration.js';
import { parsePids, parseSize } from '../util/size.js';

export interface RawSelection {
  idle?: string;
  orphans?: boolean;
  duplicates?: boolean;
  hung?: boolean;
  pid?: string[];
  olderThan?: string;
  minRss?: string;
  signal: string;
  grace: string;
  log: boolean;
}

export function addSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--idle <duration>', 'claude processes idle at least this long (with the evidence rules of scan)')
    .option('--orphans', 'orphaned claude processes and stray MCP servers and tool shells')
    .option('--duplicates', 'duplicate daemons and duplicate sessions')
    .option('--hung', 'hung claude processes')
    .option('--pid <pids...>', 'these processes (refused if protected or not claude-related)')
    .option('--older-than <duration>', 'claude processes running at least this long')
    .option('--min-rss <size>', 'claude processes using at least this much memory, e.g. 500MB')
    .option('--signal <signal>', 'the first signal', 'SIGTERM')
    .option('--grace <duration>', 'how long to wait before SIGKILL', formatDuration(DEFAULT_GRACE_MS))
    .option('--no-log', 'do not append to the audit log');
}

export function parseSelection(raw: RawSelection): Selection {
  const selection: Selection = {
    reapable: false,
    idleMs: raw.idle === undefined ? null : parseDuration(raw.idle, '--idle'),
    orphans: raw.orphans ?? false,
    duplicates: raw.duplicates ?? false,
    hung: raw.hung ?? false,
    pids: raw.pid ? parsePids(raw.pid) : [],
    olderThanMs: raw.olderThan === undefined ? null : parseDuration(raw.olderThan, '--older-than'),
    minRssBytes: raw.minRss === undefined ? null : parseSize(raw.minRss, '--min-rss'),
  };
  selection.reapable = !hasSelector(selection);
  return selection;
}

export function hasSelector(s: Selection): boolean {
  return s.idleMs !== null || s.orphans || s.duplicates || s.hung || s.pids.length > 0 || s.olderThanMs !== null || s.minRssBytes !== null;
}

export function parseSignal(text: string): string {
  const signal = normalizeSignal(text);
  if (!signal) throw new UsageError(`invalid --signal '${text}': not a signal name or number on this system`);
  return signal;
}

export function parseGrace(text: string): number {
  return parseDuration(text, '--grace', { allowZero: true });
}
