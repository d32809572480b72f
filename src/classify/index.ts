// classify(): a pure function of the snapshot, the clock, thresholds and earlier samples.
import type { Finding, FlagId } from '../report.js';
import { RuleContext, type ClassifyInput } from './context.js';
import { REAPABLE_FLAGS, RULES } from './registry.js';

export type ClassifyOptions = ClassifyInput;

export function classify(opts: ClassifyOptions): Map<number, Finding> {
  const ctx = new RuleContext(opts);
  for (const rule of RULES) {
    for (const [pid, reason] of rule.evaluate(ctx)) {
      const list = ctx.reasons.get(pid);
      const full = { flag: rule.id, ...reason };
      if (list) list.push(full);
      else ctx.reasons.set(pid, [full]);
    }
  }
  const findings = new Map<number, Finding>();
  for (const { proc, match } of ctx.targets()) {
    const reasons = ctx.reasons.get(proc.pid) ?? [];
    const flags = reasons.length === 0 ? [] : ([...new Set(reasons.map((r) => r.flag))] as FlagId[]);
    const protection = ctx.protection(proc, match);
    const idle = flags.includes('idle') ? ctx.idle(proc, match) : null;
    findings.set(proc.pid, { pid: proc.pid, flags, reasons, protection, reapable: !protection && flags.some((f) => REAPABLE_FLAGS.has(f)), idle });
  }
  return findings;
}
