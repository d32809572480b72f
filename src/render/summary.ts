// The one-line summary under the table: what was found, and what reaping would free.
import { RULES } from '../classify/registry.js';
import type { ScanDocument } from '../report.js';
import type { ProcessKind } from '../types.js';
import { formatBytes } from './format.js';

const KIND_WORDS: Record<ProcessKind, [string, string]> = {
  claude: ['claude', 'claude'],
  'mcp-server': ['MCP server', 'MCP servers'],
  'tool-shell': ['tool shell', 'tool shells'],
  'agent-daemon': ['agent daemon', 'agent daemons'],
  agent: ['other agent', 'other agents'],
  child: ['other child', 'other children'],
};

export function plural(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Each leaked process counted once, by its first reapable flag in registry order. */
function leakKinds(doc: ScanDocument): string {
  const counts = new Map<string, number>();
  for (const p of doc.processes) {
    if (!p.reapable) continue;
    const primary = RULES.find((r) => r.reapable && p.flags.includes(r.id))?.id ?? 'other';
    counts.set(primary, (counts.get(primary) ?? 0) + 1);
  }
  return [...counts].map(([flag, n]) => `${n} ${flag}`).join(', ');
}

export function summaryLine(doc: ScanDocument): string {
  const s = doc.summary;
  if (s.processes === 0) return 'No claude-related processes.';
  const kinds = (Object.keys(KIND_WORDS) as ProcessKind[])
    .filter((k) => s.byKind[k])
    .map((k) => plural(s.byKind[k]!, KIND_WORDS[k]));
  let line = `${plural(s.processes, ['claude-related process', 'claude-related processes'])} (${kinds.join(', ')}), ${formatBytes(s.rssBytes)} RSS`;
  if (s.reapable > 0) {
    line += `; ${s.reapable} leaked, ${formatBytes(s.reclaimableRssBytes)} (${leakKinds(doc)})`;
  } else if (s.flagged > 0) {
    line += `; ${s.flagged} flagged, none reapable`;
  }
  if (s.protected > 0) line += `; ${s.protected} protected`;
  return `${line}.`;
}
