// The optional JSON config: thresholds, extra daemon and agent patterns, protect patterns, and
// presets for other agent CLIs. Anything it does not know is an error (exit 2), so a typo never
// silently turns a protection off.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, type Thresholds } from './classify/thresholds.js';
import { UsageError } from './errors.js';
import { configDir } from './platform/dirs.js';
import { parseDuration } from './util/duration.js';
import { readJsonFile } from './util/json-file.js';

export interface NamedPattern {
  name: string;
  re: RegExp;
}

export interface DaemonPattern extends NamedPattern {
  /** A file holding the pid of the copy to keep (JSON with `pid`, or a bare number). */
  pidFile?: string;
}

export interface Config {
  path: string | null;
  thresholds: Thresholds;
  protect: RegExp[];
  daemons: DaemonPattern[];
  agents: NamedPattern[];
  allUsers: boolean;
}

// Other agent CLIs people run beside Claude, off unless named in `agents`. Each pattern is
// anchored at the start of the command line: the program itself, or node running its script.
export const AGENT_PRESETS: Readonly<Record<string, RegExp>> = {
  codex: /^(?:\S*[\\/])?codex(?:\.exe)?(?:\s|$)|^\S*node(?:\.exe)?\s+(?:\S+\s+)*?\S*@openai[\\/]codex[\\/]/,
  opencode: /^(?:\S*[\\/])?opencode(?:\.exe)?(?:\s|$)|^\S*(?:node|bun)(?:\.exe)?\s+(?:\S+\s+)*?\S*opencode-ai[\\/]/,
  gemini: /^(?:\S*[\\/])?gemini(?:\.exe)?(?:\s|$)|^\S*node(?:\.exe)?\s+(?:\S+\s+)*?\S*@google[\\/]gemini-cli[\\/]/,
  'cursor-agent': /^(?:\S*[\\/])?cursor-agent(?:\.exe)?(?:\s|$)/,
};

const KEYS = new Set(['abandonedAfter', 'hungAfter', 'idleCpuPercent', 'runawayCpuPercent', 'sustainedCpuPercent', 'sustainedAfter', 'protect', 'daemons', 'agents', 'patterns', 'allUsers']);

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/** Loads the config: the named file (which must exist), else the default path if present. */
export function loadConfig(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Config {
  const path = explicit ?? defaultConfigPath(env);
  const data = readJsonFile(path, 'config', { missingOk: explicit === undefined });
  if (data === undefined) return emptyConfig();
  return parseConfig(data, path);
}

export function emptyConfig(): Config {
  return { path: null, thresholds: { ...DEFAULT_THRESHOLDS }, protect: [], daemons: [], agents: [], allUsers: false };
}

export function parseConfig(data: unknown, path: string): Config {
  const bad = (msg: string): never => {
    throw new UsageError(`config ${path}: ${msg}`);
  };
  if (!data || typeof data !== 'object' || Array.isArray(data)) bad('expected a JSON object');
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!KEYS.has(key)) bad(`unknown key '${key}' (known: ${[...KEYS].join(', ')})`);

  const config = emptyConfig();
  config.path = path;
  const t = config.thresholds;
  if (obj.abandonedAfter !== undefined) t.abandonedAfterMs = parseDuration(str(obj.abandonedAfter, 'abandonedAfter', bad), `config ${path}: abandonedAfter`);
  if (obj.hungAfter !== undefined) t.hungAfterMs = parseDuration(str(obj.hungAfter, 'hungAfter', bad), `config ${path}: hungAfter`);
  if (obj.idleCpuPercent !== undefined) t.idleCpuPercent = percent(obj.idleCpuPercent, 'idleCpuPercent', bad);
  if (obj.runawayCpuPercent !== undefined) t.runawayCpuPercent = percent(obj.runawayCpuPercent, 'runawayCpuPercent', bad);
  if (obj.sustainedCpuPercent !== undefined) t.sustainedCpuPercent = percent(obj.sustainedCpuPercent, 'sustainedCpuPercent', bad);
  if (obj.sustainedAfter !== undefined) t.sustainedAfterMs = parseDuration(str(obj.sustainedAfter, 'sustainedAfter', bad), `config ${path}: sustainedAfter`);
  if (obj.allUsers !== undefined) config.allUsers = typeof obj.allUsers === 'boolean' ? obj.allUsers : bad('allUsers: expected true or false');
  config.protect = list(obj.protect, 'protect', bad).map((p, i) => regex(str(p, `protect[${i}]`, bad), `protect[${i}]`, bad));
  config.daemons = list(obj.daemons, 'daemons', bad).map((d, i) => {
    const entry = named(d, `daemons[${i}]`, bad, ['pidFile']);
    const pidFile = (d as Record<string, unknown>).pidFile;
    return pidFile === undefined ? entry : { ...entry, pidFile: expandHome(str(pidFile, `daemons[${i}].pidFile`, bad)) };
  });
  config.agents = list(obj.patterns, 'patterns', bad).map((p, i) => named(p, `patterns[${i}]`, bad, []));
  for (const [i, name] of list(obj.agents, 'agents', bad).entries()) {
    const preset = AGENT_PRESETS[str(name, `agents[${i}]`, bad)];
    if (!preset) bad(`agents[${i}]: unknown preset '${String(name)}' (known: ${Object.keys(AGENT_PRESETS).join(', ')})`);
    config.agents.push({ name: name as string, re: preset! });
  }
  return config;
}

type Bad = (msg: string) => never;

function str(v: unknown, where: string, bad: Bad): string {
  return typeof v === 'string' && v !== '' ? v : bad(`${where}: expected a non-empty string`);
}

function percent(v: unknown, where: string, bad: Bad): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100_000 ? v : bad(`${where}: expected a positive number (percent of one core)`);
}

function list(v: unknown, where: string, bad: Bad): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : bad(`${where}: expected an array`);
}

function regex(source: string, where: string, bad: Bad): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    return bad(`${where}: not a valid regular expression (${(err as Error).message})`);
  }
}

function named(v: unknown, where: string, bad: Bad, extra: string[]): NamedPattern {
  if (!v || typeof v !== 'object' || Array.isArray(v)) bad(`${where}: expected {"name": ..., "match": ...}`);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!['name', 'match', ...extra].includes(key)) bad(`${where}: unknown key '${key}'`);
  return { name: str(o.name, `${where}.name`, bad), re: regex(str(o.match, `${where}.match`, bad), `${where}.match`, bad) };
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
