import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './util/package-root.js';

/** Written in by the bundler (build.mjs); the sources, run as they are, read package.json. */
declare const __CLAUDE_REAPER_VERSION__: string | undefined;

/** The package's version. */
export const VERSION: string = typeof __CLAUDE_REAPER_VERSION__ === 'string' ? __CLAUDE_REAPER_VERSION__ : fromPackageJson();

function fromPackageJson(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
