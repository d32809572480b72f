import { randomUUID } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// A mark every process the tests start inherits (the workers take their environment from here):
// at the end, test/helpers/global-setup.ts fails the run if any process with it is still running.
process.env.REAPER_TEST_RUN ??= randomUUID();

// Tests that start real claude-shaped processes read /proc, compile a fake claude with `cc` and
// open ptys with util-linux `script`: Linux only. Everywhere else the parsers, the rules, the
// planner and the renderers run on captured output and built snapshots.
const LINUX_ONLY = [
  'test/helpers/**/*.test.ts',
  'test/scan/**/*.test.ts',
  'test/classify/live-*.test.ts',
  'test/reap/kill.test.ts',
  'test/reap/prompt.test.ts',
  'test/watch/**/*.test.ts',
  'test/log/**/*.test.ts',
  'test/redact/live-*.test.ts',
  'test/hook/e2e.test.ts',
  'test/util/entry.test.ts',
  'test/state/lock.test.ts',
  'test/real-claude/live-*.test.ts',
  'test/real-claude/install.test.ts',
  'test/metrics/live.test.ts',
  'test/doctor/live.test.ts',
  'test/notify/live.test.ts',
  'test/sdk/live-*.test.ts',
];
// The schedulers' tests drive sandboxed fakes written as POSIX shell scripts.
const POSIX_ONLY = ['test/schedule/**/*.test.ts', 'test/hook/run.test.ts', 'test/hook/reap.test.ts'];

const skipped = [
  ...(process.platform === 'linux' ? [] : LINUX_ONLY),
  ...(process.platform === 'win32' ? POSIX_ONLY : []),
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...skipped],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Tests start real processes and sample their CPU over real windows.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The skip reasons: what a machine without some program did not run, and why.
    reporters: ['default', 'json', './test/helpers/skip-reporter.ts'],
    outputFile: { json: 'test-results.json' },
  },
});
