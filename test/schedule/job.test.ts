import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildJob, parseEvery } from '../../src/schedule/job.js';
import { checkKillArgs } from '../../src/schedule/kill-args.js';
import { shQuote } from '../../src/schedule/quote.js';

const env = { HOME: '/nonexistent', CLAUDE_REAPER_CONFIG_DIR: '/nonexistent/config' };

describe('--every', () => {
  it('takes the strict durations of every other option, at least a minute', () => {
    expect(parseEvery('5m')).toBe(300_000);
    expect(parseEvery('1h30m')).toBe(5_400_000);
    expect(() => parseEvery('30s')).toThrow("invalid --every '30s': at least 1m (each run scans every process)");
    for (const bad of ['10', '2x', '-5m', '']) expect(() => parseEvery(bad)).toThrow(/^invalid --every/);
  });
});

describe('the job command', () => {
  it('is node, the script, then kill --yes once and the kill options', () => {
    const job = buildJob({ node: '/n', script: '/s.js' }, ['-y', '--orphans', '--yes'], 60_000);
    expect(job.argv).toEqual(['/n', '/s.js', 'kill', '--yes', '--orphans']);
  });
});

describe('kill options for a job, checked with the kill command itself', () => {
  it('accepts what kill accepts', () => {
    for (const args of [[], ['--orphans'], ['--idle', '30m', '--duplicates', '--min-rss', '500MB'], ['--grace', '0', '--signal', 'INT', '--sample', '2s'], ['--all-users', '--json', '-w']]) {
      expect(() => checkKillArgs(args, env), args.join(' ')).not.toThrow();
    }
  });

  it('refuses unknown options, bad values and stray words, in one line', () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /^invalid kill options for the job: unknown option '--bogus'/],
      [['stray'], /^invalid kill options for the job: too many arguments/],
      [['--idle', '2x'], /^invalid --idle '2x'/],
      [['--min-rss', 'lots'], /--min-rss/],
      [['--signal', 'NOPE'], /^invalid --signal 'NOPE'/],
      [['--sample', '-1s'], /^invalid --sample/],
      [['--help'], /help and version are not kill options/],
    ];
    for (const [args, message] of cases) {
      expect(() => checkKillArgs(args, env), args.join(' ')).toThrow(message);
      try {
        checkKillArgs(args, env);
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });

  it('refuses what makes no sense unattended', () => {
    expect(() => checkKillArgs(['--no-log'], env)).toThrow('a scheduled kill cannot take --no-log: the job always writes the audit log');
    expect(() => checkKillArgs(['--dry-run'], env)).toThrow(/--dry-run: the job would never reap anything/);
    expect(() => checkKillArgs(['--pid', '123'], env)).toThrow(/--pid: a pid does not outlive its process/);
    expect(() => checkKillArgs(['--plan', '/tmp/p.json'], env)).toThrow(/--plan/);
    expect(() => checkKillArgs(['--config', 'mine.json'], env)).toThrow(/needs an absolute path/);
    expect(() => checkKillArgs(['--config', '/nonexistent/mine.json'], env)).toThrow(/config \/nonexistent\/mine.json: cannot read it/);
  });
});

describe('shQuote', () => {
  it('gives /bin/sh back exactly the words it was given', () => {
    const words = ['plain', 'with space', "it's", '$HOME', '`date`', 'a\\b', '', '*', 'tab\there', '%'];
    const r = spawnSync('/bin/sh', ['-c', `printf '%s\\n' ${words.map(shQuote).join(' ')}`], { encoding: 'utf8' });
    expect(r.stdout).toBe(words.map((w) => `${w}\n`).join(''));
  });
});
