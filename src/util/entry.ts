// The absolute command that runs this reaper, for jobs that start it from a bare environment
// (cron has almost no PATH): node itself, and the installed bin script.
import { fileURLToPath } from 'node:url';

export interface ReaperCommand {
  node: string;
  script: string;
}

/** Built files live in dist/ one level under the package root, so bin/ is beside it. */
export function reaperCommand(): ReaperCommand {
  return { node: process.execPath, script: fileURLToPath(new URL('../bin/claude-reaper.js', import.meta.url)) };
}
