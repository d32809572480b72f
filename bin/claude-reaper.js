#!/usr/bin/env node
// The installed command: loads the bundled CLI (CommonJS: see bin/package.json) through V8's code
// cache, which spares ~7 ms of compiling on every run after the first (Node 22 has
// module.enableCompileCache for this; Node 20 does not). The cache is keyed by the V8 version and
// the bundle's size and time, kept beside the bundle when that is writable, else in the user's
// cache dir. A cache V8 rejects is rebuilt; any trouble with it only costs the compile. The cache
// holds what the run that wrote it compiled, so its first byte says how far that run went (see
// coverage()), and a run that went further writes a new one: a cache written by `--help` or by a
// scan that found no claude would leave later scans compiling the rest of their path every run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
// The cache file starts with this many bytes of our own (the first: coverage()), so that V8's
// data after them stays 8-byte aligned and is used in place.
const HEADER = 8;
let cli;
try {
  cli = load(bundle);
} catch (err) {
  if (err && err.code === 'ENOENT' && err.path === bundle) {
    process.stderr.write('claude-reaper: error: the CLI is not built; run `npm run build` (or `npm ci`) first\n');
    process.exit(3);
  }
  throw err;
}
// Code compiled through vm.Script cannot import() by itself: lend it ours.
cli.exports.useImporter((specifier) => import(specifier));
cli.exports.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  cli.saveCache(coverage(cli.exports.scannedRelated()));
});

function load(file) {
  const source = fs.readFileSync(file, 'utf8');
  if (process.env.CLAUDE_REAPER_NO_CODE_CACHE) return { exports: require(file), saveCache() {} };
  const vm = require('node:vm');
  const { createRequire, wrap } = require('node:module');
  const stat = fs.statSync(file);
  const name = `cli-${process.versions.v8}-${process.arch}-${stat.size}-${Math.round(stat.mtimeMs)}.cache`;
  const places = [path.dirname(file), userCacheDir()];
  // Where both places hold one (the first not writable when a run went further), the fuller.
  let cachedData;
  let cachedCoverage = -1;
  for (const dir of places) {
    try {
      const data = fs.readFileSync(path.join(dir, name));
      if (data.length <= HEADER || data[0] <= cachedCoverage) continue;
      cachedCoverage = data[0];
      cachedData = data.subarray(HEADER);
    } catch {
      // not there: try the next place, or compile without
    }
  }
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  return {
    exports: mod.exports,
    // After the run, so the cache holds what the run compiled too.
    saveCache(runCoverage) {
      if (cachedData && !script.cachedDataRejected && runCoverage <= cachedCoverage) return;
      const header = Buffer.alloc(HEADER);
      header[0] = runCoverage;
      const data = Buffer.concat([header, script.createCachedData()]);
      for (const dir of places) {
        try {
          fs.mkdirSync(dir, { recursive: true });
          for (const old of fs.readdirSync(dir)) if (/^cli-.*\.cache$/.test(old) && old !== name) fs.rmSync(path.join(dir, old), { force: true });
          const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
          fs.writeFileSync(tmp, data);
          fs.renameSync(tmp, path.join(dir, name));
          return;
        } catch {
          // not writable (a global install owned by root): try the user's cache dir
        }
      }
    },
  };
}

/**
 * How much of the CLI a run compiled: 0 without a scan, then 1 for a scan that found no
 * claude-related process, 2 for 1-9, 3 for 10-99 and 4 for more (the more processes a scan
 * classifies, the more of the classifier it runs).
 */
function coverage(related) {
  if (related === null || related === undefined) return 0;
  return related === 0 ? 1 : Math.min(4, 2 + Math.floor(Math.log10(related)));
}

function userCacheDir() {
  const env = process.env;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || os.tmpdir(), 'claude-reaper', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'claude-reaper');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'claude-reaper');
}
