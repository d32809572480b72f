// At the end of a run, the reasons tests were skipped, each with how many it skipped: on a machine
// without a compiler, crontab or Prometheus, `npm test` says what it did not run and why, without
// a verbose reporter. Tests skipped for the platform (describe.skipIf) carry no note and are
// counted as such.
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReasons implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const reasons = new Map<string, number>();
    for (const m of modules) {
      for (const t of m.children.allTests('skipped')) {
        const r = t.result();
        const note = r.state === 'skipped' ? (r.note ?? '(no reason given: skipped for this platform or by its suite)') : '';
        reasons.set(note, (reasons.get(note) ?? 0) + 1);
      }
    }
    if (reasons.size === 0) return;
    const lines = [...reasons].sort((a, b) => b[1] - a[1]).map(([why, n]) => `  ${String(n).padStart(4)}  ${why}`);
    process.stdout.write(`\nSkipped tests, by reason:\n${lines.join('\n')}\n`);
  }
}
