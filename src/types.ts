// The shared vocabulary: raw process records, the snapshot built from them, and the report the
// classifier makes of it. Every field holds a raw value (bytes, milliseconds, counts); only render/
// formats. A value the platform cannot give is `null`, never 0 and never guessed.

/** The data sources, named after where the data comes from (as pidusage names its adapters). */
export type SourceId = 'procfs' | 'ps' | 'cim' | 'wmic';

/** How a platform treats a process whose parent exits: POSIX reparents, Windows never does. */
export type ReparentModel = 'posix' | 'windows';

/** One process, as read from the OS. */
export interface ProcessRecord {
  pid: number;
  ppid: number;
  /** Process group and session; null where the platform has none (Windows). */
  pgid: number | null;
  sid: number | null;
  uid: number | null;
  user: string | null;
  /** The kernel's short name (Linux comm, macOS ucomm, Windows image name). */
  name: string;
  /** Resolved executable path; null when denied or unknown. */
  exe: string | null;
  /** Arguments as the process sees them; null when they cannot be read (Windows, elevated). */
  argv: string[] | null;
  /** Start time, epoch milliseconds (for display and ordering). */
  startTime: number;
  /**
   * The exact start token that, with the pid, is the process's identity: Linux starttime in clock
   * ticks since boot, macOS `lstart`, Windows CreationDate. Compared as strings, never parsed.
   */
  startId: string;
  elapsedMs: number;
  /** User + system CPU time. */
  cpuTimeMs: number | null;
  rssBytes: number | null;
  /** Controlling terminal name (`pts/3`, `ttys004`), or null when there is none. */
  tty: string | null;
  /** Foreground process group of the controlling terminal (Linux `tpgid`), where known. */
  tpgid: number | null;
  /** One-letter state (`R`, `S`, `Z`, ...), where the platform has one. */
  state: string | null;
  threads: number | null;
  /** Open file descriptors (Windows: handle count). Null when denied or not read. */
  fdCount: number | null;
  cwd: string | null;
}

/** Environment variables Claude Code puts on what it starts; read for candidates only. */
export interface ClaudeMarkers {
  /** `CLAUDECODE=1`: started by Claude Code (tool shells, MCP servers, hooks). */
  claudeCode?: boolean;
  /** `CLAUDE_CODE_ENTRYPOINT`: `cli`, `sdk-ts`, `sdk-py`, ... */
  entrypoint?: string;
  sdkVersion?: string;
  configDir?: string;
  /** `CLAUDE_PID`: the claude that ran this Bash-tool shell. */
  claudePid?: number;
  sessionId?: string;
  /** `CLAUDE_CODE_MESSAGING_SOCKET`: `…/cc-socks/<claude pid>.sock` on MCP servers. */
  messagingSocket?: string;
  /**
   * `HOME`, not Claude's own but where a claude without CLAUDE_CONFIG_DIR keeps its config
   * (`$HOME/.claude`: its home directory is HOME first, the passwd entry only without one). A
   * daemon may give its claude a HOME of its own.
   */
  home?: string;
}

/** Claude Code's own record of a live process: `$CLAUDE_CONFIG_DIR/sessions/<pid>.json`. */
export interface SessionRecord {
  path: string;
  sessionId: string | null;
  cwd: string | null;
  entrypoint: string | null;
  kind: string | null;
  /** A background session's job id (`claude stop <jobId>` ends it). */
  jobId: string | null;
  version: string | null;
  /** `idle`, `busy`, `waiting`, ... as Claude wrote it. */
  status: string | null;
  /** When the status last changed, epoch ms (`statusUpdatedAt`, else `updatedAt`). */
  statusSince: number | null;
  startedAt: number | null;
}

/**
 * What the end of a session's transcript says (see snapshot/transcript.ts); `not-read` where Claude's
 * record settles it (idle, with nothing written since; busy for less than the hung threshold) and
 * only the file's time was taken.
 */
export type TranscriptState = 'turn-over' | 'request-outstanding' | 'tool-running' | 'responding' | 'unknown' | 'not-read';

/** Claude Code's transcript of the session: `$CLAUDE_CONFIG_DIR/projects/<cwd>/<sessionId>.jsonl`. */
export interface TranscriptInfo {
  path: string;
  state: TranscriptState;
  /**
   * When that state began, epoch ms: the turn's end (its last entry), the first unanswered request,
   * the tool call, or the reply's first block. Null when the entry has no time.
   */
  since: number | null;
  /** The newest sign of life: the latest entry's time or the file's modification time. */
  lastActivity: number | null;
  /** api-request entries since the last answer (the CLI re-sends an unanswered one every ~6 minutes). */
  unansweredRequests: number;
}

/**
 * Socket facts for a candidate, where the platform lets us read them (Linux). The TCP facts are
 * null where only the stdio sockets were read (a process too young for the rules that use them).
 */
export interface SocketInfo {
  /** ESTABLISHED TCP connections to a non-loopback peer (an API call in flight). */
  remoteTcp: number | null;
  /** ESTABLISHED TCP connections of any kind. */
  tcpEstablished: number | null;
  /** Listening TCP ports. */
  listeningPorts: number[] | null;
  /** stdio (fd 0-2) unix sockets whose peer is gone. */
  deadStdioPeers: number;
  /** stdio (fd 0-2) unix sockets. */
  stdioSockets: number;
}

/** What shape of Claude binary is running. */
export type ClaudeVariant =
  | 'native' // the native binary: `claude`, `claude.exe`, or `…/claude/versions/<semver>`
  | 'sdk-bundled' // the Agent SDK's bundled binary `…/claude-agent-sdk-<platform>/claude`
  | 'npm-cli' // node running `@anthropic-ai/claude-code/cli.js`
  | 'title-only' // node whose title overwrote argv: cmdline is just `claude`
  | 'desktop'; // Claude Desktop's bundled CLI

/**
 * How the claude process is used. Claude's background agents (`claude --bg`) run as a daemon
 * (`claude daemon run`), pty hosts (`claude bg-pty-host`), spares waiting to be claimed (`claude
 * bg-spare`) and the sessions that claimed one (or run as their own `--session-id` process).
 */
export type ClaudeRole = 'sdk' | 'print' | 'interactive' | 'bg-daemon' | 'bg-pty-host' | 'bg-spare' | 'bg-session';

/** Why a process is in the report at all. */
export type ProcessKind =
  | 'claude' // a Claude Code process
  | 'mcp-server' // an MCP server started by claude
  | 'tool-shell' // a Bash-tool shell (or what is left of one)
  | 'agent-daemon' // a daemon that drives claude through the SDK
  | 'agent' // another agent CLI named in the config (codex, opencode, ...)
  | 'child'; // anything else started by one of the above

export interface Match {
  kind: ProcessKind;
  variant: ClaudeVariant | null;
  role: ClaudeRole | null;
  /** For related processes: the claude (or daemon) pid they belong to, where known. */
  owner: number | null;
  /** Human words for how the match was made (`exe under …/versions/`, `CLAUDE_PID marker`). */
  via: string;
  /** For daemons matched by a known or configured pattern: the pattern's name. */
  daemon?: string;
  /** A command the Bash tool started, known so by an earlier run (it ran under a tool shell). */
  bashTool?: boolean;
}

/** A process after sampling: the record plus CPU over the window and the candidate details. */
export interface SampledProcess extends ProcessRecord {
  /** CPU over the sample window, % of one core; null when not sampled. */
  cpuPercent: number | null;
  markers: ClaudeMarkers | null;
  session: SessionRecord | null;
  /** The session's transcript, read for claude processes whose session record names it. */
  transcript: TranscriptInfo | null;
  sockets: SocketInfo | null;
}

export interface Warning {
  pid: number | null;
  field: string | null;
  message: string;
}

/** An immutable view of the process table, with the tree indexes built once. */
export interface Snapshot {
  source: SourceId;
  platform: NodeJS.Platform;
  reparent: ReparentModel;
  /** When the (second) reading was taken, epoch ms. */
  takenAt: number;
  /** The CPU sample window actually used, ms (0 when not sampled). */
  sampleMs: number;
  processes: ReadonlyMap<number, SampledProcess>;
  children: ReadonlyMap<number, readonly number[]>;
  /** Claude-related pids with why each matched. */
  related: ReadonlyMap<number, Match>;
  /** This tool's pid and its ancestors, nearest first. */
  self: readonly number[];
  /** The uid the tool runs as (null on Windows). */
  selfUid: number | null;
  warnings: Warning[];
}
