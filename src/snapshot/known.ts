// What ties a leftover to its claude when the leftover itself carries no mark of it: Windows gives
// no environments, and an MCP server started as `cmd.exe /c npx …` says nothing of claude; macOS
// shows no environment for its own shells (the orphaned /bin/zsh of anthropics/claude-code#89625).
// Strongest first:
//   1. an earlier run listed this very process (same pid and start time) as claude's helper;
//   2. on Windows, which never reparents, its parent pid was a claude that an earlier run saw
//      alive after this process had started: that claude started it (the pid cannot have been
//      reused while that claude still held it);
//   3. its command line is, word for word, an MCP server Claude's configuration declares, and its
//      parent is gone.
// The history keys processes by pid and start time, so a reused pid is never taken for the one an
// earlier run saw. Pure, but for the configuration, read through `declaredServers` on first use.
import { isAdopter } from '../classify/adopters.js';
import { matchDeclared, type DeclaredServer } from '../classify/declared-mcp.js';
import { looksLikeMcp } from '../classify/match.js';
import { windowsParentGone } from '../platform/windows-orphan.js';
import { historyKey, type History, type SeenMap } from '../state/history.js';
import type { Match, ProcessKind, ProcessRecord, ReparentModel } from '../types.js';

export interface Known {
  reparent: ReparentModel;
  /** What earlier runs took each process for. */
  seen: SeenMap;
  /** Earlier runs' samples: when each process was last seen. */
  samples: History;
  /**
   * The MCP servers Claude's configuration declares, given the live claudes' arguments (their
   * `--mcp-config`); asked for only when a process needs them.
   */
  declaredServers?: (claudeArgs: readonly (readonly string[])[]) => readonly DeclaredServer[];
  /** Whose configuration that is: only that user's processes are matched against it (null: any, as on Windows). */
  configUid?: number | null;
}

type Records = ReadonlyMap<number, ProcessRecord>;

const NOUNS: Partial<Record<ProcessKind, string>> = { 'mcp-server': 'an MCP server', 'tool-shell': 'a Bash-tool shell' };
/** Helpers whose earlier tie is kept: what claude starts. A daemon's other children are not claude's. */
const RECALLED: ReadonlySet<ProcessKind> = new Set(['mcp-server', 'tool-shell', 'child']);

/**
 * Processes an earlier run listed as claude's helpers, by identity: restored where nothing ties
 * them any more, and given the owner it saw where their match today has none (a tool shell found
 * by its signature alone).
 */
export function recallSeen(records: Records, related: Map<number, Match>, exclude: ReadonlySet<number>, known: Known): void {
  for (const [key, seen] of known.seen) {
    const pid = Number(key.slice(0, key.indexOf(':')));
    const rec = records.get(pid);
    if (!rec || exclude.has(pid) || historyKey(pid, rec.startId) !== key) continue;
    const now = related.get(pid);
    if (now) {
      if (now.owner === null && seen.owner !== null && now.kind === seen.kind && seen.ownerIsClaude) now.owner = seen.owner;
      continue;
    }
    if (!RECALLED.has(seen.kind) || (seen.kind === 'child' && !seen.ownerIsClaude)) continue;
    const claude = seen.owner === null ? 'claude' : `claude ${seen.owner}`;
    const what =
      seen.kind !== 'child' ? `${NOUNS[seen.kind]} of ${claude}`
      : seen.bashTool ? `a command the Bash tool of ${claude} started`
      : `a process ${seen.owner === null ? "claude's" : `${claude}'s`} tree started`;
    related.set(pid, { kind: seen.kind, variant: null, role: null, owner: seen.owner, via: `an earlier run saw it as ${what} (same pid and start time)`, ...(seen.bashTool ? { bashTool: true } : {}) });
  }
}

/** Its parent is gone: reparented (POSIX), or its parent pid names nothing, or a newer process (Windows). */
export function parentGone(rec: ProcessRecord, records: Records, reparent: ReparentModel): boolean {
  if (reparent === 'windows') return windowsParentGone(rec, records);
  const parent = records.get(rec.ppid);
  return !parent || isAdopter(parent) || parent.startTime > rec.startTime;
}

/**
 * On Windows: the claude its parent pid named, when an earlier run saw that claude (by pid and
 * start time) started before this process and still alive after this process started. Null
 * otherwise: a claude last seen before this process started may have exited and left its pid to
 * whatever started this one.
 */
export function claudeParent(rec: ProcessRecord, known: Known): { pid: number; via: string } | null {
  if (known.reparent !== 'windows') return null;
  const prefix = `${rec.ppid}:`;
  for (const [key, seen] of known.seen) {
    if (seen.kind !== 'claude' || !key.startsWith(prefix) || seen.startTime > rec.startTime) continue;
    const last = known.samples.get(key)?.at(-1)?.at;
    if (last === undefined || last < rec.startTime) continue;
    return { pid: rec.ppid, via: `its parent ${rec.ppid} was claude (an earlier run saw that claude, same start time, alive after this process started)` };
  }
  return null;
}

/** The MCP server Claude's configuration declares that this command line is, word for word. */
export function declaredServer(rec: ProcessRecord, known: Known, servers: () => readonly DeclaredServer[]): { via: string } | null {
  if (!rec.argv) return null;
  // Another user's process runs another user's servers; and a bare program (a lone shell, the
  // orphaned /bin/zsh of #89625) cannot be told from any declaration: neither is worth a read.
  if (known.configUid != null && rec.uid !== null && rec.uid !== known.configUid) return null;
  if (rec.argv.length < 2 && !looksLikeMcp(rec.argv)) return null;
  const server = matchDeclared(rec.argv, servers());
  return server && { via: `MCP server '${server.name}' as declared in ${server.source}, word for word; its parent ${rec.ppid} is gone` };
}
