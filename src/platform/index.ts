// Picks the data source: one table of sources, one chain per platform for `auto`, each falling
// back to the next when it cannot read the table. `process.platform` is looked at here and in the
// signal sender, nowhere else.
import { existsSync } from 'node:fs';
import { PlatformError, UsageError } from '../errors.js';
import type { SourceId } from '../types.js';
import { createCimSource } from './cim.js';
import { createProcfsSource } from './procfs.js';
import { createPsSource } from './ps.js';
import type { ProcessSource } from './source.js';
import { createWmicSource } from './wmic.js';

export type SourceChoice = 'auto' | SourceId;
export const SOURCE_CHOICES: readonly SourceChoice[] = ['auto', 'procfs', 'ps', 'cim', 'wmic'];

const FACTORIES: Record<SourceId, () => ProcessSource> = {
  procfs: () => createProcfsSource(),
  ps: () => createPsSource(),
  cim: () => createCimSource(),
  wmic: () => createWmicSource(),
};

/**
 * What `auto` tries, in order. Linux: /proc, else ps (a container without /proc mounted).
 * macOS and the BSDs: ps. Windows: PowerShell CIM, else wmic where PowerShell is blocked (wmic
 * itself is gone from current Windows 11).
 */
export const AUTO_CHAIN: Readonly<Partial<Record<NodeJS.Platform, readonly SourceId[]>>> = {
  linux: ['procfs', 'ps'],
  android: ['procfs', 'ps'],
  darwin: ['ps'],
  freebsd: ['ps'],
  openbsd: ['ps'],
  win32: ['cim', 'wmic'],
};

export function openSource(choice: SourceChoice = 'auto', platform: NodeJS.Platform = process.platform): ProcessSource {
  if (choice !== 'auto') {
    if (!(choice in FACTORIES)) throw new UsageError(`unknown source '${choice}': expected one of ${SOURCE_CHOICES.join(', ')}`);
    if (choice === 'procfs' && !procMounted()) throw new PlatformError('cannot read the process table: /proc is not mounted');
    return FACTORIES[choice]();
  }
  const chain = (AUTO_CHAIN[platform] ?? ['ps']).filter((id) => id !== 'procfs' || procMounted());
  if (chain.length === 0) throw new PlatformError('cannot read the process table: /proc is not mounted');
  return chain.map((id) => FACTORIES[id]()).reduceRight((next, source) => withFallback(source, next));
}

function procMounted(): boolean {
  return existsSync('/proc/self/stat');
}

/**
 * A source that answers with `primary` unless listing with it fails outright, and then with
 * `secondary` from that call on. Only the listing falls back: once a source has read the table,
 * its own pids and start tokens are what every later call must use.
 */
export function withFallback(primary: ProcessSource, secondary: ProcessSource): ProcessSource {
  let chosen: ProcessSource | null = null;
  const active = () => chosen ?? primary;
  return {
    get id() {
      return active().id;
    },
    get reparent() {
      return active().reparent;
    },
    async list(opts) {
      if (chosen) return chosen.list(opts);
      try {
        const listing = await primary.list(opts);
        chosen = primary;
        return listing;
      } catch (err) {
        if (!(err instanceof PlatformError)) throw err;
        chosen = secondary;
        try {
          return await secondary.list(opts);
        } catch (second) {
          throw second instanceof PlatformError ? bothFailed(err, second) : second;
        }
      }
    },
    details: (pids, records, opts) => active().details(pids, records, opts),
    // Optional on the sources: a source without it reads no sockets, and the rules go without.
    sockets: async (requests) => (await active().sockets?.(requests)) ?? new Map(),
    readCpu: (pids) => active().readCpu(pids),
    identify: (pid) => active().identify(pid),
  };
}

/**
 * One error for a chain where every source failed, the first one's reason first: on Windows 11
 * 24H2 and later "wmic is not installed" is the normal answer, and PowerShell's reason is the one
 * that says what went wrong. `cannot read the process table: A; B` rather than the prefix twice.
 */
function bothFailed(first: PlatformError, second: PlatformError): PlatformError {
  const prefix = /^[^:]*: /.exec(first.message)?.[0];
  const rest = prefix && second.message.startsWith(prefix) ? second.message.slice(prefix.length) : second.message;
  return new PlatformError(`${first.message}; then ${rest}`);
}
