// What counts as a claude process, and what counts as one of its helpers. The one place that knows
// the shapes listed in the README ("What is matched"); everything else asks here.
//
// Match on the executable path and argv, never on the kernel name alone: the native installer's
// binary shows its version string as its name on macOS (`2.1.330`), node's process.title turns the
// npm CLI's cmdline into just `claude` on Linux, and ps-list's `name` is wrong for both.
import type { ClaudeMarkers, ClaudeRole, ClaudeVariant, ProcessRecord } from '../types.js';

export interface ClaudeShape {
  variant: ClaudeVariant;
  via: string;
}

// Claude Desktop keeps its own copy of the CLI:
//   macOS   ~/Library/Application Support/Claude/claude-code/<ver>/claude.app/Contents/MacOS/claude
//   Windows %APPDATA%\Claude\claude-code\<ver>\claude.exe (anthropics/claude-code#58565), newer
//           builds one folder deeper: …\claude-code\2.1.293\83cb0bd7fed4\claude.exe
const DESKTOP = /[\\/]Claude[\\/]claude-code[\\/][^\\/]+[\\/](?:[0-9a-f]{6,}[\\/])?(?:claude\.app[\\/]Contents[\\/]MacOS[\\/])?claude(?:\.exe)?$/;
// Claude Desktop itself is an Electron app, and on Windows its binary is claude.exe too: the
// Store's MSIX package (C:\Program Files\WindowsApps\Claude_<ver>_x64__pzs8sxrjxfjjc\app\claude.exe,
// anthropics/claude-code#58565, #81130) and the per-user installer's
// %LOCALAPPDATA%\AnthropicClaude\app-<ver>\claude.exe (and its launcher one folder up). Its main
// process runs with no arguments and its helpers with Electron's `--type=renderer`,
// `--type=gpu-process`, `--type=utility --utility-sub-type=node.mojom.NodeService`,
// `--type=crashpad-handler`: none of them is a CLI, whatever the name says. On macOS the app is
// …/Claude.app/Contents/MacOS/Claude, a name the CLI never has.
// Windows paths in any case (the Store package's is `Claude.exe`); the macOS name exactly, as
// Desktop's own CLI lives at …/claude.app/Contents/MacOS/claude.
const DESKTOP_APP_WINDOWS = /[\\/](?:WindowsApps[\\/]Claude_[^\\/]*[\\/]app|AnthropicClaude(?:[\\/]app-[^\\/]+)?)[\\/]claude\.exe$/i;
const DESKTOP_APP_MACOS = /\/Claude\.app\/Contents\/MacOS\/Claude$/;
const desktopAppPath = (path: string) => DESKTOP_APP_WINDOWS.test(path) || DESKTOP_APP_MACOS.test(path);
// Chromium starts every helper process with `--type=<kind>`; the claude CLI has no such option.
const ELECTRON_HELPER = /^--type=/;
// The Agent SDK's bundled binary: …/@anthropic-ai/claude-agent-sdk-linux-x64/claude
const SDK_BUNDLED = /[\\/]claude-agent-sdk-[^\\/]+[\\/]claude(?:\.exe)?$/;
// The native installer: ~/.local/share/claude/versions/2.1.330 (the file is named for its version)
const VERSIONED = /[\\/]claude[\\/]versions[\\/]\d+\.\d+\.\d+[^\\/]*$/;
// npm's CLI as run by node: …/node_modules/@anthropic-ai/claude-code/cli.js
const NPM_CLI = /[\\/]@anthropic-ai[\\/]claude-code[\\/]cli\.m?js$/;
const CLAUDE_NAMES = new Set(['claude', 'claude.exe']);
const JS_RUNTIMES = new Set(['node', 'node.exe', 'nodejs', 'bun', 'bun.exe', 'deno', 'deno.exe']);

export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

// Claude's background agents rewrite argv[0] to one string, `claude bg-pty-host` or `claude
// bg-spare` (ps, which cannot tell argument boundaries, shows it as two words), while comm and exe
// stay the binary's: `claude.exe` from npm, `claude` from the SDK, the version from the installer.
const BG_ARGV0 = /^claude (bg-pty-host|bg-spare)$/;
const BG_FLAGS: Record<string, string> = { 'bg-pty-host': '--bg-pty-host', 'bg-spare': '--bg-spare' };
const VERSION_NAME = /^\d+\.\d+\.\d+/;

/** A background agent's pty host or spare, by its rewritten argv[0] and the flag that follows it. */
function backgroundShape(rec: Pick<ProcessRecord, 'name' | 'argv'>): ClaudeShape | null {
  const argv = rec.argv;
  if (!argv || argv.length < 2) return null;
  let word: string | undefined;
  let flagAt = 1;
  const whole = BG_ARGV0.exec(argv[0]!);
  if (whole) word = whole[1];
  else if (argv[0] === 'claude' && (argv[1] === 'bg-pty-host' || argv[1] === 'bg-spare')) [word, flagAt] = [argv[1], 2];
  if (word === undefined || argv[flagAt] !== BG_FLAGS[word]) return null;
  if (!CLAUDE_NAMES.has(rec.name) && !VERSION_NAME.test(rec.name)) return null;
  return { variant: 'native', via: `Claude's background ${word === 'bg-spare' ? 'spare' : 'pty host'} (argv[0] '${argv[0]}${flagAt === 2 ? ` ${argv[1]}` : ''}')` };
}

/**
 * Claude Desktop's own processes (the app and its Electron helpers): never a CLI session. They are
 * not listed; a Desktop Code session under them is protected while they run (classify/protect.ts).
 */
export function isDesktopApp(rec: Pick<ProcessRecord, 'exe' | 'argv'>): boolean {
  const argv0 = rec.argv?.[0];
  if ((rec.exe && desktopAppPath(rec.exe)) || (argv0 !== undefined && desktopAppPath(argv0))) return true;
  // A helper of a Desktop install this matcher does not know the folder of: a claude binary
  // (by either path) that is not the bundled CLI, run with Chromium's --type.
  const path = rec.exe ?? argv0 ?? '';
  return !!rec.argv && rec.argv.some((a) => ELECTRON_HELPER.test(a)) && CLAUDE_NAMES.has(basename(path).toLowerCase()) && !DESKTOP.test(path);
}

/** The claude binary shape this process is, or null when it is not claude. */
export function matchClaude(rec: Pick<ProcessRecord, 'name' | 'exe' | 'argv'>): ClaudeShape | null {
  if (isDesktopApp(rec)) return null;
  const bg = backgroundShape(rec);
  if (bg) return bg;
  // The program's path, rejoined where ps split it at a space and the kernel's name confirms it.
  const argv0 = programPath(rec)?.path ?? rec.argv?.[0] ?? null;
  const installed = installShape(rec.exe) ?? installShape(argv0);
  if (installed) return installed;
  // process.title = 'claude' overwrote the whole argv area: cmdline is `claude`, exe is node.
  if (argv0 === 'claude' && rec.argv?.length === 1 && rec.exe && JS_RUNTIMES.has(basename(rec.exe))) {
    return { variant: 'title-only', via: "node whose title overwrote argv (cmdline is just 'claude')" };
  }
  for (const path of [rec.exe, argv0]) {
    if (path && CLAUDE_NAMES.has(basename(path))) return { variant: 'native', via: `a binary named ${basename(path)}` };
  }
  // A zombie keeps only its name: no cmdline, no exe.
  if (rec.argv?.length === 0 && !rec.exe && CLAUDE_NAMES.has(rec.name)) return { variant: 'native', via: 'a process named claude with no command line left' };
  if (npmCliAt(rec.argv) !== null) return { variant: 'npm-cli', via: 'node running @anthropic-ai/claude-code/cli.js' };
  return null;
}

/** The install locations that name a claude binary by their path alone. */
function installShape(path: string | null | undefined): ClaudeShape | null {
  if (!path) return null;
  if (DESKTOP.test(path)) return { variant: 'desktop', via: "Claude Desktop's bundled CLI" };
  if (SDK_BUNDLED.test(path)) return { variant: 'sdk-bundled', via: "the Agent SDK's bundled binary" };
  if (VERSIONED.test(path)) return { variant: 'native', via: 'a native build under …/claude/versions/' };
  return null;
}

// `ps` joins argv with spaces and cannot give back the boundaries (see platform/parse/ps.ts), so a
// path that holds a space comes back as several words: Claude Desktop's copy and fnm's Node (with
// npm's bin/claude.exe) on macOS live under `~/Library/Application Support/`, and an SDK app may
// sit under `/Users/Jane Doe/`. Such a path is tried again rejoined with the words after it that
// continue a path (each holds a `/` and starts with neither `/` nor `-`), up to this many.
const MAX_SPLIT_WORDS = 6;
// The kernel keeps a program's name cut to 15 (Linux) or 16 (macOS) characters.
const KERNEL_NAME_CHARS = 15;
// A script file is a whole path: a fragment of one split at a space ends inside a folder name.
const SCRIPT_FILE = /\.(?:c|m)?[jt]s$/;

function continuesPath(word: string): boolean {
  return word.includes('/') && !word.startsWith('/') && !word.startsWith('-');
}

/**
 * argv[at] rejoined with the words that continue it, when the rejoined path is what `test` looks
 * for: what it found, and how many words the path took. Null when argv[at] alone is the path.
 */
function splitPath<T>(argv: readonly string[] | null, at: number, test: (path: string) => T | null): { found: T; words: number } | null {
  const first = argv?.[at];
  if (!argv || first === undefined || !first.includes('/')) return null;
  let path = first;
  for (let i = at + 1; i < argv.length && i <= at + MAX_SPLIT_WORDS && continuesPath(argv[i]!); i++) {
    path += ` ${argv[i]}`;
    const found = test(path);
    if (found !== null) return { found, words: i - at + 1 };
  }
  return null;
}

/** Whether a file's basename is the kernel's name for the process (which may be cut short). */
function namesAgree(base: string, name: string): boolean {
  return base === name || (name.length >= KERNEL_NAME_CHARS && base.startsWith(name));
}

/**
 * The program's path where ps split it: argv[0] rejoined with the words that continue it, but
 * only up to where its basename is the process's name as the kernel keeps it (the ps source reads
 * that name, `ucomm`, for such processes). Words alone cannot tell `/Users/Jane Doe/bin/claude`
 * from `/usr/bin/vim notes/claude` (an editor given a file named claude): the name can, `claude`
 * for the one and `vim` for the other. Null where argv[0] already is the program (its basename is
 * the name), which is every record from /proc and Windows, and every unsplit one from ps.
 */
function programPath(rec: Pick<ProcessRecord, 'name' | 'argv'>): { path: string; words: number } | null {
  const argv0 = rec.argv?.[0];
  if (argv0 === undefined || rec.argv!.length < 2 || !rec.name || namesAgree(basename(argv0), rec.name)) return null;
  const split = splitPath(rec.argv, 0, (path) => (namesAgree(basename(path), rec.name) ? path : null));
  return split && { path: split.found, words: split.words };
}

/** Where node's cli.js (`node [--opts] …/@anthropic-ai/claude-code/cli.js`) ends in argv: the index after it, or null. */
function npmCliAt(argv: readonly string[] | null): number | null {
  const at = scriptIndex(argv);
  if (at === null) return null;
  const script = argv![at]!;
  if (NPM_CLI.test(script)) return at + 1;
  // The kernel names node, not the script, so nothing confirms a rejoined script path; a word that
  // is a whole script file (`/usr/lib/tool.js notes/@anthropic-ai/claude-code/cli.js`) is not a
  // fragment of one.
  if (SCRIPT_FILE.test(script)) return null;
  const split = splitPath(argv, at, (path) => (NPM_CLI.test(path) ? true : null));
  return split ? at + split.words : null;
}

/** Where the script a JS runtime runs (`node [--opts] script.js`) is in argv, or null. */
function scriptIndex(argv: readonly string[] | null): number | null {
  if (!argv || argv.length < 2 || !JS_RUNTIMES.has(basename(argv[0]!))) return null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) return i;
    if (a === '-r' || a === '--require' || a === '--import' || a === '--loader') i++; // these take a value
  }
  return null;
}

/** The arguments after the program (and after the script, for node running cli.js). */
export function claudeArgs(rec: Pick<ProcessRecord, 'argv' | 'name'>, variant: ClaudeVariant): string[] {
  const argv = rec.argv ?? [];
  if (variant === 'npm-cli') return argv.slice(npmCliAt(argv) ?? argv.length);
  // A program path that ps split into words (see programPath) takes more than argv[0].
  return argv.slice(programPath(rec)?.words ?? 1);
}

/** Value of `--flag value` or `--flag=value`. */
export function optionValue(args: readonly string[], ...names: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      if (a === name && i + 1 < args.length) return args[i + 1]!;
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    }
  }
  return null;
}

/** How the claude process is being used. */
export function claudeRole(args: readonly string[], markers: ClaudeMarkers | null): ClaudeRole {
  if (args[0] === 'daemon' && args[1] === 'run') return 'bg-daemon';
  // The host's own argv ends `-- …/claude --bg-spare …`: the host flag decides first.
  if (args.includes('--bg-pty-host')) return 'bg-pty-host';
  if (args.includes('--bg-spare')) return 'bg-spare';
  if (optionValue(args, '--input-format') === 'stream-json') return 'sdk';
  if (markers?.entrypoint?.startsWith('sdk')) return 'sdk';
  if (args.includes('-p') || args.includes('--print')) return 'print';
  if (optionValue(args, '--output-format') === 'stream-json') return 'sdk';
  return 'interactive';
}

/** The session a claude process resumes or was started with, from its argv. */
export function argvSessionId(args: readonly string[]): string | null {
  return optionValue(args, '--resume', '-r', '--session-id');
}

// A Bash-tool shell runs `source …/shell-snapshots/snapshot-bash-….sh … pwd -P >| /tmp/claude-<hex>-cwd`;
// whatever it forked keeps that command line after the tool shell itself exits.
const SNAPSHOT = /shell-snapshots[\\/]snapshot-[^\s'"]*\.sh/;
const CWD_FILE = /claude-[0-9a-f]{4,}-cwd/;

/** Whether argv carries the Bash tool's signature. */
export function isToolShell(argv: readonly string[] | null): boolean {
  if (!argv) return false;
  return argv.some((a) => SNAPSHOT.test(a) || CWD_FILE.test(a));
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'fish', 'ksh', 'tcsh', 'csh', 'pwsh', 'powershell', 'cmd', 'nu']);

/**
 * A shell, by its name or the basename of argv[0] (login shells show `-bash`; Windows names carry
 * `.exe`: Git Bash's bash.exe, PowerShell 7's pwsh.exe, cmd.exe).
 */
export function isShell(rec: Pick<ProcessRecord, 'name' | 'argv'>): boolean {
  const argv0 = rec.argv?.[0];
  const names = [rec.name, argv0 ? basename(argv0) : ''];
  return names.some((n) => SHELLS.has(n.replace(/^-/, '').toLowerCase().replace(/\.exe$/, '')));
}

/** Daemons known to drive claude through the Agent SDK. Users add their own in the config. */
export const KNOWN_DAEMONS: readonly { name: string; script: RegExp; word: string }[] = [
  // claude-mem's worker: …/plugins/marketplaces/…/worker-service.cjs --daemon
  { name: 'claude-mem worker', script: /(?:^|[\\/])worker-service\.c?js$/, word: 'worker-service' },
];

/** A pattern from the config, tested against the whole command line. */
export interface CommandPattern {
  name: string;
  re: RegExp;
}

const SCRIPT_WITHIN = 5;

/** The known (or configured) daemon this process runs, or null. */
export function matchDaemon(argv: readonly string[] | null, extra: readonly CommandPattern[] = []): string | null {
  if (!argv || argv.length === 0) return null;
  // The script is the program or what its runtime runs: `node [a few options] …/worker-service.cjs`.
  const head = argv.length > SCRIPT_WITHIN ? argv.slice(0, SCRIPT_WITHIN) : argv;
  for (const d of KNOWN_DAEMONS) if (head.some((a) => d.script.test(a))) return d.name;
  return matchPattern(argv, extra);
}

/** The first pattern the command line matches, by name, or null. */
export function matchPattern(argv: readonly string[] | null, patterns: readonly CommandPattern[]): string | null {
  if (!argv || argv.length === 0 || patterns.length === 0) return null;
  const line = argv.join(' ');
  return patterns.find((p) => p.re.test(line))?.name ?? null;
}

/**
 * Looks like an MCP server by its command line (`npx -y @modelcontextprotocol/server-memory`,
 * `uvx mcp-server-git`, `…/mcp/server/index.js`): for claude's direct children, whose
 * environment may be unreadable.
 */
export function looksLikeMcp(argv: readonly string[] | null): boolean {
  return !!argv && argv.some((a) => /(?:^|[^a-z])mcp(?:[^a-z]|$)|modelcontextprotocol/i.test(a));
}

/**
 * Words without which no built-in shape can match: every claude shape above holds `claude` in its
 * executable, its name or an argument (the bare name, `…/claude/versions/…`, `claude-code`,
 * `claude-agent-sdk-…`); the Bash tool's signature holds `shell-snapshots` or `claude-`; a known daemon's
 * `word` is in its script's name. A test holds every shape to this list.
 */
const BUILTIN_WORDS = ['claude', 'shell-snapshots', ...KNOWN_DAEMONS.map((d) => d.word)];

/**
 * Whether any built-in shape (claude, a Bash-tool shell, a known daemon) could match: a few
 * substring tests that let a scan pass over the thousands of processes that are none of them.
 * Config patterns are not covered: they are tested on every process.
 */
export function mayMatchBuiltin(rec: Pick<ProcessRecord, 'name' | 'exe' | 'argv'>): boolean {
  if (rec.name.includes('claude') || rec.exe?.includes('claude')) return true;
  const argv = rec.argv ?? [];
  // Indexed loops: run once over thousands of processes, this code is never optimized, and
  // for-of would allocate an iterator result at every step.
  for (let i = 0; i < argv.length; i++) {
    for (let w = 0; w < BUILTIN_WORDS.length; w++) if (argv[i]!.includes(BUILTIN_WORDS[w]!)) return true;
  }
  return false;
}
