// launchd: a user agent in ~/Library/LaunchAgents, loaded into the GUI domain with
// `launchctl bootstrap gui/<uid>` (`launchctl load` on systems older than that verb).
// Keys and types as launchd.plist(5) documents them.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { formatDuration } from '../render/format.js';
import { shQuote } from './quote.js';
import { notInstalled, type Context, type Job, type JobStatus, type Plan, type Scheduler } from './scheduler.js';

export const LABEL = 'dev.claude-reaper.reap';
export const LOG_FILE = 'launchd.log';

export function plistPath(ctx: Pick<Context, 'home'>): string {
  return join(ctx.home, 'Library', 'LaunchAgents', `${LABEL}.plist`);
}

/** StartInterval counts whole seconds. */
export function launchdSeconds(everyMs: number): number {
  if (everyMs % 1000 !== 0) throw new UsageError(`launchd counts whole seconds: --every ${formatDuration(everyMs)} is not`);
  return everyMs / 1000;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * RunAtLoad false: the first run comes one interval after login, not in the middle of it.
 * ProcessType Background: launchd throttles its CPU and I/O, as a cleanup job deserves.
 * The log file is launchd's to create, with its own mode, in our private state dir; a looser one
 * is not ours to change: `doctor` reports it.
 */
export function plist(job: Job, ctx: Pick<Context, 'stateDir'>): string {
  const log = xml(join(ctx.stateDir, LOG_FILE));
  const args = job.argv.map((a) => `\t\t<string>${xml(a)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>Label</key>
\t<string>${LABEL}</string>
\t<key>ProgramArguments</key>
\t<array>
${args}
\t</array>
\t<key>StartInterval</key>
\t<integer>${launchdSeconds(job.everyMs)}</integer>
\t<key>RunAtLoad</key>
\t<false/>
\t<key>ProcessType</key>
\t<string>Background</string>
\t<key>StandardOutPath</key>
\t<string>${log}</string>
\t<key>StandardErrorPath</key>
\t<string>${log}</string>
</dict>
</plist>
`;
}

function unxml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Reads back the fields of a plist that `plist()` wrote. */
export function readPlist(text: string): { everyMs: number | null; argv: string[] } {
  const every = /<key>StartInterval<\/key>\s*<integer>(\d+)<\/integer>/.exec(text);
  const array = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  const argv = array ? [...array[1]!.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => unxml(m[1]!)) : [];
  return { everyMs: every ? Number(every[1]) * 1000 : null, argv };
}

const domain = (ctx: Context) => `gui/${ctx.uid ?? 0}`;

export const launchd: Scheduler = {
  id: 'launchd',
  description: `a launchd user agent (~/Library/LaunchAgents/${LABEL}.plist)`,
  platforms: ['darwin'],
  checkEvery: (ms) => void launchdSeconds(ms),

  async unavailable(ctx) {
    const r = await ctx.run('launchctl', ['help']);
    return r.code === 'ENOENT' ? 'launchctl not found' : null;
  },

  async planInstall(job, ctx): Promise<Plan> {
    const path = plistPath(ctx);
    return {
      scheduler: 'launchd',
      steps: [
        // A loaded agent keeps its old settings: unload it first (nothing to unload is fine).
        { kind: 'run', file: 'launchctl', args: ['bootout', `${domain(ctx)}/${LABEL}`], optional: true },
        { kind: 'mkdir', path: ctx.stateDir },
        { kind: 'write', path, content: plist(job, ctx) },
        { kind: 'run', file: 'launchctl', args: ['bootstrap', domain(ctx), path], orElse: { file: 'launchctl', args: ['load', '-w', path] } },
      ],
      notes: [`output goes to ${join(ctx.stateDir, LOG_FILE)}`, 'what was reaped goes to the audit log (reaped.jsonl in the state dir)'],
    };
  },

  async planUninstall(ctx): Promise<Plan> {
    const path = plistPath(ctx);
    if (!existsSync(path)) return { scheduler: 'launchd', steps: [], notes: ['not installed: nothing to remove'] };
    return {
      scheduler: 'launchd',
      steps: [
        { kind: 'run', file: 'launchctl', args: ['bootout', `${domain(ctx)}/${LABEL}`], optional: true, orElse: { file: 'launchctl', args: ['unload', path] } },
        { kind: 'remove', path },
      ],
      notes: [],
    };
  },

  async status(ctx): Promise<JobStatus> {
    const path = plistPath(ctx);
    const available = (await launchd.unavailable(ctx)) === null;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return notInstalled('launchd', available);
    }
    const { everyMs, argv } = readPlist(text);
    const printed = available ? await ctx.run('launchctl', ['print', `${domain(ctx)}/${LABEL}`]) : null;
    const runs = printed && !printed.failed ? /^\s*runs = (\d+)/m.exec(printed.stdout)?.[1] : undefined;
    const exit = printed && !printed.failed ? /^\s*last exit code = (.+)$/m.exec(printed.stdout)?.[1] : undefined;
    const detail = !printed ? 'launchctl not found' : printed.failed ? 'not loaded' : `loaded, runs = ${runs ?? '?'}, last exit code = ${exit ?? '?'}`;
    return { scheduler: 'launchd', available, installed: true, everyMs, command: argv.map(shQuote).join(' '), lastRun: lastOutput(ctx), detail };
  },
};

/** Every run prints its plan to the log, so the log's last change is the last run. */
function lastOutput(ctx: Context): string | null {
  try {
    return statSync(join(ctx.stateDir, LOG_FILE)).mtime.toISOString();
  } catch {
    return null;
  }
}
