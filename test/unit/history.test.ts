// `report history` over nights made from a real run's JSON (test/fixtures/reports/fleet-run.json):
// a finding appears, is fixed, comes back (a new span); a waived finding stays open; a target absent
// one night fixes nothing; waivers about to expire come from the report's own records; every
// rendering keeps hostile strings as text (CSV: RFC 4180 quoting, no formula).

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { lint } from 'markdownlint/sync';
import type { Result } from '../../src/model.ts';
import { summarize, verdictOf } from '../../src/model.ts';
import { buildHistory, renderHistoryCsv, renderHistoryHtml, renderHistoryMarkdown } from '../../src/report/history.ts';
import { combineTargets, type Report, type TargetReport } from '../../src/report/report.ts';
import { assertOnlyOwnMarkup, FLEET_RUN } from '../harness/html.ts';

const DEMO = FLEET_RUN.targets![0];
const ACL = DEMO.results.findIndex((r) => r.check === 'service-url' && r.status === 'fail');

function withResults(t: TargetReport, results: Result[], name = t.name): TargetReport {
  const summary = summarize(results);
  return { ...t, name, results, summary, ...verdictOf(results) };
}

function night(day: number, targets: TargetReport[]): Report {
  const at = new Date(Date.UTC(2027, 0, day, 2));
  return combineTargets({ tool: FLEET_RUN.tool, pack: FLEET_RUN.pack, startedAt: at, finishedAt: at }, targets);
}

const set = (t: TargetReport, index: number, change: Partial<Result>): TargetReport => withResults(t, t.results.map((r, i) => (i === index ? { ...r, ...change } : r)));

describe('buildHistory', () => {
  test('appeared, fixed, back again: two spans; waived stays open; an absent target fixes nothing', () => {
    const other = withResults(DEMO, DEMO.results, 'other');
    const fixedOne = set(DEMO, ACL, { status: 'pass', message: 'fixed' });
    const waived = set(DEMO, ACL, { status: 'skip', evidence: { ...DEMO.results[ACL].evidence, waived: { originalStatus: 'fail', reason: 'accepted for the migration', expires: '2027-01-20', approvedBy: 'sec' } } });
    const nights = [night(1, [DEMO, other]), night(2, [fixedOne]), night(3, [DEMO, other]), night(4, [waived, other])];
    // Given out of order: history sorts by time.
    const h = buildHistory([3, 0, 2, 1].map((i) => ({ label: `n${i}`, report: nights[i] })), 30);
    assert.deepEqual(h.runs.map((r) => r.label), ['n0', 'n1', 'n2', 'n3']);
    const spans = h.findings.filter((f) => f.check === 'service-url');
    assert.deepEqual(
      spans.map((f) => [f.target, f.appeared.slice(0, 10), f.fixed?.slice(0, 10) ?? 'open', f.waivedUntil ?? '']),
      [
        ['demo', '2027-01-01', '2027-01-02', ''],
        ['other', '2027-01-01', 'open', ''],
        ['demo', '2027-01-03', 'open', '2027-01-20'],
      ],
    );
    assert.equal(h.runs[1].targets.get('demo')!.checks.get('service-url')!.fail, 0);
    // The waiver expires 16 days after the last night: listed within 30 days, not within 10.
    assert.deepEqual(h.waivers.map((w) => [w.target, w.check, w.expires, w.daysLeft, w.approvedBy]), [['demo', 'service-url', '2027-01-20', 16, 'sec']]);
    assert.deepEqual(buildHistory(nights.map((report, i) => ({ label: `n${i}`, report })), 10).waivers, []);
  });

  test('an expired waiver recorded by the waivers check is listed as expired', () => {
    const expired: Result = { check: 'waivers', subject: 'bucket-acl', status: 'warn', severity: 'low', title: 't', message: 'expired', evidence: { waiver: { check: 'bucket-acl', reason: 'old acceptance', expires: '2026-12-30' } }, remediation: 'renew', references: [], durationMs: 0 };
    const h = buildHistory([{ label: 'n', report: night(2, [withResults(DEMO, [...DEMO.results, expired])]) }]);
    assert.deepEqual(h.waivers.map((w) => [w.check, w.daysLeft]), [['bucket-acl', -3]]);
  });
});

describe('history renderings', () => {
  const HOSTILE = `=HYPERLINK("http://evil.example")<img src=x onerror=alert(1)>|# x\n::error::y`;
  const hostile = withResults(DEMO, DEMO.results.map((r) => ({ ...r, subject: HOSTILE })), HOSTILE);
  const h = buildHistory([
    { label: 'a', report: night(1, [hostile, DEMO]) },
    { label: 'b', report: night(2, [set(DEMO, ACL, { status: 'pass' })]) },
  ]);

  test('HTML: one self-contained page, chart with a bar per run, only its own markup', () => {
    const page = renderHistoryHtml(h);
    assertOnlyOwnMarkup(page);
    assert.match(page, /<svg class="chart" role="img"/);
    assert.ok(page.includes('Results per status per run, all targets'));
    assert.ok(page.includes('2027-01-02 02:00 UTC'), 'the fix date');
  });

  test('Markdown: passes markdownlint, the hostile name is escaped text', () => {
    const markdown = renderHistoryMarkdown(h);
    const problems = lint({ strings: { history: markdown } }).history;
    assert.deepEqual(problems.filter((p) => !['MD013'].includes(p.ruleNames[0])).map((p) => `${p.lineNumber} ${p.ruleNames[0]}`), []);
    // Code spans show their content literally (md() puts URL-like text in one).
    const outsideCode = markdown.replace(/`[^`\n]*`/g, '');
    assert.ok(!/^#+ x/m.test(markdown) && !outsideCode.includes('<img') && !/^\s*::/m.test(markdown), 'no heading, HTML or workflow command from a name');
  });

  test('CSV: RFC 4180 quoting, formula cells neutralised, one row per run, target and check', () => {
    const csv = renderHistoryCsv(h);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'run,target,check,fail,error,warn,skip,pass');
    assert.ok(csv.endsWith('\r\n'));
    const row = lines.find((l) => l.includes('HYPERLINK'))!;
    assert.ok(row.includes(`"'=HYPERLINK(""http://evil.example"")<img src=x onerror=alert(1)>|# x\n::error::y"`), row);
    const checks = new Set(DEMO.results.map((r) => r.check)).size;
    assert.equal(lines.filter((l) => l.startsWith('2027-01-01')).length, checks * 2, 'night 1 checked two targets');
  });
});
