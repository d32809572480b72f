// The metrics, as data: families of samples with raw values. render/metrics.ts writes them as
// OpenMetrics or as the Prometheus text format; nothing here knows either syntax.

export type MetricType = 'gauge' | 'counter' | 'info';

export interface Sample {
  /** Bounded label sets only: kinds, roles, flags, reasons, the version. Never pids, argv or ids. */
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  /**
   * The family's name as OpenMetrics spells it: a counter's without `_total` and an info
   * metric's without `_info` (the renderers add them to the samples).
   */
  name: string;
  type: MetricType;
  /** The unit the name ends in, for OpenMetrics' UNIT line. */
  unit: 'bytes' | 'seconds' | null;
  help: string;
  samples: Sample[];
}

/**
 * A family with one sample per key: every key in `keys` (zero until counted, so that a query sees
 * 0 rather than no series), then any other key counted. `labels` turns a key into its label set.
 */
export function tally(
  base: Omit<MetricFamily, 'samples'>,
  keys: readonly string[],
  labels: (key: string) => Record<string, string>,
  count: (add: (key: string, value: number) => void) => void,
): MetricFamily {
  const values = new Map<string, number>(keys.map((k) => [k, 0]));
  count((key, value) => values.set(key, (values.get(key) ?? 0) + value));
  return { ...base, samples: [...values].map(([key, value]) => ({ labels: labels(key), value })) };
}
