// Claude Desktop's shape, on Linux: an app process whose executable is
// `…/Applications/Claude.app/Contents/MacOS/Claude` runs Code sessions through the Agent SDK with the
// CLI it ships at `~/Library/Application Support/Claude/claude-code/<version>/claude.app/Contents/
// MacOS/claude`, started with `--output-format stream-json --verbose --input-format stream-json …
// --permission-prompt-tool stdio` (the app answers permission prompts itself).
// The app is node hard-linked to that path, running the SDK daemon script copied into the bundle;
// the CLI is the real claude-code binary, hard-linked (copied when the cache is on another
// filesystem: ~400 MB) so that /proc/PID/exe shows Desktop's path.
import { chmodSync, copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Scene, newScene } from './env.js';
import type { Rig } from './rig.js';
import { SDK_DAEMON_SCRIPT, type SdkSession, type StartedSdkDaemon, startSdkDaemon } from './sdk-daemon.js';

export interface DesktopOptions {
  /** The session's kind (default leak: open and idle after one turn, as a Desktop tab). */
  kind?: Extract<SdkSession['kind'], 'leak' | 'live' | 'hang'>;
  scene?: Scene;
  timeoutMs?: number;
}

export interface StartedDesktopSession {
  appPid: number;
  appStartId: string;
  /** The app's executable (node, hard-linked). */
  appPath: string;
  sessionPid: number;
  sessionStartId: string;
  sessionId: string;
  /** The CLI the session runs. */
  sessionBinary: string;
  /** How the ~400 MB CLI got to Desktop's path. */
  linked: 'hardlink' | 'copy';
  daemon: StartedSdkDaemon;
}

/** Hard-links from to to (or copies, across filesystems). */
function place(from: string, to: string): 'hardlink' | 'copy' {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
    return 'hardlink';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'hardlink';
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    copyFileSync(from, to);
    chmodSync(to, 0o755);
    return 'copy';
  }
}

export async function startDesktopSession(rig: Rig, opts: DesktopOptions = {}): Promise<StartedDesktopSession> {
  const scene = opts.scene ?? newScene(rig.api.url, 'desktop');
  const bundle = join(scene.configDir, '..', 'Applications', 'Claude.app', 'Contents');
  const appPath = join(bundle, 'MacOS', 'Claude');
  place(process.execPath, appPath);
  const appScript = join(bundle, 'Resources', 'app.mjs');
  mkdirSync(dirname(appScript), { recursive: true });
  copyFileSync(SDK_DAEMON_SCRIPT, appScript);
  const version = rig.claude.versions.claudeCode;
  const sessionBinary = join(scene.home, 'Library', 'Application Support', 'Claude', 'claude-code', version, 'claude.app', 'Contents', 'MacOS', 'claude');
  const linked = place(rig.claude.claudeCodeBinary, sessionBinary);
  const daemon = await startSdkDaemon(rig, {
    sdk: 'native',
    scene,
    sessions: [{ kind: opts.kind ?? 'leak', executable: sessionBinary, permissionPrompt: true }],
    runtime: { file: appPath, argv0: appPath, script: appScript },
    timeoutMs: opts.timeoutMs,
  });
  const session = daemon.children[0]!;
  return {
    appPid: daemon.daemonPid,
    appStartId: daemon.daemonStartId,
    appPath,
    sessionPid: session.pid,
    sessionStartId: session.startId,
    sessionId: session.sessionId,
    sessionBinary,
    linked,
    daemon,
  };
}
