// The classifier's output and the versioned JSON document built from it. These types are the
// public contract of `scan --json` and of the library; schema/scan.schema.json describes the same.
import type {
  ClaudeRole,
  ClaudeVariant,
  ProcessKind,
  ProcessRecord,
  SessionRecord,
  SocketInfo,
  SourceId,
  TranscriptInfo,
  Warning,
} from './types.js';

/** Bump when a change to the document would break a reader. */
export const SCHEMA_VERSION = 2;

export type FlagId =
  | 'orphan'
  | 'idle'
  | 'abandoned'
  | 'hung'
  | 'runaway'
  | 'duplicate-daemon'
  | 'duplicate-session'
  | 'defunct'
  | 'stray-shell'
  | 'stray-mcp';

export type Evidence = Record<string, number | string | boolean | null>;

export interface Reason {
  flag: FlagId;
  /** One line for people. */
  text: string;
  /** The numbers behind it. */
  evidence: Evidence;
}

export type ProtectionId = 'self' | 'ancestor' | 'live-tty' | 'background-agent' | 'background-session' | 'desktop-session' | 'other-user' | 'config';

export interface Protection {
  id: ProtectionId;
  text: string;
}

/** How long a process has been idle, and what proves it. */
export interface IdleInfo {
  /**
   * The proven idle duration, ms (a floor: it may have been idle longer); null when only "idle now"
   * is known (the sample window), which proves no duration.
   */
  forMs: number | null;
  /**
   * What proved it, strongest first: Claude's session record (idle since its last status change),
   * the session's transcript (the turn ended then), an earlier run's sample of the same process (no
   * CPU since, for processes other than claude), or only this scan's sample window.
   */
  evidence: 'session-record' | 'transcript' | 'earlier-sample' | 'window';
}

export interface Finding {
  pid: number;
  flags: FlagId[];
  reasons: Reason[];
  protection: Protection | null;
  /** Flagged with a reapable flag and not protected. */
  reapable: boolean;
  idle: IdleInfo | null;
}

/** One claude-related process in the scan document: its record, how it matched, what it is. */
export interface ProcessReport extends Omit<ProcessRecord, 'startTime' | 'tpgid'> {
  /** ISO 8601. */
  startTime: string;
  cpuPercent: number | null;
  kind: ProcessKind;
  variant: ClaudeVariant | null;
  role: ClaudeRole | null;
  owner: number | null;
  matchedBy: string;
  session: SessionRecord | null;
  transcript: TranscriptInfo | null;
  sockets: SocketInfo | null;
  flags: FlagId[];
  reasons: Reason[];
  protection: Protection | null;
  reapable: boolean;
  idle: IdleInfo | null;
}

export interface ScanSummary {
  processes: number;
  byKind: Partial<Record<ProcessKind, number>>;
  rssBytes: number;
  /** Processes with at least one flag. */
  flagged: number;
  byFlag: Partial<Record<FlagId, number>>;
  protected: number;
  reapable: number;
  /** RSS of the reapable processes: what reaping would free. */
  reclaimableRssBytes: number;
}

export interface ScanDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'claude-reaper'; version: string };
  platform: string;
  source: SourceId;
  /** ISO 8601. */
  scannedAt: string;
  sampleMs: number;
  thresholds: { abandonedAfterMs: number; hungAfterMs: number; idleCpuPercent: number; runawayCpuPercent: number; sustainedCpuPercent: number; sustainedAfterMs: number };
  summary: ScanSummary;
  processes: ProcessReport[];
  warnings: Warning[];
}
