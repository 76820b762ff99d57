// Markdown rendering for auditors who never ran the tool: the verdict first, a summary, then each
// finding that needs attention (grouped by section) with its evidence and fix, passes collapsed.

import { leavesIncomplete, type Result, type Status } from '../model.ts';
import { SECTIONS, sectionOf } from './groups.ts';
import { md, mdCode, mdFence } from './markdown-text.ts';
import { describeEnvironment, type Report, type TargetReport, targetsOf } from './report.ts';

const LABEL: Record<Status, string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS' };
const ICON: Record<Status, string> = { fail: '❌', error: '⚠️', warn: '🟡', skip: '⏭️', pass: '✅' };
const ORDER: Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];
const VERDICT_TEXT = {
  compliant: 'COMPLIANT: every check passed or only warned',
  'non-compliant': 'NON-COMPLIANT: at least one check failed',
  incomplete: 'INCOMPLETE: at least one check could not be evaluated (nothing failed)',
};

function summaryTable(t: TargetReport): string[] {
  return ['| pass | fail | warn | error | skip |', '| ---: | ---: | ---: | ---: | ---: |', `| ${t.summary.pass} | ${t.summary.fail} | ${t.summary.warn} | ${t.summary.error} | ${t.summary.skip} |`];
}

// Severity stands in the finding's heading, not only in the collapsed evidence. Remediation is
// shown only when the result carries one (passes and skips carry none; see src/engine/check.ts).
function finding(r: Result, level: string): string[] {
  return [
    `${level} ${ICON[r.status]} ${LABEL[r.status]} (severity ${md(r.severity)}) ${mdCode(r.check)} — ${md(r.subject)}`,
    '',
    md(r.message),
    '',
    ...(r.remediation ? [`**Fix:** ${md(r.remediation)}`, ''] : []),
    '<details><summary>Evidence</summary>',
    '',
    ...mdFence('json', JSON.stringify(r.evidence, null, 2)),
    ...(r.references.length ? ['', `References: ${r.references.map(md).join('; ')}`] : []),
    '',
    '</details>',
    '',
  ];
}

/** A CodeArtifact access-matrix decision as shown in the Markdown and HTML reports. */
export const ACCESS_CELL: Record<string, string> = { allow: '✅ allow', deny: '— deny', depends: '❓ depends' };

/** codeartifact: who can read, publish and administer each repository (the JSON report's accessMatrix). */
function accessMatrixSection(m: NonNullable<TargetReport['accessMatrix']>, level: string): string[] {
  const out = [`${level} Effective access`, '', md(m.interaction), '', md(m.identitySide), ''];
  if (m.rows.length === 0) out.push(m.repositories.length === 0 ? 'The domain has no repositories.' : 'No policy names a principal.', '');
  else {
    out.push('| principal | cross-account | repository | read | publish | admin | opened by |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of m.rows) {
      const by = [...new Set([r.read, r.publish, r.admin].filter((c) => c.decision !== 'deny').flatMap((c) => c.statements))];
      out.push(`| ${md(r.principal)} | ${r.crossAccount ? 'yes' : 'no'} | ${md(r.repository)} | ${ACCESS_CELL[r.read.decision]} | ${ACCESS_CELL[r.publish.decision]} | ${ACCESS_CELL[r.admin.decision]} | ${md(by.join('; '))} |`);
    }
    out.push('');
  }
  for (const u of m.unreadable) out.push(`- ${md(`Repository ${u.repository}: not in the matrix, its policy could not be read (${u.code}: ${u.message}).`)}`);
  if (m.unreadable.length) out.push('');
  return out;
}

function targetSection(t: TargetReport, level: string): string[] {
  const out: string[] = [];
  out.push(`${level} Target`, '', '| field | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(t.target)) if (v !== undefined && v !== null) out.push(`| ${md(k)} | ${md(typeof v === 'object' ? JSON.stringify(v) : v)} |`);
  out.push('', ...summaryTable(t), '');
  if (t.accessMatrix) out.push(...accessMatrixSection(t.accessMatrix, level));
  // A skip that leaves the run incomplete needs attention like an error does.
  const attention = t.results.filter((r) => (r.status !== 'pass' && r.status !== 'skip') || leavesIncomplete(r));
  if (attention.length) {
    out.push(`${level} Needs attention`, '');
    const sections = [...SECTIONS.map((s) => s.title), 'Other'];
    for (const section of sections) {
      const inSection = attention.filter((r) => sectionOf(r.check) === section).sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      if (!inSection.length) continue;
      out.push(`${level}# ${md(section)}`, '');
      // Line by line: spreading thousands of lines into one call would exhaust the stack.
      for (const r of inSection) for (const line of finding(r, `${level}##`)) out.push(line);
    }
  } else {
    out.push('Nothing needs attention.', '');
  }
  // At-a-glance section status (e.g. "Exposure: private"), so an auditor need not read every row.
  out.push(`${level} By section`, '', '| section | result |', '| --- | --- |');
  for (const s of [...SECTIONS.map((x) => x.title), 'Other']) {
    const rs = t.results.filter((r) => sectionOf(r.check) === s);
    if (!rs.length) continue;
    const worst = ORDER.find((st) => rs.some((r) => r.status === st)) ?? 'pass';
    out.push(`| ${md(s)} | ${ICON[worst]} ${LABEL[worst]} (${rs.length} result${rs.length === 1 ? '' : 's'}) |`);
  }
  out.push('');
  const rest = t.results.filter((r) => (r.status === 'pass' || r.status === 'skip') && !leavesIncomplete(r));
  if (rest.length) {
    out.push(`<details><summary>Passed and skipped (${rest.length})</summary>`, '', '| status | check | subject | message |', '| --- | --- | --- | --- |');
    for (const r of rest) out.push(`| ${LABEL[r.status]} | ${mdCode(r.check)} | ${md(r.subject)} | ${md(r.message)} |`);
    out.push('', '</details>', '');
  }
  return out;
}

/** The anchor of a fleet target's section, by position (names may hold any character). */
const targetAnchor = (index: number): string => `target-${index + 1}`;

export function renderMarkdown(report: Report): string {
  const targets = targetsOf(report);
  const out: string[] = [
    `# packages-preflight report (${md(report.pack)})`,
    '',
    `**Verdict: ${VERDICT_TEXT[report.verdict]}** (exit code ${report.exitCode})${report.interrupted ? ' — the run was interrupted; this report holds what was gathered.' : ''}`,
    '',
    `Run from ${md(report.startedAt)} to ${md(report.finishedAt)} by ${md(report.tool.name)} ${md(report.tool.version)}; ${report.apiCalls.length} AWS request(s), all listed in the JSON report.`,
    '',
  ];
  // Where the run went, in the header: a report from an emulator must never read as one about AWS.
  if (report.environment) out.push(`**Run against:** ${mdCode(describeEnvironment(report.environment))}`, '');
  if (report.targets) {
    // The summary table is the table of contents: each target name links to its section, through
    // an explicit anchor (a heading's generated id depends on the name's characters and repeats).
    out.push('## Fleet summary', '', '| target | verdict | pass | fail | warn | error | skip |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    targets.forEach((t, i) => out.push(`| [${md(t.name)}](#${targetAnchor(i)}) | ${md(t.verdict)} | ${t.summary.pass} | ${t.summary.fail} | ${t.summary.warn} | ${t.summary.error} | ${t.summary.skip} |`));
    out.push('');
    targets.forEach((t, i) => {
      out.push(`<a id="${targetAnchor(i)}"></a>`, '', `## ${md(t.name)} — ${md(t.verdict)}`, '');
      for (const line of targetSection(t, '###')) out.push(line);
    });
  } else {
    for (const line of targetSection(targets[0], '##')) out.push(line);
  }
  out.push('---', 'Statuses: PASS verified; FAIL must be fixed; WARN should be reviewed; ERROR could not be evaluated (never counted as a pass); SKIP not applicable, with the reason.', '');
  return out.join('\n');
}
