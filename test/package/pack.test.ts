// The package as a user gets it: packed, installed globally into a clean prefix, run, and imported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workRoot } from '../helpers/fixtures.js';
import { copyTree, exec, pack, REPO, sandbox, type Packed, type Sandbox } from './npm.js';

// Packing builds the package (prepare) and installing fetches its dependencies: tens of seconds.
const SETUP_TIMEOUT_MS = 240_000;
const RUN_TIMEOUT_MS = 120_000;
// What `files` in package.json lets in, and npm always adds.
const PACKAGE_TOP = new Set(['bin', 'dist', 'schema', 'README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']);

const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const posix = process.platform !== 'win32';
// On Windows npm installs .cmd shims that need a shell to run; the CI pack job runs on Linux.
if (!posix) console.log('skipping the package test: it runs the POSIX global layout (<prefix>/bin, <prefix>/lib/node_modules)');

describe.skipIf(!posix)('the npm package', { timeout: RUN_TIMEOUT_MS }, () => {
  let box: Sandbox;
  let packed: Packed;
  let runEnv: Record<string, string>;
  const bin = () => join(box.prefix, 'bin', 'claude-reaper');

  beforeAll(async () => {
    box = sandbox(join(workRoot(), 'package'));
    const tree = copyTree(join(box.root, 'tree'));
    packed = await pack(tree, box.root, box);
    await exec('npm', ['install', '--global', '--prefix', box.prefix, packed.tarball], { cwd: box.root, env: box.env });
    const state = join(box.root, 'state');
    const config = join(box.root, 'config');
    mkdirSync(state);
    mkdirSync(config);
    runEnv = { ...box.env, CLAUDE_REAPER_STATE_DIR: state, CLAUDE_REAPER_CONFIG_DIR: config };
    const size = (p: string) => packed.files.find((f) => f.path === p)?.size ?? NaN;
    console.log(`package: ${packed.tarball} is ${kb(packed.size)}; dist/cli.cjs ${kb(size('dist/cli.cjs'))}, dist/index.js ${kb(size('dist/index.js'))}, dist/sdk.js ${kb(size('dist/sdk.js'))}`);
  }, SETUP_TIMEOUT_MS);

  it('holds only bin/, dist/, schema/, the README, CHANGELOG, LICENSE and package.json', () => {
    const paths = packed.files.map((f) => f.path);
    const outside = paths.filter((p) => !PACKAGE_TOP.has(p.split('/')[0]!));
    expect(outside).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['bin/claude-reaper.js', 'dist/cli.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/sdk.js', 'dist/sdk/index.d.ts', 'schema/scan.schema.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']));
  });

  it('installs a claude-reaper command that prints its version and its help', async () => {
    expect((await exec(bin(), ['--version'], { cwd: box.root, env: runEnv })).stdout.trim()).toBe(version);
    const help = (await exec(bin(), ['--help'], { cwd: box.root, env: runEnv })).stdout;
    expect(help).toMatch(/^Usage: claude-reaper /);
    for (const command of ['scan', 'kill', 'watch', 'schedule', 'hook']) expect(help).toContain(`  ${command}`);
  });

  it('scans with the installed command: one JSON document, schema version 2', async () => {
    const { stdout } = await exec(bin(), ['scan', '--json', '--sample', '0'], { cwd: box.root, env: runEnv });
    const doc = JSON.parse(stdout) as { schemaVersion: number; tool: { version: string }; processes: unknown[] };
    expect(doc.schemaVersion).toBe(2);
    expect(doc.tool.version).toBe(version);
    expect(Array.isArray(doc.processes)).toBe(true);
  });

  it('is importable as a library from the installed package', async () => {
    // In <prefix>/lib, so 'claude-reaper' resolves to <prefix>/lib/node_modules/claude-reaper.
    const probe = join(box.prefix, 'lib', 'probe.mjs');
    writeFileSync(
      probe,
      `import { scan, planKill, executePlan, RULES } from 'claude-reaper';
const result = await scan({ sampleMs: 0, stateDir: null });
// Planned only: executePlan would signal what the plan holds.
const plan = planKill(result);
console.log(JSON.stringify({ url: import.meta.resolve('claude-reaper'), executePlan: typeof executePlan, rules: RULES.length, schemaVersion: result.document.schemaVersion, planVersion: plan.planVersion }));
`,
    );
    const out = JSON.parse((await exec(process.execPath, [probe], { cwd: box.root, env: runEnv })).stdout) as Record<string, unknown>;
    expect(out).toEqual({ url: expect.stringContaining('/lib/node_modules/claude-reaper/dist/index.js'), executePlan: 'function', rules: expect.any(Number), schemaVersion: 2, planVersion: 1 });
    expect(out.rules).toBeGreaterThan(0);
  });

  it('ships claude-reaper/sdk with its types, and no dependency on the Agent SDK', async () => {
    const lib = join(box.prefix, 'lib');
    const installed = join(lib, 'node_modules', 'claude-reaper');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {}));
    expect(declared.filter((name) => name.startsWith('@anthropic-ai/'))).toEqual([]);
    // The guard's module imports node's own modules only (execa, for `ps` and PowerShell, is
    // loaded where it is used; the daemon brings the SDK).
    const sdkText = readFileSync(join(installed, 'dist', 'sdk.js'), 'utf8');
    const imported = [...sdkText.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((spec) => !spec.startsWith('node:'))).toEqual([]);

    // Imported by name: a guard starts (reading this process), refuses a bad name, and shuts down.
    const probe = join(lib, 'sdk-probe.mjs');
    writeFileSync(
      probe,
      `import { guardClaude, FIRST_SDK_WITH_SPAWN_HOOK } from 'claude-reaper/sdk';
const refused = await guardClaude({ name: '../x' }).catch((e) => e.name);
const guard = await guardClaude({ name: 'probe', exitHooks: false });
const hook = typeof guard.options().spawnClaudeCodeProcess;
await guard.shutdown();
console.log(JSON.stringify({ url: import.meta.resolve('claude-reaper/sdk'), refused, hook, children: guard.children().length, first: FIRST_SDK_WITH_SPAWN_HOOK }));
`,
    );
    const out = JSON.parse((await exec(process.execPath, [probe], { cwd: box.root, env: runEnv })).stdout) as Record<string, unknown>;
    expect(out).toEqual({ url: expect.stringContaining('/lib/node_modules/claude-reaper/dist/sdk.js'), refused: 'UsageError', hook: 'function', children: 0, first: '0.1.65' });

    // The declarations resolve through the exports map, as a daemon written in TypeScript sees them.
    writeFileSync(join(lib, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(lib, 'sdk-probe.ts'),
      `import { guardClaude, type ClaudeGuard, type GuardedChild, type GuardOptions } from 'claude-reaper/sdk';
const options: GuardOptions = { name: 'w', idleAfter: '10m', grace: 5000 };
const guard: ClaudeGuard = await guardClaude(options);
const children: GuardedChild[] = guard.children();
const state: 'running' | 'ending' | undefined = children[0]?.state;
void state;
`,
    );
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] };
    writeFileSync(join(lib, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['sdk-probe.ts'] }));
    const tsc = await exec(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', lib], { cwd: lib, env: runEnv });
    expect(tsc.stdout).toBe('');
  });

  it("installs the picker's prompt library where the installed command's late import finds it", async () => {
    // The bin shim imports it by name, from bin/: what `kill --interactive` loads.
    const binDir = join(box.prefix, 'lib', 'node_modules', 'claude-reaper', 'bin');
    const script = "const m = await import('@inquirer/checkbox'); console.log(typeof m.default)";
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: binDir, env: runEnv });
    expect(stdout.trim()).toBe('function');
  });

  it('runs through npx from the tarball', async () => {
    const cwd = join(box.root, 'npx');
    mkdirSync(cwd);
    const { stdout } = await exec('npx', ['--yes', '--package', packed.tarball, 'claude-reaper', '--version'], { cwd, env: runEnv });
    expect(stdout.trim()).toBe(version);
  });
});

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB (${bytes} bytes)`;
}
