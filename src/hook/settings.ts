// Claude Code's user settings file: found, read, and written back with a backup of what was
// there. Formatting is kept as far as JSON allows: the file's own indent (2 spaces when it has
// none) and its final newline, so adding and then removing our hook gives back the same bytes.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { userHome } from '../platform/dirs.js';

export const BACKUP_SUFFIX = '.claude-reaper.bak';

/** `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`. */
export function settingsPath(env: NodeJS.ProcessEnv): string {
  return join(env.CLAUDE_CONFIG_DIR || join(userHome(env), '.claude'), 'settings.json');
}

export interface SettingsFile {
  path: string;
  /** The bytes read, or null when there was no file. */
  text: string | null;
  data: Record<string, unknown>;
  indent: string;
  finalNewline: boolean;
}

export function readSettings(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, text: null, data: {}, indent: '  ', finalNewline: true };
    throw new UsageError(`settings ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new UsageError(`settings ${path}: not valid JSON (${(err as Error).message}); nothing was written`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`settings ${path}: expected a JSON object; nothing was written`);
  const indent = /\n([ \t]+)["}\]]/.exec(text)?.[1] ?? '  ';
  return { path, text, data: data as Record<string, unknown>, indent, finalNewline: text === '' || text.endsWith('\n') };
}

export function formatSettings(file: SettingsFile, data: Record<string, unknown>): string {
  return `${JSON.stringify(data, null, file.indent)}${file.finalNewline ? '\n' : ''}`;
}

/**
 * Writes the new settings: first a copy of the old file beside it, then the new text through a
 * temporary file and a rename, so Claude Code never reads half a file. A symlinked settings file
 * (dotfiles) is written where it points. Returns the backup's path, if one was made.
 */
export function writeSettings(file: SettingsFile, text: string): string | null {
  const target = existsSync(file.path) ? realpathSync(file.path) : file.path;
  mkdirSync(dirname(target), { recursive: true });
  const mode = file.text === null ? 0o644 : statSync(target).mode & 0o7777;
  let backup: string | null = null;
  if (file.text !== null) {
    backup = `${file.path}${BACKUP_SUFFIX}`;
    writeFileSync(backup, file.text, { mode });
  }
  const tmp = `${target}.claude-reaper-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  // Claude Code writes this file too (/config, permission answers): if it changed under us, stop.
  if (current(file.path) !== file.text) {
    rmSync(tmp, { force: true });
    throw new UsageError(`settings ${file.path}: changed while it was being edited; nothing was written, run the command again`);
  }
  renameSync(tmp, target);
  return backup;
}

function current(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
