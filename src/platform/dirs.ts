// Where a user's config, state and runtime files live, per platform. Each can be overridden by
// an environment variable, which is also what tests use.
import { homedir } from 'node:os';
import { join } from 'node:path';

const APP = 'claude-reaper';

/** The platform this runs on: the one place outside the sources that asks. */
export function hostPlatform(): NodeJS.Platform {
  return process.platform;
}

/** The user's home, from the environment where it says (tests sandbox it), else the OS's answer. */
export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  return (process.platform === 'win32' ? env.USERPROFILE : env.HOME) || homedir();
}

/** ~/.config/claude-reaper (XDG_CONFIG_HOME), %APPDATA%\claude-reaper on Windows. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_REAPER_CONFIG_DIR) return env.CLAUDE_REAPER_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, APP);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP);
}

/** ~/.local/state/claude-reaper (XDG_STATE_HOME), %LOCALAPPDATA%\claude-reaper on Windows. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_REAPER_STATE_DIR) return env.CLAUDE_REAPER_STATE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, APP);
  if (process.platform === 'darwin' && !env.XDG_STATE_HOME) return join(homedir(), 'Library', 'Application Support', APP);
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), APP);
}

/** $XDG_RUNTIME_DIR/claude-reaper where it exists (locks), else the state dir. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR && process.platform === 'linux') return join(env.XDG_RUNTIME_DIR, APP);
  return stateDir(env);
}
