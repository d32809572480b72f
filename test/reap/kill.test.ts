// `kill` end to end, with real processes. Every real kill here is scoped to this file's own
// processes (--pid, or a plan naming them): other test files run beside this one, and a broad
// selector would reach their processes. Broad selectors run only with --dry-run.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KillResult } from '../../src/reap/execute.js';
import type { KillPlan } from '../../src/reap/plan.js';
import { childrenOf, isAlive, killHard, runCli, startClaude, startOrphan, track, useProcessCleanup, waitFor } from '../helpers/procs.js';

useProcessCleanup();

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reaper-kill-'));
  env = { HOME: dir, CLAUDE_REAPER_STATE_DIR: join(dir, 'state'), CLAUDE_REAPER_CONFIG_DIR: join(dir, 'config') };
});

const kill = (args: string[]) => runCli(['kill', '--sample', '0', ...args], { env });
const json = <T>(text: string): T => JSON.parse(text) as T;
const outcome = (r: KillResult, pid: number) => r.outcomes.find((o) => o.pid === pid)?.outcome;

describe('kill, one target at a time', () => {
  it('ends a claude that exits on SIGTERM and reports it terminated', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await kill(['--pid', String(c.pid), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = json<KillResult>(r.stdout);
    expect(outcome(result, c.pid)).toBe('terminated');
    expect(result.outcomes.find((o) => o.pid === c.pid)!.signals).toEqual(['SIGTERM']);
    expect(isAlive(c.pid)).toBe(false);
  });

  it('escalates to SIGKILL when the target ignores SIGTERM', async () => {
    // The fake writes its ready file only after installing SIG_IGN, so this never races it.
    const c = await startClaude({ mode: 'sleep', ignoreTerm: true });
    const r = await kill(['--pid', String(c.pid), '--yes', '--grace', '300ms', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = json<KillResult>(r.stdout).outcomes.find((x) => x.pid === c.pid)!;
    expect(o.outcome).toBe('killed');
    expect(o.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(isAlive(c.pid)).toBe(false);
  });

  it('takes an MCP-shaped child and a tool-shell grandchild with the claude', async () => {
    const c = await startClaude({
      mode: 'sleep',
      childCommands: [
        `exec node -e "setInterval(() => {}, 1e9)" mcp-server-memory --stdio`,
        // sh (the child) runs the tool shell (the grandchild), which runs its command.
        `bash -c "source ${dir}/shell-snapshots/snapshot-bash-1.sh 2>/dev/null; sleep 1000; pwd -P >| /tmp/claude-ab12-cwd"`,
      ],
    });
    const [mcp, wrapper] = c.childPids as [number, number];
    const toolShell = await waitFor(() => childrenOf(wrapper).find((p) => commOf(p) === 'bash'), { what: 'the tool shell' });
    const sleeper = await waitFor(() => childrenOf(toolShell).find((p) => commOf(p) === 'sleep'), { what: "the tool shell's command" });
    track(toolShell);
    track(sleeper);
    const r = await kill(['--pid', String(c.pid), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = json<KillResult>(r.stdout);
    // A helper may go by itself once its own child is signalled (the tool shell ends when its
    // command does): gone is as good as terminated for those, as long as nothing is left.
    expect(['terminated', 'killed']).toContain(outcome(result, c.pid));
    for (const pid of [mcp, wrapper, toolShell, sleeper]) expect(['terminated', 'killed', 'gone']).toContain(outcome(result, pid));
    for (const pid of [c.pid, mcp, wrapper, toolShell, sleeper]) expect(isAlive(pid)).toBe(false);
    // Children first: the claude is signalled after what it started.
    expect(result.outcomes.at(-1)!.pid).toBe(c.pid);
  });
});

describe('kill, from a reviewed plan', () => {
  it('executes exactly what `kill --dry-run --json` printed', async () => {
    const a = await startClaude({ mode: 'sleep' });
    const b = await startClaude({ mode: 'sleep' });
    const dry = await kill(['--pid', `${a.pid},${b.pid}`, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<KillPlan>(dry.stdout);
    expect(isAlive(a.pid) && isAlive(b.pid)).toBe(true);
    writeFileSync(join(dir, 'plan.json'), dry.stdout);
    const r = await kill(['--plan', join(dir, 'plan.json'), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = json<KillResult>(r.stdout);
    const planned = plan.targets.flatMap((t) => [...t.descendants, t].map((p) => p.pid)).sort();
    expect(result.outcomes.map((o) => o.pid).sort()).toEqual(planned);
    expect(planned).toEqual([a.pid, b.pid].sort());
  });

  it('reports a target that has already exited as gone', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const dry = await kill(['--pid', String(c.pid), '--dry-run', '--json']);
    writeFileSync(join(dir, 'plan.json'), dry.stdout);
    await killHard(c.pid);
    const r = await kill(['--plan', join(dir, 'plan.json'), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(outcome(json<KillResult>(r.stdout), c.pid)).toBe('gone');
  });

  it('signals nothing when the recorded start time no longer matches', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const plan = json<KillPlan>((await kill(['--pid', String(c.pid), '--dry-run', '--json'])).stdout);
    // As if the pid had since been reused by another process.
    plan.targets[0]!.startId = String(Number(plan.targets[0]!.startId) - 1);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await kill(['--plan', join(dir, 'plan.json'), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = json<KillResult>(r.stdout).outcomes[0]!;
    expect(o).toMatchObject({ pid: c.pid, outcome: 'pid-reused', signals: [] });
    expect(isAlive(c.pid)).toBe(true);
  });
});

describe('kill, from a plan that holds a command line whole', () => {
  it('carries it out, and prints and logs the command line redacted', async () => {
    const c = await startClaude({ mode: 'sleep', args: ['--api-key', 'plain-plan-key-0010'] });
    const plan = json<KillPlan>((await kill(['--pid', String(c.pid), '--dry-run', '--json'])).stdout);
    // As an earlier version wrote it: argv as the process had it.
    plan.targets[0]!.argv = c.argv;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await kill(['--plan', join(dir, 'plan.json'), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(outcome(json<KillResult>(r.stdout), c.pid)).toBe('terminated');
    expect(r.stdout).not.toContain('plain-plan-key');
    expect(r.stdout).toContain('"--api-key","‹redacted›"');
    expect(readFileSync(join(dir, 'state', 'reaped.jsonl'), 'utf8')).not.toContain('plain-plan-key');
  });

  it('refuses a plan whose argv is not a list of strings: exit 2, one line, nothing signalled', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const plan = json<KillPlan>((await kill(['--pid', String(c.pid), '--dry-run', '--json'])).stdout);
    (plan.targets[0] as unknown as { argv: unknown }).argv = ['claude', 5];
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await kill(['--plan', join(dir, 'plan.json'), '--yes', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/targets\[0\]\.argv: expected an array of strings, or null/);
    expect(isAlive(c.pid)).toBe(true);
  });
});

describe('kill never hurts what it must not', () => {
  it('refuses a plan that names its own ancestor, and leaves it running', async () => {
    const planFile = join(dir, 'plan.json');
    const out = join(dir, 'out.json');
    // The reaper runs under this claude; it waits for the plan, which names the claude itself.
    const c = await startOrphan({
      childCommands: [`while [ ! -f ${planFile} ]; do sleep 0.05; done; exec ${process.execPath} ${cliPath()} kill --plan ${planFile} --yes --json --sample 0 > ${out}`],
      env,
    });
    const plan = json<KillPlan>((await kill(['--pid', String(c.pid), '--dry-run', '--json'])).stdout);
    writeFileSync(planFile, JSON.stringify(plan));
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').trim().endsWith('}'), { what: 'the reaper to finish', timeoutMs: 15_000 });
    const result = json<KillResult>(readFileSync(out, 'utf8'));
    expect(result.outcomes.find((o) => o.pid === c.pid)).toMatchObject({ outcome: 'refused', signals: [] });
    // The plan also named the shell that became the reaper itself (it was the claude's child).
    const self = c.childPids[0]!;
    expect(result.outcomes.find((o) => o.pid === self)).toMatchObject({ outcome: 'refused', signals: [] });
    expect(isAlive(c.pid)).toBe(true);
  });

  it('refuses --pid for the session it runs inside, and signals nothing', async () => {
    const out = join(dir, 'out.txt');
    const c = await startOrphan({
      childCommands: [`sleep 0.5; ${process.execPath} ${cliPath()} kill --pid $PPID --yes --sample 0 > ${out} 2>&1; echo "exit $?" >> ${out}`],
      env,
    });
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').includes('exit '), { what: 'the reaper to finish', timeoutMs: 15_000 });
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/refusing --pid \d+: protected \(an ancestor of this claude-reaper/);
    expect(text).toMatch(/exit 2/);
    expect(isAlive(c.pid)).toBe(true);
  });

  it('lists a protected ancestor as skipped in a broad plan (dry run)', async () => {
    const out = join(dir, 'plan.json');
    const c = await startOrphan({
      childCommands: [`sleep 0.5; exec ${process.execPath} ${cliPath()} kill --orphans --dry-run --json --sample 0 > ${out}`],
      env,
    });
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').trim().endsWith('}'), { what: 'the plan', timeoutMs: 15_000 });
    const plan = json<KillPlan>(readFileSync(out, 'utf8'));
    expect(plan.targets.map((t) => t.pid)).not.toContain(c.pid);
    expect(plan.skipped.find((s) => s.pid === c.pid)).toMatchObject({ protection: { id: 'ancestor' } });
    expect(isAlive(c.pid)).toBe(true);
  });

  it('touches nothing with --dry-run, and shows the plan', async () => {
    const c = await startOrphan({ mode: 'sleep' });
    const r = await kill(['--orphans', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Plan: reap \d+ process/m);
    expect(r.stdout).toContain(String(c.pid));
    expect(isAlive(c.pid)).toBe(true);
  });

  it('refuses to act off a terminal without --yes: exit 2, one line, nothing touched', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await kill(['--pid', String(c.pid)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing to kill without --yes when not on a terminal/);
    expect(isAlive(c.pid)).toBe(true);
  });

  it.each([
    [['--pid', 'abc'], /invalid --pid 'abc'/],
    [['--pid', '12x'], /invalid --pid/],
    [['--signal', 'FOO'], /invalid --signal 'FOO'/],
    [['--grace', '2x'], /invalid --grace '2x'/],
    [['--idle', '-5m'], /invalid --idle '-5m'/],
    [['--min-rss', '10'], /invalid --min-rss '10'/],
    [['--plan', '/nonexistent/plan.json'], /plan \/nonexistent\/plan.json: cannot read it/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('refuses bad input %j with exit 2 and one line, touching nothing', async (args, message) => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await kill([...args, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(isAlive(c.pid)).toBe(true);
  });

  it('refuses a plan file that does not parse, and --plan with selectors', async () => {
    const c = await startClaude({ mode: 'sleep' });
    writeFileSync(join(dir, 'bad.json'), '{"planVersion": 1, "targets": [');
    const bad = await kill(['--plan', join(dir, 'bad.json'), '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
    const both = await kill(['--plan', join(dir, 'bad.json'), '--pid', String(c.pid), '--yes']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--plan carries out a saved plan: it takes no selectors/);
    expect(isAlive(c.pid)).toBe(true);
  });
});

describe('kill without permission', () => {
  // Needs a second user: the suite runs as root on CI, and setpriv drops to nobody for the tool.
  it.skipIf(process.getuid?.() !== 0)('reports denied for a process of another user, and exits 1', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const state = mkdtempSync(join(tmpdir(), 'reaper-nobody-'));
    chmodSync(state, 0o777);
    const r = await runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath(),
      'kill', '--pid', String(c.pid), '--all-users', '--yes', '--json', '--sample', '0'], { ...env, HOME: state, CLAUDE_REAPER_STATE_DIR: state, CLAUDE_REAPER_CONFIG_DIR: state });
    expect(r.code, r.stderr).toBe(1);
    expect(json<KillResult>(r.stdout).outcomes).toEqual([expect.objectContaining({ pid: c.pid, outcome: 'denied', signals: [] })]);
    expect(isAlive(c.pid)).toBe(true);
  });
});

describe('the audit log', () => {
  it('records every process reaped, with its identity, flags and outcome', async () => {
    const c = await startOrphan({ mode: 'sleep' });
    const r = await kill(['--pid', String(c.pid), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reaped 1 process, freed [\d.]+ [KMG]?B\./);
    const lines = readFileSync(join(dir, 'state', 'reaped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ pid: c.pid, startId: c.startId, outcome: 'terminated', flags: expect.arrayContaining(['orphan']), kind: 'claude' });
    expect(lines[0].rssBytes).toBeGreaterThan(0);
  });

  it('writes nothing with --no-log', async () => {
    const c = await startClaude({ mode: 'sleep' });
    const r = await kill(['--pid', String(c.pid), '--yes', '--no-log']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'state', 'reaped.jsonl'))).toBe(false);
  });
});

function cliPath(): string {
  return new URL('../../bin/claude-reaper.js', import.meta.url).pathname;
}

function commOf(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** Runs a command to completion (it ends by itself; the timeout ends it otherwise). */
function runCommand(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
