// Notifications with real reaps and the real notify-send (Debian libnotify-bin): shown in a real
// private desktop session (dbus-daemon, Xvfb, dunst), and, without one, a note in the audit log
// (kill, and so scheduled jobs) or on stderr (watch), never a failure of the reap.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLines, DESKTOP_TOOLS, startDesktop } from '../helpers/desktop.js';
import { SDK_ARGS, isAlive, runCli, startOrphan, useProcessCleanup, waitFor } from '../helpers/procs.js';
import { sandbox, type Sandbox } from '../helpers/scan-cli.js';
import { requireTools } from '../helpers/tools.js';

useProcessCleanup();

/** A sandbox whose environment has no desktop: no bus address, no display, no runtime dir with a bus. */
function noDesktop(): { box: Sandbox; env: Record<string, string> } {
  const box = sandbox();
  const runtime = mkdtempSync(join(box.root, 'runtime-'));
  return { box, env: { ...box.env, DBUS_SESSION_BUS_ADDRESS: '', DISPLAY: '', WAYLAND_DISPLAY: '', XDG_RUNTIME_DIR: runtime } };
}

const notes = (stateDir: string) => auditLines(stateDir).filter((l) => 'note' in l);
const entries = (stateDir: string) => auditLines(stateDir).filter((l) => 'pid' in l);

describe('kill --notify', () => {
  it('shows "reaped 1 claude process, freed …" in a desktop session, and notes nothing', async () => {
    requireTools('notify-send', ...DESKTOP_TOOLS);
    const desktop = await startDesktop();
    const box = sandbox();
    const o = await startOrphan({ args: SDK_ARGS });
    const r = await runCli(['kill', '--yes', '--pid', String(o.pid), '--sample', '0', '--grace', '1s', '--notify'], { env: { ...box.env, ...desktop.env } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(isAlive(o.pid)).toBe(false);
    const shown = await waitFor(() => {
      const list = desktop.shown();
      return list.length > 0 ? list : undefined;
    }, { what: 'the notification in dunst' });
    expect(shown).toEqual([{ summary: 'claude-reaper', appname: 'claude-reaper', body: expect.stringMatching(/^reaped 1 claude process, freed \d+(\.\d)? [KM]B$/) }]);
    expect(notes(box.stateDir)).toEqual([]);
  });

  it('without a desktop session, reaps all the same and writes why in the audit log (the real notify-send)', async () => {
    requireTools('notify-send');
    const { box, env } = noDesktop();
    const o = await startOrphan({ args: SDK_ARGS });
    const r = await runCli(['kill', '--yes', '--pid', String(o.pid), '--sample', '0', '--grace', '1s', '--notify'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(isAlive(o.pid)).toBe(false);
    expect(entries(box.stateDir)).toHaveLength(1);
    const [note] = notes(box.stateDir);
    expect(note).toEqual({ time: expect.any(String), note: expect.stringMatching(/^desktop notification not shown: notify-send failed: \S.*/) });
    // claude-reaper log shows it, and does not call it a line that did not parse.
    const log = await runCli(['log'], { env });
    expect(log.stdout).toContain(`note: ${note!.note as string}`);
    expect(log.stderr).toBe('');
  });

  it('without notify-send, notes that it is missing and where it comes from', async () => {
    const { box, env } = noDesktop();
    const o = await startOrphan({ args: SDK_ARGS });
    const r = await runCli(['kill', '--yes', '--pid', String(o.pid), '--sample', '0', '--grace', '1s', '--notify'], { env: { ...env, PATH: mkdtempSync(join(box.root, 'no-programs-')) } });
    expect(r.code, r.stderr).toBe(0);
    expect(isAlive(o.pid)).toBe(false);
    expect(notes(box.stateDir).map((n) => n.note)).toEqual(['desktop notification not shown: notify-send not found (Debian package libnotify-bin)']);
  });

  it('with --no-log, says it on stderr instead', async () => {
    const { env } = noDesktop();
    const o = await startOrphan({ args: SDK_ARGS });
    const r = await runCli(['kill', '--yes', '--pid', String(o.pid), '--sample', '0', '--grace', '1s', '--notify', '--no-log'], { env: { ...env, PATH: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('claude-reaper: note: desktop notification not shown: notify-send not found (Debian package libnotify-bin)\n');
  });

  it('raises nothing, and notes nothing, when nothing was reaped', async () => {
    const { box, env } = noDesktop();
    // Only claude processes ten years old: none.
    const r = await runCli(['kill', '--yes', '--older-than', '3650d', '--sample', '0', '--notify'], { env: { ...env, PATH: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(auditLines(box.stateDir)).toEqual([]);
  });
});

describe('watch --kill --notify', () => {
  it('reaps, and says once on stderr why the notification was not shown', async () => {
    requireTools('notify-send');
    const { box, env } = noDesktop();
    const o = await startOrphan({ args: SDK_ARGS });
    const r = await runCli(['watch', '--kill', '--pid', String(o.pid), '--cycles', '2', '--interval', '100ms', '--sample', '0', '--grace', '1s', '--notify', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(isAlive(o.pid)).toBe(false);
    const cycles = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { reaped: number; notifyNote: string | null });
    expect(cycles.map((c) => c.reaped)).toEqual([1, 0]);
    expect(cycles[0]!.notifyNote).toMatch(/^desktop notification not shown: notify-send failed: /);
    expect(cycles[1]!.notifyNote).toBeNull();
    expect(r.stderr.match(/claude-reaper: note: desktop notification not shown/g)).toHaveLength(1);
    // watch's notes go to stderr, not into the audit log.
    expect(notes(box.stateDir)).toEqual([]);
  });

  it('refuses --notify without --kill: one line, exit 2', async () => {
    const { env } = noDesktop();
    const r = await runCli(['watch', '--notify', '--cycles', '1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('claude-reaper: error: --notify tells of what was reaped: it goes with --kill\n');
  });
});
