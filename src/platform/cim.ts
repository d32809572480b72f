// Windows: PowerShell's Get-CimInstance Win32_Process. One run lists every process and takes both
// CPU samples (see cim-script.ts), so PowerShell's start-up is paid once per scan.
import { PlatformError } from '../errors.js';
import { cpuScript, listScript, powershellArgs } from './cim-script.js';
import { parseCimCpu, parseCimList } from './parse/cim.js';
import { runCommand, type CommandResult, type RunCommand } from './exec.js';
import { commandFailed, ownWords } from './failure.js';
import type { Listing, ProcessSource } from './source.js';
import { WIN32_PROCESS_PROPERTIES, win32Methods } from './win32-methods.js';

// PowerShell's start-up plus two full Win32_Process queries: seconds on a loaded machine.
const LIST_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MS = 30_000;
// Past this many pids, reading every process is cheaper than a WQL filter of hundreds of terms.
const MAX_FILTER_PIDS = 100;

export interface CimSourceOptions {
  /** The PowerShell to run. Default: powershell.exe (5.1, on every Windows), else pwsh (7). */
  shell?: string;
  run?: RunCommand;
}

export function createCimSource(opts: CimSourceOptions = {}): ProcessSource {
  const run = opts.run ?? runCommand;
  let shell = opts.shell;

  async function runScript(script: string, timeout: number): Promise<CommandResult> {
    const args = powershellArgs(script);
    if (shell) return run(shell, args, { timeout });
    const first = await run('powershell.exe', args, { timeout });
    if (first.code !== 'ENOENT') {
      shell = 'powershell.exe';
      return first;
    }
    const second = await run('pwsh', args, { timeout });
    if (second.code !== 'ENOENT') shell = 'pwsh';
    return second;
  }

  /** Names the PowerShell that ran and what it said; never the script. */
  function fail(what: string, r: CommandResult): never {
    if (r.code === 'ENOENT' && !shell) throw new PlatformError(`${what}: neither powershell.exe nor pwsh was found`);
    throw new PlatformError(`${what}: ${commandFailed(shell ?? 'powershell.exe', r)}`);
  }

  async function cpuOf(pids: readonly number[]) {
    const r = await runScript(cpuScript(pids.length > MAX_FILTER_PIDS ? null : pids), QUERY_TIMEOUT_MS);
    if (r.failed) fail('cannot read CPU times', r);
    return parseCimCpu(r.stdout);
  }

  return {
    id: 'cim',
    reparent: 'windows',

    async list({ sampleMs }) {
      const window = Math.max(0, Math.round(sampleMs));
      const r = await runScript(listScript(window), LIST_TIMEOUT_MS + window);
      if (r.failed) fail('cannot read the process table', r);
      let parsed;
      try {
        parsed = parseCimList(r.stdout, Date.now());
      } catch (err) {
        // Text that is not JSON at all is PowerShell talking (a warning, an error on stdout):
        // show its first words. JSON that does not parse is data: show only where it broke.
        const text = r.stdout.trimStart();
        const said = text.startsWith('[') || text.startsWith('{') ? (err as Error).message : ownWords(text) || 'nothing';
        throw new PlatformError(`cannot read the process table: ${shell ?? 'PowerShell'} printed no JSON (${said})`);
      }
      if (parsed.records.size === 0) throw new PlatformError(`cannot read the process table: ${shell ?? 'PowerShell'} listed no processes`);
      const listing: Listing = { records: parsed.records, denied: new Map() };
      if (window > 0 && parsed.sampledMs !== null) {
        listing.cpuPercent = parsed.cpuPercent;
        listing.sampledMs = parsed.sampledMs;
      }
      return listing;
    },

    ...win32Methods(cpuOf),
  };
}
