// The PowerShell that the CIM source runs. Text only: running it is cim.ts's job.
//
// Written to run the same on Windows PowerShell 5.1 and PowerShell 7:
// - `Get-CimInstance -Property` asks WMI for the named properties only: a full Win32_Process row
//   costs several times more (about 5 s for `Get-WmiObject Win32_Process | fl *` against 1.6 s for
//   12 properties, sebhildebrandt/systeminformation#650).
// - CreationDate is written by the script as UTC ISO text (`ToString('o')`, 100 ns digits):
//   left to ConvertTo-Json, 5.1 writes `\/Date(ms)\/` and 7 writes local ISO text.
// - `ConvertTo-Json -InputObject @(...)`: piped in, 5.1 unwraps a one-element array into a bare
//   object, and `-AsArray` exists only from PowerShell 6 on (PowerShell/PowerShell#6327).
// - Output is UTF-8 without a BOM, or 5.1 writes the console's OEM code page and any non-ASCII
//   command line comes back mangled.
// - No double quote anywhere: powershell.exe's own command-line parsing drops unescaped `"` from a
//   -Command argument, so the script uses single quotes only.
import { WIN32_PROCESS_PROPERTIES } from './win32-methods.js';

/** The Win32_Process properties read, and nothing else: the session id besides the shared ones. */
export const CIM_PROPERTIES = [...WIN32_PROCESS_PROPERTIES, 'SessionId'] as const;

const CPU_PROPERTIES = ['ProcessId', 'CreationDate', 'KernelModeTime', 'UserModeTime'] as const;

const PROLOGUE = [
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
  "$ErrorActionPreference = 'Stop'",
  "$ProgressPreference = 'SilentlyContinue'",
];

/** The ISO text of a CimInstance's CreationDate, or $null (the idle process has none). */
const ISO_DATE = (v: string) => `$(if ($${v}.CreationDate) { $${v}.CreationDate.ToUniversalTime().ToString('o') } else { $null })`;

/**
 * Every process with its properties, then, `sampleMs` later, the CPU counters again: both samples
 * in one run, so PowerShell's start-up (about a second) is paid once. The first element of the
 * array is `{SampleMs}`, the window measured between the ends of the two queries; each row's
 * `CpuTime2` is the second reading (100 ns units), null when the process is gone or its pid now
 * belongs to another process (a different CreationDate).
 */
export function listScript(sampleMs: number): string {
  const ms = wholeNumber(sampleMs, 'sample window');
  const fields = CIM_PROPERTIES.filter((p) => p !== 'CreationDate')
    .map((p) => `${p} = $p.${p}`)
    .join('; ');
  return [
    ...PROLOGUE,
    `$first = @(Get-CimInstance -ClassName Win32_Process -Property ${CIM_PROPERTIES.join(',')})`,
    '$clock = [Diagnostics.Stopwatch]::StartNew()',
    `Start-Sleep -Milliseconds ${ms}`,
    '$second = @{}',
    `foreach ($q in @(Get-CimInstance -ClassName Win32_Process -Property ${CPU_PROPERTIES.join(',')})) { $second[[string]$q.ProcessId] = $q }`,
    '$window = $clock.Elapsed.TotalMilliseconds',
    '$rows = foreach ($p in $first) { ' +
      '$q = $second[[string]$p.ProcessId]; $cpu2 = $null; ' +
      'if ($q -and $q.CreationDate -eq $p.CreationDate) { $cpu2 = [UInt64]$q.KernelModeTime + [UInt64]$q.UserModeTime }; ' +
      `[pscustomobject]@{ ${fields}; CreationDate = ${ISO_DATE('p')}; CpuTime2 = $cpu2 } }`,
    'ConvertTo-Json -InputObject @(@([pscustomobject]@{ SampleMs = $window }) + @($rows)) -Compress',
  ].join('; ');
}

/**
 * The CPU counters and CreationDate of the given pids (all processes when `pids` is null; a WQL
 * filter of hundreds of pids would be long and slow, so callers ask for all instead).
 */
export function cpuScript(pids: readonly number[] | null): string {
  const filter = pids === null ? '' : ` -Filter '${pids.map((p) => `ProcessId=${wholeNumber(p, 'pid')}`).join(' OR ')}'`;
  return [
    ...PROLOGUE,
    `$rows = foreach ($p in @(Get-CimInstance -ClassName Win32_Process${filter} -Property ${CPU_PROPERTIES.join(',')})) { ` +
      `[pscustomobject]@{ ProcessId = $p.ProcessId; CreationDate = ${ISO_DATE('p')}; KernelModeTime = $p.KernelModeTime; UserModeTime = $p.UserModeTime } }`,
    'ConvertTo-Json -InputObject @($rows) -Compress',
  ].join('; ');
}

/** The arguments for powershell.exe or pwsh. */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-Command', script];
}

function wholeNumber(n: number, what: string): number {
  // These numbers are spliced into script text: refuse anything but a plain non-negative integer.
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}
