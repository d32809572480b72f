// Windows kill: `taskkill /PID n /T /F`. /F because a console process has no window to receive
// taskkill's polite close message (and Node's process.kill is TerminateProcess, forceful whatever
// the signal: nodejs/node 13c3924). /T takes the process's descendants with it.
//
// /T finds descendants by the numeric ParentProcessId, which Windows never updates: once a parent
// exits and its pid is reused, a stale edge can make /T walk into an unrelated process tree (a
// long-running host and its children were killed that way, openai/codex#36258). Callers that have
// already found and identity-checked the descendants themselves should pass `tree: false` and
// kill each one by pid.

export interface TaskkillOptions {
  /** Add /T (default true). */
  tree?: boolean;
}

/** The command that force-ends `pid` (and, with /T, its process tree), as [file, args]. */
export function taskkillCommand(pid: number, opts: TaskkillOptions = {}): [string, string[]] {
  // pid 0 is the idle process and 4 is System: never targets, and not a command we would build.
  if (!Number.isSafeInteger(pid) || pid <= 4) throw new RangeError(`refusing to build a taskkill for pid ${pid}`);
  const args = ['/PID', String(pid)];
  if (opts.tree ?? true) args.push('/T');
  args.push('/F');
  return ['taskkill', args];
}
