// Installs the real Claude Code packages the rig runs, once, into a cache outside the repository,
// and says where everything is. Plain JavaScript so that `.ci/run` can call it with bare node
// before the tests (see install-cli.mjs); install.d.mts gives it types for the tests.
//
// The packages are ~1 GB of native binaries: as devDependencies every `npm ci` of the project
// would fetch them, and @anthropic-ai/claude-code declares engines node>=22 while the project
// supports Node 20. Here they are fetched by the first test run and reused after.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The one place the versions are pinned. Each package gets its own directory (two SDK versions). */
export const REAL_CLAUDE_PACKAGES = {
  /** Agent SDK with its native binary (@anthropic-ai/claude-agent-sdk-linux-x64/claude). */
  sdkNative: { name: '@anthropic-ai/claude-agent-sdk', version: '0.3.334' },
  /** The last SDK line that runs the node CLI (cli.js) instead of a native binary. */
  sdkLegacy: { name: '@anthropic-ai/claude-agent-sdk', version: '0.2.111' },
  /** The CLI users install from npm: bin/claude.exe (native), for `claude --bg` and interactive use. */
  claudeCode: { name: '@anthropic-ai/claude-code', version: '2.1.332' },
};

/** Bumped when the cache's layout or the manifest changes, so an old cache is not reused. */
const LAYOUT = 1;
const MANIFEST = 'rig.json';
/** Override for the cache root (default ~/.cache/claude-reaper-test, or under $XDG_CACHE_HOME). */
export const CACHE_ENV = 'REAPER_REAL_CLAUDE_CACHE';
/** The native binaries are ~400 MB; anything under this is npm's placeholder, not the binary. */
const MIN_BINARY_BYTES = 50 * 1024 * 1024;
/** Another run installing the same versions: how long to wait for it (a cold install takes ~20 s). */
const LOCK_WAIT_MS = 15 * 60_000;
const LOCK_POLL_MS = 500;
const NPM_TIMEOUT_MS = 10 * 60_000;

export function cacheRoot(env = process.env) {
  if (env[CACHE_ENV]) return env[CACHE_ENV];
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'claude-reaper-test');
}

/** The cache key: a hash of the pinned versions and the layout. */
export function cacheKey() {
  const text = JSON.stringify({ layout: LAYOUT, packages: REAL_CLAUDE_PACKAGES });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Start time of a process (Linux: /proc/PID/stat field 22), or null when it is gone. */
function startId(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

// What `npm test` exports about the project and the running command: passed on, it would point the
// nested npm at the project's own prefix. The rest (registry, cache, cafile, proxy) is kept.
const NPM_RUN_VARS = /^npm_(package_|lifecycle_|command$|execpath$|config_(local_prefix|prefix|global|call|argv)$)/i;

function npmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!NPM_RUN_VARS.test(k) && v !== undefined) env[k] = v;
  return env;
}

function run(file, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-8192)));
    child.stderr.on('data', (d) => (out = (out + d).slice(-8192)));
    const timer = setTimeout(() => child.kill('SIGKILL'), NPM_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} ${args.join(' ')} failed (${signal ?? `exit ${code}`}) in ${cwd}:\n${out.trim()}`));
    });
  });
}

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function installOne(dir, pkg) {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: 'rig-package', private: true, dependencies: { [pkg.name]: pkg.version } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await run(NPM, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false'], dir);
}

function size(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The installed platform package of a native binary (glibc first, then musl). */
function platformBinary(nodeModules, prefix, file) {
  for (const suffix of ['', '-musl']) {
    const path = join(nodeModules, '@anthropic-ai', `${prefix}-${process.platform}-${process.arch}${suffix}`, file);
    if (size(path) >= MIN_BINARY_BYTES) return path;
  }
  return null;
}

function du(path) {
  let total = 0;
  const stack = [path];
  const seen = new Set();
  while (stack.length > 0) {
    const p = stack.pop();
    const st = statSync(p, { bigint: false, throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) for (const name of readdirSync(p)) stack.push(join(p, name));
    else if (!seen.has(`${st.dev}:${st.ino}`)) {
      seen.add(`${st.dev}:${st.ino}`); // hard links (claude-code's bin/claude.exe) count once
      total += st.blocks * 512;
    }
  }
  return total;
}

/** Installs the three packages into `dir` and returns the manifest (paths relative to dir). */
async function installAll(dir) {
  const started = Date.now();
  const P = REAL_CLAUDE_PACKAGES;
  await Promise.all([
    installOne(join(dir, 'sdk-native'), P.sdkNative),
    installOne(join(dir, 'sdk-legacy'), P.sdkLegacy),
    installOne(join(dir, 'claude-code'), P.claudeCode),
  ]);
  const nm = (name) => join(dir, name, 'node_modules');
  const native = platformBinary(nm('sdk-native'), 'claude-agent-sdk', 'claude');
  if (!native) throw new Error(`the Agent SDK ${P.sdkNative.version} installed no native binary for ${process.platform}-${process.arch}`);
  const cc = join(nm('claude-code'), '@anthropic-ai/claude-code');
  let claudeExe = join(cc, 'bin', 'claude.exe');
  // Its postinstall (install.cjs) puts the platform binary in place of a placeholder; npm may have
  // been told to skip scripts. Run it ourselves, else run the platform package's binary directly.
  if (size(claudeExe) < MIN_BINARY_BYTES) await run(process.execPath, ['install.cjs'], cc).catch(() => '');
  if (size(claudeExe) < MIN_BINARY_BYTES) claudeExe = platformBinary(nm('claude-code'), 'claude-code', 'claude') ?? '';
  if (!claudeExe) throw new Error(`@anthropic-ai/claude-code ${P.claudeCode.version} installed no native binary`);
  const legacy = join(nm('sdk-legacy'), '@anthropic-ai/claude-agent-sdk');
  const rel = (p) => p.slice(dir.length + 1);
  return {
    layout: LAYOUT,
    versions: { sdkNative: P.sdkNative.version, sdkLegacy: P.sdkLegacy.version, claudeCode: P.claudeCode.version },
    paths: {
      sdkNativeModule: rel(join(nm('sdk-native'), '@anthropic-ai/claude-agent-sdk', 'sdk.mjs')),
      nativeBinary: rel(native),
      sdkLegacyModule: rel(join(legacy, 'sdk.mjs')),
      legacyCli: rel(join(legacy, 'cli.js')),
      claudeCodeBinary: rel(claudeExe),
    },
    installMs: Date.now() - started,
    diskBytes: du(dir),
    installedAt: new Date().toISOString(),
    nodeVersion: process.version,
  };
}

/** The absolute view of a manifest, or null when it is missing or its files are gone. */
function load(dir) {
  let m;
  try {
    m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return null;
  }
  if (m.layout !== LAYOUT) return null;
  const paths = {};
  for (const [k, rel] of Object.entries(m.paths)) paths[k] = join(dir, rel);
  for (const p of Object.values(paths)) if (!existsSync(p)) return null;
  if (size(paths.nativeBinary) < MIN_BINARY_BYTES || size(paths.claudeCodeBinary) < MIN_BINARY_BYTES) return null;
  return { dir, versions: m.versions, ...paths, installMs: m.installMs, diskBytes: m.diskBytes, installedAt: m.installedAt, fresh: false };
}

/**
 * Takes the lock directory (mkdir is atomic). A lock whose owner (pid + start time) is gone is
 * stale and taken over. The lock only saves duplicate work: the final rename is what guarantees
 * that the cache is never half written.
 */
async function lock(path, waitMs = LOCK_WAIT_MS) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'owner.json'), JSON.stringify({ pid: process.pid, startId: startId(process.pid) }));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = null;
    try {
      owner = JSON.parse(readFileSync(join(path, 'owner.json'), 'utf8'));
    } catch {
      // Just created, owner not written yet; or removed meanwhile.
    }
    if (owner && startId(owner.pid) !== owner.startId) {
      const stale = `${path}.stale-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(path, stale);
        rmSync(stale, { recursive: true, force: true });
      } catch {
        // Someone else cleared it first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path} (another install of the rig)`);
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

/**
 * Installs the pinned packages once (or reuses the cache) and returns where they are. Never
 * throws: a failure is returned as { error } so that the tests can skip with the reason.
 * opts.root replaces the cache root; opts.lockWaitMs how long to wait for another install.
 */
export async function ensureRealClaude(opts = {}) {
  const root = opts.root ?? cacheRoot();
  const dir = join(root, cacheKey());
  try {
    const cached = load(dir);
    if (cached) return cached;
    mkdirSync(root, { recursive: true });
    const unlock = await lock(`${dir}.lock`, opts.lockWaitMs);
    try {
      const again = load(dir); // installed by the run we waited for
      if (again) return again;
      // What an install that was killed half way left (we hold the lock: no one else is writing).
      const key = cacheKey();
      for (const name of readdirSync(root)) if (name.startsWith(`${key}.staging-`)) rmSync(join(root, name), { recursive: true, force: true });
      const staging = `${dir}.staging-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        const manifest = await installAll(staging);
        writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
        rmSync(dir, { recursive: true, force: true }); // an incomplete or outdated one
        renameSync(staging, dir);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      const done = load(dir);
      if (!done) throw new Error(`the installed rig at ${dir} does not verify`);
      return { ...done, fresh: true };
    } finally {
      unlock();
    }
  } catch (err) {
    return { error: `the real Claude Code rig could not be installed in ${dir}: ${err.message}` };
  }
}
