// `claude-reaper kill`
import type { Command } from 'commander';
import { carryOut, loadPlan, makePlan, type Planned } from '../commands/kill.js';
import { EXIT, PlatformError, UsageError } from '../errors.js';
import type { KillResult } from '../reap/execute.js';
import { stateDir } from '../platform/dirs.js';
import { addScanOptions, resolveScanOptions, type RawScanOptions } from './common.js';
import { tableWidth, useColor, type Io, jsonText } from './io.js';
import { importLate } from '../util/importer.js';
import { narrowPlan } from '../reap/narrow.js';
import { takeLock } from './lock.js';
import { addMetricsFileOption, emitMetricsFile, parseMetricsFile } from './metrics.js';
import { addSelectionOptions, hasSelector, parseGrace, parseSelection, parseSignal, type RawSelection } from './selection.js';

interface RawKillOptions extends RawScanOptions, RawSelection {
  dryRun?: boolean;
  plan?: string;
  yes?: boolean;
  wait?: boolean;
  json?: boolean;
  color: boolean;
  wide?: boolean;
  metricsFile?: string;
  interactive?: boolean;
  notify?: boolean;
}

export function registerKill(program: Command, io: Io, setExit: (code: number) => void): void {
  const cmd = program
    .command('kill')
    .description('reap leaked claude processes: plan, confirm, SIGTERM, then SIGKILL what is left');
  addSelectionOptions(cmd)
    .option('-n, --dry-run', 'print the plan and signal nothing')
    .option('--plan <file>', 'carry out a plan saved from `kill --dry-run --json` (re-verifying every process)')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .option('-i, --interactive', 'choose on a terminal, from a checklist of the plan, which processes to reap')
    .option('--notify', 'a desktop notification when something was reaped (one that cannot be shown is a note in the audit log)')
    .option('--wait', 'when another reaper is acting, wait for it instead of leaving');
  addMetricsFileOption(addScanOptions(cmd))
    .option('--json', 'print the plan (with --dry-run) or the result as one JSON document')
    .option('-w, --wide', 'do not cut lines to the terminal width')
    .option('--no-color', 'no colours')
    .addHelpText('after', KILL_HELP)
    .action(async (raw: RawKillOptions) => setExit(await kill(raw, io)));
}

async function kill(raw: RawKillOptions, io: Io): Promise<number> {
  const signal = parseSignal(raw.signal);
  const graceMs = parseGrace(raw.grace);
  const selection = parseSelection(raw);
  const picked = raw.plan !== undefined;
  if (picked && hasSelector(selection)) throw new UsageError('--plan carries out a saved plan: it takes no selectors');
  const metricsFile = parseMetricsFile(raw.metricsFile);
  if (picked && metricsFile) throw new UsageError('--metrics-file describes a scan, and --plan carries out a saved plan without one');
  const interactive = io.stdinIsTTY && io.isTTY;
  if (raw.interactive) refuseWithPicker(raw, interactive);
  // Refuse before looking: off a terminal, nothing happens without --yes.
  if (!raw.dryRun && !raw.yes && !interactive) throw new UsageError('refusing to kill without --yes when not on a terminal (try --dry-run first)');

  const scanOpts = resolveScanOptions(raw, io);
  const startedAt = Date.now();
  let planned: Planned;
  try {
    planned = picked ? await loadPlan(raw.plan!, scanOpts) : await makePlan({ ...scanOpts, selection, signal, graceMs });
  } catch (err) {
    // The table could not be read: the metrics say so (scan_success 0), then exit 3.
    if (err instanceof PlatformError) emitMetricsFile(metricsFile, { document: null, startedAt, durationMs: Date.now() - startedAt, auditDir: stateDir(io.env) }, io);
    throw err;
  }
  const scanned = { document: planned.document ?? null, startedAt, durationMs: Date.now() - startedAt, auditDir: stateDir(io.env) };
  const { code, result } = await act(planned, raw, io);
  // After the kill: what it left running, and the audit log with what it reaped.
  emitMetricsFile(metricsFile, { ...scanned, result }, io);
  return code;
}

interface Acted {
  code: number;
  /** Null when nothing was signalled. */
  result: KillResult | null;
}

async function act(planned: Planned, raw: RawKillOptions, io: Io): Promise<Acted> {
  const nothing = (code: number): Acted => ({ code, result: null });
  const view = { color: useColor(io, raw), width: tableWidth(io, raw) };
  // Loaded only for people: chalk and the layout code stay out of --json runs.
  const { renderPlan, renderResult } = await import('../render/kill.js');

  if (raw.dryRun) {
    io.stdout(raw.json ? jsonText(planned.plan, io) : renderPlan(planned.plan, view));
    return nothing(EXIT.ok);
  }
  if (planned.plan.targets.length === 0) {
    io.stdout(raw.json ? jsonText(emptyResult(planned), io) : renderPlan(planned.plan, view));
    return nothing(EXIT.ok);
  }
  if (raw.interactive) {
    const { pick } = await import('./picker.js');
    const chosen = await pick(planned, { width: view.width, rows: io.rows, listProtected: planned.plan.selection.reapable });
    if (!chosen || chosen.size === 0) {
      io.stderr(`claude-reaper: ${chosen ? 'nothing chosen' : 'cancelled'}: nothing was signalled.\n`);
      return nothing(EXIT.ok);
    }
    planned = { ...planned, plan: narrowPlan(planned.plan, chosen) };
  } else {
    if (!raw.json) io.stdout(renderPlan(planned.plan, view));
    if (!raw.yes && !(await confirm(planned))) {
      io.stderr('claude-reaper: nothing was signalled.\n');
      return nothing(EXIT.ok);
    }
  }
  // Two reapers never act at once: a watch or a scheduled run may hold the lock.
  const lock = await takeLock(planned.source, io, raw.wait ?? false, 'kill');
  if (!lock) return nothing(EXIT.ok);
  let carried;
  try {
    carried = await carryOut(planned, { auditDir: raw.log ? stateDir(io.env) : null, notify: raw.notify ? { env: io.env, noteInAudit: raw.log } : null });
  } finally {
    lock.release();
  }
  const { result, auditError, notifyNote } = carried;
  if (auditError) io.stderr(`claude-reaper: warning: ${auditError}\n`);
  // With the audit log, the note is there (a scheduled job's stderr is mailed every run); without it, here.
  if (notifyNote && (!raw.log || auditError)) io.stderr(`claude-reaper: note: ${notifyNote}\n`);
  io.stdout(raw.json ? jsonText(result, io) : renderResult(result, view));
  const s = result.summary;
  return { code: s.survived + s.unkillable + s.denied + s.refused > 0 ? EXIT.findings : EXIT.ok, result };
}

/** The picker is for a person at a terminal: off one, or with options that decide without one, it is bad usage. */
function refuseWithPicker(raw: RawKillOptions, onTerminal: boolean): void {
  if (!onTerminal) throw new UsageError('--interactive needs a terminal (stdin and stdout); off one, choose with --pid and --yes');
  for (const [given, name] of [[raw.yes, '--yes'], [raw.dryRun, '--dry-run'], [raw.json, '--json'], [raw.plan !== undefined, '--plan']] as const) {
    if (given) throw new UsageError(`--interactive and ${name} do not go together: the picker asks, and carries out what is chosen`);
  }
}

/** One question on stderr (stdout may be a pipe); anything but y/yes is no. */
async function confirm(planned: Planned): Promise<boolean> {
  const { createInterface } = await importLate<typeof import('node:readline/promises')>('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Reap ${planned.plan.summary.processes} processes? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function emptyResult(planned: Planned) {
  const now = new Date().toISOString();
  return {
    resultVersion: 1,
    plan: planned.plan,
    startedAt: now,
    finishedAt: now,
    outcomes: [],
    summary: { terminated: 0, killed: 0, gone: 0, 'pid-reused': 0, denied: 0, survived: 0, unkillable: 0, refused: 0, freedRssBytes: 0 },
  };
}

const KILL_HELP = `
Selectors combine as a union; with none, kill takes everything scan marks reapable. Protected
processes are never selected (this tool and its ancestors, live interactive sessions, Claude's
background agents, other users' processes unless --all-users, config protect patterns).

Each target goes with its descendants and helpers (MCP servers, tool shells), children first.
Before every signal the process is read again; a pid whose start time changed is left alone.

Exit codes: 0 every target is gone; 1 some survived, were denied or are unkillable; 2 bad usage
or input, or no --yes off a terminal; 3 the process table could not be read.

Examples:
  claude-reaper kill --dry-run                 what would be reaped, and why
  claude-reaper kill --idle 2m                 idle claude processes (asks first)
  claude-reaper kill --orphans --yes           from cron: orphans and strays, no questions
  claude-reaper schedule install -- --orphans --notify   a notification whenever the job reaps
  claude-reaper kill -i                        pick from a checklist (space toggles, enter reaps, esc/q cancels)
  claude-reaper kill --dry-run --json > plan.json && claude-reaper kill --plan plan.json --yes
  claude-reaper kill --orphans --yes --metrics-file /var/lib/prometheus/node-exporter/claude-reaper.prom
`;
