// Picks the data source. `process.platform` is looked at here and in the signal sender, nowhere
// else.
import { existsSync } from 'node:fs';
import { PlatformError, UsageError } from '../errors.js';
import type { SourceId } from '../types.js';
import { createProcfsSource } from './procfs.js';
import type { ProcessSource } from './source.js';

export type SourceChoice = 'auto' | SourceId;
export const SOURCE_CHOICES: readonly SourceChoice[] = ['auto', 'procfs'];

const FACTORIES: Record<string, () => ProcessSource> = {
  procfs: () => createProcfsSource(),
};

/** What `auto` tries, in order, per platform. */
const AUTO: Partial<Record<NodeJS.Platform, SourceId[]>> = {
  linux: ['procfs'],
};

function available(id: SourceId): boolean {
  if (id === 'procfs') return existsSync('/proc/self/stat');
  return true;
}

export function openSource(choice: SourceChoice = 'auto'): ProcessSource {
  if (choice !== 'auto') {
    const factory = FACTORIES[choice];
    if (!factory) throw new UsageError(`unknown source '${choice}': expected one of ${SOURCE_CHOICES.join(', ')}`);
    if (!available(choice)) throw new PlatformError(`cannot read the process table: the ${choice} source is not available here`);
    return factory();
  }
  const chain = AUTO[process.platform] ?? [];
  for (const id of chain) if (available(id)) return FACTORIES[id]!();
  if (process.platform === 'linux') {
    throw new PlatformError('cannot read the process table: /proc is not mounted');
  }
  throw new PlatformError(`cannot read the process table: no source for platform '${process.platform}'`);
}
