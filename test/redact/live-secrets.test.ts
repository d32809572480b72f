// Secrets on real command lines stay secret: claude-shaped processes carry every secret shape in
// their argv, and none of it appears in any output of the real CLI or in any file it writes; the
// marker does, and the state files are private. Kills are scoped to this file's own pids.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KillResult } from '../../src/reap/execute.js';
import type { KillPlan } from '../../src/reap/plan.js';
import { REDACTED } from '../../src/redact/index.js';
import { type CliResult, isAlive, runCli, startClaude, startDaemon, useProcessCleanup } from '../helpers/procs.js';
import { type Sandbox, find, sandbox, scanCli, scanJson } from '../helpers/scan-cli.js';

useProcessCleanup();

// One of each: the five ways an inline MCP config and its flags carry secrets, then every token
// shape. The flag and variable values have no token shape, so only their own rule can catch them.
const S = {
  mcpEnvToken: 'ghp_FAKEfake0123456789abcdefFAKEfake0123',
  bearer: 'tok_live_FAKEbearer0123456789',
  apiKey: 'plain-api-key-value-0001',
  nameToken: 'plain-deploy-token-value-0002',
  password: 'correct-horse-battery-0003',
  anthropic: 'sk-ant-api03-FAKEfake0123456789abcdefFAKE-xyzXYZ_0123',
  githubPat: 'github_pat_11FAKEFAKE0_abcdefghijklmnopqrstuvwxyz0123456789',
  slack: 'xoxb-123456789012-1234567890123-FAKEfakeFAKEfake',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  urlPassword: 'url-pass-FAKE-0004',
};
const SESSION = '0b6d4c1e-8f2a-4d3b-9c5e-7a1f2e3d4c5b';

const MCP_CONFIG = JSON.stringify({
  mcpServers: {
    github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: S.mcpEnvToken } },
    remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: `Bearer ${S.bearer}` } },
  },
});
const ARGS = [
  '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json',
  '--mcp-config', MCP_CONFIG,
  '--api-key', S.apiKey,
  `DEPLOY_TOKEN=${S.nameToken}`,
  `--password=${S.password}`,
  '--append-system-prompt', `keys: ${S.anthropic} ${S.githubPat} ${S.slack} ${S.aws} ${S.jwt} https://deploy:${S.urlPassword}@git.example.com/x.git`,
  '--model', 'claude-x', '--resume', SESSION,
];

/** No secret, nor a telling piece of one, anywhere in the text. */
function expectNoSecret(text: string, where: string): void {
  for (const [name, secret] of Object.entries(S)) expect(text, `${name} in ${where}`).not.toContain(secret.slice(0, 16));
}

function expectClean(r: CliResult, where: string, code = 0): void {
  expect(r.code, `${where}: ${r.stderr}`).toBe(code);
  expectNoSecret(r.stdout, `${where} stdout`);
  expectNoSecret(r.stderr, `${where} stderr`);
  expect(r.stdout, where).toContain(REDACTED);
}

const mode = (path: string) => statSync(path).mode & 0o777;

let box: Sandbox;
let env: Record<string, string>;
beforeEach(() => {
  box = sandbox();
  // The lock goes to the sandbox too ($XDG_RUNTIME_DIR/claude-reaper).
  env = { ...box.env, XDG_RUNTIME_DIR: join(box.root, 'run') };
});
const cli = (args: string[]) => runCli(args, { env });

describe('a claude whose command line holds secrets', () => {
  it('shows none of them in scan, kill or the audit log, and keeps the state files private', async () => {
    const [planned, direct] = await Promise.all([startClaude({ mode: 'sleep', args: ARGS }), startClaude({ mode: 'sleep', args: ARGS })]);

    const doc = await scanJson(box, ['--sample', '0'], { env });
    const argv = find(doc, planned.pid).argv!;
    expect(argv).toHaveLength(planned.argv.length);
    expect(argv).toEqual(expect.arrayContaining(['--api-key', REDACTED, `DEPLOY_TOKEN=${REDACTED}`, `--password=${REDACTED}`, 'claude-x', '--resume', SESSION]));
    expect(JSON.parse(argv[argv.indexOf('--mcp-config') + 1]!)).toEqual({
      mcpServers: {
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: REDACTED } },
        remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: REDACTED } },
      },
    });
    expectNoSecret(JSON.stringify(doc), 'scan --json');

    expectClean(await scanCli(box, ['--wide', '--verbose', '--sample', '0'], { env }), 'scan --wide --verbose');

    // The redacted plan, saved and carried out: identity is (pid, start time), not argv.
    const dry = await cli(['kill', '--pid', String(planned.pid), '--dry-run', '--json', '--sample', '0']);
    expectClean(dry, 'kill --dry-run --json');
    const planFile = join(box.root, 'plan.json');
    writeFileSync(planFile, dry.stdout);
    const fromPlan = await cli(['kill', '--plan', planFile, '--yes', '--json']);
    expectClean(fromPlan, 'kill --plan --yes --json');
    const planResult = JSON.parse(fromPlan.stdout) as KillResult;
    expect(planResult.outcomes).toEqual([expect.objectContaining({ pid: planned.pid, outcome: 'terminated' })]);
    expect(isAlive(planned.pid)).toBe(false);

    const killed = await cli(['kill', '--pid', String(direct.pid), '--yes', '--json', '--sample', '0']);
    expectClean(killed, 'kill --yes --json');
    expect((JSON.parse(killed.stdout) as KillResult).outcomes).toEqual([expect.objectContaining({ pid: direct.pid, outcome: 'terminated' })]);

    // Every file the CLI wrote: the audit log (one line per kill), the samples; all private.
    const audit = join(box.stateDir, 'reaped.jsonl');
    const lines = readFileSync(audit, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { pid: number }).pid).sort()).toEqual([planned.pid, direct.pid].sort());
    for (const name of readdirSync(box.stateDir)) {
      expectNoSecret(readFileSync(join(box.stateDir, name), 'utf8'), name);
      expect(mode(join(box.stateDir, name)), name).toBe(0o600);
    }
    expect(readFileSync(audit, 'utf8')).toContain(REDACTED);
    expect(readdirSync(box.stateDir).sort()).toEqual(['reaped.jsonl', 'samples.json']);
    // The sandbox made the state dir 755 (the umask's default): ours, so tightened.
    expect(mode(box.stateDir)).toBe(0o700);
    expect(mode(join(box.root, 'run', 'claude-reaper'))).toBe(0o700);

    expectClean(await cli(['log', '--wide']), 'log');
    expectClean(await cli(['log', '--json']), 'log --json');
  });

  it('reaps it from watch without a secret in its lines or the audit log', async () => {
    const c = await startClaude({ mode: 'sleep', args: ARGS });
    const r = await cli(['watch', '--kill', '--pid', String(c.pid), '--cycles', '1', '--sample', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(r.stdout + r.stderr, 'watch');
    expect(JSON.parse(r.stdout)).toMatchObject({ reaped: 1 });
    const audit = readFileSync(join(box.stateDir, 'reaped.jsonl'), 'utf8');
    expectNoSecret(audit, 'audit log after watch');
    expect(audit).toContain(REDACTED);
  });

  it('keeps the secrets of the daemon that started it out of the plan, the audit log and stats', async () => {
    const d = await startDaemon({ count: 1, daemonArgs: ['--api-key', S.apiKey, `--auth=${S.anthropic}`] });
    const [child] = d.childPids as [number];
    const r = await cli(['kill', '--pid', String(child), '--yes', '--json', '--sample', '0']);
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(r.stdout, 'kill --json');
    const plan = (JSON.parse(r.stdout) as KillResult).plan as KillPlan;
    expect(plan.targets[0]!.startedBy).toBe(`worker-service.cjs --daemon --api-key ${REDACTED} --auth=${REDACTED}`);
    expectNoSecret(readFileSync(join(box.stateDir, 'reaped.jsonl'), 'utf8'), 'audit log');
    expectClean(await cli(['stats', '--json']), 'stats --json');
    const stats = await cli(['stats']);
    expect(stats.code, stats.stderr).toBe(0);
    expectNoSecret(stats.stdout, 'stats');
    expect(stats.stdout).toContain('worker-service.cjs --daemon --api-key');
  });
});
