// Bundles with esbuild. The CLI is one CommonJS file (Node 20's ESM loader costs several ms of
// start-up that CommonJS does not); the library is one ES module, and so is its `sdk` subpath.
// execa stays external and is imported only by the commands that run other programs (ps,
// PowerShell, schedulers), and so does @inquirer/checkbox, imported only by `kill --interactive`.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// The version is written into the bundles, so no run reads package.json to learn it.
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['execa', '@inquirer/checkbox'],
  legalComments: 'none',
  minify: process.env.NO_MINIFY ? false : true,
  keepNames: false,
  logLevel: 'warning',
  define: { __CLAUDE_REAPER_VERSION__: JSON.stringify(version) },
};

// commander requires child_process at load for executable subcommands, which this CLI does not
// have; loading it (with net and streams) costs ~4 ms of every run. Defer it to first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander') ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
const built = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/cli.cjs',
    format: 'cjs',
    plugins: [lazyChildProcess],
    // CommonJS has no import.meta: src/util/package-root.ts asks __filename first, and only ES
    // modules reach import.meta.url.
    define: { ...common.define, 'import.meta.url': 'undefined' },
    write: false,
  }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', format: 'esm' }),
  // `claude-reaper/sdk`, the guard for daemons on the Agent SDK: its own module, so a daemon loads
  // neither the CLI nor the classifier.
  build({ ...common, entryPoints: ['src/sdk/index.ts'], outfile: 'dist/sdk.js', format: 'esm' }),
]);

// execa is ESM-only: a static require() of it would cost ~60 ms of every start on Node 20.19+
// (require of ES modules) and fail outright on earlier Node 20. Only import() may load it.
const cli = built[0].outputFiles[0];
if (/require\(["'](execa|@inquirer\/checkbox)["']\)/.test(cli.text)) {
  console.error('build: dist/cli.cjs requires execa or @inquirer/checkbox statically; load it with importLate() where it is used');
  process.exit(1);
}
// The bin shim runs the bundle through vm.Script, where a bare import() has no loader to call:
// only the default importer in src/util/importer.ts may say import(), of a variable.
if (/\bimport\(\s*["'`]/.test(cli.text)) {
  console.error('build: dist/cli.cjs calls import() directly; use importLate() from src/util/importer.ts');
  process.exit(1);
}
mkdirSync('dist', { recursive: true });
writeFileSync(cli.path, cli.contents);
