// Earlier CPU samples of the same (pid, start time), kept between runs in a small state file, so
// that a daemon's "idle for 10m" can be proven across runs that each sample for only a second; and
// what each of those processes was taken for (its kind and owner), so that a later run can still
// tie a helper to its claude once nothing else does: Windows gives no environments and never
// reparents, and macOS shows no environment for its own shells (snapshot/known.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ancestors } from '../snapshot/tree.js';
import type { Match, ProcessKind, Snapshot } from '../types.js';
import { replacePrivate } from './private.js';

export interface Sample {
  /** epoch ms */
  at: number;
  cpuTimeMs: number;
}

/** `${pid}:${startId}` -> samples, oldest first. */
export type History = ReadonlyMap<string, readonly Sample[]>;

/** What an earlier run took a process for. */
export interface Seen {
  kind: ProcessKind;
  /** The claude (or daemon) it belonged to, where known. */
  owner: number | null;
  /** Whether that owner was a claude. */
  ownerIsClaude: boolean;
  /** Its start, epoch ms. */
  startTime: number;
  /** A command the Bash tool started: it ran under a tool shell (or carried CLAUDE_PID). */
  bashTool?: boolean;
}

/** `${pid}:${startId}` -> what it was, for the processes the history holds samples of. */
export type SeenMap = ReadonlyMap<string, Seen>;

export interface HistoryState {
  samples: Map<string, Sample[]>;
  seen: Map<string, Seen>;
}

export const historyKey = (pid: number, startId: string) => `${pid}:${startId}`;

const FILE = 'samples.json';
// Enough samples to prove a long idle stretch with several spans; thinned to keep the file small.
const MAX_SAMPLES = 8;
// Samples closer than this add nothing a scan's own window does not already show.
const MIN_SPACING_MS = 10_000;
const KINDS: ReadonlySet<string> = new Set<ProcessKind>(['claude', 'mcp-server', 'tool-shell', 'agent-daemon', 'agent', 'child']);

export function loadHistory(dir: string): Map<string, Sample[]> {
  return loadState(dir).samples;
}

/** The samples and what each process was; a file written before kinds were kept has none. */
export function loadState(dir: string): HistoryState {
  const state: HistoryState = { samples: new Map(), seen: new Map() };
  try {
    const data = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { version?: number; samples?: Record<string, Sample[]>; seen?: Record<string, Seen> };
    if (data.version !== 1 || !data.samples || typeof data.samples !== 'object') return state;
    for (const [key, list] of Object.entries(data.samples)) {
      if (Array.isArray(list)) state.samples.set(key, list.every(validSample) ? list : list.filter(validSample));
    }
    for (const [key, seen] of Object.entries(data.seen ?? {})) if (validSeen(seen)) state.seen.set(key, seen);
  } catch {
    // no file yet, or a damaged one: start over
  }
  return state;
}

function validSample(s: Sample | null | undefined): boolean {
  return Number.isFinite(s?.at) && Number.isFinite(s?.cpuTimeMs);
}

function validSeen(s: Seen | null | undefined): boolean {
  return !!s && KINDS.has(s.kind) && (s.owner === null || Number.isInteger(s.owner)) && typeof s.ownerIsClaude === 'boolean' && Number.isFinite(s.startTime) && (s.bashTool === undefined || s.bashTool === true);
}

/**
 * Adds this snapshot's samples and forgets processes that no longer exist. Pure. `changed` is
 * false when there is nothing new to keep, so a run seconds after another writes nothing.
 */
export function updateHistory(history: History, snapshot: Snapshot, seenBefore: SeenMap = new Map()): { history: Map<string, Sample[]>; seen: Map<string, Seen>; changed: boolean } {
  const next = new Map<string, Sample[]>();
  const seen = new Map<string, Seen>();
  let changed = false;
  for (const [pid, match] of snapshot.related) {
    const p = snapshot.processes.get(pid)!;
    if (p.cpuTimeMs === null) continue;
    const key = historyKey(pid, p.startId);
    const before = history.get(key) ?? [];
    const after = addSample(before, { at: snapshot.takenAt, cpuTimeMs: p.cpuTimeMs });
    if (after !== before) changed = true;
    next.set(key, after as Sample[]);
    const now: Seen = { kind: match.kind, owner: match.owner, ownerIsClaude: match.owner !== null && snapshot.related.get(match.owner)?.kind === 'claude', startTime: p.startTime };
    if (match.kind === 'child' && ranUnderBashTool(pid, match, snapshot)) now.bashTool = true;
    seen.set(key, now);
    const was = seenBefore.get(key);
    if (!was || !sameSeen(was, now)) changed = true;
  }
  return { history: next, seen, changed: changed || next.size !== history.size };
}

function sameSeen(a: Seen, b: Seen): boolean {
  return a.kind === b.kind && a.owner === b.owner && a.ownerIsClaude === b.ownerIsClaude && a.startTime === b.startTime && a.bashTool === b.bashTool;
}

/** A command the Bash tool started: a tool shell is among its ancestors, or it carries CLAUDE_PID. */
function ranUnderBashTool(pid: number, match: Match, snapshot: Snapshot): boolean {
  if (match.bashTool || snapshot.processes.get(pid)?.markers?.claudePid !== undefined) return true;
  return ancestors(pid, snapshot.processes).some((a) => snapshot.related.get(a)?.kind === 'tool-shell');
}

function addSample(list: readonly Sample[], sample: Sample): readonly Sample[] {
  const last = list.at(-1);
  if (last && sample.at - last.at < MIN_SPACING_MS) return list;
  const out = [...list, sample];
  // Thin by dropping the inner sample closest to its predecessor: keeps the oldest (the longest
  // proof) and the newest, and spreads the rest.
  while (out.length > MAX_SAMPLES) {
    let drop = 1;
    for (let i = 2; i < out.length - 1; i++) if (out[i]!.at - out[i - 1]!.at < out[drop]!.at - out[drop - 1]!.at) drop = i;
    out.splice(drop, 1);
  }
  return out;
}

/** Writes atomically (temp file, then rename), so a concurrent reader never sees half a file; private (600 in 700). */
export function saveHistory(dir: string, history: History, seen: SeenMap = new Map()): void {
  replacePrivate(dir, FILE, JSON.stringify({ version: 1, samples: Object.fromEntries(history), seen: Object.fromEntries(seen) }));
}
