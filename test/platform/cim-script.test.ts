import { describe, expect, it } from 'vitest';
import { CIM_PROPERTIES, cpuScript, listScript, powershellArgs } from '../../src/platform/cim-script.js';

describe('listScript', () => {
  const script = listScript(1000);

  it('asks WMI for the needed properties only', () => {
    expect(script).toContain(`Get-CimInstance -ClassName Win32_Process -Property ${CIM_PROPERTIES.join(',')}`);
    expect([...CIM_PROPERTIES].sort()).toEqual(
      ['CommandLine', 'CreationDate', 'ExecutablePath', 'HandleCount', 'KernelModeTime', 'Name', 'ParentProcessId', 'ProcessId', 'SessionId', 'ThreadCount', 'UserModeTime', 'WorkingSetSize'].sort(),
    );
    expect(script).not.toMatch(/Select-Object \*|Format-List|GetOwner/);
  });

  it('takes both CPU samples in the one run, the window apart, and measures the window', () => {
    const first = script.indexOf('$first = @(Get-CimInstance');
    const pause = script.indexOf('Start-Sleep -Milliseconds 1000');
    const second = script.indexOf('-Property ProcessId,CreationDate,KernelModeTime,UserModeTime');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(pause).toBeGreaterThan(first);
    expect(second).toBeGreaterThan(pause);
    expect(script).toContain('[Diagnostics.Stopwatch]::StartNew()');
    expect(script).toContain('SampleMs = $window');
    // A reused pid is not the same process: the second reading counts only with the same CreationDate.
    expect(script).toContain('$q.CreationDate -eq $p.CreationDate');
  });

  it('writes CreationDate as UTC ISO text itself', () => {
    expect(script).toContain(".CreationDate.ToUniversalTime().ToString('o')");
  });

  it('keeps the output an array on 5.1 and 7, compressed, in UTF-8 without a BOM', () => {
    expect(script).toMatch(/ConvertTo-Json -InputObject @\(.*\) -Compress$/);
    expect(script).not.toMatch(/\|\s*ConvertTo-Json/);
    expect(script).not.toContain('-AsArray');
    expect(script.startsWith('[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false')).toBe(true);
  });

  it('is one line with no double quote, so powershell.exe -Command passes it through intact', () => {
    expect(script).not.toContain('"');
    expect(script).not.toContain('\n');
  });

  it('refuses a window that is not a whole number of milliseconds', () => {
    expect(() => listScript(1.5)).toThrow(RangeError);
    expect(() => listScript(-1)).toThrow(RangeError);
  });
});

describe('cpuScript', () => {
  it('filters by pid with a WQL filter, or reads every process', () => {
    expect(cpuScript([12, 34])).toContain("-Filter 'ProcessId=12 OR ProcessId=34'");
    expect(cpuScript(null)).not.toContain('-Filter');
    expect(cpuScript([12])).toContain('ConvertTo-Json -InputObject @($rows) -Compress');
    expect(cpuScript([12])).not.toContain('"');
  });

  it('refuses anything but pids in the filter', () => {
    expect(() => cpuScript([Number.NaN])).toThrow(RangeError);
    expect(() => cpuScript([1.5])).toThrow(RangeError);
  });
});

describe('powershellArgs', () => {
  it('runs without profile or prompts', () => {
    expect(powershellArgs('x')).toEqual(['-NoProfile', '-NonInteractive', '-Command', 'x']);
  });
});
