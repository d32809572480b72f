// State files are private: the audit log keeps command lines (redacted, but still what the user
// runs), the samples and the lock name the user's processes. Files are created 600 in a directory
// of 700, and a file or directory of ours found looser is tightened when we write to it.
//
// Where a place is not ours to change (a file another user owns, a directory the user named that
// is not our own `claude-reaper` directory, a file system that refuses modes), it is left as it
// is: `doctor` reports it, and checkPrivate() below says what it finds.
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** Group and other permission bits: any of them set is looser than private. */
const SHARED_BITS = 0o077;
/** The name our own directories have (`~/.local/state/claude-reaper`, `$XDG_RUNTIME_DIR/claude-reaper`). */
const OUR_DIR_NAME = 'claude-reaper';

/** The uid we run as; undefined on Windows, whose mode bits mean nothing (its profile's ACLs apply). */
const ownUid = (): number | undefined => process.getuid?.();

/**
 * Makes `dir` exist with mode 700. Its parents keep the user's umask (they are not ours); an
 * existing `claude-reaper` directory of ours that is looser is tightened.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE }); // the umask can only take bits away from 700
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const uid = ownUid();
  if (uid === undefined || basename(dir) !== OUR_DIR_NAME) return; // a directory the user named: doctor reports it
  const st = statSync(dir);
  if (st.isDirectory() && (st.mode & SHARED_BITS) !== 0 && st.uid === uid) tighten(() => chmodSync(dir, PRIVATE_DIR_MODE));
}

/** Opens a state file (creating it 600), and tightens an existing one of ours that is looser. */
export function openPrivate(path: string, flags: 'a' | 'w' | 'wx'): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  const uid = ownUid();
  if (uid === undefined) return fd;
  try {
    const st = fstatSync(fd);
    if ((st.mode & SHARED_BITS) !== 0 && st.uid === uid) tighten(() => fchmodSync(fd, PRIVATE_FILE_MODE));
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/** Appends to a state file in a private directory. */
export function appendPrivate(dir: string, name: string, text: string): void {
  ensurePrivateDir(dir);
  const fd = openPrivate(join(dir, name), 'a');
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a state file atomically (a private temp file, then rename), so a reader never sees half of it. */
export function replacePrivate(dir: string, name: string, text: string): void {
  ensurePrivateDir(dir);
  const tmp = join(dir, `${name}.${process.pid}.tmp`);
  const fd = openPrivate(tmp, 'w');
  try {
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
}

export type Privacy = 'private' | 'shared' | 'not-ours' | 'missing' | 'no-modes';

/** What a state file or directory's mode says: for `doctor`, and for the tests of this file. */
export function checkPrivate(path: string): Privacy {
  const uid = ownUid();
  if (uid === undefined) return 'no-modes';
  let st;
  try {
    st = statSync(path);
  } catch {
    return 'missing';
  }
  if (st.uid !== uid) return 'not-ours';
  return (st.mode & SHARED_BITS) === 0 ? 'private' : 'shared';
}

/** A file system that keeps no modes (a FAT or SMB mount) refuses chmod: the write still goes ahead. */
function tighten(change: () => void): void {
  try {
    change();
  } catch {
    // left looser than it should be: doctor reports it
  }
}
