// The guard's registry: one small file per run of a daemon, `<state dir>/sdk-guards/<name>/<pid>.json`,
// naming the run (its pid and start token) and every claude child it started that still runs, with
// the start token the CLI uses as identity. Written atomically (a private temp file, then rename),
// 600 in a 700 directory: it names the user's processes. One file per run, so two live copies of
// one daemon never write the same file, and a new run can tell a dead run's children (reaped)
// from a live one's (left alone).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, replacePrivate } from '../state/private.js';

export const REGISTRY_VERSION = 1;

export interface ProcessIdentity {
  pid: number;
  startId: string;
}

export interface RegistryChild extends ProcessIdentity {
  /** epoch ms */
  spawnedAt: number;
}

export interface Registry {
  registryVersion: typeof REGISTRY_VERSION;
  guard: string;
  owner: ProcessIdentity;
  children: RegistryChild[];
}

export function registryFile(owner: Pick<ProcessIdentity, 'pid'>): string {
  return `${owner.pid}.json`;
}

export function writeRegistry(dir: string, registry: Registry): void {
  ensurePrivateDir(dirname(dirname(dir))); // the state dir itself
  ensurePrivateDir(dirname(dir));
  replacePrivate(dir, registryFile(registry.owner), `${JSON.stringify(registry)}\n`);
}

export function removeRegistry(dir: string, owner: Pick<ProcessIdentity, 'pid'>): void {
  rmSync(join(dir, registryFile(owner)), { force: true });
}

/** Every run's registry under the guard's directory; a file that does not parse is skipped. */
export function readRegistries(dir: string, name: string): Registry[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return []; // no run of this name yet
  }
  const out: Registry[] = [];
  for (const file of files) {
    if (!/^\d+\.json$/.test(file)) continue; // temp files of a write in progress, anything else
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const registry = parseRegistry(text, name);
    if (registry && registryFile(registry.owner) === file) out.push(registry);
  }
  return out;
}

/** The registry in `text`, or null when it is not one of ours for this guard name. Pure. */
export function parseRegistry(text: string, name: string): Registry | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const r = data as Partial<Registry>;
  if (r.registryVersion !== REGISTRY_VERSION || r.guard !== name || !isIdentity(r.owner) || !Array.isArray(r.children)) return null;
  const children = r.children.filter((c): c is RegistryChild => isIdentity(c) && Number.isFinite((c as RegistryChild).spawnedAt));
  return { registryVersion: REGISTRY_VERSION, guard: name, owner: { pid: r.owner.pid, startId: r.owner.startId }, children };
}

function isIdentity(v: unknown): v is ProcessIdentity {
  const p = v as ProcessIdentity | null;
  return !!p && Number.isSafeInteger(p.pid) && p.pid > 0 && typeof p.startId === 'string' && p.startId !== '';
}
