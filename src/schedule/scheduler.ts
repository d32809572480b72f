// What every scheduler module provides. A scheduler turns a job into a plan (the files to write or
// remove and the commands to run, in order); `--print` shows the plan, `install` carries it out.
import type { Runner } from './run.js';

export type SchedulerId = 'cron' | 'systemd' | 'launchd' | 'schtasks';

/** The job: run `argv` every `everyMs`. argv holds absolute paths, so a bare environment can run it. */
export interface Job {
  everyMs: number;
  argv: string[];
}

/** Where a scheduler looks and what it runs things with. */
export interface Context {
  env: NodeJS.ProcessEnv;
  home: string;
  /** The state dir (logs for launchd). */
  stateDir: string;
  /** null on Windows. */
  uid: number | null;
  platform: NodeJS.Platform;
  run: Runner;
}

export type Step =
  | { kind: 'write'; path: string; content: string }
  | { kind: 'remove'; path: string }
  /** A directory the scheduler needs to exist (launchd does not create a log file's directory). */
  | { kind: 'mkdir'; path: string }
  | {
      kind: 'run';
      file: string;
      args: string[];
      input?: string;
      /** A failure is expected sometimes (unloading what is not loaded) and ignored. */
      optional?: boolean;
      /** Tried when this command fails (launchctl's older verbs). */
      orElse?: { file: string; args: string[] };
    };

export interface Plan {
  scheduler: SchedulerId;
  steps: Step[];
  /** What a person should know (where output goes, how to check on it). */
  notes: string[];
}

export interface JobStatus {
  scheduler: SchedulerId;
  /** The scheduler's tool is there to ask (crontab on PATH, a user manager reachable). */
  available: boolean;
  installed: boolean;
  everyMs: number | null;
  /** The command as the scheduler holds it, for display. */
  command: string | null;
  /** ISO 8601, when the scheduler can tell. */
  lastRun: string | null;
  /** Anything else the scheduler said (enabled, last exit code), or why it cannot tell. */
  detail: string | null;
}

export interface Scheduler {
  id: SchedulerId;
  description: string;
  /** Where it can be installed; --print works anywhere. */
  platforms: readonly NodeJS.Platform[];
  /** How often it can run the job, checked before anything is read or written (UsageError). */
  checkEvery(everyMs: number): void;
  /** Null when it can be used here, else one line saying why not. */
  unavailable(ctx: Context): Promise<string | null>;
  planInstall(job: Job, ctx: Context): Promise<Plan>;
  planUninstall(ctx: Context): Promise<Plan>;
  status(ctx: Context): Promise<JobStatus>;
}

export function notInstalled(scheduler: SchedulerId, available: boolean, detail: string | null = null): JobStatus {
  return { scheduler, available, installed: false, everyMs: null, command: null, lastRun: null, detail };
}

/** A scheduler's own command failed, or it cannot be used here. The CLI says so and exits 1. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}
