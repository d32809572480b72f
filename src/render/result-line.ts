// The one-line summary of a kill, without colour: also what the hook and watch logs say.
import type { KillResult } from '../reap/execute.js';
import { formatBytes } from './format.js';
import { plural } from './summary.js';

/** "reaped 7 processes, freed 1.4 GB" and what did not go to plan. */
export function resultLine(result: KillResult): string {
  const s = result.summary;
  const reaped = s.terminated + s.killed;
  let line = `reaped ${plural(reaped, ['process', 'processes'])}, freed ${formatBytes(s.freedRssBytes)}`;
  const extra = (['gone', 'pid-reused', 'denied', 'survived', 'unkillable', 'refused'] as const).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`);
  if (s.killed > 0) extra.unshift(`${s.killed} needed SIGKILL`);
  if (extra.length > 0) line += ` (${extra.join(', ')})`;
  return `${line}.`;
}
