// Earlier CPU samples of the same (pid, start time), kept between runs in a small state file, so
// that a daemon's "idle for 10m" can be proven across runs that each sample for only a second.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../types.js';
import { replacePrivate } from './private.js';

export interface Sample {
  /** epoch ms */
  at: number;
  cpuTimeMs: number;
}

/** `${pid}:${startId}` -> samples, oldest first. */
export type History = ReadonlyMap<string, readonly Sample[]>;

export const historyKey = (pid: number, startId: string) => `${pid}:${startId}`;

const FILE = 'samples.json';
// Enough samples to prove a long idle stretch with several spans; thinned to keep the file small.
const MAX_SAMPLES = 8;
// Samples closer than this add nothing a scan's own window does not already show.
const MIN_SPACING_MS = 10_000;

export function loadHistory(dir: string): Map<string, Sample[]> {
  try {
    const data = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { version?: number; samples?: Record<string, Sample[]> };
    if (data.version !== 1 || !data.samples || typeof data.samples !== 'object') return new Map();
    const map = new Map<string, Sample[]>();
    for (const [key, list] of Object.entries(data.samples)) {
      if (Array.isArray(list)) map.set(key, list.every(validSample) ? list : list.filter(validSample));
    }
    return map;
  } catch {
    return new Map(); // no file yet, or a damaged one: start over
  }
}

function validSample(s: Sample | null | undefined): boolean {
  return Number.isFinite(s?.at) && Number.isFinite(s?.cpuTimeMs);
}

/**
 * Adds this snapshot's samples and forgets processes that no longer exist. Pure. `changed` is
 * false when there is nothing new to keep, so a run seconds after another writes nothing.
 */
export function updateHistory(history: History, snapshot: Snapshot): { history: Map<string, Sample[]>; changed: boolean } {
  const next = new Map<string, Sample[]>();
  let changed = false;
  for (const pid of snapshot.related.keys()) {
    const p = snapshot.processes.get(pid)!;
    if (p.cpuTimeMs === null) continue;
    const key = historyKey(pid, p.startId);
    const before = history.get(key) ?? [];
    const after = addSample(before, { at: snapshot.takenAt, cpuTimeMs: p.cpuTimeMs });
    if (after !== before) changed = true;
    next.set(key, after as Sample[]);
  }
  return { history: next, changed: changed || next.size !== history.size };
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
export function saveHistory(dir: string, history: History): void {
  replacePrivate(dir, FILE, JSON.stringify({ version: 1, samples: Object.fromEntries(history) }));
}
