// Windows Task Scheduler through schtasks.exe: one task, /TN claude-reaper, created with /F so a
// second install replaces it. Syntax as learn.microsoft.com documents `schtasks create`.
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import { windowsCommandLine } from './quote.js';
import { why } from './run.js';
import { notInstalled, ScheduleError, type Context, type Job, type JobStatus, type Plan, type Scheduler } from './scheduler.js';

export const TASK = 'claude-reaper';
// "The path name must not exceed 262 characters" (older pages say 261): keep under both.
export const MAX_TASK_RUN = 261;
const MINUTE = 60_000;

/** /SC and /MO for the interval: MINUTE 1-1439, HOURLY 1-23, DAILY 1-365 (schtasks create /mo). */
export function schtasksSchedule(everyMs: number): string[] {
  const m = everyMs / MINUTE;
  const refuse = () => new UsageError(`Task Scheduler cannot run a job every ${formatDuration(everyMs)}: use whole minutes up to 1439, whole hours up to 23, or whole days up to 365`);
  if (!Number.isInteger(m)) throw refuse();
  if (m % 1440 === 0 && m / 1440 <= 365) return ['/SC', 'DAILY', '/MO', String(m / 1440)];
  if (m % 60 === 0 && m / 60 <= 23) return ['/SC', 'HOURLY', '/MO', String(m / 60)];
  if (m <= 1439) return ['/SC', 'MINUTE', '/MO', String(m)];
  throw refuse();
}

/**
 * /TR is the whole command in one argument; paths with spaces are quoted inside it. Node passes
 * that argument to schtasks.exe with each inner quote escaped as \", which is the form the
 * documentation's examples type by hand.
 */
export function taskRun(job: Job): string {
  const line = windowsCommandLine(job.argv);
  if (line.length > MAX_TASK_RUN) throw new UsageError(`the job's command is ${line.length} characters; Task Scheduler's /TR takes at most ${MAX_TASK_RUN} (fewer kill options, or a shorter install path)`);
  return line;
}

export function createArgs(job: Job): string[] {
  return ['/Create', '/TN', TASK, ...schtasksSchedule(job.everyMs), '/TR', taskRun(job), '/F'];
}

export const DELETE_ARGS = ['/Delete', '/TN', TASK, '/F'];

async function exists(ctx: Context): Promise<boolean> {
  const r = await ctx.run('schtasks', ['/Query', '/TN', TASK]);
  if (r.code === 'ENOENT') throw new ScheduleError('schtasks not found');
  return !r.failed;
}

export const schtasks: Scheduler = {
  id: 'schtasks',
  description: `a Windows scheduled task named ${TASK} (schtasks)`,
  platforms: ['win32'],
  checkEvery: (ms) => void schtasksSchedule(ms),

  async unavailable(ctx) {
    const r = await ctx.run('schtasks', ['/?']);
    return r.code === 'ENOENT' ? 'schtasks not found' : null;
  },

  async planInstall(job): Promise<Plan> {
    return {
      scheduler: 'schtasks',
      steps: [{ kind: 'run', file: 'schtasks', args: createArgs(job) }],
      notes: ['runs while you are logged on; what was reaped goes to the audit log (reaped.jsonl in the state dir)'],
    };
  },

  async planUninstall(ctx): Promise<Plan> {
    if (!(await exists(ctx))) return { scheduler: 'schtasks', steps: [], notes: ['not installed: nothing to remove'] };
    return { scheduler: 'schtasks', steps: [{ kind: 'run', file: 'schtasks', args: DELETE_ARGS }], notes: [] };
  },

  async status(ctx): Promise<JobStatus> {
    const xml = await ctx.run('schtasks', ['/Query', '/TN', TASK, '/XML']);
    if (xml.code === 'ENOENT') return notInstalled('schtasks', false, 'schtasks not found');
    if (xml.failed) return notInstalled('schtasks', true);
    const task = readTaskXml(xml.stdout);
    const list = await ctx.run('schtasks', ['/Query', '/TN', TASK, '/FO', 'CSV', '/V', '/NH']);
    const row = list.failed ? null : csvRow(list.stdout);
    // Columns of /V: HostName, TaskName, Next Run Time, Status, Logon Mode, Last Run Time, Last Result, ...
    const detail = row ? `last run ${row[5] ?? '?'} (local time), last result ${row[6] ?? '?'}` : `cannot read its history: ${why(list)}`;
    return { scheduler: 'schtasks', available: true, installed: true, everyMs: task.everyMs, command: task.command, lastRun: null, detail };
  },
};

/** The interval and command from `schtasks /Query /XML` (the Task Scheduler schema). */
export function readTaskXml(text: string): { everyMs: number | null; command: string | null } {
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] ?? null;
  const days = tag('DaysInterval');
  const interval = tag('Interval');
  const everyMs = days ? Number(days) * 1440 * MINUTE : interval ? isoDurationMs(interval) : null;
  const command = tag('Command');
  const args = tag('Arguments');
  const unxml = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return { everyMs, command: command === null ? null : unxml(args ? `${command} ${args}` : command) };
}

/** `PT5M`, `PT2H`, `P1D`, `PT1H30M` in milliseconds. */
export function isoDurationMs(text: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text.trim());
  if (!m) return null;
  const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  return ((d! * 24 + h!) * 60 + min!) * MINUTE + s! * 1000;
}

function csvRow(text: string): string[] | null {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return line ? [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')) : null;
}
