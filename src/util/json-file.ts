// Reading a JSON file the user named (a config, a plan): one line and exit 2 for anything wrong.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * The parsed content of `path` (`-` is stdin), described as `what` in errors. With `missingOk`,
 * a file that does not exist gives undefined instead of an error.
 */
export function readJsonFile(path: string, what: string, opts: { missingOk?: boolean } = {}): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (opts.missingOk && code === 'ENOENT') return undefined;
    throw new UsageError(`${what} ${path}: cannot read it (${code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} ${path}: not valid JSON (${(err as Error).message})`);
  }
}
