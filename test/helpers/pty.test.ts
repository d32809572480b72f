import { describe, expect, it } from 'vitest';
import { fdTargets, procStat, readCmdline, readComm, readExe, runInPty, startClaude, startInteractive, ttyName, useProcessCleanup } from './procs.js';

useProcessCleanup();

describe('startInteractive', () => {
  it('runs claude by name on a pty, in the terminal foreground group, under a shell under script', async () => {
    const s = await startInteractive({ args: ['--model', 'opus'] });
    expect(s.tty).toMatch(/^pts\/\d+$/);
    const stat = procStat(s.claudePid)!;
    expect(ttyName(stat.ttyNr)).toBe(s.tty);
    expect(stat.tpgid).toBe(stat.pgid);
    expect(stat.ppid).toBe(s.shellPid);
    expect(procStat(s.shellPid!)!.ppid).toBe(s.scriptPid);
    expect(readComm(s.scriptPid)).toBe('script');
    expect(readCmdline(s.claudePid)).toEqual(['claude', '--model', 'opus']);
    expect(fdTargets(s.claudePid)!.get(0)).toBe(`/dev/${s.tty}`);
  });

  it('shows the versioned binary as claude with its version file as exe', async () => {
    const s = await startInteractive({ variant: 'versioned' });
    expect(readComm(s.claudePid)).toBe('claude');
    expect(readExe(s.claudePid)).toMatch(/\/versions\/2\.1\.330$/);
  });

  it('gives processes started outside a pty no controlling terminal', async () => {
    const c = await startClaude();
    expect(procStat(c.pid)!.ttyNr).toBe(0);
  });
});

describe('runInPty', () => {
  it('returns the exit code and the exact stdout and stderr of the command', async () => {
    const r = await runInPty('echo out; echo err >&2; exit 3');
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('runs the command with the pty as its controlling terminal', async () => {
    const r = await runInPty(`${JSON.stringify(process.execPath)} -e "console.log(require('fs').readFileSync('/proc/self/stat','utf8').split(') ')[1].split(' ')[4])"`);
    expect(r.code).toBe(0);
    expect(ttyName(Number(r.stdout))).toMatch(/^pts\/\d+$/);
  });
});
