// npm run the way a user runs it on a fresh machine: a home, an npm cache and a global prefix of
// its own, so nothing of the developer's (config, cache, global packages) takes part or changes.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { baseEnv } from '../helpers/fixtures.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
// Installing fetches the dependencies from the registry; a slow mirror takes its time.
const NPM_TIMEOUT_MS = 150_000;
const run = promisify(execFile);

export interface Sandbox {
  root: string;
  home: string;
  cache: string;
  prefix: string;
  env: Record<string, string>;
}

export function sandbox(root: string): Sandbox {
  const dirs = { home: join(root, 'home'), cache: join(root, 'npm-cache'), prefix: join(root, 'prefix') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env = {
    ...baseEnv(),
    HOME: dirs.home,
    USERPROFILE: dirs.home,
    npm_config_cache: dirs.cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  return { root, ...dirs, env };
}

export async function exec(file: string, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { ...opts, timeout: NPM_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.message}\nstdout: ${e.stdout}\nstderr: ${e.stderr}`);
  }
}

// Not packed, and not what a clean checkout has: packing them would say nothing about `files`.
const LEFT_OUT = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-results.json']);

/**
 * The working tree, copied, with node_modules linked in. `npm pack` runs `prepare`, which
 * rebuilds dist/ from scratch; in the checkout that would pull dist/ from under the tests that
 * run the built CLI at the same time.
 */
export function copyTree(to: string): string {
  cpSync(REPO, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(REPO, src);
      return !LEFT_OUT.has(rel.split(/[\\/]/)[0]!) && !src.endsWith('.tgz') && !rel.startsWith(join('bench', 'results'));
    },
  });
  // The build's tools (esbuild, tsc) come from the checkout; 'junction' needs no rights on Windows.
  symlinkSync(join(REPO, 'node_modules'), join(to, 'node_modules'), 'junction');
  return to;
}

export interface Packed {
  tarball: string;
  size: number;
  files: { path: string; size: number }[];
}

/** `npm pack --json --pack-destination`: the tarball and what npm says is in it. */
export async function pack(dir: string, dest: string, box: Sandbox): Promise<Packed> {
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dest], { cwd: dir, env: box.env });
  const [info] = JSON.parse(stdout) as { filename: string; size: number; files: { path: string; size: number }[] }[];
  return { tarball: join(dest, basename(info!.filename)), size: info!.size, files: info!.files };
}
