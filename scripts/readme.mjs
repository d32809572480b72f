// Regenerates the README's flag table from the rule registry.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'readme-'));
const out = join(dir, 'flag-table.mjs');
await build({ entryPoints: ['src/render/flag-table.ts'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
const { withFlagTable } = await import(pathToFileURL(out).href);
writeFileSync('README.md', withFlagTable(readFileSync('README.md', 'utf8')));
rmSync(dir, { recursive: true, force: true });
console.log('README.md: flag table regenerated');
