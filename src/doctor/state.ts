// The state dir (earlier CPU samples, the audit log, the hook log) and the lock: can this user
// write there, are the files private to it, and does a reaper hold the lock now.
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runtimeDir, stateDir } from '../platform/dirs.js';
import type { ProcessSource } from '../platform/source.js';
import { shQuote } from '../schedule/quote.js';
import { lockState } from '../state/lock.js';
import { check, type Check } from './check.js';

// Command lines in the audit log can carry tokens: the dir is the user's alone (700), its files too (600).
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const GROUP_OR_OTHER = 0o077;

export async function stateChecks(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, source: ProcessSource | null): Promise<Check[]> {
  const dir = stateDir(env);
  const checks: Check[] = [writable(dir)];
  // Windows keeps no POSIX modes: its files are private through the profile's ACLs.
  if (platform !== 'win32' && existsSync(dir)) checks.push(privacy(dir));
  if (source) checks.push(await lock(runtimeDir(env), source));
  return checks;
}

function writable(dir: string): Check {
  // Where it does not exist yet, the first run creates it in the nearest existing parent.
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const facts = { path: dir, exists: at === dir };
  try {
    if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' });
    accessSync(at, constants.W_OK);
    return check('state-dir', 'ok', `state in ${dir}${at === dir ? '' : ' (created at the first run)'}`, facts);
  } catch (err) {
    return check('state-dir', 'limit', `cannot write the state dir ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message} at ${at}): no earlier CPU samples are kept, so idle durations cannot be proven across runs, and the audit log cannot be written`, facts,
      `make ${at} writable by this user, or point CLAUDE_REAPER_STATE_DIR at a directory it owns`);
  }
}

function privacy(dir: string): Check {
  const loose: { path: string; mode: string }[] = [];
  const mode = (p: string) => statSync(p).mode & 0o777;
  if (mode(dir) & GROUP_OR_OTHER) loose.push({ path: dir, mode: octal(mode(dir)) });
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      if (mode(path) & GROUP_OR_OTHER) files.push(path);
    } catch {
      // removed meanwhile
    }
  }
  loose.push(...files.map((path) => ({ path, mode: octal(mode(path)) })));
  if (loose.length === 0) return check('state-private', 'ok', `${dir} and its files are private to this user (700, 600)`, { loose });
  const fix = [loose[0]!.path === dir ? `chmod ${octal(PRIVATE_DIR)} ${shQuote(dir)}` : '', files.length ? `chmod ${octal(PRIVATE_FILE)} ${files.map(shQuote).join(' ')}` : ''].filter(Boolean).join(' && ');
  return check('state-private', 'warning', `readable by others: ${loose.map((l) => `${l.path} (${l.mode})`).join(', ')}; the audit log holds command lines`, { loose }, fix);
}

async function lock(dir: string, source: ProcessSource): Promise<Check> {
  const { path, holder, live } = await lockState(dir, source);
  if (!existsSync(path)) return check('lock', 'ok', `lock ${path}: free`, { path, holder: null, live: false });
  if (holder && live) return check('lock', 'info', `lock ${path}: held by pid ${holder.pid} (${holder.command}) since ${holder.since}`, { path, holder, live });
  return check('lock', 'info', `lock ${path}: left by a reaper that is gone; the next one takes it over`, { path, holder, live: false });
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}
