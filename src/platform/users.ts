// Home directories, for finding a process owner's ~/.claude.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

let passwdHomes: Map<number, string> | undefined;

/** The uid this tool runs as, or null where uids do not exist (Windows). */
export function selfUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

/** The home directory of a uid: ours from the environment, others' from /etc/passwd. */
export function homeDirOf(uid: number | null): string | null {
  const self = selfUid();
  if (uid === null || uid === self) return homedir();
  passwdHomes ??= readPasswdHomes();
  return passwdHomes.get(uid) ?? null;
}

function readPasswdHomes(): Map<number, string> {
  const homes = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length >= 6 && /^\d+$/.test(f[2]!) && !homes.has(Number(f[2]))) homes.set(Number(f[2]), f[5]!);
    }
  } catch {
    // No /etc/passwd (Windows, or a minimal container): only our own home is known.
  }
  return homes;
}
