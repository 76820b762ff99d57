// Applies waivers to a report. A waived fail/warn becomes `skip` (so it no longer fails the run),
// keeps its real status and the waiver in its evidence, and says "Waived" in every rendering
// (JUnit shows it as skipped with the reason). Errors cannot be waived: "could not evaluate" is
// not a finding anyone can accept. Expired, unknown-check and unused waivers produce `warn`.

import type { Waiver } from '../config/waivers.ts';
import type { TextRef } from '../i18n/text.ts';
import { type UiId, uiText } from '../i18n/ui.ts';
import { type Result, summarize, verdictOf } from '../model.ts';
import { type Report, type TargetReport, targetsOf } from './report.ts';

const WAIVABLE = new Set(['fail', 'warn']);

function waiverResult(subject: string, id: UiId, data: Record<string, unknown>, waiver: Waiver): Result {
  return {
    check: 'waivers',
    subject,
    status: 'warn',
    severity: 'low',
    title: uiText('waivers.title', {}, 'en'),
    message: uiText(id, data, 'en'),
    evidence: { waiver },
    remediation: uiText('waivers.fix', {}, 'en'),
    references: ['packages-preflight README: Waivers'],
    durationMs: 0,
    messageRefs: [{ ui: id, data }],
    remediationRefs: [{ ui: 'waivers.fix' }],
  };
}

function applyToTarget(t: TargetReport, waivers: Waiver[], knownChecks: ReadonlySet<string>, today: string): TargetReport {
  const used = new Set<Waiver>();
  const results = t.results.map((r) => {
    if (!WAIVABLE.has(r.status)) return r;
    const w = waivers.find((x) => knownChecks.has(x.check) && x.expires >= today && x.check === r.check && (x.subject === undefined || x.subject === r.subject));
    if (!w) return r;
    used.add(w);
    const id: UiId = w.approvedBy ? 'waivers.appliedApproved' : 'waivers.applied';
    const data = { expires: w.expires, reason: w.reason, ...(w.approvedBy ? { approvedBy: w.approvedBy } : {}) };
    const waived: TextRef = { ui: id, data };
    return {
      ...r,
      status: 'skip' as const,
      message: `${uiText(id, data, 'en')} ${r.message}`,
      ...(r.messageRefs ? { messageRefs: [waived, ...r.messageRefs] } : {}),
      evidence: { ...r.evidence, waived: { originalStatus: r.status, reason: w.reason, expires: w.expires, approvedBy: w.approvedBy ?? null } },
    };
  });
  for (const w of waivers) {
    const subject = `${w.check}${w.subject ? ` ${w.subject}` : ''}`;
    if (!knownChecks.has(w.check)) results.push(waiverResult(subject, 'waivers.unknownCheck', { check: w.check }, w));
    else if (w.expires < today) results.push(waiverResult(subject, 'waivers.expired', { subject, expires: w.expires }, w));
    else if (!used.has(w) && !t.results.some((r) => r.check === w.check && (w.subject === undefined || r.subject === w.subject) && WAIVABLE.has(r.status)))
      results.push(waiverResult(subject, 'waivers.unused', { subject }, w));
  }
  const summary = summarize(results);
  return { ...t, results, summary, ...verdictOf(results, t.interrupted) };
}

export function applyWaivers(report: Report, waivers: Waiver[], knownChecks: ReadonlySet<string>, today = new Date().toISOString().slice(0, 10)): Report {
  if (!waivers.length) return report;
  const targets = targetsOf(report).map((t) => applyToTarget(t, waivers, knownChecks, today));
  if (!report.targets) {
    const t = targets[0];
    return { ...report, results: t.results, summary: t.summary, verdict: t.verdict, exitCode: t.exitCode };
  }
  const results = targets.flatMap((t) => t.results);
  const worst = targets.reduce((w, t) => (t.exitCode === 1 || (t.exitCode === 2 && w.exitCode === 0) ? t : w), targets[0]);
  return { ...report, targets, results, summary: summarize(results), verdict: worst.verdict, exitCode: worst.exitCode };
}
