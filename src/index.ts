// The library API. The CLI is a thin layer over these.
export { runScan as scan, DEFAULT_SAMPLE_MS } from './commands/scan.js';
export { DEFAULT_THRESHOLDS } from './classify/thresholds.js';
export type { Thresholds } from './classify/thresholds.js';
export { loadConfig, parseConfig } from './config.js';
export type { Config } from './config.js';
export { RULES } from './classify/registry.js';
export type { ScanOptions, ScanResult } from './commands/scan.js';
export { openSource } from './platform/index.js';
export type { SourceChoice } from './platform/index.js';
export type { ProcessSource } from './platform/source.js';
export * from './report.js';
export type * from './types.js';
export { UsageError, PlatformError } from './errors.js';
export { parseDuration } from './util/duration.js';
