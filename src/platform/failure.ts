// Why an external command failed, in its own words: the program's name (never its arguments: a
// PowerShell script is a page long, and a command line may carry tokens) and the first lines it
// wrote to stderr. execa's own message is the whole command line and an exit code, which says
// neither (wmic's `Invalid XSL format (or) file name.` read as "exit code 178: wmic process get…").
import type { CommandResult } from './exec.js';

// One line of error text is the goal; two lines of it cover "what, then why" (PowerShell's
// `Get-CimInstance : …` then the reason, wmic's `ERROR:` then `Description = …`).
const MAX_LINES = 2;
const MAX_CHARS = 240;

// ANSI colours: PowerShell 7 paints its error view red even when stderr is a pipe.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Lines that carry no reason: PowerShell's position markers and category trailer (`At line:1
 * char:1`, `+ Get-CimInstance …`, `+ ~~~~`, `+ CategoryInfo : …`), wmic's `Node - HOST` banner.
 */
const NOISE = /^(?:At line:\d+|At char:\d+|\+|~+$|Node - |ERROR:$)/;

/** The program's name as a user would say it: the basename of what was run. */
export function programName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** The first meaningful lines of a command's stderr, joined and bounded; '' when it said nothing. */
export function ownWords(stderr: string): string {
  const lines: string[] = [];
  for (const raw of stderr.replace(ANSI, '').split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === '' || NOISE.test(line)) continue;
    lines.push(line);
    if (lines.length === MAX_LINES) break;
  }
  const text = lines.join(' ');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

/**
 * Why `r` failed: `not found`, `timed out`, `exit code 44210: Invalid XSL format (or) file name.`,
 * `killed by SIGKILL`, or a start-up error code (`EACCES`). Names no argument.
 */
export function failureReason(r: CommandResult): string {
  if (r.code === 'ENOENT') return 'not found';
  if (r.timedOut) return 'timed out';
  const said = ownWords(r.stderr);
  let status: string;
  if (r.exitCode !== undefined) status = `exit code ${r.exitCode}`;
  else if (r.signal) status = `killed by ${r.signal}`;
  else status = r.code ? `could not be started (${r.code})` : 'failed';
  return said ? `${status}: ${said}` : status;
}

/** `wmic failed (exit code 44210: Invalid XSL format (or) file name.)` */
export function commandFailed(file: string, r: CommandResult): string {
  return `${programName(file)} failed (${failureReason(r)})`;
}
