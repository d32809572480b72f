// Whether this run went through a scan. The installed command keeps V8's code cache of the bundle,
// which holds only what the run that wrote it compiled: a cache written by `--help` or `--version`
// leaves a scan to compile its whole path again, every run (~6 ms). A run that scanned writes the
// cache that later runs keep (see bin/claude-reaper.js).
let scanned = false;

export function markScanned(): void {
  scanned = true;
}

export function hasScanned(): boolean {
  return scanned;
}
