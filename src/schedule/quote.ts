// Quoting an argv for each place a job's command is written into: a POSIX shell line (cron), a
// systemd ExecStart=, and a Windows command line (Task Scheduler's /TR). Each follows the rules
// of the program that will split the text again.

const SH_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for /bin/sh: bare when safe, else single-quoted ('\'' for a quote inside). */
export function shQuote(arg: string): string {
  if (arg !== '' && SH_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * One word for ExecStart= (systemd.service(5), "Command lines"): double quotes with C-style
 * escapes; `%` starts a specifier and `$` an environment variable, so both are doubled.
 */
export function systemdQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  const escaped = arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/** Splits an ExecStart= value written by systemdQuote back into words (for `status`). */
export function systemdUnquote(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

/**
 * One argument as the Microsoft C runtime splits a command line (CommandLineToArgvW): quoted
 * when it has a space, tab or quote; backslashes are literal except before a quote, where they
 * are doubled, and a quote inside is written \".
 */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    out += ch === '"' ? '\\'.repeat(slashes * 2 + 1) + '"' : '\\'.repeat(slashes) + ch;
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

export function windowsCommandLine(argv: readonly string[]): string {
  return argv.map(windowsQuote).join(' ');
}
