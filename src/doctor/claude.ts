// Claude Code as installed for this user: the config dirs (where its session records and
// transcripts, the strongest evidence of idle and hung, are kept) and the installs with versions.
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userHome } from '../platform/dirs.js';
import { onPath } from '../platform/probes.js';
import { check, type Check } from './check.js';

// Session records are small, but a config dir can hold thousands of stale ones: the versions seen
// are read from this many at most.
const MAX_RECORDS_READ = 200;
const SEMVER = /^\d+\.\d+\.\d+/;

interface ConfigDir {
  path: string;
  sessionRecords: number;
  transcripts: number;
  versions: string[];
}

export function claudeChecks(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Check[] {
  const home = userHome(env);
  const candidates = [...new Set([env.CLAUDE_CONFIG_DIR, join(home, '.claude')].filter((d): d is string => !!d))];
  const dirs = candidates.filter((d) => existsSync(d)).map(configDir);
  const installs = findInstalls(env, home, platform);
  const checks: Check[] = [];
  if (dirs.length === 0) {
    checks.push(check('claude-config', 'info', `no Claude Code config dir (${candidates.join(', ')}): session records and transcripts are read where they exist`, { candidates, dirs }));
  } else {
    const words = dirs.map((d) => `${d.path} (${d.sessionRecords} session records${d.versions.length ? `, versions ${d.versions.join(', ')}` : ''}; ${d.transcripts} transcripts)`);
    checks.push(check('claude-config', 'ok', `Claude Code config: ${words.join('; ')}`, { candidates, dirs }));
  }
  checks.push(
    installs.length === 0
      ? check('claude-install', 'info', 'no Claude Code install found for this user (claude on PATH, the native installer, npm global)', { installs })
      : check('claude-install', 'ok', `Claude Code: ${installs.map((i) => `${i.version ?? 'version unknown'} at ${i.path}`).join('; ')}`, { installs }),
  );
  return checks;
}

function configDir(path: string): ConfigDir {
  const records = list(join(path, 'sessions')).filter((n) => n.endsWith('.json'));
  const versions = new Set<string>();
  for (const name of records.slice(0, MAX_RECORDS_READ)) {
    try {
      const v = (JSON.parse(readFileSync(join(path, 'sessions', name), 'utf8')) as { version?: unknown }).version;
      if (typeof v === 'string') versions.add(v);
    } catch {
      // half-written or not ours
    }
  }
  const transcripts = list(join(path, 'projects')).reduce((n, project) => n + list(join(path, 'projects', project)).filter((f) => f.endsWith('.jsonl')).length, 0);
  return { path, sessionRecords: records.length, transcripts, versions: [...versions].sort() };
}

interface Install {
  path: string;
  version: string | null;
  how: 'PATH' | 'native installer' | 'npm global';
}

function findInstalls(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): Install[] {
  const out: Install[] = [];
  const onPathClaude = onPath('claude', env, platform === 'win32');
  if (onPathClaude) out.push({ path: onPathClaude, version: versionOfPath(onPathClaude), how: 'PATH' });
  // The native installer keeps every version under ~/.local/share/claude/versions/<semver>.
  const versionsDir = join(home, '.local', 'share', 'claude', 'versions');
  for (const v of list(versionsDir).filter((n) => SEMVER.test(n))) out.push({ path: join(versionsDir, v), version: v, how: 'native installer' });
  // npm's global packages sit beside the node that runs this (<prefix>/lib/node_modules, Windows <prefix>/node_modules).
  for (const modules of [join(dirname(dirname(process.execPath)), 'lib', 'node_modules'), join(dirname(process.execPath), 'node_modules')]) {
    const pkg = join(modules, '@anthropic-ai', 'claude-code', 'package.json');
    try {
      const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown }).version;
      out.push({ path: dirname(pkg), version: typeof version === 'string' ? version : null, how: 'npm global' });
    } catch {
      // not installed there
    }
  }
  return out.filter((i, n) => out.findIndex((j) => j.path === i.path) === n);
}

/** `…/versions/2.1.330` (the native installer's link target) names its version. */
function versionOfPath(path: string): string | null {
  try {
    const real = realpathSync(path);
    return SEMVER.test(basename(real)) ? basename(real) : null;
  } catch {
    return null;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
