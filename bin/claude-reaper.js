#!/usr/bin/env node
// The installed command: a shim over the built CLI.
let main;
try {
  main = await import('../dist/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write('claude-reaper: error: the CLI is not built; run `npm run build` (or `npm ci`) first\n');
  process.exit(3);
}
process.exitCode = await main.run(process.argv.slice(2));
