// Whether this machine can signal the pids a source lists. A Windows source (CIM, wmic) lists
// Windows pids, and a POSIX one (procfs, ps) POSIX pids; read off their platform (a stand-in
// PowerShell in a test, a ps that prints another machine's table), they name other processes here.
// Scanning such a table is harmless; signalling from it never is.
import type { ProcessSource } from './source.js';

export function signalsReach(source: Pick<ProcessSource, 'reparent' | 'id'>, platform: NodeJS.Platform = process.platform): boolean {
  return (source.reparent === 'windows') === (platform === 'win32');
}
