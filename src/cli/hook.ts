// `claude-reaper hook install | uninstall | run | reap`: Claude Code's SessionEnd hook, which
// reaps what a session leaves behind as soon as that session's claude process has exited.
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { hookCommand } from '../hook/command.js';
import { parseInput, readInput } from '../hook/input.js';
import { addHook, HOOK_EVENT, removeHook } from '../hook/merge.js';
import { appendHookLog, logLine, reapAfter, WAIT_MS } from '../hook/reap.js';
import { hookRun } from '../hook/run.js';
import { formatSettings, readSettings, settingsPath, writeSettings } from '../hook/settings.js';
import { runtimeDir, stateDir } from '../platform/dirs.js';
import { openSource } from '../platform/index.js';
import { formatDuration } from '../render/format.js';
import { parseDuration } from '../util/duration.js';
import { reaperCommand } from '../util/entry.js';
import { parsePids } from '../util/size.js';
import { jsonText, type Io } from './io.js';

interface RawReap {
  after?: string;
  afterStart?: string;
  wait: string;
  session?: string;
  json?: boolean;
}

export function registerHook(program: Command, io: Io, setExit: (code: number) => void): void {
  const hook = program
    .command('hook')
    .description(`Claude Code's ${HOOK_EVENT} hook: reap what a session leaves behind once it has ended`)
    .addHelpText('after', HELP);
  const settingsOption = '--settings <file>';
  const settingsHelp = 'the settings file (default: $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json)';

  hook
    .command('install')
    .description(`add the ${HOOK_EVENT} hook to Claude Code's settings (other settings and hooks stay as they are)`)
    .option(settingsOption, settingsHelp)
    .addHelpText('after', INSTALL_EXAMPLES)
    .action((raw: { settings?: string }) => {
      const file = readSettings(raw.settings ?? settingsPath(io.env));
      const command = hookCommand(reaperCommand());
      const merged = addHook(file.data, command, `settings ${file.path}`);
      if (!merged.changed) io.stdout(`the ${HOOK_EVENT} hook is already in ${file.path}: nothing changed\n`);
      else {
        const backup = writeSettings(file, formatSettings(file, merged.settings));
        io.stdout(`added the ${HOOK_EVENT} hook to ${file.path}${backup ? ` (the previous file is in ${backup})` : ' (new file)'}\n  it runs: ${command}\n`);
      }
      setExit(EXIT.ok);
    });

  hook
    .command('uninstall')
    .description(`remove our ${HOOK_EVENT} hook from Claude Code's settings, and nothing else`)
    .option(settingsOption, settingsHelp)
    .addHelpText('after', UNINSTALL_EXAMPLES)
    .action((raw: { settings?: string }) => {
      const file = readSettings(raw.settings ?? settingsPath(io.env));
      const merged = removeHook(file.data, `settings ${file.path}`);
      if (!merged.changed) io.stdout(`no claude-reaper hook in ${file.path}: nothing changed\n`);
      else {
        const backup = writeSettings(file, formatSettings(file, merged.settings));
        io.stdout(`removed the ${HOOK_EVENT} hook from ${file.path} (the previous file is in ${backup})\n`);
      }
      setExit(EXIT.ok);
    });

  hook
    .command('run')
    .description('what the hook runs: start a detached reaper for this session, and return at once')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async () => {
      // Whatever happens, the session's exit must not wait on us or report a failed hook.
      try {
        const text = io.stdinIsTTY ? null : await readInput(process.stdin);
        const command = { node: process.execPath, script: process.argv[1] ?? reaperCommand().script };
        const r = await hookRun({ input: parseInput(text), command, env: io.env });
        const when = r.claude ? `after claude ${r.claude.pid} exits` : 'now (no claude process above this hook)';
        io.stdout(`claude-reaper: reaping orphans ${when}; reaper pid ${r.reaperPid ?? 'unknown'}\n`);
      } catch (err) {
        io.stderr(`claude-reaper: warning: ${(err as Error).message}\n`);
      }
      setExit(EXIT.ok);
    });

  hook
    .command('reap')
    .description('wait for a claude process to exit, then reap orphans and strays (what `hook run` starts)')
    .option('--after <pid>', 'the claude process to wait for')
    .option('--after-start <id>', "its start token, so a reused pid is not waited on")
    .option('--wait <duration>', 'give up waiting after this long', formatDuration(WAIT_MS))
    .option('--session <id>', 'the session that ended (for the log)')
    .option('--json', 'print the result as one JSON document')
    .addHelpText('after', REAP_EXAMPLES)
    .action(async (raw: RawReap) => setExit(await reap(raw, io)));
}

async function reap(raw: RawReap, io: Io): Promise<number> {
  if ((raw.after === undefined) !== (raw.afterStart === undefined)) throw new UsageError('--after and --after-start go together');
  const after = raw.after === undefined ? null : { pid: parsePids([raw.after])[0]!, startId: raw.afterStart! };
  const waitMs = parseDuration(raw.wait, '--wait', { allowZero: true });
  const dir = stateDir(io.env);
  const session = raw.session ?? null;
  try {
    const outcome = await reapAfter({ after, waitMs, source: openSource(), config: loadConfig(undefined, io.env), stateDir: dir, lockDir: runtimeDir(io.env) });
    appendHookLog(dir, logLine(outcome, after, session));
    if (outcome.kind === 'still-running') {
      io.stdout(`claude ${outcome.claude.pid} is still running after ${formatDuration(outcome.waitedMs)}: nothing reaped\n`);
      return EXIT.ok;
    }
    if (outcome.kind === 'busy') {
      io.stdout(`another claude-reaper held the lock for ${formatDuration(outcome.waitedMs)}: nothing reaped\n`);
      return EXIT.ok;
    }
    if (outcome.auditError) io.stderr(`claude-reaper: warning: ${outcome.auditError}\n`);
    if (raw.json) io.stdout(jsonText(outcome.result, io));
    else io.stdout((await import('../render/kill.js')).renderResult(outcome.result, { color: false, width: Number.MAX_SAFE_INTEGER }));
    const s = outcome.result.summary;
    return s.survived + s.unkillable + s.denied + s.refused > 0 ? EXIT.findings : EXIT.ok;
  } catch (err) {
    appendHookLog(dir, logLine({ kind: 'error', message: (err as Error).message }, after, session));
    throw err;
  }
}

const HELP = `
install adds one entry to Claude Code's settings (a backup of the old file is kept beside it):
  "hooks": {"${HOOK_EVENT}": [{"matcher": "", "hooks": [{"type": "command",
             "command": "\\"<node>\\" \\"<claude-reaper>\\" hook run"}]}]}
Installing again changes nothing; uninstall removes exactly that entry.

When a session ends, \`hook run\` starts a detached reaper and returns at once. The reaper waits
(up to ${formatDuration(WAIT_MS)}) for that session's claude process to exit, then does what
\`kill --orphans --yes --sample 0\` does: MCP servers, tool shells and claude children left by that
session or an earlier one. Protected processes stay protected. Each run adds a line to hook.log
in the state dir; what was signalled goes to the audit log.

Examples:
  claude-reaper hook install                 reap after every Claude Code session
  claude-reaper hook uninstall               stop
  claude-reaper log                          what the hook has reaped
`;

const INSTALL_EXAMPLES = `
Examples:
  claude-reaper hook install                                    your user settings
  claude-reaper hook install --settings .claude/settings.json   this project only
`;

const UNINSTALL_EXAMPLES = `
Examples:
  claude-reaper hook uninstall                                  your user settings
  claude-reaper hook uninstall --settings .claude/settings.json
`;

const RUN_EXAMPLES = `
Claude Code runs this when a session ends, with the session's JSON on stdin.

Examples:
  claude-reaper hook run           by hand: reap once the claude above this shell exits (now if none)
  echo '{"session_id":"abc"}' | claude-reaper hook run    with input, as Claude Code runs it
`;

const REAP_EXAMPLES = `
Examples:
  claude-reaper hook reap                    reap orphans and strays now, as the hook does
  claude-reaper hook reap --json             the same, the result as JSON
`;
