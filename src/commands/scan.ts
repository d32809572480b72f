// `scan`: snapshot, classify, and return the document. Prints nothing.
import { buildDocument, type Thresholds } from '../document.js';
import { openSource, type SourceChoice } from '../platform/index.js';
import type { ProcessSource } from '../platform/source.js';
import type { Finding, ScanDocument } from '../report.js';
import { takeSnapshot } from '../snapshot/take.js';
import type { Snapshot } from '../types.js';

export const DEFAULT_SAMPLE_MS = 1000;

export interface ScanOptions {
  /** CPU sample window, ms; 0 skips sampling (cpuPercent is then null). */
  sampleMs?: number;
  source?: SourceChoice | ProcessSource;
}

export interface ScanResult {
  snapshot: Snapshot;
  findings: Map<number, Finding>;
  document: ScanDocument;
}

export const DEFAULT_THRESHOLDS: Thresholds = { abandonedAfterMs: 120_000, hungAfterMs: 600_000, idleCpuPercent: 1 };

export async function runScan(opts: ScanOptions = {}): Promise<ScanResult> {
  const source = typeof opts.source === 'object' ? opts.source : openSource(opts.source ?? 'auto');
  const snapshot = await takeSnapshot(source, { sampleMs: opts.sampleMs ?? DEFAULT_SAMPLE_MS });
  const findings = new Map<number, Finding>();
  return { snapshot, findings, document: buildDocument(snapshot, findings, DEFAULT_THRESHOLDS) };
}
