// `claude-reaper scan`
import type { Command } from 'commander';
import { REAPABLE_FLAGS, RULES } from '../classify/registry.js';
import { runScan } from '../commands/scan.js';
import { collectMetrics, type MetricsRun } from '../commands/metrics.js';
import { renderOpenMetrics } from '../render/metrics.js';
import { EXIT, PlatformError, UsageError } from '../errors.js';
import type { FlagId, ScanDocument } from '../report.js';
import { addOutputOptions, addScanOptions, resolveScanOptions, type RawScanOptions } from './common.js';
import { tableWidth, useColor, type Io, type OutputOptions, jsonText } from './io.js';
import { addMetricsFileOption, emitMetricsFile, parseMetricsFile } from './metrics.js';

export function registerScan(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('scan')
    .description('list claude-related processes and diagnose leaks, with CPU over a sample window')
    .option('--fail-on <flags>', `exit 1 when an unprotected process has one of these flags (comma-separated, or "any")`)
    .option('--openmetrics', 'print the metrics in the OpenMetrics text format on stdout, and nothing else');
  addMetricsFileOption(addOutputOptions(addScanOptions(cmd)))
    .addHelpText('after', scanHelp())
    .action(async (raw: RawScanOptions & OutputOptions & { failOn?: string; openmetrics?: boolean; metricsFile?: string }) => {
      const failOn = raw.failOn === undefined ? null : parseFailOn(raw.failOn);
      if (raw.openmetrics && raw.json) throw new UsageError('--openmetrics and --json both print on stdout: choose one');
      const metricsFile = parseMetricsFile(raw.metricsFile);
      const opts = resolveScanOptions(raw, io);
      const startedAt = Date.now();
      const metrics = (document: ScanDocument | null): MetricsRun => ({ document, startedAt, durationMs: Date.now() - startedAt, auditDir: opts.stateDir! });
      let result;
      try {
        result = await runScan(opts);
      } catch (err) {
        // The table could not be read: the metrics say so (scan_success 0), then exit 3.
        if (err instanceof PlatformError) printMetrics(raw.openmetrics, metricsFile, metrics(null), io);
        throw err;
      }
      // With --openmetrics, stdout carries the metrics and nothing else.
      printMetrics(raw.openmetrics, metricsFile, metrics(result.document), io);
      if (raw.json) {
        io.stdout(jsonText(result.document, io));
      } else if (!raw.openmetrics) {
        const { renderScanTable } = await import('../render/table.js');
        io.stdout(renderScanTable(result.document, { color: useColor(io, raw), width: tableWidth(io, raw), verbose: raw.verbose ?? false }));
        for (const w of result.document.warnings) io.stderr(`claude-reaper: warning: ${w.message}\n`);
      }
      setExit(failOn && failing(result.document, failOn).length > 0 ? EXIT.findings : EXIT.ok);
    });
}

const FLAG_IDS = RULES.map((r) => r.id);

/** `orphan,hung` or `any`; unknown names are a usage error. */
export function parseFailOn(text: string): ReadonlySet<FlagId> {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`invalid --fail-on '${text}': expected flags (${FLAG_IDS.join(', ')}) or "any"`);
  if (names.length === 1 && names[0] === 'any') return new Set(FLAG_IDS);
  for (const n of names) {
    if (!FLAG_IDS.includes(n as FlagId)) throw new UsageError(`invalid --fail-on flag '${n}': expected one of ${FLAG_IDS.join(', ')}, or "any"`);
  }
  return new Set(names as FlagId[]);
}

/** The unprotected processes that carry one of the flags. */
export function failing(doc: ScanDocument, flags: ReadonlySet<FlagId>): number[] {
  return doc.processes.filter((p) => !p.protection && p.flags.some((f) => flags.has(f))).map((p) => p.pid);
}

function printMetrics(openmetrics: boolean | undefined, file: string | null, run: MetricsRun, io: Io): void {
  if (openmetrics) io.stdout(renderOpenMetrics(collectMetrics(run)));
  emitMetricsFile(file, run, io);
}

function scanHelp(): string {
  const width = Math.max(...RULES.map((r) => r.id.length));
  const rows = RULES.map((r) => `  ${r.id.padEnd(width)}  ${REAPABLE_FLAGS.has(r.id) ? '*' : ' '} ${r.description}`);
  return `
Flags (* = reapable when unprotected):
${rows.join('\n')}

Protected, whatever the flags: this tool and its ancestors, an interactive session on a live
tty, Claude's background agents, other users' processes (unless --all-users), and what the
config protects.

Exit codes: 0 ok; 1 --fail-on matched; 2 bad usage or input; 3 the process table could not be read.

Examples:
  claude-reaper scan                         table of claude processes, CPU over 1s
  claude-reaper scan --sample 0              no sampling: instant, CPU % unknown
  claude-reaper scan --fail-on orphan,hung   CI: fail when leaks are left behind
  claude-reaper scan --json | jq '.processes[] | select(.reapable) | .pid'
  claude-reaper scan --openmetrics           the metrics, in OpenMetrics, on stdout
  claude-reaper scan --sample 0 --metrics-file /var/lib/prometheus/node-exporter/claude-reaper.prom
`;
}
