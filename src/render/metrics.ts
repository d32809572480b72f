// The metrics in the two exposition formats. They differ where it matters to a reader:
// - OpenMetrics 1.0 (`scan --openmetrics`): a counter family `x` has samples `x_total`, an info
//   family `x` has samples `x_info`, units are declared, and the document ends with `# EOF`.
// - The Prometheus text format 0.0.4 (`--metrics-file`): what node_exporter's textfile collector,
//   the Pushgateway and `promtool check metrics` parse. It names a counter family `x_total`, has
//   no info type (an info metric is a gauge `x_info` with value 1), and reads `# UNIT` and `# EOF`
//   as comments. Its parser refuses `# TYPE x info`, and reads an OpenMetrics counter as an
//   untyped `x_total` without help.
// https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md
// https://prometheus.io/docs/instrumenting/exposition_formats/
import type { MetricFamily, Sample } from '../metrics/family.js';

export function renderOpenMetrics(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# TYPE ${f.name} ${f.type}`);
    if (f.unit) out.push(`# UNIT ${f.name} ${f.unit}`);
    out.push(`# HELP ${f.name} ${escapeHelp(f.help, true)}`);
    const sampleName = f.type === 'counter' ? `${f.name}_total` : f.type === 'info' ? `${f.name}_info` : f.name;
    for (const s of f.samples) out.push(sampleLine(sampleName, s));
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

export function renderPrometheusText(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    const name = f.type === 'counter' ? `${f.name}_total` : f.type === 'info' ? `${f.name}_info` : f.name;
    out.push(`# HELP ${name} ${escapeHelp(f.help, false)}`);
    out.push(`# TYPE ${name} ${f.type === 'counter' ? 'counter' : 'gauge'}`);
    for (const s of f.samples) out.push(sampleLine(name, s));
  }
  return `${out.join('\n')}\n`;
}

function sampleLine(name: string, s: Sample): string {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`;
}

/** Integers as integers; anything else as JavaScript writes a float (both formats read `1e-7`). */
function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Both escape backslash and newline in HELP; OpenMetrics also the double quote. */
function escapeHelp(text: string, quote: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return quote ? escaped.replace(/"/g, '\\"') : escaped;
}
