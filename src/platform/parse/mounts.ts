// /proc/mounts (fstab format: device, mount point, type, options, ...): the options of the proc
// file system mounted at a path. Where several are stacked on one path, the last is the one seen.
// hidepid (proc(5)): 0/off every process is visible; 1/noaccess other users' /proc/PID is listed
// but unreadable; 2/invisible other users' processes are not listed; ptraceable, only processes
// we may ptrace are listed. A `gid=` group is exempt.

export type HidePid = 'off' | 'noaccess' | 'invisible' | 'ptraceable';

export interface ProcMount {
  hidepid: HidePid;
  /** The group whose members see everything (the `gid=` option), or null. */
  gid: number | null;
}

const HIDEPID: Readonly<Record<string, HidePid>> = { '0': 'off', off: 'off', '1': 'noaccess', noaccess: 'noaccess', '2': 'invisible', invisible: 'invisible', ptraceable: 'ptraceable' };

export function parseProcMount(mounts: string, mountPoint: string): ProcMount | null {
  let found: ProcMount | null = null;
  for (const line of mounts.split('\n')) {
    const [, path, type, options] = line.split(' ');
    if (type !== 'proc' || unescape(path ?? '') !== mountPoint) continue;
    const opts = new Map((options ?? '').split(',').map((o) => o.split('=', 2) as [string, string | undefined]));
    const gid = Number(opts.get('gid'));
    found = { hidepid: HIDEPID[opts.get('hidepid') ?? '0'] ?? 'off', gid: opts.has('gid') && Number.isInteger(gid) ? gid : null };
  }
  return found;
}

/** Mount points escape space, tab, newline and backslash as octal (`\040`). */
function unescape(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
