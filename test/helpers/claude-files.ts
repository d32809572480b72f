// What Claude Code leaves for a reaper to read: its session records, and the command lines and
// environment markers of the Bash-tool shells and MCP servers it starts.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './cleanup.js';
import { readCmdline } from './proc-read.js';
import { shellQuote } from './pty.js';

export interface SessionRecordFields {
  sessionId?: string;
  /** Omitted from the record when null (the legacy node CLI writes none). */
  status?: string | null;
  statusUpdatedAt?: number;
  /** Omitted from the record when null (the legacy node CLI writes none; it has startedAt). */
  procStart: string | number | null;
  startedAt?: number;
  entrypoint?: string;
  cwd?: string;
  kind?: string;
  jobId?: string;
}

/** Claude Code's record of a live process: `<configDir>/sessions/<pid>.json`. */
export function writeSessionRecord(configDir: string, pid: number, fields: SessionRecordFields): string {
  const dir = join(configDir, 'sessions');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${pid}.json`);
  const record: Record<string, unknown> = {
    pid,
    sessionId: fields.sessionId ?? `session-${pid}`,
    cwd: fields.cwd ?? '/work/project',
    startedAt: fields.startedAt ?? Date.now() - 60_000,
    version: '2.1.332',
    entrypoint: fields.entrypoint ?? 'sdk-ts',
    kind: fields.kind ?? 'interactive',
    ...(fields.jobId !== undefined ? { jobId: fields.jobId } : {}),
  };
  if (fields.procStart !== null) record.procStart = fields.procStart;
  if (fields.status !== null) {
    record.status = fields.status ?? 'idle';
    record.statusUpdatedAt = fields.statusUpdatedAt ?? Date.now();
  }
  writeFileSync(path, JSON.stringify(record));
  return path;
}

/** One transcript entry: its type, time, and for an answer its stop reason. */
export interface TranscriptEntry {
  type: 'user' | 'assistant' | 'api-request' | 'attachment' | 'queue-operation';
  at: number;
  stop?: string | null;
}

/**
 * Claude's transcript of a session, `<configDir>/projects/<cwd as dashes>/<sessionId>.jsonl`, with
 * entries shaped as the real CLI writes them (2.1.332: see the rig's tests for the real thing).
 */
export function writeTranscript(configDir: string, cwd: string, sessionId: string, entries: readonly TranscriptEntry[]): string {
  const dir = join(configDir, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sessionId}.jsonl`);
  const lines = entries.map((e, i) => {
    const timestamp = new Date(e.at).toISOString();
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if (e.type === 'assistant') {
      return { parentUuid: null, isSidechain: false, message: { id: `msg_${i}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: 'pong' }], stop_reason: e.stop ?? 'end_turn' }, type: 'assistant', uuid, timestamp, sessionId };
    }
    if (e.type === 'user') return { parentUuid: null, isSidechain: false, type: 'user', message: { role: 'user', content: 'ping' }, uuid, timestamp, sessionId };
    if (e.type === 'api-request') return { type: 'api-request', sessionId, id: uuid, timestamp, version: '2.1.332', querySource: 'sdk' };
    if (e.type === 'queue-operation') return { type: 'queue-operation', operation: 'enqueue', timestamp, sessionId, content: 'ping' };
    return { parentUuid: null, isSidechain: false, attachment: { type: 'prompt_snapshot', systemPrompt: ['x'.repeat(2000)] }, type: 'attachment', uuid, timestamp };
  });
  writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  // As the CLI leaves it: last written when its last entry was.
  const last = entries.at(-1);
  if (last) utimesSync(path, last.at / 1000, last.at / 1000);
  return path;
}

/**
 * The command line of a Bash-tool shell: `bash -c "source …/shell-snapshots/snapshot-bash-1.sh &&
 * eval '<command>' && pwd -P >| …/claude-<hex>-cwd"`. The snapshot file is created (empty) so the
 * shell gets as far as running the command, which it forks (more follows it), as the real one does.
 */
export function toolShellCommand(dir: string, command = 'sleep 1000'): string {
  const snapshots = join(dir, 'shell-snapshots');
  mkdirSync(snapshots, { recursive: true });
  const snapshot = join(snapshots, 'snapshot-bash-1.sh');
  writeFileSync(snapshot, '');
  const inner = `source ${snapshot} && eval '${command}' && pwd -P >| ${join(dir, 'claude-ab12-cwd')}`;
  return `exec /bin/bash -c ${shellQuote(inner)}`;
}

/**
 * A child command shaped like an MCP server Claude started: node, with Claude's markers in its
 * environment. In the fake's child commands `$PPID` is the claude's pid.
 */
export function mcpCommand(sessionId = 'mcp-session'): string {
  const run = `${shellQuote(process.execPath)} -e ${shellQuote('setInterval(() => {}, 1 << 30)')}`;
  return `exec env CLAUDE_CODE_SESSION_ID=${sessionId} CLAUDE_CODE_MESSAGING_SOCKET=/tmp/cc-socks/$PPID.sock ${run}`;
}

/** Waits until a child command has exec'd the program it runs (so a scan sees it, not `sh`). */
export async function waitForExec(pid: number, argv0: string): Promise<void> {
  await waitFor(() => readCmdline(pid)?.[0] === argv0, { what: `pid ${pid} to exec ${argv0}` });
}
