// The short human summary on stdout: one line per result, colour only on a TTY (and never with NO_COLOR / --no-color).

import { leavesIncomplete, type Status } from '../model.ts';
import { type Report, targetsOf } from './report.ts';

const COLORS: Record<Status, number> = { pass: 32, fail: 31, warn: 33, error: 35, skip: 90 };

export function renderConsole(report: Report, options: { color: boolean; quiet?: boolean }): string {
  const paint = (status: Status, text: string) => (options.color ? `\x1b[${COLORS[status]}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  for (const t of targetsOf(report)) {
    if (report.targets) lines.push(`== ${t.name}: ${t.verdict}`);
    for (const r of t.results) {
      if (options.quiet && (r.status === 'pass' || (r.status === 'skip' && !leavesIncomplete(r)))) continue;
      lines.push(`${paint(r.status, r.status.toUpperCase().padEnd(5))} ${r.check} [${r.subject}] ${r.message}`);
    }
  }
  const s = report.summary;
  lines.push(`${report.verdict.toUpperCase()}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.error} error, ${s.skip} skip (exit ${report.exitCode})`);
  return lines.join('\n') + '\n';
}
