// The external programs some tests drive for real (a C compiler, `script`, `ps`, crontab, the
// shells, Prometheus's tools, notify-send). A test that needs one runs against the real program
// where it is installed and skips, saying which program and which Debian package, where it is not:
// `npm ci && npm test` passes on a bare machine with only Node, and .ci/run installs the packages
// so that CI runs every test.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TestRunner } from 'vitest';

/** The Debian package each program comes from, for the skip message (and .ci/run's list). */
export const PACKAGES: Readonly<Record<string, string>> = {
  cc: 'gcc',
  script: 'bsdutils',
  ps: 'procps',
  lsof: 'lsof',
  crontab: 'cron',
  unshare: 'util-linux',
  setpriv: 'util-linux',
  zsh: 'zsh',
  fish: 'fish',
  python3: 'python3',
  'systemd-analyze': 'systemd',
  systemctl: 'systemd',
  promtool: 'prometheus',
  'prometheus-node-exporter': 'prometheus-node-exporter',
  'notify-send': 'libnotify-bin',
  'dbus-daemon': 'dbus-daemon',
  Xvfb: 'xvfb',
  dunst: 'dunst',
  dunstctl: 'dunst',
};

/** The full path the program would run from, found on PATH as a shell would, or null. */
export function which(name: string, path: string | undefined = process.env.PATH): string | null {
  return whichAll(name, path)[0] ?? null;
}

/** Every copy of the program on PATH, in PATH order (a pyenv python3 may stand before Debian's). */
export function whichAll(name: string, path: string | undefined = process.env.PATH): string[] {
  if (name.includes('/')) return executable(name) ? [name] : [];
  const found: string[] = [];
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const full = join(dir, name);
    if (executable(full) && !found.includes(full)) found.push(full);
  }
  return found;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why a test cannot run here ("zsh is not installed (Debian package zsh)"), or null when every program is there. */
export function missing(...names: string[]): string | null {
  const absent = names.filter((n) => which(n) === null);
  if (absent.length === 0) return null;
  return absent.map((n) => `${n} is not installed${PACKAGES[n] ? ` (Debian package ${PACKAGES[n]})` : ''}`).join('; ');
}

/**
 * Skips the running test, with the reason, from inside a helper (or a beforeEach): the helpers
 * that start a compiled fake claude call this when there is no compiler. Outside a test (a
 * beforeAll), there is nothing to skip: it throws.
 */
export function skipHere(reason: string): never {
  const test = TestRunner.getCurrentTest();
  if (test?.context) test.context.skip(reason);
  throw new Error(reason);
}

/** Skips the running test unless every program is installed. */
export function requireTools(...names: string[]): void {
  const why = missing(...names);
  if (why) skipHere(why);
}
