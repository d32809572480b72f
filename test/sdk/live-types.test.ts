// The README's snippet type-checks against the real Agent SDK's own declarations (0.3 and the
// legacy 0.2), with claude-reaper/sdk resolved through the package's exports to the built .d.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { workRoot } from '../helpers/fixtures.js';
import { useRealClaude } from '../helpers/real-claude/index.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);
const rig = useRealClaude();

const SNIPPET = `import { query, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { guardClaude, type GuardedChild } from 'claude-reaper/sdk';

const guard = await guardClaude({ name: 'my-worker', idleAfter: '10m' });
const q = query({ prompt: 'hello', options: { ...guard.options() } });
for await (const message of guard.track(q)) {
  const m: SDKMessage = message;
  void m;
}
const options = guard.options({ cwd: '/srv/work', model: 'claude-sonnet-4-5' });
const q2 = query({ prompt: 'hello', options });
for await (const m of guard.track(q2, options)) void m;
const health: GuardedChild[] = guard.children();
void health;
`;

/** A project that sees the SDK at `sdkDir` and this package, checked by the project's tsc. */
async function typecheck(sdkDir: string, source: string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(workRoot(), 'types-'));
  mkdirSync(join(dir, 'node_modules', '@anthropic-ai'), { recursive: true });
  symlinkSync(sdkDir, join(dir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk'));
  symlinkSync(REPO, join(dir, 'node_modules', 'claude-reaper'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(dir, 'daemon.ts'), source);
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['daemon.ts'] }));
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', dir]);
    return { ok: true, output: stdout };
  } catch (err) {
    return { ok: false, output: String((err as { stdout?: string }).stdout ?? err) };
  }
}

describe('the types of claude-reaper/sdk with the real SDK', () => {
  for (const sdk of ['native', 'legacy'] as const) {
    it(`fit ${sdk === 'native' ? 'Agent SDK 0.3' : 'the legacy Agent SDK 0.2'}: options() is an SDK option, track() yields its messages`, { timeout: 60_000 }, async () => {
      const sdkDir = dirname(sdk === 'native' ? rig.claude.sdkNativeModule : rig.claude.sdkLegacyModule);
      expect(await typecheck(sdkDir, SNIPPET)).toEqual({ ok: true, output: '' });
      // The check can fail: a mistake in the same file is reported.
      const wrong = await typecheck(sdkDir, `${SNIPPET}const n: number = q;\n`);
      expect(wrong.ok).toBe(false);
      expect(wrong.output).toMatch(/Type 'Query' is not assignable to type 'number'/);
    });
  }
});
