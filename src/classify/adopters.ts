// Processes that adopt orphans on POSIX: init (pid 1) and subreapers. Linux lets any process
// become a subreaper (prctl(PR_SET_CHILD_SUBREAPER)), and /proc does not say which ones did, so
// the known ones are listed by name; the orphan rule also has a test that needs no names (the
// process group leader is gone and the parent is outside that group).
import type { ProcessRecord } from '../types.js';
import { basename } from './match.js';

const SUBREAPERS = new Set([
  'tini', // docker --init, many images' ENTRYPOINT
  'docker-init', // docker's bundled tini
  'dumb-init',
  'catatonit', // podman --init
  's6-svscan',
  'containerd-shim',
  'containerd-shim-runc-v2',
  'conmon', // podman's monitor
]);

/** Whether this process is init or a known subreaper, i.e. where orphans land. */
export function isAdopter(rec: Pick<ProcessRecord, 'pid' | 'name' | 'argv'>): boolean {
  if (rec.pid === 1) return true;
  // systemd --user is every login's subreaper: Linux orphans land there, not on pid 1.
  if (rec.name === 'systemd') return rec.argv?.includes('--user') ?? false;
  // WSL 2 runs each session under `Relay(<pid>)` processes that adopt orphans.
  if (/^Relay\(\d+\)$/.test(rec.name)) return true;
  const argv0 = rec.argv?.[0];
  return SUBREAPERS.has(rec.name) || (argv0 !== undefined && SUBREAPERS.has(basename(argv0)));
}
