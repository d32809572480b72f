// The MCP servers Claude Code's own configuration declares, for tying a server whose claude is
// gone to Claude when nothing else can (Windows gives no environments): the user's servers and
// each project's in `~/.claude.json` (`mcpServers`, `projects[<path>].mcpServers`), the `.mcp.json`
// of the projects it and Claude's session records name, and the `--mcp-config` of live claudes.
// Read only when a scan has such a server to place, and bounded: these files are the user's, and
// `~/.claude.json` grows with every project (megabytes are seen).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeclaredServer } from '../classify/declared-mcp.js';
import { optionValue } from '../classify/match.js';

export interface ConfigPlaces {
  /** The user's home (`~/.claude.json`); null when unknown. */
  home: string | null;
  /** The environment claude-reaper runs with: CLAUDE_CONFIG_DIR, and the variables a declaration may name. */
  env: NodeJS.ProcessEnv;
  /** The arguments of each live claude (their `--mcp-config`). */
  claudeArgs: readonly (readonly string[])[];
}

// ~/.claude.json keeps every project the user opened: a few MB on a busy machine. Past this it
// is not read (the servers it declares stay unknown), rather than the scan stalling on it.
const MAX_CLAUDE_JSON_BYTES = 32 * 1024 * 1024;
// A project's .mcp.json, or a --mcp-config file: a few hundred bytes in practice.
const MAX_SERVER_FILE_BYTES = 1024 * 1024;
// Projects whose .mcp.json is looked for: each costs one failed open when it has none.
const MAX_PROJECTS = 500;
// Session records read for their cwd (one per claude that ran since the last clean exit).
const MAX_RECORDS = 200;

export function readDeclaredServers(places: ConfigPlaces): DeclaredServer[] {
  const servers: DeclaredServer[] = [];
  const configDir = places.env.CLAUDE_CONFIG_DIR || (places.home ? join(places.home, '.claude') : null);
  const claudeJsonPath = places.env.CLAUDE_CONFIG_DIR ? join(places.env.CLAUDE_CONFIG_DIR, '.claude.json') : places.home ? join(places.home, '.claude.json') : null;
  const projects = new Set<string>();
  const claudeJson = claudeJsonPath ? readJson(claudeJsonPath, MAX_CLAUDE_JSON_BYTES) : null;
  if (claudeJson && claudeJsonPath) {
    add(servers, claudeJson.mcpServers, claudeJsonPath, places.env);
    const byProject = claudeJson.projects;
    if (isObject(byProject)) {
      for (const [path, settings] of Object.entries(byProject)) {
        if (isObject(settings)) add(servers, settings.mcpServers, `${claudeJsonPath} (project ${path})`, places.env);
        if (projects.size < MAX_PROJECTS) projects.add(path);
      }
    }
  }
  if (configDir) for (const cwd of recordCwds(join(configDir, 'sessions'))) if (projects.size < MAX_PROJECTS) projects.add(cwd);
  for (const project of projects) {
    const file = join(project, '.mcp.json');
    add(servers, readJson(file, MAX_SERVER_FILE_BYTES)?.mcpServers, file, places.env);
  }
  for (const args of places.claudeArgs) {
    for (const value of mcpConfigValues(args)) {
      const data = value.trimStart().startsWith('{') ? parseJson(value) : readJson(value, MAX_SERVER_FILE_BYTES);
      add(servers, data?.mcpServers, value.trimStart().startsWith('{') ? 'a live claude\'s --mcp-config' : value, places.env);
    }
  }
  return servers;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The stdio servers of an `mcpServers` object, with `${VAR}` and `${VAR:-default}` expanded as Claude Code does. */
function add(out: DeclaredServer[], entries: unknown, source: string, env: NodeJS.ProcessEnv): void {
  if (!isObject(entries)) return;
  for (const [name, entry] of Object.entries(entries)) {
    if (!isObject(entry) || typeof entry.command !== 'string' || entry.command === '' || entry.url !== undefined) continue;
    const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
    out.push({ name, source, command: expand(entry.command, env), args: args.map((a) => expand(a, env)) });
  }
}

/** `${VAR}` and `${VAR:-default}`; an unknown variable stays as written (and then matches nothing). */
function expand(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => env[name] ?? fallback ?? whole);
}

/** `--mcp-config a.json '{"mcpServers": …}'`: every value up to the next option. */
function mcpConfigValues(args: readonly string[]): string[] {
  const at = args.indexOf('--mcp-config');
  if (at < 0) {
    const one = optionValue(args, '--mcp-config');
    return one === null ? [] : [one];
  }
  const values: string[] = [];
  for (let i = at + 1; i < args.length && !args[i]!.startsWith('-'); i++) values.push(args[i]!);
  return values;
}

/** The cwd of each session record (a SIGKILLed claude leaves its record behind: the dead one's project). */
function recordCwds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).slice(0, MAX_RECORDS);
  } catch {
    return [];
  }
  const cwds: string[] = [];
  for (const name of names) {
    const cwd = readJson(join(dir, name), MAX_SERVER_FILE_BYTES)?.cwd;
    if (typeof cwd === 'string' && cwd !== '') cwds.push(cwd);
  }
  return cwds;
}

function readJson(path: string, maxBytes: number): Json | null {
  try {
    if (statSync(path).size > maxBytes) return null;
    return parseJson(readFileSync(path, 'utf8'));
  } catch {
    return null; // absent, unreadable: nothing declared there
  }
}

function parseJson(text: string): Json | null {
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return isObject(data) ? data : null;
  } catch {
    return null;
  }
}
