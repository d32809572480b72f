// `claude-reaper schedule install | uninstall | status`: one command for every scheduler.
import { Option, type Command } from 'commander';
import { EXIT } from '../errors.js';
import { redactStrings, redactText } from '../redact/index.js';
import { installJob, jobStatus, uninstallJob, type Done } from '../schedule/actions.js';
import { SCHEDULER_IDS, userContext } from '../schedule/index.js';
import { DEFAULT_EVERY, parseEvery } from '../schedule/job.js';
import { checkKillArgs } from '../schedule/kill-args.js';
import { renderDone, renderPlan, renderStatus } from '../schedule/render.js';
import { ScheduleError, type SchedulerId } from '../schedule/scheduler.js';
import { reaperCommand } from '../util/entry.js';
import { jsonText, type Io } from './io.js';

interface RawOptions {
  with?: SchedulerId;
  print?: boolean;
  json?: boolean;
  every?: string;
}

export function registerSchedule(program: Command, io: Io, setExit: (code: number) => void): void {
  const schedule = program
    .command('schedule')
    .description('run `kill --yes` unattended: install, remove or show the job (cron, systemd, launchd, Task Scheduler)')
    .addHelpText('after', HELP);
  const withOption = () => new Option('--with <scheduler>', 'the scheduler (default: a systemd user timer or cron on Linux, launchd on macOS, schtasks on Windows)').choices(SCHEDULER_IDS);

  schedule
    .command('install')
    .description('install (or replace) the job')
    .argument('[kill-options...]', 'options for the kill the job runs, after `--` (default: the default selection)')
    .option('--every <duration>', 'how often', DEFAULT_EVERY)
    .addOption(withOption())
    .option('--print', 'show every file it would write and every command it would run, and do nothing')
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', INSTALL_EXAMPLES)
    .action(guard(io, setExit, async (killArgs: string[], raw: RawOptions) => {
      const everyMs = parseEvery(raw.every ?? DEFAULT_EVERY);
      checkKillArgs(killArgs, io.env);
      const done = await installJob({ everyMs, killArgs, command: reaperCommand(), with: raw.with, print: raw.print }, userContext(io.env));
      io.stdout(show([done], 'installed', raw, io));
      noteUnusable([done], 'install', io);
    }));

  schedule
    .command('uninstall')
    .description('remove the job (from every scheduler here that holds it, unless --with names one)')
    .addOption(withOption())
    .option('--print', 'show what it would remove and run, and do nothing')
    .option('--json', 'print what was done as JSON')
    .addHelpText('after', UNINSTALL_EXAMPLES)
    .action(guard(io, setExit, async (raw: RawOptions) => {
      const done = await uninstallJob({ with: raw.with, print: raw.print }, userContext(io.env));
      if (done.length === 0 && !raw.json) io.stdout('not installed: nothing to remove\n');
      else io.stdout(show(done, 'removed', raw, io));
      noteUnusable(done, 'uninstall', io);
    }));

  schedule
    .command('status')
    .description('which scheduler holds the job, how often it runs, its command, and when it last ran')
    .addOption(withOption())
    .option('--json', 'print one JSON document')
    .addHelpText('after', STATUS_EXAMPLES)
    .action(guard(io, setExit, async (raw: RawOptions) => {
      const jobs = await jobStatus({ with: raw.with }, userContext(io.env));
      io.stdout(raw.json ? jsonText(redactStrings({ statusVersion: 1, jobs }), io) : redactText(renderStatus(jobs)));
    }));
}

/** What was (or would be) done. Redacted: a crontab is written whole, with the user's other lines and their secrets. */
function show(done: Done[], verb: 'installed' | 'removed', raw: RawOptions, io: Io): string {
  if (raw.json) return jsonText(redactStrings({ planVersion: 1, applied: !raw.print, plans: done.map((d) => d.plan) }), io);
  if (raw.print) return redactText(done.map((d) => `# ${d.plan.scheduler}: what ${verb === 'installed' ? 'install' : 'uninstall'} would do (nothing is done with --print)\n${renderPlan(d.plan)}`).join('\n'));
  return redactText(done.map((d) => renderDone(verb, d)).join(''));
}

/** --print works anywhere; where the scheduler could not be used, a note on stderr says so (exit stays 0). */
function noteUnusable(done: readonly Done[], verb: 'install' | 'uninstall', io: Io): void {
  for (const d of done) {
    if (d.unusable) io.stderr(`claude-reaper: note: ${d.plan.scheduler} cannot ${verb} on this machine (${d.unusable}); the plan is shown all the same\n`);
  }
}

/** A scheduler that refuses is not bad usage: one line, exit 1. Bad input stays a UsageError (2). */
function guard<A extends unknown[]>(io: Io, setExit: (code: number) => void, fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await fn(...args);
      setExit(EXIT.ok);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      io.stderr(`claude-reaper: error: ${redactText(err.message)}\n`);
      setExit(EXIT.findings);
    }
  };
}

const INSTALL_EXAMPLES = `
Examples:
  claude-reaper schedule install                         every 5m, the default selection
  claude-reaper schedule install --every 15m -- --orphans --idle 1h
  claude-reaper schedule install --with cron --print     what it would write, nothing written
`;

const UNINSTALL_EXAMPLES = `
Examples:
  claude-reaper schedule uninstall                      from every scheduler that holds the job
  claude-reaper schedule uninstall --with cron --print  what it would remove, nothing removed
`;

const STATUS_EXAMPLES = `
Examples:
  claude-reaper schedule status                         where the job is, and when it last ran
  claude-reaper schedule status --json | jq '.jobs[]'
`;

const HELP = `
The job runs \`<node> <claude-reaper> kill --yes [kill options]\` with absolute paths, so it works
from cron's bare environment, and always writes the audit log. Kill options go after \`--\`:
  claude-reaper schedule install --every 10m -- --orphans --idle 30m

Default scheduler: Linux, a systemd user timer when a user manager is running (else cron);
macOS, a launchd agent; Windows, Task Scheduler. With --with systemd and no user manager
reachable, install writes nothing and exits 1.

Intervals: cron takes minutes that divide an hour, hours that divide a day, or 1d; Task
Scheduler whole minutes, hours or days; systemd and launchd whole seconds. At least 1m.

Exit codes: 0 done; 1 the scheduler refused or failed (its message is shown; a failed install
puts back what it wrote); 2 bad usage or input, nothing written.

Examples:
  claude-reaper schedule install --print     what install would write and run
  claude-reaper schedule install             reap every 5m, the default selection
  claude-reaper schedule status              is it installed, and when did it last run
  claude-reaper schedule uninstall           remove it
`;
