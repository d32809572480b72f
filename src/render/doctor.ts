// `doctor` for people: one line per check, its fix under it, and the verdict last.
import { Chalk } from 'chalk';
import type { DoctorReport, Level } from '../doctor/check.js';

const LABEL: Record<Level, string> = { ok: 'ok', info: 'info', warning: 'WARNING', limit: 'LIMIT' };

export function renderDoctor(report: DoctorReport, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const paint: Record<Level, (s: string) => string> = { ok: c.green, info: (s) => s, warning: c.yellow, limit: c.red };
  const idWidth = Math.max(...report.checks.map((k) => k.id.length));
  const lines = [`claude-reaper ${report.tool.version} doctor, ${report.platform}`];
  for (const k of report.checks) {
    lines.push(`${paint[k.level](LABEL[k.level].padEnd(7))}  ${k.id.padEnd(idWidth)}  ${k.text}`);
    if (k.fix) lines.push(`${' '.repeat(9 + idWidth + 2)}fix: ${k.fix}`);
  }
  const limits = report.checks.filter((k) => k.level === 'limit').length;
  lines.push(limits === 0 ? 'A scan here can be trusted.' : c.bold(`A scan here misses something: ${limits} ${limits === 1 ? 'limit' : 'limits'}, each with its fix above.`));
  return `${lines.join('\n')}\n`;
}
