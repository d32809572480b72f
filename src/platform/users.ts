// Home directories, for finding a process owner's ~/.claude.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parsePasswd } from './parse/passwd.js';

let passwd: Map<number, { name: string; home: string }> | undefined;

let uid: number | null | undefined;

/** The uid this tool runs as, or null where uids do not exist (Windows). Asked once. */
export function selfUid(): number | null {
  uid ??= typeof process.getuid === 'function' ? process.getuid() : null;
  return uid;
}

/** The home directory of a uid: ours from the environment, others' from /etc/passwd. */
export function homeDirOf(uid: number | null): string | null {
  if (uid === null || uid === selfUid()) return homedir();
  return users().get(uid)?.home ?? null;
}

/** A uid's login name, from /etc/passwd (null where it has none, or on Windows). */
export function userName(uid: number): string | null {
  return users().get(uid)?.name ?? null;
}

function users(): Map<number, { name: string; home: string }> {
  if (passwd) return passwd;
  try {
    passwd = parsePasswd(readFileSync('/etc/passwd', 'utf8'));
  } catch {
    passwd = new Map(); // no /etc/passwd (Windows, a minimal container): only our own home is known
  }
  return passwd;
}
