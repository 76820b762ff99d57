import assert from 'node:assert/strict';
import { test } from 'vitest';
import { annotations, argsFromInputs, jobSummary, stepOutputs } from '../../src/action/github.ts';
import type { Result } from '../../src/model.ts';
import { buildReport } from '../../src/report/report.ts';

const result = (status: Result['status'], message = 'm'): Result => ({ check: 'bucket-acl', subject: 'b', status, severity: 'high', title: 't', message, evidence: {}, remediation: 'do x', references: [], durationMs: 0 });
const report = (results: Result[]) => buildReport({ tool: { name: 't', version: '0' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(0), results, apiCalls: [] });

test('annotations: error for fail, warning for warn and not-evaluated, nothing for pass/skip', () => {
  assert.deepEqual(annotations(report([result('fail', 'public'), result('warn', 'w'), result('error', 'e'), result('pass'), result('skip')])), [
    '::error title=bucket-acl [b]::public Fix: do x',
    '::warning title=bucket-acl [b]::w Fix: do x',
    '::warning title=bucket-acl [b] not evaluated::e Fix: do x',
  ]);
});

test('annotations: workflow-command characters are escaped', () => {
  const r = { ...result('fail', '100% public\nsee: a,b'), subject: 'a:b,c' };
  assert.deepEqual(annotations(report([r])), ['::error title=bucket-acl [a%3Ab%2Cc]::100%25 public%0Asee: a,b Fix: do x']);
});

test('job summary: unchanged under the limit; cut at a line with a note over it', () => {
  assert.equal(jobSummary('# small\n', 'r.md', 100), '# small\n');
  const big = Array.from({ length: 50 }, (_, i) => `line ${i} ${'é'.repeat(20)}`).join('\n');
  const out = jobSummary(big, 'reports/packages-preflight.md', 1000);
  assert.ok(Buffer.byteLength(out) <= 1000, `summary is ${Buffer.byteLength(out)} bytes`);
  assert.match(out, /The report was truncated to fit the 1 KiB job-summary limit\.\*\* The full report is reports\/packages-preflight\.md/);
  assert.ok(!out.includes('\uFFFD'));
  const body = out.split('\n\n---\n')[0];
  assert.ok(big.startsWith(body) && body.split('\n').every((l) => /^line \d+ é{20}$/.test(l)), 'cut at a whole line');
});

test('step outputs: simple and multi-line values', () => {
  assert.equal(stepOutputs({ verdict: 'compliant', 'report-path': 'reports/p.json' }), 'verdict=compliant\nreport-path=reports/p.json\n');
  assert.equal(stepOutputs({ x: 'a\nb' }), 'x<<__PREFLIGHT_EOF__\na\nb\n__PREFLIGHT_EOF__\n');
});

test('inputs become CLI arguments; defaults for format and output dir', () => {
  assert.deepEqual(argsFromInputs({ INPUT_BUCKET: 'pkg', 'INPUT_SERVICE-URL': 'https://s3.us-east-1.amazonaws.com', 'INPUT_SOURCE-IP': '203.0.113.0/24, 198.51.100.7', INPUT_PROBE: 'false' }), [
    'check', '--bucket', 'pkg', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--format', 'json,junit,markdown', '--output-dir', 'reports', '--source-ip', '203.0.113.0/24', '--source-ip', '198.51.100.7',
  ]);
});
