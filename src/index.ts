// The library API. The CLI is a thin layer over these.
export { runScan as scan, DEFAULT_SAMPLE_MS, DEFAULT_THRESHOLDS } from './commands/scan.js';
export type { ScanOptions, ScanResult } from './commands/scan.js';
export { openSource } from './platform/index.js';
export type { SourceChoice } from './platform/index.js';
export type { ProcessSource } from './platform/source.js';
export * from './report.js';
export type * from './types.js';
export { UsageError, PlatformError } from './errors.js';
export { parseDuration } from './util/duration.js';
