#!/usr/bin/env node
// The installed command: a shim over the bundled CLI (CommonJS: see bin/package.json).
'use strict';
let cli;
try {
  cli = require('../dist/cli.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.cjs')) {
    process.stderr.write('claude-reaper: error: the CLI is not built; run `npm run build` (or `npm ci`) first\n');
    process.exit(3);
  }
  throw err;
}
cli.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
