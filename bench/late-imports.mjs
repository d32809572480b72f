// What the modules the CLI loads late cost when they are loaded: each is imported in a fresh Node
// process (as the CLI does on the run that needs it), timed from just before the import() to just
// after, median of many runs. Usage: node bench/late-imports.mjs [--runs 21]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Loaded by `kill --interactive` (the picker), by the commands that run other programs, and by
// the y/N question.
const MODULES = ['@inquirer/checkbox', 'execa', 'node:readline'];
const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--runs');
const runs = at > 0 ? Number(process.argv[at + 1]) : 21;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('late-imports: --runs takes a whole number, 1 or more');
  process.exit(2);
}

// As the benchmark does: Node 20 parses this file at every start-up, which is not the import's cost.
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

console.log(`| module | import, median of ${runs} (ms) | min (ms) |`);
console.log('| --- | ---: | ---: |');
for (const spec of MODULES) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const script = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`late-imports: importing ${spec} failed: ${r.stderr.trim().split('\n')[0]}`);
      process.exit(1);
    }
    times.push(Number(r.stdout));
  }
  console.log(`| \`${spec}\` | ${median(times).toFixed(1)} | ${Math.min(...times).toFixed(1)} |`);
}
