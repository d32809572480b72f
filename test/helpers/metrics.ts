// Reading exposition text back in tests: the samples of the text format (what node_exporter
// serves and promtool reads), and the strict OpenMetrics parser of prometheus_client.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SCRIPTS_DIR } from './fixtures.js';
import { skipHere, whichAll } from './tools.js';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The sample lines of exposition text (comments skipped). Label values hold no `,` or `"` here. */
export function samples(text: string): ParsedSample[] {
  const out: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => /^(\w+)="(.*)"$/.exec(kv)!.slice(1, 3) as [string, string]),
    );
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample with this name and these labels (undefined when absent). */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export interface OpenMetricsFamily {
  name: string;
  type: string;
  unit: string;
  samples: ParsedSample[];
}

/** A python3 on PATH that has prometheus_client, or a skip of the test saying what to install. */
function pythonWithPrometheusClient(): string {
  for (const python of whichAll('python3')) {
    if (spawnSync(python, ['-c', 'import prometheus_client.openmetrics.parser'], { stdio: 'ignore' }).status === 0) return python;
  }
  return skipHere('no python3 on PATH has prometheus_client (Debian package python3-prometheus-client)');
}

/** Parses with prometheus_client's strict OpenMetrics parser; throws its error. */
export function parseOpenMetrics(text: string): OpenMetricsFamily[] {
  const r = spawnSync(pythonWithPrometheusClient(), [join(SCRIPTS_DIR, 'openmetrics-check.py')], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr || `openmetrics-check.py exited ${r.status}`);
  return JSON.parse(r.stdout) as OpenMetricsFamily[];
}
