// The package's own directory: where package.json and bin/ are. Found by walking up from this
// module, because the depth differs between the bundle (dist/cli.cjs) and the sources (src/util/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  // The CommonJS bundle has __filename (and no import.meta); an ES module has import.meta.
  let dir = dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin', 'claude-reaper.js'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('claude-reaper: cannot find its own package directory');
    dir = up;
  }
  return (root = dir);
}
