// Showing a desktop notification: notify-send on Linux (and the BSDs), osascript on macOS, a toast
// through Windows PowerShell on Windows. The command is built as argv (no shell), with the text as
// arguments or as quoted literals, so nothing in it is ever run. A notification that cannot be
// shown is an answer (why not), never an error: the reap it tells of is done either way.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../render/notification.js';
import { runCommand, type RunCommand } from './exec.js';

// A notifier that has not answered in this long is stuck (a bus that never replies).
const NOTIFY_TIMEOUT_MS = 10_000;
// How long the notification stays on screen where the notifier lets us say (notify-send, ms).
const SHOWN_MS = 10_000;
// The AppUserModelID of Windows PowerShell: a toast needs a registered app to come from, and
// this one is registered on every Windows with PowerShell 5.1.
const POWERSHELL_APP_ID = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe';

export interface NotifyCommand {
  file: string;
  args: string[];
  /** Added to the environment it runs in. */
  env: Record<string, string>;
  /** Where the program comes from, for the note when it is missing. */
  from: string;
}

export function notifyCommand(n: Notification, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, uid = process.getuid?.() ?? null): NotifyCommand {
  if (platform === 'darwin') {
    // The text arrives as the run handler's arguments: no AppleScript string to escape.
    const script = ['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run'];
    return { file: 'osascript', args: [...script.flatMap((line) => ['-e', line]), n.title, n.body], env: {}, from: 'macOS' };
  }
  if (platform === 'win32') {
    return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', toastScript(n)], env: {}, from: 'Windows PowerShell 5.1' };
  }
  return { file: 'notify-send', args: [`--app-name=${n.title}`, `--expire-time=${SHOWN_MS}`, n.title, n.body], env: sessionBus(env, uid), from: 'Debian package libnotify-bin' };
}

/**
 * Shows the notification. Returns null when it was shown, else why not (one line), for the note.
 */
export async function showNotification(n: Notification, env: NodeJS.ProcessEnv, run: RunCommand = runCommand, platform?: NodeJS.Platform): Promise<string | null> {
  const cmd = notifyCommand(n, env, platform);
  const r = await run(cmd.file, cmd.args, { timeout: NOTIFY_TIMEOUT_MS, env: { ...env, ...cmd.env }, extendEnv: false });
  if (!r.failed) return null;
  if (r.code === 'ENOENT') return `${cmd.file} not found (${cmd.from})`;
  if (r.timedOut) return `${cmd.file} did not answer in ${NOTIFY_TIMEOUT_MS / 1000}s`;
  const said = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).find(Boolean);
  return `${cmd.file} failed: ${said || r.message || `exit code ${r.exitCode}`}`;
}

/**
 * cron starts jobs without the desktop session's bus address; systemd's user manager has it. Where
 * it is missing and the user's bus socket is in its usual place, the job finds it there.
 */
function sessionBus(env: NodeJS.ProcessEnv, uid: number | null): Record<string, string> {
  if (env.DBUS_SESSION_BUS_ADDRESS) return {};
  const candidates = [env.XDG_RUNTIME_DIR, uid === null ? undefined : `/run/user/${uid}`].filter((d): d is string => !!d).map((d) => join(d, 'bus'));
  const bus = candidates.find((p) => existsSync(p));
  return bus ? { DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}` } : {};
}

/** A PowerShell single-quoted literal: nothing in it is expanded; a quote is doubled. */
function psString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A toast from Windows PowerShell 5.1, through the WinRT ToastNotificationManager (the
 * ToastText02 template: a bold title line and a body line). PowerShell 7 cannot load WinRT types
 * this way, hence powershell.exe.
 */
export function toastScript(n: Notification): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '[void][Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]',
    '$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)',
    "$text = $xml.GetElementsByTagName('text')",
    `[void]$text.Item(0).AppendChild($xml.CreateTextNode(${psString(n.title)}))`,
    `[void]$text.Item(1).AppendChild($xml.CreateTextNode(${psString(n.body)}))`,
    `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier(${psString(POWERSHELL_APP_ID)}).Show([Windows.UI.Notifications.ToastNotification]::new($xml))`,
  ].join('; ');
}
