import { describe, expect, it } from 'vitest';
import { installJob, jobStatus, uninstallJob } from '../../src/schedule/actions.js';
import { splitCommandLine } from '../../src/platform/parse/cim.js';
import { windowsCommandLine, windowsQuote } from '../../src/schedule/quote.js';
import type { CommandResult } from '../../src/platform/exec.js';
import type { Runner } from '../../src/schedule/run.js';
import type { Context } from '../../src/schedule/scheduler.js';
import { createArgs, DELETE_ARGS, isoDurationMs, MAX_TASK_RUN, readTaskXml, schtasksSchedule, TASK } from '../../src/schedule/schtasks.js';

const NODE = 'C:\\Program Files\\nodejs\\node.exe';
const SCRIPT = 'C:\\Users\\Ann Lee\\AppData\\Roaming\\npm\\node_modules\\claude-reaper\\bin\\claude-reaper.js';

const ok = (stdout = ''): CommandResult => ({ stdout, stderr: '', exitCode: 0, failed: false, timedOut: false, message: '' });
const fail = (stderr: string): CommandResult => ({ stdout: '', stderr, exitCode: 1, failed: true, timedOut: false, message: 'failed' });

/** A Task Scheduler that answers like schtasks.exe, and records what it was asked. */
function fakeSchtasks(): { run: Runner; calls: string[][]; installed: () => boolean } {
  const calls: string[][] = [];
  let task: string[] | null = null;
  const run: Runner = async (file, args) => {
    calls.push([file, ...args]);
    const verb = args[0];
    if (verb === '/?') return ok('SCHTASKS /parameter [arguments]');
    if (verb === '/Create') return (task = [...args]), ok(`SUCCESS: The scheduled task "${TASK}" has successfully been created.`);
    if (!task) return fail('ERROR: The system cannot find the file specified.');
    if (verb === '/Delete') return (task = null), ok(`SUCCESS: The scheduled task "${TASK}" was successfully deleted.`);
    if (args.includes('/XML')) return ok(TASK_XML);
    if (args.includes('/FO')) return ok('"HOST","\\claude-reaper","11/22/2026 9:05:00 AM","Ready","Interactive only","11/22/2026 9:00:00 AM","0","HOST\\ann"\r\n');
    return ok();
  };
  return { run, calls, installed: () => task !== null };
}

const TASK_XML = `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <Triggers><TimeTrigger><Repetition><Interval>PT5M</Interval><StopAtDurationEnd>false</StopAtDurationEnd></Repetition><StartBoundary>2026-11-22T09:00:00</StartBoundary><Enabled>true</Enabled></TimeTrigger></Triggers>
  <Actions Context="Author"><Exec><Command>"C:\\Program Files\\nodejs\\node.exe"</Command><Arguments>"C:\\Users\\Ann Lee\\x.js" kill --yes</Arguments></Exec></Actions>
</Task>`;

const win = (run: Runner): Context => ({ env: {}, home: 'C:\\Users\\Ann Lee', stateDir: 'C:\\Users\\Ann Lee\\AppData\\Local\\claude-reaper', uid: null, platform: 'win32', run });

describe('schtasks /Create', () => {
  it('names the task, sets the schedule, passes the whole command as one /TR argument, and replaces with /F', () => {
    const args = createArgs({ everyMs: 300_000, argv: [NODE, SCRIPT, 'kill', '--yes', '--orphans'] });
    expect(args).toEqual(['/Create', '/TN', 'claude-reaper', '/SC', 'MINUTE', '/MO', '5', '/TR', `"${NODE}" "${SCRIPT}" kill --yes --orphans`, '/F']);
  });

  it('is typed with \\" inside /TR, which splits back into the same words', () => {
    const args = createArgs({ everyMs: 300_000, argv: [NODE, SCRIPT, 'kill', '--yes'] });
    const typed = windowsCommandLine(['schtasks', ...args]);
    expect(typed).toBe(`schtasks /Create /TN claude-reaper /SC MINUTE /MO 5 /TR "\\"${NODE}\\" \\"${SCRIPT}\\" kill --yes" /F`);
    const split = splitCommandLine(typed);
    expect(split.slice(1)).toEqual(args);
    expect(splitCommandLine(split[9]!)).toEqual([NODE, SCRIPT, 'kill', '--yes']);
  });

  it('maps intervals onto MINUTE (1-1439), HOURLY (1-23) and DAILY (1-365), and refuses the rest', () => {
    expect(schtasksSchedule(60_000)).toEqual(['/SC', 'MINUTE', '/MO', '1']);
    expect(schtasksSchedule(90 * 60_000)).toEqual(['/SC', 'MINUTE', '/MO', '90']);
    expect(schtasksSchedule(2 * 3_600_000)).toEqual(['/SC', 'HOURLY', '/MO', '2']);
    expect(() => schtasksSchedule(30 * 3_600_000)).toThrow(/every 1d6h: use whole minutes up to 1439, whole hours up to 23/);
    expect(schtasksSchedule(86_400_000)).toEqual(['/SC', 'DAILY', '/MO', '1']);
    expect(() => schtasksSchedule(90_000)).toThrow(/whole minutes/);
    expect(() => schtasksSchedule(366 * 86_400_000)).toThrow(/Task Scheduler cannot run a job every/);
  });

  it('refuses a command longer than /TR takes', () => {
    const long = `C:\\${'x'.repeat(MAX_TASK_RUN)}\\claude-reaper.js`;
    expect(() => createArgs({ everyMs: 300_000, argv: [NODE, long, 'kill', '--yes'] })).toThrow(/Task Scheduler's \/TR takes at most 261/);
  });
});

describe('Windows command-line quoting', () => {
  it('round-trips the awkward cases of CommandLineToArgvW', () => {
    const words = ['plain', 'with space', 'quote"inside', 'trailing\\', 'C:\\dir with space\\', 'back\\\\"quote', '', 'tab\there'];
    expect(splitCommandLine(words.map(windowsQuote).join(' '))).toEqual(words);
  });
});

describe('install, status and uninstall (schtasks stand-in)', () => {
  it('creates, reports and deletes the task', async () => {
    const fake = fakeSchtasks();
    await installJob({ everyMs: 300_000, killArgs: [], command: { node: NODE, script: SCRIPT }, with: 'schtasks' }, win(fake.run));
    expect(fake.calls.at(-1)).toEqual(['schtasks', ...createArgs({ everyMs: 300_000, argv: [NODE, SCRIPT, 'kill', '--yes'] })]);
    expect(fake.installed()).toBe(true);

    const [status] = await jobStatus({}, win(fake.run));
    expect(status).toEqual({
      scheduler: 'schtasks',
      available: true,
      installed: true,
      everyMs: 300_000,
      command: '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Ann Lee\\x.js" kill --yes',
      lastRun: null,
      detail: 'last run 11/22/2026 9:00:00 AM (local time), last result 0',
    });

    await uninstallJob({}, win(fake.run));
    expect(fake.calls.at(-1)).toEqual(['schtasks', ...DELETE_ARGS]);
    expect(fake.installed()).toBe(false);
    expect((await jobStatus({}, win(fake.run)))[0]).toMatchObject({ installed: false, available: true });
  });

  it('reads the interval from the task XML, in each trigger shape schtasks writes', () => {
    expect(readTaskXml('<Repetition><Interval>PT2H</Interval></Repetition>').everyMs).toBe(7_200_000);
    expect(readTaskXml('<ScheduleByDay><DaysInterval>3</DaysInterval></ScheduleByDay>').everyMs).toBe(3 * 86_400_000);
    expect(isoDurationMs('PT1H30M')).toBe(5_400_000);
    expect(isoDurationMs('nonsense')).toBeNull();
  });
});
