// The interface every data source implements. Sources fetch and translate; identity, sampling
// policy and safety live above them (snapshot/, reap/).
import type { ClaudeMarkers, ProcessRecord, ReparentModel, SocketInfo, SourceId } from '../types.js';

export interface Listing {
  records: Map<number, ProcessRecord>;
  /** Fields that could not be read, by pid (`exe: permission denied`). */
  denied: Map<number, string[]>;
  /**
   * CPU % over a window, for sources that sample inside one call (Windows pays PowerShell's
   * start-up once and takes both readings in the same run). Absent for the others.
   */
  cpuPercent?: Map<number, number>;
  /** The window the source itself sampled over, ms. */
  sampledMs?: number;
}

/** One reading of a process's CPU counter, for the two-readings-a-window-apart method. */
export interface CpuReading {
  /** Time on CPU, ns (schedstat), or user+system from clock ticks converted to ns. */
  cpuNs: number;
  /** Monotonic time of the reading, ns. */
  at: bigint;
  startId: string;
  /** CPU time, ms (for the record). */
  cpuTimeMs: number;
}

export interface Identity {
  startId: string;
  /** Exited, waiting for its parent to reap it: it cannot be signalled any more. */
  zombie: boolean;
}

export interface Details {
  /** The executable path, where the listing left it unread (undefined: keep the listing's). */
  exe?: string | null;
  /** The owner, where the listing left it unread (undefined: keep the listing's). */
  uid?: number | null;
  markers: ClaudeMarkers | null;
  fdCount: number | null;
  cwd: string | null;
  /** Fields that were denied (`fd count`, `environment`, `cwd`). */
  denied: string[];
}

export interface DetailsOptions {
  /** Read the environment's markers (default true). */
  environment?: boolean;
  /**
   * `environment`: the markers alone, where the source can read them apart for less. They decide
   * which candidates are related at all; the rest is read for those only (a source may still give
   * the rest, where it costs nothing more).
   */
  only?: 'environment';
}

export interface ProcessSource {
  readonly id: SourceId;
  readonly reparent: ReparentModel;
  /** Every process, one reading. Throws PlatformError when the table cannot be read at all. */
  list(opts: { sampleMs: number }): Promise<Listing>;
  /** fd counts, cwd, environment markers (and the exe where the listing skipped it), for candidates only. */
  details(pids: readonly number[], records: ReadonlyMap<number, ProcessRecord>, opts?: DetailsOptions): Promise<Map<number, Details>>;
  /**
   * Socket facts, where the platform shows them: `stdio` reads fds 0-2 only (is anyone still on
   * the other end?), `all` every fd (API connections, listening ports too).
   */
  sockets?(requests: ReadonlyMap<number, 'stdio' | 'all'>): Promise<Map<number, SocketInfo | null>>;
  /** A CPU reading for each pid still alive (absent from the map when gone). */
  readCpu(pids: readonly number[]): Promise<Map<number, CpuReading>>;
  /** The pid's current start token and whether it has exited (a zombie), or null when no such process exists now. */
  identify(pid: number): Promise<Identity | null>;
}
