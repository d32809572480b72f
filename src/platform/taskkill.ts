// Windows kill: `taskkill /PID n /F`. /F because a console process has no window to receive
// taskkill's polite close message (and Node's process.kill is TerminateProcess, forceful whatever
// the signal: nodejs/node 13c3924).
//
// No /T unless asked: /T finds descendants by the numeric ParentProcessId, which Windows never
// updates: once a parent exits and its pid is reused, a stale edge can make /T walk into an
// unrelated process tree (a long-running host and its children were killed that way,
// openai/codex#36258). The executor finds and identity-checks the descendants itself and ends
// each one by its own pid.
//
// What taskkill says when it fails is in the user's language, and its exit code is 128 both for
// "no such process" and for "access denied": callers read the process again to tell what happened
// instead of reading the words.

export interface TaskkillOptions {
  /** Add /T (default false: see above). */
  tree?: boolean;
}

/** The command that force-ends `pid` (and, with /T, its process tree), as [file, args]. */
export function taskkillCommand(pid: number, opts: TaskkillOptions = {}): [string, string[]] {
  // pid 0 is the idle process and 4 is System: never targets, and not a command we would build.
  if (!Number.isSafeInteger(pid) || pid <= 4) throw new RangeError(`refusing to build a taskkill for pid ${pid}`);
  const args = ['/PID', String(pid)];
  if (opts.tree ?? false) args.push('/T');
  args.push('/F');
  return ['taskkill', args];
}
