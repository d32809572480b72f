// The command line Claude Code runs for our hook, through its shell. Double quotes keep paths
// with spaces whole; inside them a POSIX shell still treats \ " $ and ` specially, so those are
// escaped. Windows paths are written with forward slashes, which node, bash and cmd all accept,
// so no backslash needs escaping there.
import type { ReaperCommand } from '../util/entry.js';

function quote(path: string): string {
  const p = /^(?:[A-Za-z]:\\|\\\\)/.test(path) ? path.replace(/\\/g, '/') : path;
  return `"${p.replace(/[\\"$`]/g, '\\$&')}"`;
}

export function hookCommand(cmd: ReaperCommand): string {
  return `${quote(cmd.node)} ${quote(cmd.script)} hook run`;
}
