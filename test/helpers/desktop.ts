// A real, private desktop session for notifications: a D-Bus session bus (dbus-daemon), an X
// server without a screen (Xvfb) and the dunst notification daemon on them. Each is registered by
// pid and start time, so cleanup() ends them; nothing touches the machine's own session.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { track, waitFor } from './cleanup.js';
import { capture, workRoot } from './fixtures.js';

export const DESKTOP_TOOLS = ['dbus-daemon', 'Xvfb', 'dunst', 'dunstctl'];

export interface Desktop {
  /** What a program in this session has: its bus and its display. */
  env: Record<string, string>;
  /** The notifications dunst has shown, once closed into its history: summary and body. */
  shown(): { summary: string; body: string; appname: string }[];
}

function started(file: string, args: string[], env: NodeJS.ProcessEnv, stdio: ('ignore' | 'pipe')[] = ['ignore', 'ignore', 'pipe']) {
  const child = spawn(file, args, { env, stdio });
  if (child.pid === undefined) throw new Error(`cannot start ${file}`);
  track(child.pid, child);
  return { child, output: capture(child.stderr) };
}

export async function startDesktop(): Promise<Desktop> {
  const dir = mkdtempSync(join(workRoot(), 'desktop-'));
  const bus = join(dir, 'bus');
  started('dbus-daemon', ['--session', '--nofork', `--address=unix:path=${bus}`], process.env);
  await waitFor(() => existsSync(bus), { what: 'the session bus' });
  // -displayfd: Xvfb picks a free display and writes its number there.
  const x = started('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp'], process.env, ['ignore', 'ignore', 'pipe', 'pipe']);
  let display = '';
  (x.child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (display += d.toString()));
  await waitFor(() => /^\d+\n/.test(display) || x.child.exitCode !== null, { what: 'Xvfb to choose a display' });
  if (x.child.exitCode !== null) throw new Error(`Xvfb exited: ${x.output()}`);
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}`, DISPLAY: `:${display.trim()}` };
  const dunst = started('dunst', [], { ...process.env, ...env });
  const ctl = (...args: string[]) => spawnSync('dunstctl', args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  await waitFor(() => ctl('count').status === 0 || dunst.child.exitCode !== null, { what: 'dunst to take the notification service' });
  if (dunst.child.exitCode !== null) throw new Error(`dunst exited: ${dunst.output()}`);
  return {
    env,
    shown() {
      ctl('close-all');
      const history = JSON.parse(ctl('history').stdout) as { data: Record<string, { data: string }>[][] };
      return history.data.flat().map((n) => ({ summary: n.summary!.data, body: n.body!.data, appname: n.appname!.data }));
    },
  };
}

/** The audit log's lines, parsed. */
export function auditLines(stateDir: string): Record<string, unknown>[] {
  const path = join(stateDir, 'reaped.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}
