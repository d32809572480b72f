// `scan`: snapshot, classify, and return the document. Prints nothing.
import { readFileSync } from 'node:fs';
import { classify } from '../classify/index.js';
import type { Thresholds } from '../classify/thresholds.js';
import { emptyConfig, type Config, type DaemonPattern } from '../config.js';
import { buildDocument } from '../document.js';
import { openSource, type SourceChoice } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import type { Finding, ScanDocument } from '../report.js';
import { takeSnapshot } from '../snapshot/take.js';
import { readDeclaredServers } from '../snapshot/claude-config.js';
import { homeDirOf, selfUid } from '../platform/users.js';
import { loadState, saveHistory, updateHistory, type History, type SeenMap } from '../state/history.js';
import type { Snapshot } from '../types.js';
import { markScanned } from '../util/warm.js';

export const DEFAULT_SAMPLE_MS = 1000;

export interface ScanOptions {
  /** CPU sample window, ms; 0 skips sampling (cpuPercent is then null). */
  sampleMs?: number;
  source?: SourceChoice | ProcessSource;
  /** Loaded config; defaults to none (built-in thresholds, no patterns). */
  config?: Config;
  /** Overrides of the config's thresholds (from the command line). */
  thresholds?: Partial<Thresholds>;
  /** Consider other users' processes too (they are protected otherwise). */
  allUsers?: boolean;
  /** Where earlier samples are kept between runs; null neither reads nor writes them. */
  stateDir?: string | null;
  /** The clock, for tests. */
  now?: () => number;
}

export interface ScanResult {
  snapshot: Snapshot;
  findings: Map<number, Finding>;
  document: ScanDocument;
}

export async function runScan(opts: ScanOptions = {}): Promise<ScanResult> {
  const config = opts.config ?? emptyConfig();
  const source = typeof opts.source === 'object' ? opts.source : openSource(opts.source ?? 'auto');
  const thresholds = { ...config.thresholds, ...definedOnly(opts.thresholds ?? {}) };
  const state = opts.stateDir ? loadState(opts.stateDir) : { samples: new Map(), seen: new Map() };
  const history = state.samples;
  const snapshot = await takeSnapshot(source, {
    sampleMs: opts.sampleMs ?? DEFAULT_SAMPLE_MS,
    patterns: { daemons: config.daemons, agents: config.agents },
    // What earlier runs saw, and Claude's MCP configuration: ties for helpers with no mark of their own.
    busyTranscriptsFromMs: thresholds.hungAfterMs,
    known: { seen: state.seen, samples: history, configUid: selfUid(), declaredServers: (claudeArgs) => readDeclaredServers({ home: homeDirOf(selfUid()), env: process.env, claudeArgs }) },
  });
  const findings = classify({
    snapshot,
    now: opts.now?.() ?? snapshot.takenAt,
    thresholds,
    history,
    pidFiles: readPidFiles(config.daemons),
    allUsers: opts.allUsers ?? config.allUsers,
    patterns: config.protect,
  });
  if (opts.stateDir) {
    const next = updateHistory(history, snapshot, state.seen);
    if (next.changed) saveHistorySafely(opts.stateDir, next.history, next.seen, snapshot);
  }
  markScanned(snapshot.related.size);
  return { snapshot, findings, document: buildDocument(snapshot, findings, thresholds) };
}

function definedOnly<T extends object>(obj: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A state file we cannot write costs the next run its evidence, not this run its answer. */
function saveHistorySafely(dir: string, history: History, seen: SeenMap, snapshot: Snapshot): void {
  try {
    saveHistory(dir, history, seen);
  } catch (err) {
    snapshot.warnings.push({ pid: null, field: 'state', message: `cannot save samples in ${dir}: ${(err as Error).message}` });
  }
}

function readPidFiles(daemons: readonly DaemonPattern[]): Map<string, number> {
  const pids = new Map<string, number>();
  for (const d of daemons) {
    if (!d.pidFile) continue;
    const pid = readPidFile(d.pidFile);
    if (pid !== null) pids.set(d.name, pid);
  }
  return pids;
}

/** A pid file holds a bare number, or JSON with a `pid` field. */
export function readPidFile(path: string): number | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    const pid = /^\d+$/.test(text) ? Number(text) : Number((JSON.parse(text) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
