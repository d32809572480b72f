// systemd: a user service that runs the job once (Type=oneshot) and a timer that starts it every
// interval, in the user's unit directory; `systemctl --user` loads, enables and starts the timer.
// Without a reachable user manager nothing is written: units nobody loads would look installed.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import { shQuote, systemdQuote, systemdUnquote } from './quote.js';
import { why } from './run.js';
import { notInstalled, type Context, type Job, type JobStatus, type Plan, type Scheduler, type Step } from './scheduler.js';

export const SERVICE = 'claude-reaper.service';
export const TIMER = 'claude-reaper.timer';
const WANTS = join('timers.target.wants', TIMER);
const PROBE_TIMEOUT_MS = 5_000;

/** `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user` (systemd.unit(5), user unit search path). */
export function unitDir(ctx: Pick<Context, 'env' | 'home'>): string {
  return join(ctx.env.XDG_CONFIG_HOME || join(ctx.home, '.config'), 'systemd', 'user');
}

/** A time span in whole seconds (systemd.time(7)); the job has no use for less. */
export function systemdSpan(everyMs: number): string {
  if (everyMs % 1000 !== 0) throw new UsageError(`systemd timers here count whole seconds: --every ${formatDuration(everyMs)} is not`);
  return `${everyMs / 1000}s`;
}

export function serviceUnit(job: Job): string {
  return `# Written by \`claude-reaper schedule install\`; \`claude-reaper schedule uninstall\` removes it.
[Unit]
Description=Reap leaked Claude Code processes (claude-reaper)

[Service]
Type=oneshot
ExecStart=${job.argv.map(systemdQuote).join(' ')}
`;
}

/**
 * OnActiveSec starts the first run one interval after the timer starts (at login, or at install);
 * OnUnitActiveSec repeats it one interval after each run began.
 */
export function timerUnit(job: Job): string {
  const span = systemdSpan(job.everyMs);
  return `# Written by \`claude-reaper schedule install\`; \`claude-reaper schedule uninstall\` removes it.
[Unit]
Description=Run claude-reaper every ${formatDuration(job.everyMs)}

[Timer]
OnActiveSec=${span}
OnUnitActiveSec=${span}

[Install]
WantedBy=timers.target
`;
}

type RunStep = Extract<Step, { kind: 'run' }>;
const systemctl = (...args: string[]): RunStep => ({ kind: 'run', file: 'systemctl', args: ['--user', ...args] });

export const systemd: Scheduler = {
  id: 'systemd',
  description: `a systemd user timer (${TIMER}, ${SERVICE})`,
  platforms: ['linux'],
  checkEvery: (ms) => void systemdSpan(ms),

  async unavailable(ctx) {
    // show-environment answers only when a user manager is running and its bus is reachable.
    const r = await ctx.run('systemctl', ['--user', 'show-environment'], { timeout: PROBE_TIMEOUT_MS });
    if (r.code === 'ENOENT') return 'systemctl not found';
    return r.failed ? `no systemd user manager is reachable (systemctl --user: ${why(r)})` : null;
  },

  async planInstall(job, ctx): Promise<Plan> {
    const dir = unitDir(ctx);
    return {
      scheduler: 'systemd',
      steps: [
        { kind: 'write', path: join(dir, SERVICE), content: serviceUnit(job) },
        { kind: 'write', path: join(dir, TIMER), content: timerUnit(job) },
        systemctl('daemon-reload'),
        systemctl('enable', TIMER),
        // restart, not start: a timer already running keeps its old interval until restarted.
        systemctl('restart', TIMER),
      ],
      notes: [`output goes to the journal: journalctl --user -u ${SERVICE}`, 'what was reaped goes to the audit log (reaped.jsonl in the state dir)'],
    };
  },

  async planUninstall(ctx): Promise<Plan> {
    const dir = unitDir(ctx);
    const files = [join(dir, TIMER), join(dir, SERVICE)].filter((p) => existsSync(p));
    if (files.length === 0) return { scheduler: 'systemd', steps: [], notes: ['not installed: nothing to remove'] };
    const steps: Step[] = [{ ...systemctl('disable', '--now', TIMER), optional: true }];
    steps.push(...files.map((path): Step => ({ kind: 'remove', path })));
    // `enable` made this link; disable removes it, unless the manager could not be reached.
    if (isOurLink(join(dir, WANTS))) steps.push({ kind: 'remove', path: join(dir, WANTS) });
    steps.push({ ...systemctl('daemon-reload'), optional: true });
    return { scheduler: 'systemd', steps, notes: [] };
  },

  async status(ctx): Promise<JobStatus> {
    const dir = unitDir(ctx);
    const reason = await systemd.unavailable(ctx);
    const reachable = reason === null;
    const timer = readText(join(dir, TIMER));
    const service = readText(join(dir, SERVICE));
    if (timer === null || service === null) return notInstalled('systemd', reachable, reason);
    const every = /^OnUnitActiveSec=(\d+)s\s*$/m.exec(timer);
    const exec = /^ExecStart=(.*)$/m.exec(service);
    const shown = await (reachable ? showTimer(ctx) : Promise.resolve(null));
    return {
      scheduler: 'systemd',
      available: reachable,
      installed: true,
      everyMs: every ? Number(every[1]) * 1000 : null,
      command: exec ? systemdUnquote(exec[1]!).map(shQuote).join(' ') : null,
      lastRun: shown?.lastRun ?? null,
      detail: shown?.detail ?? 'no systemd user manager is reachable: cannot tell whether the timer is enabled',
    };
  },
};

async function showTimer(ctx: Context): Promise<{ lastRun: string | null; detail: string } | null> {
  const r = await ctx.run('systemctl', ['--user', 'show', TIMER, '--property=LastTriggerUSec,ActiveState,UnitFileState', '--timestamp=unix']);
  if (r.failed) return null;
  const props = Object.fromEntries(r.stdout.split('\n').map((l) => l.split('=', 2) as [string, string]).filter((kv) => kv.length === 2));
  const at = /^@(\d+)/.exec(props.LastTriggerUSec ?? '');
  return {
    lastRun: at ? new Date(Number(at[1]) * 1000).toISOString() : null,
    detail: `timer ${props.ActiveState ?? 'unknown'}, ${props.UnitFileState ?? 'unknown'}`,
  };
}

function isOurLink(path: string): boolean {
  try {
    return readlinkSync(path).endsWith(TIMER);
  } catch {
    return false;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
