#!/usr/bin/env node
// `npm run rig:install`: installs the real Claude Code rig into its cache (or finds it there) and
// prints where it is, so CI pays for the download before the tests and not inside one.
// Exit 0 when the rig is ready, 1 when it could not be installed (the reason on stderr).
import { ensureRealClaude } from './install.mjs';

const rig = await ensureRealClaude();
if ('error' in rig) {
  console.error(rig.error);
  process.exit(1);
}
const mb = (n) => `${Math.round(n / 1024 / 1024)} MB`;
const how = rig.fresh ? `installed in ${(rig.installMs / 1000).toFixed(1)} s` : 'cached';
console.log(`real Claude Code rig ${how}: ${rig.dir} (${mb(rig.diskBytes)})`);
for (const [name, version] of Object.entries(rig.versions)) console.log(`  ${name} ${version}`);
