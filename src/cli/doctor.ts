// `claude-reaper doctor`
import { Option, type Command } from 'commander';
import { runDoctor } from '../commands/doctor.js';
import { EXIT } from '../errors.js';
import { SOURCE_CHOICES, type SourceChoice } from '../platform/index.js';
import { jsonText, useColor, type Io } from './io.js';

export function registerDoctor(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description('what this machine lets claude-reaper see and do: the process source, limits on a scan, Claude installs, schedule, hook, state')
    .option('--json', 'print one JSON document on stdout and nothing else')
    .addOption(new Option('--source <source>', 'the data source to check').choices(SOURCE_CHOICES).default('auto'))
    .option('--no-color', 'no colours (also: NO_COLOR, or output that is not a terminal)')
    .addHelpText('after', HELP)
    .action(async (raw: { json?: boolean; source: SourceChoice; color: boolean }) => {
      const report = await runDoctor({ env: io.env, source: raw.source });
      if (raw.json) io.stdout(jsonText(report, io));
      else {
        const { renderDoctor } = await import('../render/doctor.js');
        io.stdout(renderDoctor(report, { color: useColor(io, raw) }));
      }
      setExit(report.trusted ? EXIT.ok : EXIT.findings);
    });
}

const HELP = `
Checks: the process source in use and its fallbacks; what blinds a scan (/proc mounted with
hidepid, environments and fds of processes that cannot be read, lsof or PowerShell missing);
Claude Code's config dirs and installs; the scheduled job and the SessionEnd hook, and when
they last ran; the state dir (writable, private: 700 and 600) and the lock.

Exit codes: 0 a scan here can be trusted; 1 something limits it (each limit is shown with its
fix); 2 bad usage.

Examples:
  claude-reaper doctor                          every check, with a fix for each problem
  claude-reaper doctor --json | jq '.checks[] | select(.level == "limit")'
  claude-reaper doctor --source ps              would the ps source work here?
`;
