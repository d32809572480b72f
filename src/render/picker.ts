// The picker's checklist (`kill --interactive`): each target of the plan, checked, with its reason
// and what goes with it; then what cannot be chosen (protected, or a zombie), with the reason.
// Rows come from the plan's own row renderer, so the picker shows a command line exactly as the
// plan does.
import { REAPABLE_FLAGS } from '../classify/registry.js';
import type { KillPlan } from '../reap/plan.js';
import type { ProcessReport } from '../report.js';
import { cut } from './format.js';
import { planRow } from './kill.js';

export interface PickerChoice {
  value: number;
  /** The lines shown: the row, the reason, and the rows of what goes with it. */
  name: string;
  /** What the answer line shows once chosen. */
  short: string;
  checked: boolean;
  /** Why it cannot be chosen (shown after it), or false. */
  disabled: string | false;
}

// The checklist's own columns before each line: the cursor, the box and a space.
const MARK_WIDTH = 3;

export function pickerChoices(plan: KillPlan, document: { processes: readonly ProcessReport[] } | null, width: number, opts: { listProtected: boolean }): PickerChoice[] {
  const w = Math.max(20, width - MARK_WIDTH);
  const byPid = new Map((document?.processes ?? []).map((p) => [p.pid, p]));
  const choices: PickerChoice[] = plan.targets.map((t) => ({
    value: t.pid,
    name: [planRow(t, 0, w), cut(`      ↳ ${t.reason}`, w), ...[...t.descendants].reverse().map((d) => planRow(d, 1, w))].join('\n'),
    short: String(t.pid),
    checked: true,
    disabled: false,
  }));
  const listed = new Set(choices.map((c) => c.value));
  const kept = (pid: number, name: string, reason: string, short: string) => {
    listed.add(pid);
    const p = byPid.get(pid);
    const line = p ? planRow(p, 0, w) : `${String(pid).padStart(7)}  [${name}]`;
    choices.push({ value: pid, name: [line, cut(`      ↳ ${reason}`, w)].join('\n'), short: String(pid), checked: false, disabled: short });
  };
  for (const s of plan.skipped) if (!listed.has(s.pid)) kept(s.pid, s.name, s.reason, s.protection ? '(protected)' : '(cannot be reaped)');
  // With no selector, the plan holds only what is reapable; a protected process that would
  // otherwise be reaped is shown too, so that its absence from the targets is explained.
  if (opts.listProtected) {
    for (const p of document?.processes ?? []) {
      if (listed.has(p.pid) || !p.protection || !p.flags.some((f) => REAPABLE_FLAGS.has(f))) continue;
      kept(p.pid, p.name, `protected: ${p.protection.text}`, '(protected)');
    }
  }
  return choices;
}
