// Markdown rendering for auditors who never ran the tool: the verdict first, a summary, then each
// finding that needs attention (grouped by section) with its evidence and fix, passes collapsed.

import { leavesIncomplete, type Result, type Status } from '../model.ts';
import { SECTIONS, sectionOf } from './groups.ts';
import { type Report, type TargetReport, targetsOf } from './report.ts';

const LABEL: Record<Status, string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS' };
const ICON: Record<Status, string> = { fail: '❌', error: '⚠️', warn: '🟡', skip: '⏭️', pass: '✅' };
const ORDER: Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];
const VERDICT_TEXT = {
  compliant: 'COMPLIANT: every check passed or only warned',
  'non-compliant': 'NON-COMPLIANT: at least one check failed',
  incomplete: 'INCOMPLETE: at least one check could not be evaluated (nothing failed)',
};

const cell = (s: unknown): string => String(s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function summaryTable(t: TargetReport): string[] {
  return ['| pass | fail | warn | error | skip |', '|---:|---:|---:|---:|---:|', `| ${t.summary.pass} | ${t.summary.fail} | ${t.summary.warn} | ${t.summary.error} | ${t.summary.skip} |`];
}

function finding(r: Result): string[] {
  return [
    `#### ${ICON[r.status]} ${LABEL[r.status]} \`${r.check}\` — ${r.subject}`,
    '',
    r.message,
    '',
    `**Fix:** ${r.remediation}`,
    '',
    `<details><summary>Evidence (severity ${r.severity})</summary>`,
    '',
    '```json',
    JSON.stringify(r.evidence, null, 2),
    '```',
    r.references.length ? `\nReferences: ${r.references.join('; ')}` : '',
    '</details>',
    '',
  ];
}

function targetSection(t: TargetReport, level: string): string[] {
  const out: string[] = [];
  out.push(`${level} Target`, '', '| field | value |', '|---|---|');
  for (const [k, v] of Object.entries(t.target)) if (v !== undefined && v !== null) out.push(`| ${cell(k)} | ${cell(typeof v === 'object' ? JSON.stringify(v) : v)} |`);
  out.push('', ...summaryTable(t), '');
  // A skip that leaves the run incomplete needs attention like an error does.
  const attention = t.results.filter((r) => (r.status !== 'pass' && r.status !== 'skip') || leavesIncomplete(r));
  if (attention.length) {
    out.push(`${level} Needs attention`, '');
    const sections = [...SECTIONS.map((s) => s.title), 'Other'];
    for (const section of sections) {
      const inSection = attention.filter((r) => sectionOf(r.check) === section).sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
      if (!inSection.length) continue;
      out.push(`${level}# ${section}`, '');
      for (const r of inSection) out.push(...finding(r));
    }
  } else {
    out.push('Nothing needs attention.', '');
  }
  // At-a-glance section status (e.g. "Exposure: private"), so an auditor need not read every row.
  out.push(`${level} By section`, '', '| section | result |', '|---|---|');
  for (const s of [...SECTIONS.map((x) => x.title), 'Other']) {
    const rs = t.results.filter((r) => sectionOf(r.check) === s);
    if (!rs.length) continue;
    const worst = ORDER.find((st) => rs.some((r) => r.status === st)) ?? 'pass';
    out.push(`| ${s} | ${ICON[worst]} ${LABEL[worst]} (${rs.length} result${rs.length === 1 ? '' : 's'}) |`);
  }
  out.push('');
  const rest = t.results.filter((r) => (r.status === 'pass' || r.status === 'skip') && !leavesIncomplete(r));
  if (rest.length) {
    out.push(`<details><summary>Passed and skipped (${rest.length})</summary>`, '', '| status | check | subject | message |', '|---|---|---|---|');
    for (const r of rest) out.push(`| ${LABEL[r.status]} | \`${r.check}\` | ${cell(r.subject)} | ${cell(r.message)} |`);
    out.push('', '</details>', '');
  }
  return out;
}

export function renderMarkdown(report: Report): string {
  const targets = targetsOf(report);
  const out: string[] = [
    `# packages-preflight report (${report.pack})`,
    '',
    `**Verdict: ${VERDICT_TEXT[report.verdict]}** (exit code ${report.exitCode})${report.interrupted ? ' — the run was interrupted; this report holds what was gathered.' : ''}`,
    '',
    `Run from ${report.startedAt} to ${report.finishedAt} by ${report.tool.name} ${report.tool.version}; ${report.apiCalls.length} AWS request(s), all listed in the JSON report.`,
    '',
  ];
  if (report.targets) {
    out.push('## Fleet summary', '', '| target | verdict | pass | fail | warn | error | skip |', '|---|---|---:|---:|---:|---:|---:|');
    for (const t of targets) out.push(`| ${cell(t.name)} | ${t.verdict} | ${t.summary.pass} | ${t.summary.fail} | ${t.summary.warn} | ${t.summary.error} | ${t.summary.skip} |`);
    out.push('');
    for (const t of targets) out.push(`## ${cell(t.name)} — ${t.verdict}`, '', ...targetSection(t, '###'));
  } else {
    out.push(...targetSection(targets[0], '##'));
  }
  out.push('---', 'Statuses: PASS verified; FAIL must be fixed; WARN should be reviewed; ERROR could not be evaluated (never counted as a pass); SKIP not applicable, with the reason.', '');
  return out.join('\n');
}
