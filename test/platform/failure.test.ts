import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/platform/exec.js';
import { commandFailed, failureReason, ownWords, programName } from '../../src/platform/failure.js';

const failed = (over: Partial<CommandResult>): CommandResult => ({
  stdout: '',
  stderr: '',
  failed: true,
  timedOut: false,
  // execa's summary holds the whole command line: it must never reach the user.
  message: 'Command failed with exit code 1: powershell.exe -NoProfile -NonInteractive -Command [Console]::OutputEncoding = …',
  ...over,
});

// Windows PowerShell 5.1's error view: the error, then where, then the category trailer.
const PS51_ERROR = [
  'Get-CimInstance : Access denied ',
  'At line:1 char:116',
  '+ ... Preference = \'SilentlyContinue\'; $first = @(Get-CimInstance -ClassName ...',
  '+                                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
  '    + CategoryInfo          : PermissionDenied: (root\\cimv2:Win32_Process:String) [Get-CimInstance], CimException',
  '    + FullyQualifiedErrorId : HRESULT 0x80041003,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand',
  '',
].join('\r\n');

describe('failure reasons in the command’s own words', () => {
  it('names a failed wmic by its program name and its own stderr, not by its command line', () => {
    const r = failed({ exitCode: 44210, stderr: 'Invalid XSL format (or) file name.\r\n' });
    expect(commandFailed('wmic', r)).toBe('wmic failed (exit code 44210: Invalid XSL format (or) file name.)');
  });

  it("keeps PowerShell's error line and drops its position markers and category trailer", () => {
    expect(ownWords(PS51_ERROR)).toBe('Get-CimInstance : Access denied');
    const text = commandFailed('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', failed({ exitCode: 1, stderr: PS51_ERROR }));
    expect(text).toBe('powershell.exe failed (exit code 1: Get-CimInstance : Access denied)');
    expect(text).not.toMatch(/NoProfile|Get-CimInstance -ClassName|OutputEncoding/);
  });

  it('strips the colours PowerShell 7 paints its errors with', () => {
    expect(ownWords('\u001b[31;1mGet-CimInstance: \u001b[31;1mThe WS-Management service cannot process the request.\u001b[0m\n')).toBe(
      'Get-CimInstance: The WS-Management service cannot process the request.',
    );
  });

  it("reads wmic's two-line error as one line", () => {
    expect(ownWords('Node - BUILD01\r\nERROR:\r\nDescription = Invalid class.\r\n\r\n')).toBe('Description = Invalid class.');
  });

  it('bounds a long stderr to two lines and a few hundred characters', () => {
    const said = ownWords(`${'x'.repeat(500)}\nsecond\nthird\n`);
    expect(said.length).toBeLessThanOrEqual(240);
    expect(said.endsWith('…')).toBe(true);
    expect(ownWords('first\n\nsecond\nthird\n')).toBe('first second');
  });

  it('says not found, timed out, a signal or a start-up error where there is no stderr to quote', () => {
    expect(failureReason(failed({ code: 'ENOENT' }))).toBe('not found');
    expect(failureReason(failed({ timedOut: true, signal: 'SIGTERM' }))).toBe('timed out');
    expect(failureReason(failed({ signal: 'SIGKILL' }))).toBe('killed by SIGKILL');
    expect(failureReason(failed({ code: 'EACCES' }))).toBe('could not be started (EACCES)');
    expect(failureReason(failed({ exitCode: 3 }))).toBe('exit code 3');
  });

  it('takes the basename of a path on either kind of separator', () => {
    expect(programName('/usr/bin/ps')).toBe('ps');
    expect(programName('C:\\Windows\\System32\\wbem\\WMIC.exe')).toBe('WMIC.exe');
    expect(programName('pwsh')).toBe('pwsh');
  });
});
