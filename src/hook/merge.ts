// Adds and removes our SessionEnd hook in Claude Code's settings, as pure functions over the
// parsed JSON. The hooks format (code.claude.com/docs/en/hooks): `hooks.<Event>` is an array of
// matcher groups, each `{"matcher": ..., "hooks": [{"type": "command", "command": ...}]}`; for
// SessionEnd the matcher is the end reason, and "" matches every reason. Everything else in the
// file is left exactly where it was.
import { UsageError } from '../errors.js';

export const HOOK_EVENT = 'SessionEnd';

type Json = Record<string, unknown>;

/** Ours: the command names claude-reaper and ends with `hook run`. */
export function isOurCommand(command: unknown): boolean {
  return typeof command === 'string' && command.includes('claude-reaper') && /\bhook run\s*$/.test(command);
}

export interface Merged {
  settings: Json;
  changed: boolean;
}

/** Our hook in the settings: added once, or its command brought up to date where it already is. */
export function addHook(settings: Json, command: string, where: string): Merged {
  const next = structuredClone(settings);
  const hooks = objectAt(next, 'hooks', where) ?? (next.hooks = {});
  const groups = arrayAt(hooks as Json, HOOK_EVENT, where) ?? ((hooks as Json)[HOOK_EVENT] = []);
  let found = false;
  let changed = false;
  for (const group of groups as unknown[]) {
    const list = groupHooks(group);
    if (!list) continue;
    const rest = list.filter((h) => {
      if (!isOurCommand((h as Json)?.command)) return true;
      if (found) return false; // a second copy of ours: one is enough
      found = true;
      if ((h as Json).command !== command || (h as Json).type !== 'command') {
        Object.assign(h as Json, { type: 'command', command });
        changed = true;
      }
      return true;
    });
    if (rest.length !== list.length) {
      (group as Json).hooks = rest;
      changed = true;
    }
  }
  if (!found) {
    (groups as unknown[]).push({ matcher: '', hooks: [{ type: 'command', command }] });
    changed = true;
  }
  return { settings: changed ? next : settings, changed };
}

/** The settings without our hook; groups, events and `hooks` that only held ours go too. */
export function removeHook(settings: Json, where: string): Merged {
  const next = structuredClone(settings);
  const hooks = objectAt(next, 'hooks', where);
  const groups = hooks ? arrayAt(hooks, HOOK_EVENT, where) : null;
  if (!hooks || !groups) return { settings, changed: false };
  let changed = false;
  const kept = groups.filter((group) => {
    const list = groupHooks(group);
    if (!list) return true;
    const before = list.length;
    const rest = list.filter((h) => !isOurCommand((h as Json)?.command));
    if (rest.length === before) return true;
    changed = true;
    (group as Json).hooks = rest;
    return rest.length > 0;
  });
  if (!changed) return { settings, changed: false };
  if (kept.length > 0) hooks[HOOK_EVENT] = kept;
  else delete hooks[HOOK_EVENT];
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return { settings: next, changed: true };
}

function groupHooks(group: unknown): unknown[] | null {
  const list = (group as Json | null)?.hooks;
  return group && typeof group === 'object' && Array.isArray(list) ? list : null;
}

function objectAt(obj: Json, key: string, where: string): Json | null {
  const v = obj[key];
  if (v === undefined) return null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${where}: "${key}" is not an object; nothing was written`);
  return v as Json;
}

function arrayAt(obj: Json, key: string, where: string): unknown[] | null {
  const v = obj[key];
  if (v === undefined) return null;
  if (!Array.isArray(v)) throw new UsageError(`${where}: "hooks.${key}" is not an array; nothing was written`);
  return v;
}
