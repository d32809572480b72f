// The long runs (test/soak): the verdict scene for 12 minutes at the default thresholds. Same
// setup as the suite (global setup, the leftover check), its own files only.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/soak/**/*.soak.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 20 * 60_000,
    outputFile: { json: 'test-results-soak.json' },
  },
});
