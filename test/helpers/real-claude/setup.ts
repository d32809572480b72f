// The global setup's part: install (or find) the real Claude Code rig before any test file runs.
import { type RealClaude, ensureRealClaude } from './install.mjs';

/** What the tests get through inject('realClaude'): the rig, or why it is missing. */
export type RealClaudeSetup = RealClaude | { error: string };

/** Set by `.ci/run`: a missing rig fails the run instead of skipping its tests. */
export const REQUIRE_ENV = 'REAPER_REQUIRE_REAL_CLAUDE';
/** `REAPER_REAL_CLAUDE=off` skips the install (and the tests that need it, with that reason). */
export const OFF_ENV = 'REAPER_REAL_CLAUDE';

export async function setUpRealClaude(env = process.env): Promise<RealClaudeSetup> {
  let setup: RealClaudeSetup;
  if (process.platform !== 'linux') setup = { error: 'the real Claude Code rig runs on Linux only' };
  else if (env[OFF_ENV] === 'off') setup = { error: `${OFF_ENV}=off: the real Claude Code rig is not installed` };
  else setup = await ensureRealClaude();
  if ('error' in setup && env[REQUIRE_ENV] === '1') throw new Error(`${REQUIRE_ENV}=1: ${setup.error}`);
  if (!('error' in setup) && setup.fresh) {
    const mb = Math.round(setup.diskBytes / 1024 / 1024);
    process.stderr.write(`real Claude Code rig installed in ${(setup.installMs / 1000).toFixed(1)} s (${mb} MB): ${setup.dir}\n`);
  }
  return setup;
}
