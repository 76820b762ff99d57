// The short human summary on stdout: one line per result, colour only on a TTY (and never with NO_COLOR / --no-color).
// Every field is one line whatever AWS or a fleet file put in it (visibleControls), so the status
// label at the start of a line is always the tool's own: colour is painted on those labels only.
// Labels are padded to the widest label's display width (string-width: a CJK character takes two
// columns), so the columns stay aligned in every language.

import stringWidth from 'string-width';
import type { Lang } from '../i18n/lang.ts';
import { translator } from '../i18n/translate.ts';
import { leavesIncomplete, STATUSES, type Status } from '../model.ts';
import { type Report, targetsOf } from './report.ts';
import { visibleControls as field } from './terminal.ts';

const COLORS: Record<Status, number> = { pass: 32, fail: 31, warn: 33, error: 35, skip: 90 };
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A string padded with spaces to `width` display columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The status labels of a language, each padded to the widest one's display width. */
export function statusLabels(lang: Lang = 'en'): Record<Status, string> {
  const t = translator(lang);
  const width = Math.max(...STATUSES.map((s) => stringWidth(t.status(s))));
  return Object.fromEntries(STATUSES.map((s) => [s, padToWidth(t.status(s), width)])) as Record<Status, string>;
}

/** Colours the status label that starts a result line (text already made terminal-safe). */
export function paintStatusLabelsFor(lang: Lang = 'en'): (text: string) => string {
  const labels = statusLabels(lang);
  const byLabel = new Map(STATUSES.map((s) => [labels[s], s]));
  const atLineStart = new RegExp(`^(${STATUSES.map((s) => escapeRegExp(labels[s])).join('|')})`, 'gm');
  return (text) => text.replace(atLineStart, (label: string) => `\x1b[${COLORS[byLabel.get(label)!]}m${label}\x1b[0m`);
}

export const paintStatusLabels = paintStatusLabelsFor('en');

export function renderConsole(report: Report, options: { color: boolean; quiet?: boolean; lang?: Lang }): string {
  const lang = options.lang ?? 'en';
  const t = translator(lang);
  const labels = statusLabels(lang);
  const lines: string[] = [];
  for (const target of targetsOf(report)) {
    if (report.targets) lines.push(t.ui('console.target', { name: field(target.name), verdict: t.ui(`verdict.${target.verdict}`) }));
    for (const r of target.results) {
      if (options.quiet && (r.status === 'pass' || (r.status === 'skip' && !leavesIncomplete(r)))) continue;
      lines.push(`${labels[r.status]} ${field(r.check)} [${field(r.subject)}] ${field(t.message(r))}`);
    }
  }
  const s = report.summary;
  lines.push(t.ui('console.summary', { verdict: t.ui(`verdict.${report.verdict}`).toLocaleUpperCase(lang === 'en-XA' ? 'en' : lang), ...s, exitCode: report.exitCode }));
  const text = lines.join('\n') + '\n';
  return options.color ? paintStatusLabelsFor(lang)(text) : text;
}
