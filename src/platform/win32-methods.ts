// What the two Windows sources (CIM and wmic) do alike once they can read CPU times for a set of
// pids: Win32_Process has the handle count already, and the rest (environment, cwd, sockets) it
// cannot give.
import type { CpuReading, Details, ProcessSource } from './source.js';

type CpuOf = (pids: readonly number[]) => Promise<Map<number, { cpuTimeMs: number; startId: string }>>;

/** The properties both read, and nothing else. */
export const WIN32_PROCESS_PROPERTIES = [
  'ProcessId',
  'ParentProcessId',
  'Name',
  'ExecutablePath',
  'CommandLine',
  'CreationDate',
  'KernelModeTime',
  'UserModeTime',
  'WorkingSetSize',
  'HandleCount',
  'ThreadCount',
] as const;

export function win32Methods(cpuOf: CpuOf): Pick<ProcessSource, 'details' | 'readCpu' | 'identify'> {
  return {
    async details(pids, records) {
      const out = new Map<number, Details>();
      for (const pid of pids) out.set(pid, { markers: null, fdCount: records.get(pid)?.fdCount ?? null, cwd: null, denied: [] });
      return out;
    },

    async readCpu(pids) {
      const out = new Map<number, CpuReading>();
      if (pids.length === 0) return out;
      const cpu = await cpuOf(pids);
      const at = process.hrtime.bigint();
      for (const pid of pids) {
        const c = cpu.get(pid);
        if (c) out.set(pid, { cpuNs: c.cpuTimeMs * 1e6, at, startId: c.startId, cpuTimeMs: c.cpuTimeMs });
      }
      return out;
    },

    // Windows has no zombies: an exited process is no longer listed, whoever holds its handle.
    async identify(pid) {
      const startId = (await cpuOf([pid])).get(pid)?.startId;
      return startId === undefined ? null : { startId, zombie: false };
    },
  };
}
