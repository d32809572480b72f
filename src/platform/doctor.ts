// `doctor`'s platform checks: what this OS lets a scan see. Linux: /proc's hidepid, whether the
// environment and fds of this user's processes (and other users') can be read, Yama. macOS: lsof
// for fd counts. Windows: PowerShell, and wmic as its fallback. Also whether each data source
// could run here. `process.platform` is looked at here, as in the rest of platform/.
import { check, type Check } from '../doctor/check.js';
import type { SourceId } from '../types.js';
import { parseProcMount } from './parse/mounts.js';
import { canRead, findProcesses, onPath, readText } from './probes.js';

// How many processes to try reading: a few, since one may be special (a container's init).
const PROBE_PROCESSES = 8;

export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Where proc is mounted (tests point it at a tree of their own). */
  procRoot?: string;
  /** This process's uid and groups (null on Windows). */
  uid?: number | null;
  groups?: readonly number[];
}

export function platformChecks(opts: ProbeOptions): Check[] {
  switch (opts.platform ?? process.platform) {
    case 'linux':
    case 'android':
      return linuxChecks(opts);
    case 'win32':
      return windowsChecks(opts);
    default:
      return psChecks(opts);
  }
}

/** Null when the source could run here, else why not. */
export function sourceUnavailable(id: SourceId, opts: ProbeOptions): string | null {
  const windows = (opts.platform ?? process.platform) === 'win32';
  switch (id) {
    case 'procfs':
      return readText(`${opts.procRoot ?? '/proc'}/self/stat`) !== null ? null : `${opts.procRoot ?? '/proc'} is not mounted`;
    case 'ps':
      return onPath('ps', opts.env, windows) ? null : 'ps is not on PATH';
    case 'cim':
      return onPath('powershell.exe', opts.env, windows) || onPath('pwsh', opts.env, windows) ? null : 'neither powershell.exe nor pwsh is on PATH';
    case 'wmic':
      return onPath('wmic', opts.env, windows) ? null : 'wmic is not on PATH (gone from current Windows 11)';
  }
}

function linuxChecks(opts: ProbeOptions): Check[] {
  const root = opts.procRoot ?? '/proc';
  const uid = opts.uid ?? process.getuid?.() ?? null;
  const isRoot = uid === 0;
  const checks: Check[] = [];

  const mount = parseProcMount(readText(`${root}/mounts`) ?? '', root);
  const hidepid = mount?.hidepid ?? 'off';
  const exempt = isRoot || (mount?.gid != null && (opts.groups ?? process.getgroups?.() ?? []).includes(mount.gid));
  const facts = { procRoot: root, hidepid, gid: mount?.gid ?? null };
  if (hidepid === 'off') checks.push(check('hidepid', 'ok', `${root} shows every process`, facts));
  else if (exempt) checks.push(check('hidepid', 'info', `${root} is mounted with hidepid=${hidepid}, which does not apply to this user (${isRoot ? 'root' : `group ${mount!.gid}`})`, facts));
  else {
    checks.push(
      check('hidepid', 'limit', `${root} is mounted with hidepid=${hidepid}: other users' processes are ${hidepid === 'noaccess' ? 'unreadable' : 'hidden'}, their children look orphaned and ancestors owned by others are unknown`, facts,
        `run as root, or as a member of the group named by gid= on the ${root} mount${mount?.gid != null ? ` (gid ${mount.gid})` : ''}, or remount it: mount -o remount,hidepid=0 ${root}`),
    );
  }

  // pid 1 is often a container's init that even root may not read: not a process a scan judges.
  const skip = new Set([process.pid, 1]);
  const mine = uid === null ? [] : findProcesses(root, (u) => u === uid, skip, PROBE_PROCESSES);
  const readable = (pid: number) => canRead(`${root}/${pid}/environ`) === 'ok' && canRead(`${root}/${pid}/fd`) === 'ok';
  const denied = mine.filter((pid) => !readable(pid));
  const ownFacts = { uid, tried: mine, denied };
  if (mine.length === 0) checks.push(check('environ-own', 'info', 'no other process of this user to try reading an environment and fds on', ownFacts));
  else if (denied.length === 0) checks.push(check('environ-own', 'ok', `the environment and fds of this user's processes can be read (tried ${mine.length})`, ownFacts));
  else if (denied.length < mine.length) checks.push(check('environ-own', 'info', `the environment or fds of ${denied.length} of ${mine.length} of this user's processes cannot be read (pid ${denied.join(', ')}); what cannot be read is not used as evidence`, ownFacts));
  else {
    checks.push(
      check('environ-own', 'limit', `the environment and fds of this user's processes cannot be read (tried pid ${denied.join(', ')}): tool shells and MCP servers cannot be tied to their claude, nor dead stdio peers seen`, ownFacts,
        'check what denies it: a security module (AppArmor, SELinux) profile, or a container without the ptrace read right; run claude-reaper where it can read /proc/PID/environ'),
    );
  }

  if (isRoot) checks.push(check('environ-others', 'ok', "runs as root: other users' processes are read like its own", {}));
  else {
    const others = uid === null ? [] : findProcesses(root, (u) => u !== uid, skip, PROBE_PROCESSES);
    const anyReadable = others.some((pid) => canRead(`${root}/${pid}/environ`) === 'ok');
    checks.push(
      check('environ-others', 'info', anyReadable || others.length === 0 ? "other users' environments can be read" : "other users' environments and fds cannot be read: with --all-users, run as root to tie their tool shells and MCP servers to their claude", { tried: others, anyReadable }),
    );
  }

  const yama = readText(`${root}/sys/kernel/yama/ptrace_scope`);
  // Yama checks ptrace attach only (security/yama/yama_lsm.c, PTRACE_MODE_ATTACH); reading
  // /proc/PID/environ and fd asks PTRACE_MODE_READ, which it leaves alone.
  checks.push(
    check('yama', 'info', yama === null ? 'no Yama ptrace_scope on this kernel' : `Yama ptrace_scope=${yama}: it limits ptrace attach, which claude-reaper does not use; reading environments and fds is checked above`, { ptraceScope: yama === null ? null : Number(yama) }),
  );
  return checks;
}

function psChecks(opts: ProbeOptions): Check[] {
  const lsof = onPath('lsof', opts.env);
  return [
    lsof
      ? check('lsof', 'ok', `lsof counts the fds of candidates (${lsof})`, { lsof })
      : check('lsof', 'limit', 'lsof is not on PATH: fd counts are unknown, so fd evidence and fd-leak outliers are missing', { lsof: null }, 'install lsof (it ships with macOS: check PATH includes /usr/sbin)'),
  ];
}

function windowsChecks(opts: ProbeOptions): Check[] {
  const ps = onPath('powershell.exe', opts.env, true) ?? onPath('pwsh', opts.env, true);
  const wmic = onPath('wmic', opts.env, true);
  return [
    ps
      ? check('powershell', 'ok', `PowerShell reads the process table (${ps})`, { powershell: ps, wmic })
      : check('powershell', 'limit', `neither powershell.exe nor pwsh is on PATH: ${wmic ? 'the scan falls back to wmic (deprecated, one process start per reading)' : 'and wmic is gone too: no scan can run'}`, { powershell: null, wmic },
          'allow Windows PowerShell (powershell.exe) for this user, or install PowerShell 7 (pwsh)'),
  ];
}
