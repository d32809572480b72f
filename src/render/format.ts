// Formatting of raw numbers for people. The model keeps milliseconds and bytes; only this file
// turns them into `1d2h` and `1.4 GB`.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `45s`, `12m`, `3h05m`, `2d4h`: two units at most, the way people read ages. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m${pad(Math.floor((ms % MINUTE) / SECOND))}s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h${pad(Math.floor((ms % HOUR) / MINUTE))}m`;
  return `${Math.floor(ms / DAY)}d${Math.floor((ms % DAY) / HOUR)}h`;
}

/** Durations given by the user, echoed back: `2m`, `1m30s`, `500ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  if (ms < SECOND) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/** Decimal units, one decimal place from MB up: `512 KB`, `195 MB`, `1.4 GB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '-';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  const digits = value >= 100 || i === 0 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[i]}`;
}

export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '-';
  if (value > 0 && value < 0.1) return '<0.1';
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Cuts to n columns with an ellipsis, so a long command never wraps the layout. */
export function cut(text: string, n: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= n ? flat : `${flat.slice(0, Math.max(0, n - 1))}…`;
}
