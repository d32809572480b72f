// A private world for each scene: its own Claude config dir, working directory and HOME, and the
// environment that points real Claude Code at the mock API and nowhere else.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from '../cleanup.js';
import { baseEnv, workRoot } from '../fixtures.js';

/** A dummy key. Interactive Claude Code asks before it uses a key from the environment; the config
 * below answers yes for this one (it remembers the last 20 characters). */
export const DUMMY_API_KEY = 'sk-ant-api03-claude-reaper-test-rig-0000000000000000';

export interface Scene {
  /** CLAUDE_CONFIG_DIR: sessions/, projects/, .claude.json. */
  configDir: string;
  /** The working directory the sessions run in (a real path: the transcript folder is named after it). */
  cwd: string;
  /** HOME: Claude Code writes some files outside its config dir (~/.local/share/applications/…). */
  home: string;
  /**
   * TMPDIR, short and private (/tmp/rc-XXXXXX): Claude Code puts its messaging sockets
   * (`cc-socks/<pid>.sock`), the Bash tool's `claude-<hex>-cwd` files and `claude-<uid>/` there, and
   * a SIGKILLed claude leaves them behind. Removed at the next cleanup. (`claude --bg` keeps its
   * daemon's sockets in /tmp/cc-daemon-<uid>/ whatever TMPDIR says.)
   */
  tmp: string;
  env: Record<string, string>;
}

let serial = 0;

// What we never pass on: a developer's own key, token or base URL, and proxies that would take the
// requests elsewhere (the proxy below is ours).
const DROPPED = /^(ANTHROPIC_|CLAUDE|https?_proxy$|no_proxy$|all_proxy$)/i;

/** The environment that sends Claude Code's requests to the mock API at `apiUrl`. */
export function claudeEnv(apiUrl: string, scene: Pick<Scene, 'configDir' | 'home' | 'tmp'>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv())) if (!DROPPED.test(k)) env[k] = v;
  return {
    ...env,
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: DUMMY_API_KEY,
    CLAUDE_CONFIG_DIR: scene.configDir,
    HOME: scene.home,
    TMPDIR: scene.tmp,
    XDG_CONFIG_HOME: join(scene.home, '.config'),
    XDG_DATA_HOME: join(scene.home, '.local/share'),
    XDG_STATE_HOME: join(scene.home, '.local/state'),
    XDG_CACHE_HOME: join(scene.home, '.cache'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Interactive and background sessions fetch the official plugin marketplace at start
    // (downloads.claude.ai, then `git clone` from github.com) despite the line above.
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    // Anything that would reach another host goes to the mock as a proxy request instead, where it
    // is logged (and refused), so a test can see it; the API itself is reached directly.
    HTTPS_PROXY: apiUrl,
    HTTP_PROXY: apiUrl,
    NO_PROXY: '127.0.0.1,localhost',
  };
}

/** `<dir>/.claude.json` (the config dir's, or HOME's without one): onboarding done, the dummy key approved, the cwd trusted (without it
 * `claude --bg` refuses: "Workspace not trusted"). */
export function writeClaudeConfig(dir: string, cwd: string): void {
  const config = {
    hasCompletedOnboarding: true,
    theme: 'dark',
    customApiKeyResponses: { approved: [DUMMY_API_KEY.slice(-20)], rejected: [] },
    projects: { [cwd]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] } },
  };
  writeFileSync(join(dir, '.claude.json'), JSON.stringify(config, null, 2));
}

export interface SceneOptions {
  /**
   * home: no CLAUDE_CONFIG_DIR, so Claude Code keeps its config in $HOME/.claude and its
   * .claude.json in $HOME, as under a daemon that gives its claude a HOME of its own.
   */
  configIn?: 'env' | 'home';
}

/** A fresh scene under this test file's scratch root. */
export function newScene(apiUrl: string, name = 'scene', opts: SceneOptions = {}): Scene {
  const root = join(workRoot(), 'real-claude', `${name}-${++serial}`);
  const inHome = opts.configIn === 'home';
  const home = join(root, 'home');
  const dirs = { configDir: inHome ? join(home, '.claude') : join(root, 'config'), cwd: join(root, 'cwd'), home };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // Kept short: unix socket paths must fit in 108 bytes.
  const tmp = mkdtempSync(join(tmpdir(), 'rc-'));
  onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const cwd = realpathSync(dirs.cwd);
  writeClaudeConfig(inHome ? home : dirs.configDir, cwd);
  const scene = { ...dirs, cwd, tmp };
  const env = claudeEnv(apiUrl, scene);
  if (inHome) delete env.CLAUDE_CONFIG_DIR;
  return { ...scene, env };
}

/** Where Claude Code keeps a session's transcript: the cwd with every non-alphanumeric as '-'. */
export function transcriptPath(scene: Pick<Scene, 'configDir' | 'cwd'>, sessionId: string): string {
  return join(scene.configDir, 'projects', scene.cwd.replace(/[^a-zA-Z0-9]/g, '-'), `${sessionId}.jsonl`);
}

/** Claude Code's record of a live process. */
export function recordPath(scene: Pick<Scene, 'configDir'>, pid: number): string {
  return join(scene.configDir, 'sessions', `${pid}.json`);
}
