// Windows fallback: `wmic process ... /format:csv`, for machines where PowerShell is blocked.
// wmic is deprecated and no longer installed by default on Windows 11 24H2 (soyuka/pidusage#183).
// It has no in-run sampling: CPU % comes from two readCpu calls a window apart, like ps.
import { PlatformError } from '../errors.js';
import { parseWmicCpu, parseWmicList } from './parse/wmic.js';
import { runCommand, type CommandResult, type RunCommand } from './exec.js';
import { commandFailed, ownWords, programName } from './failure.js';
import type { Listing, ProcessSource } from './source.js';
import { WIN32_PROCESS_PROPERTIES, win32Methods } from './win32-methods.js';

/** wmic prints them alphabetically after `Node`, whatever the order asked. */
export const WMIC_PROPERTIES = [...WIN32_PROCESS_PROPERTIES];
const CPU_PROPERTIES = 'CreationDate,KernelModeTime,ProcessId,UserModeTime';
const LIST_TIMEOUT_MS = 30_000;
const QUERY_TIMEOUT_MS = 15_000;
// A where clause grows ~15 characters a pid; past this many, reading every process is simpler.
const MAX_WHERE_PIDS = 100;

export interface WmicSourceOptions {
  wmic?: string;
  run?: RunCommand;
}

/** The where clause for some pids. Node quotes it (it has spaces), as wmic wants. */
export function wmicWhere(pids: readonly number[]): string {
  for (const pid of pids) if (!Number.isSafeInteger(pid) || pid < 0) throw new RangeError(`not a pid: ${pid}`);
  return pids.map((p) => `ProcessId=${p}`).join(' or ');
}

export function createWmicSource(opts: WmicSourceOptions = {}): ProcessSource {
  const wmic = opts.wmic ?? 'wmic';
  const run = opts.run ?? runCommand;

  function fail(what: string, r: CommandResult): never {
    // Not installed is the normal case on Windows 11 24H2 and later.
    if (r.code === 'ENOENT') throw new PlatformError(`${what}: wmic is not installed`);
    throw new PlatformError(`${what}: ${commandFailed(wmic, r)}`);
  }

  async function cpuOf(pids: readonly number[]) {
    const where = pids.length > MAX_WHERE_PIDS ? [] : ['where', wmicWhere(pids)];
    const r = await run(wmic, ['process', ...where, 'get', CPU_PROPERTIES, '/format:csv'], { timeout: QUERY_TIMEOUT_MS });
    // No match prints "No Instance(s) Available." on stderr and no table: an answer, not a failure.
    if (r.failed) fail('cannot read CPU times', r);
    return parseWmicCpu(r.stdout);
  }

  return {
    id: 'wmic',
    reparent: 'windows',

    async list() {
      const r = await run(wmic, ['process', 'get', WMIC_PROPERTIES.join(','), '/format:csv'], { timeout: LIST_TIMEOUT_MS });
      if (r.failed) fail('cannot read the process table', r);
      const { records, bad } = parseWmicList(r.stdout, Date.now());
      if (records.size === 0) throw new PlatformError(`cannot read the process table: ${programName(wmic)} printed no processes (${ownWords(r.stderr) || 'no CSV table'})`);
      const denied = new Map<number, string[]>();
      for (const row of bad) if (row.pid !== null) denied.set(row.pid, ['record: wmic row did not parse']);
      return { records, denied } satisfies Listing;
    },

    ...win32Methods(cpuOf),
  };
}
