// Windows never reparents: a process keeps the ParentProcessId of the parent that started it,
// after that parent exits and even after the pid is given to another process (Win32_Process,
// ParentProcessId: "It is also possible that ParentProcessId incorrectly refers to a process that
// reuses a process identifier", learn.microsoft.com). So on Windows a process is orphaned
// when its parent pid names no process, or names one that started after it: that one cannot be
// the parent, it only got the dead parent's number.
import type { ProcessRecord } from '../types.js';

type Rec = Pick<ProcessRecord, 'pid' | 'ppid' | 'startTime'>;

/** Whether the process that started `rec` is gone (see the comment above for why). */
export function windowsParentGone(rec: Rec, records: ReadonlyMap<number, Rec>): boolean {
  // pid 0 (the idle process) is the parent of System (4) and of itself: there is no owner to lose.
  if (rec.ppid === 0 || rec.ppid === rec.pid) return false;
  const parent = records.get(rec.ppid);
  if (!parent) return true;
  return parent.startTime > rec.startTime;
}
