// Which data source a scan uses here, whether it read the table, and what it would fall back to.
import { PlatformError } from '../errors.js';
import { AUTO_CHAIN, openSource, type SourceChoice } from '../platform/index.js';
import { sourceUnavailable, type ProbeOptions } from '../platform/doctor.js';
import type { SourceId } from '../types.js';
import { check, type Check } from './check.js';

const FIXES: Record<SourceId, string> = {
  procfs: 'mount /proc (mount -t proc proc /proc), or let the scan use ps (install procps)',
  ps: 'install ps (Debian: procps) or put it on PATH',
  cim: 'allow Windows PowerShell (powershell.exe), or install PowerShell 7 (pwsh)',
  wmic: 'use PowerShell (the cim source); wmic is gone from current Windows 11',
};

export async function sourceCheck(choice: SourceChoice, platform: NodeJS.Platform, probe: ProbeOptions): Promise<Check> {
  const chain: SourceId[] = choice === 'auto' ? [...(AUTO_CHAIN[platform] ?? ['ps'])] : [choice];
  const fallbacks = chain.map((id) => ({ id, unavailable: sourceUnavailable(id, probe) }));
  const facts: Record<string, unknown> = { choice, chain, inUse: null, processes: null, fieldsDenied: null, fallbacks };
  try {
    const source = openSource(choice, platform);
    const listing = await source.list({ sampleMs: 0 });
    Object.assign(facts, { inUse: source.id, processes: listing.records.size, fieldsDenied: listing.denied.size });
    const others = fallbacks.filter((f) => f.id !== source.id).map((f) => `${f.id}${f.unavailable ? ` (${f.unavailable})` : ''}`);
    const denied = listing.denied.size > 0 ? `; fields of ${listing.denied.size} could not be read` : '';
    const first = chain[0] !== source.id ? ` (${chain[0]} failed: ${fallbacks[0]!.unavailable ?? 'it could not list'})` : '';
    return check('source', first ? 'limit' : 'ok', `${source.id} read ${listing.records.size} processes${first}${denied}${others.length > 0 ? `; fallback: ${others.join(', ')}` : ''}`, facts, first ? FIXES[chain[0]!] : null);
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    const last = chain.at(-1)!;
    return check('source', 'limit', err.message, facts, FIXES[last]);
  }
}
