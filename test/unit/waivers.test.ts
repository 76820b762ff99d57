import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/config/options.ts';
import { readWaivers, type Waiver } from '../../src/config/waivers.ts';
import type { Result } from '../../src/model.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { buildReport } from '../../src/report/report.ts';
import { applyWaivers } from '../../src/report/waivers.ts';

const result = (check: string, subject: string, status: Result['status']): Result => ({ check, subject, status, severity: 'high', title: check, message: `${check} says so`, evidence: {}, remediation: 'fix', references: [], durationMs: 1 });
const report = (results: Result[]) => buildReport({ tool: { name: 't', version: '0' }, pack: 'ghes-s3', target: { bucket: 'b' }, startedAt: new Date(0), finishedAt: new Date(0), results, apiCalls: [] });
const known = new Set(['bucket-acl', 'secure-transport', 'credentials']);
const w = (x: Partial<Waiver>): Waiver => ({ check: 'bucket-acl', reason: 'public website bucket, accepted by security', expires: '2027-01-31', approvedBy: 'sec-team', ...x });

test('waivers: a waived fail is skipped, keeps its real status, and no longer fails the run', () => {
  const out = applyWaivers(report([result('bucket-acl', 'b', 'fail'), result('credentials', 'arn', 'pass')]), [w({})], known, '2026-11-24');
  assert.equal(out.exitCode, 0);
  assert.equal(out.verdict, 'compliant');
  const waived = out.results[0];
  assert.equal(waived.status, 'skip');
  assert.match(waived.message, /^Waived until 2027-01-31 \(public website bucket, accepted by security; approved by sec-team\): bucket-acl says so$/);
  assert.deepEqual(waived.evidence.waived, { originalStatus: 'fail', reason: 'public website bucket, accepted by security', expires: '2027-01-31', approvedBy: 'sec-team' });
  assert.match(renderJunit(out), /<testcase classname="bucket-acl" name="b"[^>]*>\s*<skipped message="Waived until 2027-01-31 \(public website bucket, accepted by security; approved by sec-team\): bucket-acl says so">Waived until/);
});

test('waivers: subject narrows the waiver; errors are never waived', () => {
  const out = applyWaivers(report([result('bucket-acl', 'b', 'fail'), result('bucket-acl', 'c', 'fail'), result('secure-transport', 'b', 'error')]), [w({ subject: 'c' }), w({ check: 'secure-transport' })], known, '2026-11-24');
  assert.deepEqual(out.results.map((r) => `${r.check}:${r.subject}:${r.status}`), ['bucket-acl:b:fail', 'bucket-acl:c:skip', 'secure-transport:b:error', 'waivers:secure-transport:warn']);
  assert.equal(out.exitCode, 1);
});

test('waivers: expired and unknown-check waivers stop applying and warn', () => {
  const out = applyWaivers(report([result('bucket-acl', 'b', 'fail')]), [w({ expires: '2026-11-23' }), w({ check: 'buckt-acl' })], known, '2026-11-24');
  assert.deepEqual(out.results.map((r) => `${r.check}:${r.status}`), ['bucket-acl:fail', 'waivers:warn', 'waivers:warn']);
  assert.match(out.results[1].message, /expired on 2026-11-23; the finding counts again/);
  assert.match(out.results[2].message, /unknown check "buckt-acl"/);
  assert.equal(out.exitCode, 1);
});

test('waivers file: reason and expiry are required; dates are validated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waivers-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  assert.deepEqual(readWaivers(file('ok.yml', 'waivers:\n  - check: bucket-acl\n    reason: accepted by security\n    expires: 2027-01-31\n')), [{ check: 'bucket-acl', reason: 'accepted by security', expires: '2027-01-31' }]);
  for (const [name, text, error] of [
    ['no-reason.yml', 'waivers:\n  - check: bucket-acl\n    expires: 2027-01-31\n', /"waivers\.0\.reason" is required/],
    ['no-expiry.yml', 'waivers:\n  - check: bucket-acl\n    reason: accepted by security\n', /"waivers\.0\.expires" is required/],
    ['bad-date.yml', 'waivers:\n  - check: bucket-acl\n    reason: accepted by security\n    expires: next year\n', /must be a date YYYY-MM-DD/],
    ['unknown-key.yml', 'waivers:\n  - check: bucket-acl\n    reason: accepted by security\n    expires: 2027-01-31\n    owner: me\n', /--waivers/],
  ] as const) {
    assert.throws(() => readWaivers(file(name, text)), (e: unknown) => e instanceof UsageError && error.test(e.message), name);
  }
});
