// Finding every process of a scene, wherever it has been reparented: everything real Claude Code
// starts (daemons, pty hosts, spares, tool shells and what they leave) inherits the scene's own
// CLAUDE_CONFIG_DIR (or HOME), a directory no other process on the machine uses.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { onBeforeCleanup, track } from '../cleanup.js';

/**
 * Pids whose environment has CLAUDE_CONFIG_DIR=<configDir> (this process excluded); for a scene
 * whose config is in its HOME (`<home>/.claude`, no CLAUDE_CONFIG_DIR), HOME=<home>.
 */
export function pidsWithConfigDir(configDir: string): number[] {
  const needles = [`\0CLAUDE_CONFIG_DIR=${configDir}\0`];
  if (basename(configDir) === '.claude') needles.push(`\0HOME=${dirname(configDir)}\0`);
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const env = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`;
      if (needles.some((n) => env.includes(n))) out.push(pid);
    } catch {
      // Gone, or another user's.
    }
  }
  return out;
}

/** Registers every process of the scene now. */
export function trackScene(configDir: string): number[] {
  const pids = pidsWithConfigDir(configDir);
  for (const pid of pids) {
    try {
      track(pid);
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

/** Registers the scene's processes again at the next cleanup, before any is signalled. */
export function trackSceneAtCleanup(configDir: string): void {
  onBeforeCleanup(() => void trackScene(configDir));
}
