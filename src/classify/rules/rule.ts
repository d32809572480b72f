import type { FlagId, Reason } from '../../report.js';
import type { RuleContext } from '../context.js';

/** A rule: a pure function of the context that flags some processes, with reasons and numbers. */
export interface Rule {
  id: FlagId;
  /** One line, for --help and the README. */
  description: string;
  /** Whether the flag alone makes a process a kill target (when unprotected). */
  reapable: boolean;
  evaluate(ctx: RuleContext): Iterable<[pid: number, reason: Omit<Reason, 'flag'>]>;
}
