// Rewrites a metrics file so that a reader never sees half of one: node_exporter's textfile
// collector reads every `*.prom` file in its directory at each scrape, whenever that comes. The
// text goes to a temporary file in the same directory (same file system, so the rename is atomic)
// whose name does not end in `.prom`, then is renamed over the file.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Readable by all: node_exporter usually runs as a user of its own (prometheus). The file holds
// counts and sizes only, no command lines or ids.
const MODE = 0o644;

export function writeMetricsFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { mode: MODE });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
