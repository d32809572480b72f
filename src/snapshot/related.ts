// Which processes belong in the report: claude itself, what it started (MCP servers, Bash-tool
// shells and what they ran, even after they were reparented), and the daemons that drive claude
// through the Agent SDK, with their children.
import { isAdopter } from '../classify/adopters.js';
import {
  basename,
  claudeArgs,
  claudeRole,
  isDesktopApp,
  isShell,
  isToolShell,
  looksLikeMcp,
  matchClaude,
  matchDaemon,
  matchPattern,
  mayMatchBuiltin,
  type ClaudeShape,
  type CommandPattern,
} from '../classify/match.js';
import type { DeclaredServer } from '../classify/declared-mcp.js';
import type { ClaudeMarkers, Match, ProcessRecord } from '../types.js';
import { claudeParent, declaredServer, parentGone, recallSeen, type Known } from './known.js';
import { ancestors, descendants } from './tree.js';

type Records = ReadonlyMap<number, ProcessRecord>;
type Children = ReadonlyMap<number, readonly number[]>;

/** What can be told from the process table alone, before any environment is read. */
export interface Seeds {
  claude: Map<number, ClaudeShape>;
  toolShells: Set<number>;
  daemons: Map<number, string>;
  /** Other agent CLIs named in the config. */
  agents: Map<number, string>;
}

export interface Patterns {
  daemons?: readonly CommandPattern[];
  agents?: readonly CommandPattern[];
}

export function findSeeds(records: Records, patterns: Patterns = {}): Seeds {
  const seeds: Seeds = { claude: new Map(), toolShells: new Set(), daemons: new Map(), agents: new Map() };
  const configured = (patterns.daemons?.length ?? 0) + (patterns.agents?.length ?? 0) > 0;
  for (const rec of records.values()) {
    if (!configured && !mayMatchBuiltin(rec)) continue;
    const shape = matchClaude(rec);
    if (shape) {
      seeds.claude.set(rec.pid, shape);
      continue;
    }
    if (isToolShell(rec.argv)) seeds.toolShells.add(rec.pid);
    const daemon = matchDaemon(rec.argv, patterns.daemons);
    if (daemon) seeds.daemons.set(rec.pid, daemon);
    const agent = matchPattern(rec.argv, patterns.agents ?? []);
    if (agent && !daemon) seeds.agents.set(rec.pid, agent);
  }
  return seeds;
}

/**
 * The pids whose environment is worth reading before deciding what is related: claude itself
 * (its entrypoint and config dir), what it started directly (MCP server or tool shell?), the
 * tool-shell and daemon seeds, and what init or a subreaper adopted that could be a leftover
 * helper: an MCP-looking command, a script runtime, a shell (a Bash-tool loop whose environment
 * alone names its claude), or anything whose session leader is gone (a Bash-tool job keeps the
 * session of the tool shell that started it, which has exited). Plain adopted daemons (sshd, cron)
 * lead sessions of their own and are not read: on a busy machine that would be most of the table.
 */
export function markerCandidates(records: Records, children: Children, seeds: Seeds, exclude: ReadonlySet<number>): number[] {
  const set = new Set<number>();
  for (const pid of seeds.claude.keys()) {
    set.add(pid);
    for (const c of children.get(pid) ?? []) set.add(c);
  }
  for (const pid of seeds.toolShells) set.add(pid);
  for (const pid of seeds.daemons.keys()) set.add(pid);
  for (const pid of seeds.agents.keys()) set.add(pid);
  for (const rec of records.values()) {
    if (set.has(rec.pid) || rec.ppid <= 0 || rec.ppid === 2 || rec.pid === 2) continue; // the kernel's own
    const parent = records.get(rec.ppid);
    // Gone, an adopter, or a newer process that only got the dead parent's pid (Windows). The tests
    // go cheapest first: most adopted processes are daemons that pass none of them.
    if ((!parent || isAdopter(parent) || parent.startTime > rec.startTime) && (leaderGone(rec, records) || isShell(rec) || runsScript(rec.argv) || looksLikeMcp(rec.argv))) set.add(rec.pid);
  }
  for (const pid of exclude) set.delete(pid);
  return [...set];
}

/** Its session's leader is gone: what a session left behind (daemons lead their own session). */
function leaderGone(rec: ProcessRecord, records: Records): boolean {
  return rec.sid !== null && rec.sid > 1 && rec.sid !== rec.pid && !records.has(rec.sid);
}

const RUNTIMES = /^(?:node|nodejs|bun|deno|npx|npm|pnpm|yarn|uv|uvx|python\d*(?:\.\d+)?|ruby|java|docker)(?:\.exe)?$/i;

/** Started through a script runtime or package runner, the way MCP servers and dev servers are. */
function runsScript(argv: readonly string[] | null): boolean {
  const argv0 = argv?.[0];
  return argv0 !== undefined && RUNTIMES.test(basename(argv0));
}

/** The claude-related processes, each with why it matched. */
export function relate(
  records: Records,
  children: Children,
  seeds: Seeds,
  markers: ReadonlyMap<number, ClaudeMarkers | null>,
  exclude: ReadonlySet<number>,
  known?: Known,
): Map<number, Match> {
  const related = new Map<number, Match>();
  const claudeOf = (pid: number): number | null => {
    for (const a of ancestors(pid, records)) if (related.get(a)?.kind === 'claude') return a;
    return null;
  };

  for (const [pid, shape] of seeds.claude) {
    if (exclude.has(pid)) continue;
    const role = claudeRole(claudeArgs(records.get(pid)!, shape.variant), markers.get(pid) ?? null);
    related.set(pid, { kind: 'claude', variant: shape.variant, role, owner: null, via: shape.via });
  }
  // A job of Claude's background daemon may run as its own process (`claude --session-id <uuid> …`)
  // under the daemon or a pty host, rather than in a claimed spare: it is a background session.
  for (const [pid, match] of related) {
    if (match.role === null || match.role.startsWith('bg-')) continue;
    const parentRole = related.get(records.get(pid)!.ppid)?.role;
    if (parentRole === 'bg-daemon' || parentRole === 'bg-pty-host') match.role = 'bg-session';
  }
  for (const [pid, name] of seeds.daemons) {
    if (!exclude.has(pid) && !related.has(pid)) related.set(pid, { kind: 'agent-daemon', variant: null, role: null, owner: null, via: `known agent daemon (${name})`, daemon: name });
  }
  for (const [pid, name] of seeds.agents) {
    if (!exclude.has(pid) && !related.has(pid)) related.set(pid, { kind: 'agent', variant: null, role: null, owner: null, via: `config pattern (${name})` });
  }
  // A process that keeps SDK-driven claude children is an agent daemon, whatever its name: the
  // parent they were born under (same session), not whatever adopted them after their own died.
  // Claude Desktop runs its Code sessions with the SDK's flags: the app is not an agent daemon.
  for (const [pid, match] of [...related]) {
    if (match.kind !== 'claude' || match.role !== 'sdk' || match.variant === 'desktop') continue;
    const child = records.get(pid)!;
    const parent = records.get(child.ppid);
    if (!parent || related.has(parent.pid) || exclude.has(parent.pid) || isAdopter(parent) || isShell(parent) || isDesktopApp(parent)) continue;
    if (parent.startTime > child.startTime) continue; // its parent's pid, reused (Windows)
    if (child.sid !== null && parent.sid !== null && child.sid !== parent.sid) continue;
    related.set(parent.pid, { kind: 'agent-daemon', variant: null, role: null, owner: null, via: `drives SDK claude ${pid}` });
  }
  // Leftovers found by their own marks: the Bash tool's signature, or Claude's environment markers.
  for (const rec of records.values()) {
    if (related.has(rec.pid) || exclude.has(rec.pid)) continue;
    const m = markers.get(rec.pid) ?? null;
    const found = markedLeftover(rec, m, seeds);
    if (found) related.set(rec.pid, { ...found, owner: found.owner ?? claudeOf(rec.pid) });
  }
  if (known) relateByWhatIsKnown(records, related, markers, exclude, known);
  // Everything below a related process belongs to it.
  for (const root of [...related.keys()]) {
    if (!children.has(root)) continue;
    for (const pid of descendants(root, children)) {
      if (related.has(pid) || exclude.has(pid)) continue;
      const rec = records.get(pid)!;
      const m = markers.get(pid) ?? null;
      const parentMatch = related.get(rec.ppid);
      const owner = claudeOf(pid) ?? (related.get(root)?.owner ?? root);
      related.set(pid, { ...descendantMatch(rec, m, parentMatch?.kind === 'claude'), owner });
    }
  }
  return related;
}

/**
 * Leftovers with no mark of their own, tied by what is known (see known.ts): earlier runs' view of
 * the same process, then, for those whose environment could not be read and whose parent is gone,
 * a claude parent an earlier run saw, or Claude's own MCP configuration.
 */
function relateByWhatIsKnown(records: Records, related: Map<number, Match>, markers: ReadonlyMap<number, ClaudeMarkers | null>, exclude: ReadonlySet<number>, known: Known): void {
  recallSeen(records, related, exclude, known);
  let servers: readonly DeclaredServer[] | null = null;
  const declared = () => {
    if (servers === null) {
      const mine = (pid: number) => known.configUid == null || records.get(pid)!.uid === null || records.get(pid)!.uid === known.configUid;
      const claudeArgs = [...related].filter(([pid, m]) => m.kind === 'claude' && mine(pid)).map(([pid]) => records.get(pid)!.argv ?? []);
      servers = known.declaredServers?.(claudeArgs) ?? [];
    }
    return servers;
  };
  for (const [pid, m] of markers) {
    if (m !== null || related.has(pid) || exclude.has(pid)) continue;
    const rec = records.get(pid);
    if (!rec || !parentGone(rec, records, known.reparent)) continue;
    const parent = claudeParent(rec, known);
    if (parent) {
      related.set(pid, { ...descendantMatch(rec, null, true), owner: parent.pid, via: parent.via });
      continue;
    }
    const server = declaredServer(rec, known, declared);
    if (server) related.set(pid, { ...UNSHAPED, kind: 'mcp-server', owner: null, via: server.via });
  }
}

/** What every match that is not claude itself carries. */
const UNSHAPED = { variant: null, role: null } as const;

function markedLeftover(rec: ProcessRecord, m: ClaudeMarkers | null, seeds: Seeds): Match | null {
  if (seeds.toolShells.has(rec.pid)) {
    return { ...UNSHAPED, kind: 'tool-shell', owner: m?.claudePid ?? null, via: "the Bash tool's signature on its command line" };
  }
  if (!m) return null;
  // The Bash tool's commands carry CLAUDE_PID as well as the session and messaging-socket markers
  // an MCP server has: CLAUDE_PID says the Bash tool ran it (unless its command line is an MCP
  // server's).
  if (m.claudePid !== undefined && !looksLikeMcp(rec.argv)) {
    const kind = isShell(rec) ? 'tool-shell' : 'child';
    return { ...UNSHAPED, kind, owner: m.claudePid, via: 'CLAUDE_PID in its environment' };
  }
  const socketOwner = m.messagingSocket ? ownerFromSocket(m.messagingSocket) : null;
  if (!isShell(rec) && (m.messagingSocket || m.sessionId)) {
    return { ...UNSHAPED, kind: 'mcp-server', owner: socketOwner ?? m.claudePid ?? null, via: "Claude's MCP markers in its environment" };
  }
  return null;
}

function descendantMatch(rec: ProcessRecord, m: ClaudeMarkers | null, parentIsClaude: boolean): Omit<Match, 'owner'> {
  if (isToolShell(rec.argv)) return { ...UNSHAPED, kind: 'tool-shell', via: "the Bash tool's signature on its command line" };
  // Before the shell test: on Windows an MCP server run through npx starts as `cmd.exe /c npx …`.
  if (parentIsClaude && looksLikeMcp(rec.argv)) return { ...UNSHAPED, kind: 'mcp-server', via: 'started by claude, MCP-like command line' };
  if (parentIsClaude && isShell(rec)) return { ...UNSHAPED, kind: 'tool-shell', via: 'a shell started by claude' };
  if (m?.claudePid === undefined && (m?.messagingSocket || (m?.sessionId && !isShell(rec)))) return { ...UNSHAPED, kind: 'mcp-server', via: "Claude's MCP markers in its environment" };
  return { ...UNSHAPED, kind: 'child', via: 'a descendant' };
}

/** `…/cc-socks/<claude pid>.sock` names the claude an MCP server belongs to. */
function ownerFromSocket(path: string): number | null {
  const m = /(\d+)\.sock$/.exec(path);
  return m ? Number(m[1]) : null;
}
