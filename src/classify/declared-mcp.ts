// An MCP server as Claude's configuration declares it (`{"command": …, "args": […]}`), and whether a
// process's command line starts exactly that server. Pure.
//
// Word for word, as mcp-janitor matches configured servers: the program, then every argument in
// order and nothing more. On Windows the server may run through cmd.exe: declared so (`"command":
// "cmd", "args": ["/c", "npx", …]`, as Windows users are told to write npx servers, since npx is a
// .cmd shim that cannot be spawned directly: anthropics/claude-code#58510), or wrapped by a
// launcher (`cmd.exe /d /s /c "npx.cmd -y …"`). Both sides are
// compared without that wrapper, as words (quotes dropped, split at white space), so a quoted
// path and a split one compare alike. A program given by its path must be that path; a bare name
// may be found on PATH with an extension (`npx` runs `npx.cmd`). A bare interpreter or shell
// (`node`, `python`, `npx`) says nothing about which server it runs: such a declaration matches
// only with an argument that names something.
import { basename } from './match.js';

export interface DeclaredServer {
  /** Its name in the configuration (`memory`). */
  name: string;
  /** The file that declares it (`~/.claude.json`, a project's `.mcp.json`), or `--mcp-config of claude <pid>`. */
  source: string;
  command: string;
  args: readonly string[];
}

/** The wrapper cmd.exe adds: `cmd[.exe] [/d] [/s] [/q] /c …` (or /k). */
const CMD_WRAPPER = /^(?:\S*[\\/])?cmd(?:\.exe)?(?:\s+\/[a-z](?::\S*)?)*?\s+\/[ck]\s+/i;
const EXTENSION = /\.(?:exe|cmd|bat|ps1|com)$/;
/** Programs that say nothing of the server they run. */
const GENERIC = /^(?:node|nodejs|bun|bunx|deno|npx|npm|pnpm|pnpx|yarn|python\d*(?:\.\d+)?|py|pythonw|uv|uvx|pipx|java|dotnet|ruby|php|cmd|powershell|pwsh|bash|sh|zsh|docker|podman)$/;
/** An argument that names something: not an option, at least two characters. */
const NAMES_SOMETHING = /^[^-].+/;

interface Words {
  program: string;
  args: string[];
}

const words = (text: string): string[] => text.replace(/"/g, '').split(/\s+/).filter(Boolean);

/** The command line without cmd.exe's wrapper: the program (which may hold spaces) and the argument words. */
function unwrap(program: string, args: readonly string[]): Words | null {
  const line = [program, ...args].join(' ').replace(/"/g, '').trim();
  const m = CMD_WRAPPER.exec(line);
  const inner = m ? line.slice(m[0].length) : line;
  if (!m) return { program, args: args.flatMap(words) };
  // Inside the wrapper there are no argument boundaries any more: the first word is the program.
  const w = words(inner);
  return w.length === 0 ? null : { program: w[0]!, args: w.slice(1) };
}

const normalize = (path: string) => path.replace(/"/g, '').replace(/\\/g, '/').toLowerCase().replace(EXTENSION, '');

/** A declaration worth matching: expanded, with a program that names something. */
function usable(server: DeclaredServer): Words | null {
  if (server.command.includes('${') || server.args.some((a) => a.includes('${'))) return null; // unexpanded: could be anything
  const d = unwrap(server.command, server.args);
  if (!d) return null;
  if (GENERIC.test(basename(normalize(d.program))) && !d.args.some((a) => NAMES_SOMETHING.test(a))) return null;
  return d;
}

/** The declared server this command line starts, word for word, or null. */
export function matchDeclared(argv: readonly string[] | null, servers: readonly DeclaredServer[]): DeclaredServer | null {
  if (!argv || argv.length === 0 || servers.length === 0) return null;
  const line = argv.join(' ').replace(/"/g, '').trim();
  const wrapper = CMD_WRAPPER.exec(line);
  const all = words(wrapper ? line.slice(wrapper[0].length) : line);
  for (const server of servers) {
    const d = usable(server);
    if (!d || all.length <= d.args.length) continue;
    const args = all.slice(all.length - d.args.length);
    if (!args.every((a, i) => a === d.args[i])) continue;
    // The program: the words before the arguments (a path with a space is several words).
    const program = normalize(all.slice(0, all.length - d.args.length).join(' '));
    const want = normalize(d.program);
    const fits = /[\\/]/.test(d.program) ? program === want : basename(program) === basename(want);
    if (fits) return server;
  }
  return null;
}
