// `hook run`, what Claude Code's SessionEnd hook runs. It finds the claude process it runs under,
// starts a detached reaper that waits for that process to exit, and returns at once: the session's
// leftovers only become orphans once claude itself is gone, and a hook must not delay that.
import { matchClaude } from '../classify/match.js';
import { importLate } from '../util/importer.js';
import { openSource } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import type { ReaperCommand } from '../util/entry.js';
import type { HookInput } from './input.js';

// Reading the table costs ~0.1 s on Linux and macOS, PowerShell's start-up on Windows. Past this,
// the reaper starts without waiting for anyone: this session's leftovers go at the next run.
export const LOOKUP_BUDGET_MS = 800;

export interface ClaudeIdentity {
  pid: number;
  startId: string;
}

/** The nearest ancestor of `pid` that is a claude process. */
export async function findClaudeAncestor(source: ProcessSource, pid: number): Promise<ClaudeIdentity | null> {
  const { records } = await source.list({ sampleMs: 0 });
  const seen = new Set<number>();
  let at = records.get(pid)?.ppid ?? null;
  while (at !== null && at > 0 && !seen.has(at)) {
    seen.add(at);
    const rec = records.get(at);
    if (!rec) return null;
    if (matchClaude(rec)) return { pid: rec.pid, startId: rec.startId };
    at = rec.ppid;
  }
  return null;
}

/** Claude's markers, which would make the waiting reaper look like one of the session's leftovers. */
const MARKER = /^(?:CLAUDECODE|CLAUDE_PID|CLAUDE_AGENT_SDK_VERSION|CLAUDE_CODE_.*)$/;

export function reaperEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !MARKER.test(k)));
}

export type SpawnReaper = (node: string, args: string[], env: NodeJS.ProcessEnv) => number | null | Promise<number | null>;

/** Its own session (detached), no stdio: it outlives this hook, the shell and claude. */
export const spawnDetached: SpawnReaper = async (node, args, env) => {
  // Loaded here: child_process (with net and streams) is not worth every other command's start-up.
  const { spawn } = await importLate<typeof import('node:child_process')>('node:child_process');
  const child = spawn(node, args, { detached: true, stdio: 'ignore', env, windowsHide: true });
  child.on('error', () => {});
  child.unref();
  return child.pid ?? null;
};

export interface HookRunOptions {
  input: HookInput;
  /** The program to start the reaper with: this one. */
  command: ReaperCommand;
  env: NodeJS.ProcessEnv;
  source?: ProcessSource;
  spawnReaper?: SpawnReaper;
  pid?: number;
  lookupBudgetMs?: number;
}

export interface HookRunResult {
  claude: ClaudeIdentity | null;
  reaperPid: number | null;
  args: string[];
}

export async function hookRun(opts: HookRunOptions): Promise<HookRunResult> {
  const source = opts.source ?? openSource();
  const lookup = findClaudeAncestor(source, opts.pid ?? process.pid).catch(() => null);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, opts.lookupBudgetMs ?? LOOKUP_BUDGET_MS, null)));
  const claude = await Promise.race([lookup, late]);
  clearTimeout(timer);
  const args = [opts.command.script, 'hook', 'reap'];
  if (claude) args.push('--after', String(claude.pid), '--after-start', claude.startId);
  if (opts.input.sessionId) args.push('--session', opts.input.sessionId);
  const reaperPid = await (opts.spawnReaper ?? spawnDetached)(opts.command.node, args, reaperEnv(opts.env));
  return { claude, reaperPid, args };
}
