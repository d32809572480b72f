// The desktop notification after a reap: one line a person reads at a glance.
import type { KillResult } from '../reap/execute.js';
import { formatBytes } from './format.js';
import { plural } from './summary.js';

export interface Notification {
  title: string;
  body: string;
}

/** "reaped 5 claude processes, freed 1.2 GB", or null when nothing was reaped (no notification). */
export function notificationOf(result: KillResult): Notification | null {
  const s = result.summary;
  const reaped = s.terminated + s.killed;
  if (reaped === 0) return null;
  return { title: 'claude-reaper', body: `reaped ${plural(reaped, ['claude process', 'claude processes'])}, freed ${formatBytes(s.freedRssBytes)}` };
}
