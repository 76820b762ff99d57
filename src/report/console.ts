// The short human summary on stdout: one line per result, colour only on a TTY (and never with NO_COLOR / --no-color).
// Every field is one line whatever AWS or a fleet file put in it (visibleControls), so the status
// label at the start of a line is always the tool's own: colour is painted on those labels only.

import { leavesIncomplete, STATUSES, type Status } from '../model.ts';
import { type Report, targetsOf } from './report.ts';
import { visibleControls as field } from './terminal.ts';

const COLORS: Record<Status, number> = { pass: 32, fail: 31, warn: 33, error: 35, skip: 90 };
const LABEL_AT_LINE_START = new RegExp(`^(${STATUSES.map((s) => s.toUpperCase().padEnd(5)).join('|')})`, 'gm');

/** Colours the status label that starts a result line (text already made terminal-safe). */
export function paintStatusLabels(text: string): string {
  return text.replace(LABEL_AT_LINE_START, (label: string) => `\x1b[${COLORS[label.trim().toLowerCase() as Status]}m${label}\x1b[0m`);
}

export function renderConsole(report: Report, options: { color: boolean; quiet?: boolean }): string {
  const lines: string[] = [];
  for (const t of targetsOf(report)) {
    if (report.targets) lines.push(`== ${field(t.name)}: ${field(t.verdict)}`);
    for (const r of t.results) {
      if (options.quiet && (r.status === 'pass' || (r.status === 'skip' && !leavesIncomplete(r)))) continue;
      lines.push(`${field(r.status.toUpperCase()).padEnd(5)} ${field(r.check)} [${field(r.subject)}] ${field(r.message)}`);
    }
  }
  const s = report.summary;
  lines.push(`${field(report.verdict.toUpperCase())}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.error} error, ${s.skip} skip (exit ${report.exitCode})`);
  const text = lines.join('\n') + '\n';
  return options.color ? paintStatusLabels(text) : text;
}
