// The notification's text, and the command each platform shows it with, as built argv: the text
// travels as arguments or quoted literals, never as code. macOS and Windows are checked as built;
// Linux's notify-send runs for real in live.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult, RunCommand } from '../../src/platform/exec.js';
import { notifyCommand, showNotification, toastScript } from '../../src/platform/notify.js';
import type { KillResult } from '../../src/reap/execute.js';
import { notificationOf } from '../../src/render/notification.js';

function result(terminated: number, killed: number, freedRssBytes: number): KillResult {
  return { summary: { terminated, killed, gone: 0, 'pid-reused': 0, denied: 0, survived: 0, refused: 0, freedRssBytes } } as KillResult;
}

const N = { title: 'claude-reaper', body: "reaped 5 claude processes, freed 1.2 GB; it's \"done\" $(x) `y`" };

describe('the notification', () => {
  it('says how many processes went and what that freed, and is not raised when none went', () => {
    expect(notificationOf(result(4, 1, 1_200_000_000))).toEqual({ title: 'claude-reaper', body: 'reaped 5 claude processes, freed 1.2 GB' });
    expect(notificationOf(result(1, 0, 195_000_000))!.body).toBe('reaped 1 claude process, freed 195 MB');
    expect(notificationOf(result(0, 0, 0))).toBeNull();
  });
});

describe('the command that shows it', () => {
  it('on macOS, passes the text to an AppleScript run handler as arguments', () => {
    expect(notifyCommand(N, {}, 'darwin')).toEqual({
      file: 'osascript',
      args: ['-e', 'on run argv', '-e', 'display notification (item 2 of argv) with title (item 1 of argv)', '-e', 'end run', N.title, N.body],
      env: {},
      from: 'macOS',
    });
  });

  it('on Windows, builds a toast in Windows PowerShell with the text as single-quoted literals', () => {
    const cmd = notifyCommand(N, {}, 'win32');
    expect(cmd.file).toBe('powershell.exe');
    expect(cmd.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(cmd.args[3]).toBe(toastScript(N));
    expect(cmd.args[3]).toContain(`CreateTextNode('reaped 5 claude processes, freed 1.2 GB; it''s "done" $(x) \`y\`')`);
    expect(cmd.args[3]).toContain("ToastTemplateType]::ToastText02");
    expect(cmd.args[3]).toContain("CreateToastNotifier('{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe').Show(");
    // Every quote in the script is one of a literal's own: the text cannot end one early.
    const literals = cmd.args[3]!.match(/'(?:[^']|'')*'/g)!;
    expect(cmd.args[3]!.replace(/'(?:[^']|'')*'/g, '')).not.toContain("'");
    expect(literals).toContain(`'reaped 5 claude processes, freed 1.2 GB; it''s "done" $(x) \`y\`'`);
  });

  it('on Linux, runs notify-send with the text as arguments, and finds the session bus a cron job is not given', () => {
    const runtime = mkdtempSync(join(tmpdir(), 'notify-runtime-'));
    expect(notifyCommand(N, { XDG_RUNTIME_DIR: runtime }, 'linux', 4242)).toEqual({
      file: 'notify-send',
      args: ['--app-name=claude-reaper', '--expire-time=10000', N.title, N.body],
      env: {},
      from: 'Debian package libnotify-bin',
    });
    writeFileSync(join(runtime, 'bus'), '');
    expect(notifyCommand(N, { XDG_RUNTIME_DIR: runtime }, 'linux', 4242).env).toEqual({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(runtime, 'bus')}` });
    expect(notifyCommand(N, { XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, 'linux', 4242).env).toEqual({});
  });
});

describe('a notification that cannot be shown', () => {
  const answer = (r: Partial<CommandResult>): RunCommand => async () => ({ stdout: '', stderr: '', failed: true, timedOut: false, message: '', ...r });

  it('is a reason in one line, never an error', async () => {
    expect(await showNotification(N, {}, answer({ code: 'ENOENT' }), 'linux')).toBe('notify-send not found (Debian package libnotify-bin)');
    expect(await showNotification(N, {}, answer({ code: 'ENOENT' }), 'darwin')).toBe('osascript not found (macOS)');
    expect(await showNotification(N, {}, answer({ stderr: '\nCannot autolaunch D-Bus without X11 $DISPLAY\n', exitCode: 1 }), 'linux')).toBe('notify-send failed: Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(await showNotification(N, {}, answer({ timedOut: true }), 'win32')).toBe('powershell.exe did not answer in 10s');
    expect(await showNotification(N, {}, answer({ failed: false }), 'linux')).toBeNull();
  });
});
