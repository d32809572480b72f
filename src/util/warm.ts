// How much of the scan path this run went through. The installed command keeps V8's code cache of
// the bundle, which holds only what the run that wrote it compiled: a cache written by `--help`
// leaves a scan to compile its whole path again on every run, and one written by a scan that found
// no claude leaves out the classifier (measured: ~6 ms and ~2.5 ms a scan). bin/claude-reaper.js
// writes a new cache when a run went further than the one that wrote the cache it loaded.
let related: number | null = null;

/** Called by every scan with the number of claude-related processes it found. */
export function markScanned(relatedCount: number): void {
  related = Math.max(related ?? 0, relatedCount);
}

/** The most claude-related processes a scan of this run found; null when it did not scan. */
export function scannedRelated(): number | null {
  return related;
}
