// `kill --interactive`: the plan as a checklist on the terminal, with @inquirer/checkbox, loaded
// only here (it and node:readline stay out of every other run). Space toggles, enter confirms;
// escape, q or Ctrl-C leave with nothing chosen.
import type { Planned } from '../commands/kill.js';
import { formatBytes } from '../render/format.js';
import { pickerChoices } from '../render/picker.js';
import { importLate } from '../util/importer.js';

// Lines of the terminal the prompt keeps for its question, help line and a margin.
const CHROME_LINES = 5;
const MIN_PAGE_LINES = 5;

export interface PickOptions {
  width: number;
  rows: number | undefined;
  /** List protected processes a selector-less plan left out, so their absence is explained. */
  listProtected: boolean;
}

/** The pids chosen, or null when the person left without choosing. */
export async function pick(planned: Planned, opts: PickOptions): Promise<ReadonlySet<number> | null> {
  const [{ default: checkbox }, { emitKeypressEvents }] = await Promise.all([
    importLate<typeof import('@inquirer/checkbox')>('@inquirer/checkbox'),
    importLate<typeof import('node:readline')>('node:readline'),
  ]);
  const choices = pickerChoices(planned.plan, planned.document ?? null, opts.width, { listProtected: opts.listProtected });
  const s = planned.plan.summary;
  const abort = new AbortController();
  // The checkbox has no key to cancel; escape and q abort it from outside.
  emitKeypressEvents(process.stdin);
  const onKey = (_: unknown, key: { name?: string } | undefined) => {
    if (key?.name === 'escape' || key?.name === 'q') abort.abort();
  };
  process.stdin.on('keypress', onKey);
  try {
    const pids = await checkbox(
      {
        message: `Reap which? (${s.targets} in the plan, ${formatBytes(s.rssBytes)} with what goes with them)`,
        choices,
        loop: false,
        pageSize: Math.max(MIN_PAGE_LINES, (opts.rows ?? 24) - CHROME_LINES),
        theme: { style: { keysHelpTip: (keys: [string, string][]) => [...keys, ['esc q', 'cancel']].map(([k, a]) => `${k} ${a}`).join(' • ') } },
      },
      { signal: abort.signal },
    );
    return new Set(pids);
  } catch (err) {
    // AbortPromptError (escape, q), ExitPromptError (Ctrl-C, a closed terminal).
    if (err instanceof Error && /^(AbortPromptError|ExitPromptError)$/.test(err.name)) return null;
    throw err;
  } finally {
    process.stdin.off('keypress', onKey);
    process.stdin.pause();
  }
}
