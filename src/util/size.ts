import { UsageError } from '../errors.js';

// Decimal units like the sizes the report prints (195 MB = 195,000,000 bytes); the binary ones
// for those who mean them.
const UNITS: Record<string, number> = {
  b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** `500MB`, `1.5G`, `512MiB` -> bytes. A bare number is refused: bytes or megabytes? */
export function parseSize(text: string, what = 'size'): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`invalid ${what} '${text}': expected a number with a unit, like 500MB, 1.5GB or 512MiB`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes <= 0) throw new UsageError(`invalid ${what} '${text}': must be greater than zero`);
  return bytes;
}

/** `123`, `123,456` -> pids; anything else is a usage error. */
export function parsePids(values: readonly string[]): number[] {
  const pids: number[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const t = part.trim();
      if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t)) || Number(t) <= 0) throw new UsageError(`invalid --pid '${part}': expected a process id (a positive whole number)`);
      pids.push(Number(t));
    }
  }
  return [...new Set(pids)];
}
