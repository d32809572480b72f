// The README's alert rule and PromQL queries, checked by the real promtool (Debian's prometheus):
// `check rules` for the syntax, and `test rules` for what they do with series shaped like the
// metrics claude-reaper writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../helpers/tools.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The code block between `<!-- name:start` and `<!-- name:end -->`. */
function block(name: string): string {
  const m = new RegExp(`<!-- ${name}:start[^>]*-->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(README);
  if (!m) throw new Error(`the README has no ${name} block`);
  return m[1]!;
}

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A directory with the README's rules in rules.yml and a promtool unit test in test.yml. */
function withRules(test: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'claude-reaper-rules-'));
  writeFileSync(join(dir, 'rules.yml'), block('alert-rules'));
  writeFileSync(join(dir, 'test.yml'), test);
  return dir;
}

describe("the README's alert rule", () => {
  it('passes promtool check rules', () => {
    requireTools('promtool');
    const dir = withRules('');
    const r = promtool(['check', 'rules', 'rules.yml'], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: 1 rules found/);
  });

  it('fires for a host whose leaked RSS stays above 2 GB for 15 minutes, and not for one whose leak was reaped in 10', () => {
    requireTools('promtool');
    // dev1 leaks from minute 2 on; dev2 leaks for 10 minutes, then a reap brings it back to 0.
    const dir = withRules(`rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'claude_reaper_leaked_rss_bytes{instance="dev1:9100",job="node"}'
        values: '0 0 2500000000x30'
      - series: 'claude_reaper_leaked_rss_bytes{instance="dev2:9100",job="node"}'
        values: '3000000000x10 0x20'
    alert_rule_test:
      - eval_time: 16m
        alertname: ClaudeLeakedMemory
        exp_alerts: []
      - eval_time: 17m
        alertname: ClaudeLeakedMemory
        exp_alerts:
          - exp_labels: { severity: warning, instance: 'dev1:9100', job: node }
            exp_annotations:
              summary: 'dev1:9100: 2.5GB held by leaked claude processes'
              description: 'See \`claude-reaper scan\` on the host; \`claude-reaper kill\` reaps them.'
`);
    const r = promtool(['test', 'rules', 'test.yml'], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS/);
  });
});

describe("the README's PromQL queries", () => {
  it('give the leaked memory per host and the processes reaped per day by flag', () => {
    requireTools('promtool');
    const queries = block('promql').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(queries).toHaveLength(2);
    const [perHost, perFlag] = queries as [string, string];
    // Two hosts; on dev1 the orphans reaped grow by 2 an hour, abandoned ones by 1.
    const dir = withRules(`evaluation_interval: 1m
tests:
  - interval: 1h
    input_series:
      - series: 'claude_reaper_leaked_rss_bytes{instance="dev1:9100"}'
        values: '100x48'
      - series: 'claude_reaper_leaked_rss_bytes{instance="dev2:9100"}'
        values: '250x48'
      - series: 'claude_reaper_reaped_processes_total{instance="dev1:9100",flag="orphan"}'
        values: '0+2x48'
      - series: 'claude_reaper_reaped_processes_total{instance="dev2:9100",flag="orphan"}'
        values: '5x48'
      - series: 'claude_reaper_reaped_processes_total{instance="dev1:9100",flag="abandoned"}'
        values: '0+1x48'
    promql_expr_test:
      - expr: '${perHost}'
        eval_time: 48h
        exp_samples:
          - labels: '{instance="dev1:9100"}'
            value: 100
          - labels: '{instance="dev2:9100"}'
            value: 250
      - expr: '${perFlag}'
        eval_time: 48h
        exp_samples:
          - labels: '{flag="orphan"}'
            value: 48
          - labels: '{flag="abandoned"}'
            value: 24
`);
    const r = promtool(['test', 'rules', 'test.yml'], dir);
    expect(r.status, r.output).toBe(0);
  });
});
