// What Claude Code leaves for a reaper to read: its session records, and the command lines and
// environment markers of the Bash-tool shells and MCP servers it starts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './cleanup.js';
import { readCmdline } from './proc-read.js';
import { shellQuote } from './pty.js';

export interface SessionRecordFields {
  sessionId?: string;
  status?: string;
  statusUpdatedAt?: number;
  procStart: string | number;
  entrypoint?: string;
}

/** Claude Code's record of a live process: `<configDir>/sessions/<pid>.json`. */
export function writeSessionRecord(configDir: string, pid: number, fields: SessionRecordFields): string {
  const dir = join(configDir, 'sessions');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${pid}.json`);
  const record = {
    sessionId: fields.sessionId ?? `session-${pid}`,
    cwd: '/work/project',
    startedAt: Date.now() - 60_000,
    version: '2.1.330',
    entrypoint: fields.entrypoint ?? 'sdk-ts',
    kind: 'sdk',
    status: fields.status ?? 'idle',
    statusUpdatedAt: fields.statusUpdatedAt ?? Date.now(),
    procStart: fields.procStart,
  };
  writeFileSync(path, JSON.stringify(record));
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
