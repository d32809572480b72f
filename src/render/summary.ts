// The one-line summary under the table: what was found, and what reaping would free.
import type { ScanDocument } from '../report.js';
import type { ProcessKind } from '../types.js';
import { formatBytes } from './format.js';

const KIND_WORDS: Record<ProcessKind, [string, string]> = {
  claude: ['claude', 'claude'],
  'mcp-server': ['MCP server', 'MCP servers'],
  'tool-shell': ['tool shell', 'tool shells'],
  'agent-daemon': ['agent daemon', 'agent daemons'],
  child: ['other child', 'other children'],
};

export function plural(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(doc: ScanDocument): string {
  const s = doc.summary;
  if (s.processes === 0) return 'No claude-related processes.';
  const kinds = (Object.keys(KIND_WORDS) as ProcessKind[])
    .filter((k) => s.byKind[k])
    .map((k) => plural(s.byKind[k]!, KIND_WORDS[k]));
  let line = `${plural(s.processes, ['claude-related process', 'claude-related processes'])} (${kinds.join(', ')}), ${formatBytes(s.rssBytes)} RSS`;
  if (s.reapable > 0) {
    const flags = Object.entries(s.byFlag).map(([f, n]) => `${n} ${f}`).join(', ');
    line += `; ${s.reapable} leaked, ${formatBytes(s.reclaimableRssBytes)} (${flags})`;
  } else if (s.flagged > 0) {
    line += `; ${s.flagged} flagged, none reapable`;
  }
  if (s.protected > 0) line += `; ${s.protected} protected`;
  return `${line}.`;
}
