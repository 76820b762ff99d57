// Markdown rendering for auditors who never ran the tool: the verdict first, a summary, then each
// finding that needs attention (grouped by section) with its evidence and fix, passes collapsed.

import { INTERACTION } from '../../checks/codeartifact/_access-matrix.ts';
import { IDENTITY_ASSUMPTION } from '../../checks/codeartifact/context.ts';
import type { Lang } from '../i18n/lang.ts';
import { type Translator, translator } from '../i18n/translate.ts';
import { gap } from '../i18n/text.ts';
import { type UiId, uiTemplate } from '../i18n/ui.ts';
import { leavesIncomplete, type Result, STATUSES, type Status } from '../model.ts';
import { SECTIONS, sectionOf } from './groups.ts';
import { md, mdCode, mdFence } from './markdown-text.ts';
import { describeEnvironment, type Report, type TargetReport, targetsOf } from './report.ts';

const ICON: Record<Status, string> = { fail: '❌', error: '⚠️', warn: '🟡', skip: '⏭️', pass: '✅' };
const ORDER: Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];

function summaryTable(t: TargetReport, tr: Translator): string[] {
  const n = tr.number;
  return [
    `| ${STATUSES.map((s) => md(tr.ui(`summary.${s}`))).join(' | ')} |`,
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${n(t.summary.pass)} | ${n(t.summary.fail)} | ${n(t.summary.warn)} | ${n(t.summary.error)} | ${n(t.summary.skip)} |`,
  ];
}

/** A report section's title ("Exposure") in the reader's language. */
export function sectionTitle(section: string, tr: Translator): string {
  return uiTemplate(`section.${section}`, tr.lang) === undefined ? section : tr.ui(`section.${section}` as UiId);
}

/** The access matrix's explanations are the pack's fixed English sentences: said in the reader's language when they are. */
export function accessMatrixNote(text: string, tr: Translator): string {
  if (text === INTERACTION) return tr.ui('access.interaction');
  if (text === IDENTITY_ASSUMPTION.replace('domain policy alone', 'resource policies alone')) return tr.ui('access.identitySide');
  return text;
}

// Severity stands in the finding's heading, not only in the collapsed evidence. Remediation is
// shown only when the result carries one (passes and skips carry none; see src/engine/check.ts).
function finding(r: Result, level: string, tr: Translator): string[] {
  const remediation = tr.remediation(r);
  return [
    `${level} ${ICON[r.status]} ${md(tr.ui('md.findingHeading', { status: tr.status(r.status), severity: tr.severity(r.severity) }))} ${mdCode(r.check)} — ${md(r.subject)}`,
    '',
    md(tr.message(r)),
    '',
    ...(remediation ? [`**${md(tr.ui('label.fix'))}** ${md(remediation)}`, ''] : []),
    `<details><summary>${md(tr.ui('label.evidence'))}</summary>`,
    '',
    ...mdFence('json', JSON.stringify(r.evidence, null, 2)),
    ...(r.references.length ? ['', `${md(tr.ui('label.references'))}${gap(tr.ui('label.references'))}${r.references.map(md).join('; ')}`] : []),
    '',
    '</details>',
    '',
  ];
}

const ACCESS_ICON: Record<string, string> = { allow: '✅', deny: '—', depends: '❓' };
/** A CodeArtifact access-matrix decision as shown in the Markdown and HTML reports. */
export const accessCell = (decision: string, tr: Translator): string => `${ACCESS_ICON[decision]} ${tr.ui(`access.${decision}` as UiId)}`;
/** The access matrix's column headings, in order. */
export const ACCESS_COLUMNS = ['principal', 'crossAccount', 'repository', 'read', 'publish', 'admin', 'openedBy'] as const;

/** codeartifact: who can read, publish and administer each repository (the JSON report's accessMatrix). */
function accessMatrixSection(m: NonNullable<TargetReport['accessMatrix']>, level: string, tr: Translator): string[] {
  const out = [`${level} ${md(tr.ui('access.heading'))}`, '', md(accessMatrixNote(m.interaction, tr)), '', md(accessMatrixNote(m.identitySide, tr)), ''];
  if (m.rows.length === 0) out.push(md(tr.ui(m.repositories.length === 0 ? 'access.noRepositories' : 'access.noPrincipal')), '');
  else {
    out.push(`| ${ACCESS_COLUMNS.map((c) => md(tr.ui(`access.column.${c}`))).join(' | ')} |`, '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of m.rows) {
      const by = [...new Set([r.read, r.publish, r.admin].filter((c) => c.decision !== 'deny').flatMap((c) => c.statements))];
      out.push(`| ${md(r.principal)} | ${md(tr.ui(r.crossAccount ? 'label.yes' : 'label.no'))} | ${md(r.repository)} | ${accessCell(r.read.decision, tr)} | ${accessCell(r.publish.decision, tr)} | ${accessCell(r.admin.decision, tr)} | ${md(by.join('; '))} |`);
    }
    out.push('');
  }
  for (const u of m.unreadable) out.push(`- ${md(tr.ui('access.unreadable', { repository: u.repository, code: u.code, message: u.message }))}`);
  if (m.unreadable.length) out.push('');
  return out;
}

function targetSection(t: TargetReport, level: string, tr: Translator): string[] {
  const out: string[] = [];
  out.push(`${level} ${md(tr.ui('md.target'))}`, '', `| ${md(tr.ui('label.field'))} | ${md(tr.ui('label.value'))} |`, '| --- | --- |');
  for (const [k, v] of Object.entries(t.target)) if (v !== undefined && v !== null) out.push(`| ${md(k)} | ${md(typeof v === 'object' ? JSON.stringify(v) : v)} |`);
  out.push('', ...summaryTable(t, tr), '');
  if (t.accessMatrix) out.push(...accessMatrixSection(t.accessMatrix, level, tr));
  // A skip that leaves the run incomplete needs attention like an error does.
  const attention = t.results.filter((r) => (r.status !== 'pass' && r.status !== 'skip') || leavesIncomplete(r));
  if (attention.length) {
    out.push(`${level} ${md(tr.ui('md.needsAttention'))}`, '');
    const sections = [...SECTIONS.map((s) => s.title), 'Other'];
    for (const section of sections) {
      const inSection = attention.filter((r) => sectionOf(r.check) === section).sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      if (!inSection.length) continue;
      out.push(`${level}# ${md(sectionTitle(section, tr))}`, '');
      // Line by line: spreading thousands of lines into one call would exhaust the stack.
      for (const r of inSection) for (const line of finding(r, `${level}##`, tr)) out.push(line);
    }
  } else {
    out.push(md(tr.ui('md.nothingNeedsAttention')), '');
  }
  // At-a-glance section status (e.g. "Exposure: private"), so an auditor need not read every row.
  out.push(`${level} ${md(tr.ui('md.bySection'))}`, '', `| ${md(tr.ui('label.section'))} | ${md(tr.ui('label.result'))} |`, '| --- | --- |');
  for (const s of [...SECTIONS.map((x) => x.title), 'Other']) {
    const rs = t.results.filter((r) => sectionOf(r.check) === s);
    if (!rs.length) continue;
    const worst = ORDER.find((st) => rs.some((r) => r.status === st)) ?? 'pass';
    out.push(`| ${md(sectionTitle(s, tr))} | ${ICON[worst]} ${md(tr.status(worst))} (${md(tr.plural('label.results', rs.length))}) |`);
  }
  out.push('');
  const rest = t.results.filter((r) => (r.status === 'pass' || r.status === 'skip') && !leavesIncomplete(r));
  if (rest.length) {
    out.push(
      `<details><summary>${md(tr.ui('md.passedAndSkipped', { count: rest.length }))}</summary>`,
      '',
      `| ${['status', 'check', 'subject', 'message'].map((c) => md(tr.ui(`label.${c}` as UiId))).join(' | ')} |`,
      '| --- | --- | --- | --- |',
    );
    for (const r of rest) out.push(`| ${md(tr.status(r.status))} | ${mdCode(r.check)} | ${md(r.subject)} | ${md(tr.message(r))} |`);
    out.push('', '</details>', '');
  }
  return out;
}

/** The anchor of a fleet target's section, by position (names may hold any character). */
const targetAnchor = (index: number): string => `target-${index + 1}`;

export function renderMarkdown(report: Report, options: { lang?: Lang } = {}): string {
  const tr = translator(options.lang);
  const n = tr.number;
  const targets = targetsOf(report);
  const interrupted = report.interrupted ? tr.ui('md.interrupted') : '';
  const verdict = tr.ui('md.verdict', { verdict: tr.ui(`verdict.line.${report.verdict}`) });
  const exitCode = tr.ui('report.exitCode', { exitCode: report.exitCode });
  // A bold label keeps its blank even after full-width punctuation: CommonMark closes `**` after
  // punctuation only before a blank or punctuation. Where the next text starts with punctuation,
  // none is needed.
  const out: string[] = [
    `# ${md(tr.ui('report.title', { pack: report.pack }))}`,
    '',
    `**${md(verdict)}**${gap(verdict, exitCode)}${md(exitCode)}${interrupted ? ` — ${md(interrupted)}` : ''}`,
    '',
    md(tr.ui('report.runFrom', { start: tr.dateTime(report.startedAt), end: tr.dateTime(report.finishedAt), tool: report.tool.name, version: report.tool.version, calls: report.apiCalls.length })),
    '',
  ];
  // Where the run went, in the header: a report from an emulator must never read as one about AWS.
  if (report.environment) out.push(`**${md(tr.ui('report.runAgainst'))}** ${mdCode(describeEnvironment(report.environment, tr.lang))}`, '');
  if (report.targets) {
    // The summary table is the table of contents: each target name links to its section, through
    // an explicit anchor (a heading's generated id depends on the name's characters and repeats).
    const head = [tr.ui('label.target'), tr.ui('label.verdict'), ...STATUSES.map((s) => tr.ui(`summary.${s}`))].map(md);
    out.push(`## ${md(tr.ui('report.fleetSummary'))}`, '', `| ${head.join(' | ')} |`, '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    targets.forEach((t, i) => out.push(`| [${md(t.name)}](#${targetAnchor(i)}) | ${md(tr.ui(`verdict.${t.verdict}`))} | ${n(t.summary.pass)} | ${n(t.summary.fail)} | ${n(t.summary.warn)} | ${n(t.summary.error)} | ${n(t.summary.skip)} |`));
    out.push('');
    targets.forEach((t, i) => {
      out.push(`<a id="${targetAnchor(i)}"></a>`, '', `## ${md(t.name)} — ${md(tr.ui(`verdict.${t.verdict}`))}`, '');
      for (const line of targetSection(t, '###', tr)) out.push(line);
    });
  } else {
    for (const line of targetSection(targets[0], '##', tr)) out.push(line);
  }
  out.push('---', md(tr.ui('report.legend')), '');
  return out.join('\n');
}
