// The picker's checklist and the plan it leaves, on built snapshots: pure, no terminal.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/classify/thresholds.js';
import type { ScanResult } from '../../src/commands/scan.js';
import { buildDocument } from '../../src/document.js';
import { narrowPlan } from '../../src/reap/narrow.js';
import { emptySelection, planKill } from '../../src/reap/select.js';
import { pickerChoices } from '../../src/render/picker.js';
import type { SampledProcess } from '../../src/types.js';
import { NOW, claude, proc, snapshot } from '../helpers/snapshot.js';

function scan(procs: SampledProcess[], protect: RegExp[] = []): ScanResult {
  const snap = snapshot(procs);
  const findings = classify({ snapshot: snap, now: NOW, thresholds: DEFAULT_THRESHOLDS, history: new Map(), allUsers: false, patterns: protect });
  return { snapshot: snap, findings, document: buildDocument(snap, findings, DEFAULT_THRESHOLDS) };
}

const orphanA = claude({ pid: 100, ppid: 1, argv: ['/opt/claude', '--resume', 'aaa'], rssBytes: 1_000 });
const mcp = proc({ pid: 105, ppid: 100, name: 'node', argv: ['node', '/opt/mcp/server.js', '--stdio'], rssBytes: 50 });
const orphanB = claude({ pid: 200, ppid: 1, argv: ['/opt/claude', '--resume', 'bbb'], rssBytes: 2_000 });
const keep = claude({ pid: 300, ppid: 1, argv: ['/opt/claude', '--resume', 'keep-me'], rssBytes: 3_000 });

describe('the checklist', () => {
  const s = scan([orphanA, mcp, orphanB, keep], [/keep-me/]);
  const plan = planKill(s, { ...emptySelection(), reapable: true }, { signal: 'SIGTERM', graceMs: 5000 });

  it('checks each target, with its reason and what goes with it, in the rows of the plan', () => {
    const choices = pickerChoices(plan, s.document, 100, { listProtected: true });
    expect(choices.slice(0, 2).map((c) => [c.value, c.checked, c.disabled])).toEqual([[100, true, false], [200, true, false]]);
    expect(choices[0]!.name.split('\n')).toEqual([
      '    100     1 KB  claude        /opt/claude --resume aaa',
      expect.stringMatching(/^ {6}↳ orphan: reparented to init/),
      '    105     50 B  mcp-server    └ node /opt/mcp/server.js --stdio',
    ]);
  });

  it('shows a protected process that would otherwise be reaped, and does not let it be chosen', () => {
    const choices = pickerChoices(plan, s.document, 100, { listProtected: true });
    expect(choices.at(-1)).toMatchObject({ value: 300, checked: false, disabled: '(protected)' });
    expect(choices.at(-1)!.name).toMatch(/\n {6}↳ protected: matches the config's protect pattern \/keep-me\/$/);
    expect(pickerChoices(plan, s.document, 100, { listProtected: false }).map((c) => c.value)).toEqual([100, 200]);
  });

  it('cuts every line to the terminal, less the box in front of it', () => {
    for (const c of pickerChoices(plan, s.document, 40, { listProtected: true })) for (const line of c.name.split('\n')) expect(line.length).toBeLessThanOrEqual(37);
  });
});

describe('the plan the picker leaves', () => {
  it('keeps the chosen targets with what goes with them, and skips the rest, saying why', () => {
    const s = scan([orphanA, mcp, orphanB]);
    const plan = planKill(s, { ...emptySelection(), reapable: true }, { signal: 'SIGTERM', graceMs: 5000 });
    const narrowed = narrowPlan(plan, new Set([100]));
    expect(narrowed.targets.map((t) => [t.pid, t.descendants.map((d) => d.pid)])).toEqual([[100, [105]]]);
    expect(narrowed.skipped).toEqual([{ pid: 200, startId: expect.any(String), name: 'claude', reason: 'left out in the picker', protection: null }]);
    expect(narrowed.summary).toEqual({ targets: 1, processes: 2, rssBytes: 1_050 });
  });
});
