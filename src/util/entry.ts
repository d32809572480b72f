// The absolute command that runs this reaper, for jobs that start it from a bare environment
// (cron has almost no PATH): node itself, and the installed bin script.
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

export interface ReaperCommand {
  node: string;
  script: string;
}

export function reaperCommand(): ReaperCommand {
  return { node: process.execPath, script: join(packageRoot(), 'bin', 'claude-reaper.js') };
}
