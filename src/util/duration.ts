import { UsageError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

// One or more `<number><unit>` parts, largest unit first: `2m`, `1m30s`, `1.5h`, `500ms`.
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const ORDER: Unit[] = ['d', 'h', 'm', 's', 'ms'];

/**
 * Parses a duration strictly. A bare number is refused (is `10` seconds or milliseconds?), and so
 * are negatives, unknown units and units out of order (`30s1m`). `0` alone is accepted where the
 * caller allows it (`--sample 0` turns sampling off).
 */
export function parseDuration(text: string, what = 'duration', opts: { allowZero?: boolean } = {}): number {
  const input = text.trim();
  if (opts.allowZero && input === '0') return 0;
  if (!WHOLE.test(input)) {
    throw new UsageError(
      `invalid ${what} '${text}': expected a number with a unit (ms, s, m, h, d), like 500ms, 30s, 2m or 1m30s`,
    );
  }
  let total = 0;
  let last = -1;
  for (const [, value, unit] of input.matchAll(PART)) {
    const rank = ORDER.indexOf(unit as Unit);
    if (rank <= last) throw new UsageError(`invalid ${what} '${text}': units must go from largest to smallest, once each`);
    last = rank;
    total += Number(value) * UNIT_MS[unit as Unit];
  }
  if (total <= 0 && !opts.allowZero) throw new UsageError(`invalid ${what} '${text}': must be greater than zero`);
  return Math.round(total);
}
