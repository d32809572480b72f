// Small read-only questions to the OS for `doctor`: may this user read that file, is that
// program on PATH, which processes does /proc show. Each returns an answer, never throws.
import { accessSync, constants, readFileSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseStat } from './parse/procfs.js';

export type Access = 'ok' | 'denied' | 'gone' | 'error';

/** Whether a file can be read (or a directory listed) by this process. */
export function canRead(path: string): Access {
  try {
    if (statSync(path).isDirectory()) readdirSync(path);
    else readFileSync(path);
    return 'ok';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'denied';
    if (code === 'ENOENT' || code === 'ESRCH') return 'gone';
    return 'error';
  }
}

/** The program's path on `env`'s PATH (with PATHEXT on Windows), or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv, windows = false): string | null {
  // Windows matches names in any case; the lower-case forms serve file systems that do not.
  const exts = windows ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).flatMap((e) => [e, e.toLowerCase()]) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(windows ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of name.includes('.') ? [''] : exts) {
      const full = join(dir, `${name}${ext}`);
      try {
        accessSync(full, windows ? constants.F_OK : constants.X_OK);
        if (statSync(full).isFile()) return full;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Up to `max` processes under `root` (not `exclude`, not kernel threads) whose owner uid `wanted` accepts. */
export function findProcesses(root: string, wanted: (uid: number) => boolean, exclude: ReadonlySet<number>, max: number): number[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of names) {
    if (found.length >= max) break;
    if (!/^\d+$/.test(name) || exclude.has(Number(name))) continue;
    try {
      const st = statSync(join(root, name));
      const stat = parseStat(readFileSync(join(root, name, 'stat'), 'latin1'));
      // Kernel threads have no user space: children of kthreadd (pid 2), with an empty cmdline.
      if (!stat || stat.ppid === 2 || Number(name) === 2) continue;
      if (readFileSync(join(root, name, 'cmdline')).length === 0) continue;
      if (wanted(st.uid)) found.push(Number(name));
    } catch {
      // gone, or hidden: not a candidate
    }
  }
  return found;
}

/** A small text file's content, trimmed, or null. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}
