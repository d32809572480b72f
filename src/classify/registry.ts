// Every rule, in the order they run (later rules may read earlier flags: `abandoned` skips orphans,
// the strays follow their claude's own verdict, `runaway` reads `orphan` and the strays). --help and the README's flag table are
// built from this list.
import { abandoned } from './rules/abandoned.js';
import { defunct } from './rules/defunct.js';
import { duplicateDaemon } from './rules/duplicate-daemon.js';
import { duplicateSession } from './rules/duplicate-session.js';
import { hung } from './rules/hung.js';
import { idle } from './rules/idle.js';
import { orphan } from './rules/orphan.js';
import type { Rule } from './rules/rule.js';
import { runaway } from './rules/runaway.js';
import { strayMcp, strayShell } from './rules/stray.js';

export const RULES: readonly Rule[] = [
  defunct,
  orphan,
  idle,
  abandoned,
  hung,
  duplicateDaemon,
  duplicateSession,
  strayShell,
  strayMcp,
  runaway,
];

export const REAPABLE_FLAGS: ReadonlySet<string> = new Set(RULES.filter((r) => r.reapable).map((r) => r.id));
