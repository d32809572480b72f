// Gauges from one scan: what runs, what is flagged, what leaked, what is protected. Raw numbers.
import { RULES } from '../classify/registry.js';
import type { ProcessReport, ProtectionId } from '../report.js';
import type { ClaudeRole, ProcessKind } from '../types.js';
import { tally, type MetricFamily } from './family.js';

// Records, so that a kind, role or protection added to the types must be added here too.
const KINDS: Record<ProcessKind, null> = { claude: null, 'mcp-server': null, 'tool-shell': null, 'agent-daemon': null, agent: null, child: null };
const ROLES: Record<ClaudeRole, null> = { sdk: null, print: null, interactive: null, 'bg-daemon': null, 'bg-pty-host': null, 'bg-spare': null, 'bg-session': null };
const PROTECTIONS: Record<ProtectionId, null> = { self: null, ancestor: null, 'live-tty': null, 'background-agent': null, 'background-session': null, 'desktop-session': null, 'other-user': null, config: null };

/** Only claude processes have a role; the other kinds get this one. */
export const NO_ROLE = 'none';
export const FLAG_IDS: readonly string[] = RULES.map((r) => r.id);

/** Every kind/role pair a scan can report, so each has a series from the first scrape. */
const KIND_ROLES: readonly string[] = (Object.keys(KINDS) as ProcessKind[]).flatMap((k) =>
  k === 'claude' ? Object.keys(ROLES).map((r) => `${k}/${r}`) : [`${k}/${NO_ROLE}`],
);

export function scanGauges(processes: readonly ProcessReport[]): MetricFamily[] {
  const leaked = processes.filter((p) => p.reapable);
  const flagLabel = (flag: string) => ({ flag });
  return [
    tally(
      { name: 'claude_reaper_processes', type: 'gauge', unit: null, help: 'Claude-related processes, by kind and (for claude itself) role.' },
      KIND_ROLES,
      (key) => {
        const [kind, role] = key.split('/') as [string, string];
        return { kind, role };
      },
      (add) => processes.forEach((p) => add(`${p.kind}/${p.role ?? NO_ROLE}`, 1)),
    ),
    tally(
      { name: 'claude_reaper_rss_bytes', type: 'gauge', unit: 'bytes', help: 'Resident memory of the claude-related processes, by kind.' },
      Object.keys(KINDS),
      (kind) => ({ kind }),
      (add) => processes.forEach((p) => add(p.kind, p.rssBytes ?? 0)),
    ),
    tally(
      { name: 'claude_reaper_flagged_processes', type: 'gauge', unit: null, help: 'Processes carrying each flag (a process may carry several).' },
      FLAG_IDS,
      flagLabel,
      (add) => processes.forEach((p) => p.flags.forEach((f) => add(f, 1))),
    ),
    tally(
      { name: 'claude_reaper_flagged_rss_bytes', type: 'gauge', unit: 'bytes', help: 'Resident memory of the processes carrying each flag.' },
      FLAG_IDS,
      flagLabel,
      (add) => processes.forEach((p) => p.flags.forEach((f) => add(f, p.rssBytes ?? 0))),
    ),
    gauge('claude_reaper_leaked_processes', null, 'Leaked processes: flagged reapable and not protected (what kill would reap).', leaked.length),
    gauge('claude_reaper_leaked_rss_bytes', 'bytes', 'Resident memory of the leaked processes: what reaping them would free.', leaked.reduce((n, p) => n + (p.rssBytes ?? 0), 0)),
    tally(
      { name: 'claude_reaper_protected_processes', type: 'gauge', unit: null, help: 'Processes kept whatever their flags, by the reason they are protected.' },
      Object.keys(PROTECTIONS),
      (reason) => ({ reason }),
      (add) => {
        for (const p of processes) if (p.protection) add(p.protection.id, 1);
      },
    ),
  ];
}

export function gauge(name: string, unit: MetricFamily['unit'], help: string, value: number): MetricFamily {
  return { name, type: 'gauge', unit, help, samples: [{ labels: {}, value }] };
}
