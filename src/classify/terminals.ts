// Parents that mean "a person is here": a claude under one of these is a session, not a leak.
import type { ProcessRecord } from '../types.js';
import { basename, isShell } from './match.js';

const TERMINALS = new Set([
  'sshd', 'login', 'tmux', 'tmux: server', 'screen', 'SCREEN', 'script', 'mosh-server', 'zellij',
  'gnome-terminal-server', 'gnome-terminal-', 'konsole', 'xterm', 'urxvt', 'alacritty', 'kitty', 'wezterm-gui',
  'foot', 'tilix', 'terminator', 'Terminal', 'iTerm2', 'Hyper', 'Warp', 'ghostty', 'WindowsTerminal.exe',
  'conhost.exe', 'OpenConsole.exe', 'explorer.exe',
]);

export function isTerminalOrShell(rec: Pick<ProcessRecord, 'name' | 'argv'>): boolean {
  if (isShell(rec) || TERMINALS.has(rec.name)) return true;
  const argv0 = rec.argv?.[0];
  return argv0 !== undefined && TERMINALS.has(basename(argv0));
}
