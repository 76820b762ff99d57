// The one verdict rule (verdictOf) and the flag that lets a skip say "what the run was asked to
// prove is still unproven": neutral skips leave the verdict alone, flagged ones make it incomplete,
// in the run, in every rendering and when a saved report is read back.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { createReporter } from '../../src/engine/check.ts';
import { UsageError } from '../../src/config/usage-error.ts';
import { type Result, type Status, verdictOf } from '../../src/model.ts';
import { renderConsole } from '../../src/report/console.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { parseReport } from '../../src/report/merge.ts';
import { buildReport } from '../../src/report/report.ts';

const result = (status: Status, extra: Partial<Result> = {}): Result => ({
  check: `c-${status}`,
  subject: 's',
  status,
  severity: 'high',
  title: 't',
  message: `${status} message`,
  evidence: {},
  remediation: 'r',
  references: [],
  durationMs: 0,
  ...extra,
});
const unproven = (): Result => result('skip', { check: 'iam-simulation', message: 'Not evaluated: the account root user is not governed by IAM policies.', incomplete: true });

describe('verdictOf', () => {
  const rows: Array<[string, Result[], boolean, string, number]> = [
    ['passes and neutral skips', [result('pass'), result('skip'), result('warn')], false, 'compliant', 0],
    ['a skip that leaves the run unproven', [result('pass'), unproven()], false, 'incomplete', 2],
    ['a definite fail beats an unproven skip', [result('fail'), unproven()], false, 'non-compliant', 1],
    ['an error', [result('pass'), result('error')], false, 'incomplete', 2],
    ['interrupted', [result('pass')], true, 'incomplete', 2],
    ['a flag on anything but a skip means nothing', [result('pass', { incomplete: true })], false, 'compliant', 0],
  ];
  for (const [name, results, interrupted, verdict, exitCode] of rows) {
    test(name, () => assert.deepEqual(verdictOf(results, interrupted), { verdict, exitCode }));
  }
});

describe('the flag travels from the check to every rendering', () => {
  const meta = { id: 'iam-simulation', title: 't', severity: 'high' as const, rationale: 'r', remediation: 'fix', references: [], messages: { unsupported: 'Not evaluated: {{reason}}.', neutral: 'Nothing to check.' } };

  test('ctx.report.skip(..., { incomplete: true }) sets it; a neutral skip and other statuses never carry it', () => {
    const out: Array<Omit<Result, 'durationMs'>> = [];
    const report = createReporter(meta, 'bucket', (r) => out.push(r));
    report.skip('unsupported', { reason: 'root' }, { incomplete: true });
    report.skip('neutral');
    report.pass('neutral', {}, { incomplete: true });
    assert.deepEqual(out.map((r) => [r.status, r.incomplete]), [['skip', true], ['skip', undefined], ['pass', undefined]]);
    assert.equal('incomplete' in out[1], false, 'absent, not false: the JSON report of a neutral skip is unchanged');
  });

  test('the Markdown lists it under "Needs attention"; --quiet console still shows it', () => {
    const report = buildReport({ tool: { name: 'packages-preflight', version: 't' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(0), results: [result('pass'), result('skip'), unproven()], apiCalls: [] });
    assert.equal(report.verdict, 'incomplete');
    const md = renderMarkdown(report);
    assert.ok(md.indexOf('Not evaluated: the account root user') < md.indexOf('<details>'), md);
    assert.doesNotMatch(md, /Nothing needs attention/);
    const quiet = renderConsole(report, { color: false, quiet: true });
    assert.match(quiet, /SKIP +iam-simulation/);
    assert.doesNotMatch(quiet, /c-skip/);
  });

  test('report --from: a saved report whose verdict ignores an unproven skip is refused as edited', () => {
    const report = buildReport({ tool: { name: 'packages-preflight', version: 't' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(0), results: [result('pass'), unproven()], apiCalls: [] });
    assert.equal(parseReport(JSON.parse(JSON.stringify(report)), 'r.json').verdict, 'incomplete');
    const edited = { ...report, verdict: 'compliant', exitCode: 0 };
    assert.throws(() => parseReport(JSON.parse(JSON.stringify(edited)), 'r.json'), (e: unknown) => e instanceof UsageError && /does not follow from its results/.test(e.message));
    const mangled = { ...report, results: report.results.map((r) => (r.incomplete ? { ...r, incomplete: 'yes' } : r)) };
    assert.throws(() => parseReport(JSON.parse(JSON.stringify(mangled)), 'r.json'), UsageError);
  });
});
