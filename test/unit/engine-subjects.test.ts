// Stable result identities in the engine (issue 22 item 7): a check that declares its subjects
// reports each of them on every run, whatever stops it; a result without a subject stands for all
// the subjects not reported yet; an undeclared subject is a bug; and every (check, subject) pair is
// one result, several findings combined.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import { onePerSubject, runChecks } from '../../src/engine/engine.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import type { Result } from '../../src/model.ts';

type Ctx = { actions: string[] };
const ctx: Ctx = { actions: ['read', 'write', 'delete'] };

function declared(run: CheckDefinition<Ctx>['run']): CheckDefinition<Ctx> {
  return defineCheck<Ctx>({
    id: 'perms',
    title: 'permissions',
    severity: 'critical',
    rationale: 'test',
    remediation: 'fix it',
    references: [],
    messages: { ok: '{{a}} allowed', no: '{{a}} denied', na: 'not applicable', note: 'note on {{a}}' },
    subjects: ({ actions }) => actions,
    run,
  });
}

const shape = (results: Result[]) => results.map((r) => `${r.status} ${r.subject}`);
const denied = new FactError({ fact: 'policies', api: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', requestId: 'R-1', message: 'denied' });

describe('engine: declared subjects', () => {
  test('an unreadable fact before any result: one error per declared subject, with the fact error evidence', async () => {
    const results = await runChecks([declared(async () => { throw denied; })], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['error read', 'error write', 'error delete']);
    assert.ok(results.every((r) => r.evidence.code === 'AccessDenied' && r.evidence.requestId === 'R-1'));
  });

  test('a fact failing midway: the subjects already proven stay, the rest are errors, in declared order', async () => {
    const results = await runChecks([declared(async ({ report }) => { report.pass('ok', { a: 'write' }, { subject: 'write' }); throw denied; })], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['error read', 'pass write', 'error delete']);
  });

  test('a result without a subject stands for every subject not reported yet', async () => {
    const results = await runChecks([declared(({ report }) => { report.fail('no', { a: 'read' }, { subject: 'read' }); report.skip('na'); })], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['fail read', 'skip write', 'skip delete']);
  });

  test('a subject left unreported is an error, never silently missing', async () => {
    const results = await runChecks([declared(({ report }) => report.pass('ok', { a: 'read' }, { subject: 'read' }))], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['pass read', 'error write', 'error delete']);
    assert.match(results[1].message, /without a result for this subject/);
  });

  test('an undeclared subject is a bug in the check: error for the remaining subjects', async () => {
    const results = await runChecks([declared(({ report }) => { report.pass('ok', { a: 'read' }, { subject: 'read' }); report.pass('ok', { a: 'x' }, { subject: 'rule/x' }); })], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['pass read', 'error write', 'error delete']);
    assert.match(results[1].message, /does not declare/);
  });

  test('timeout and interruption keep the subjects too', async () => {
    const slow = declared(async () => { await sleep(200); });
    assert.deepEqual(shape(await runChecks([slow], ctx, { defaultSubject: 'bucket', timeoutMs: 20 })), ['error read', 'error write', 'error delete']);
    const aborted = new AbortController();
    aborted.abort();
    assert.deepEqual(shape(await runChecks([slow], ctx, { defaultSubject: 'bucket', signal: aborted.signal })), ['error read', 'error write', 'error delete']);
  });

  test('an error after every subject was reported still shows (on the first subject, combined)', async () => {
    const results = await runChecks([declared(({ report }) => { for (const a of ctx.actions) report.pass('ok', { a }, { subject: a }); throw denied; })], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['error read', 'pass write', 'pass delete']);
  });
});

describe('engine: one result per (check, subject)', () => {
  test('several findings for one subject combine: worst status leads, every message kept, findings listed', async () => {
    const twice = declared(({ report }) => {
      report.pass('ok', { a: 'rule A' }, { subject: 'read', severity: 'info' });
      report.fail('no', { a: 'rule B' }, { subject: 'read', evidence: { rule: 'B' } });
      report.warn('note', { a: 'rule C' }, { subject: 'read' });
      report.skip('na');
    });
    const results = await runChecks([twice], ctx, { defaultSubject: 'bucket' });
    assert.deepEqual(shape(results), ['fail read', 'skip write', 'skip delete']);
    const read = results[0];
    assert.equal(read.message, 'rule A allowed rule B denied note on rule C');
    assert.equal(read.severity, 'critical');
    assert.equal(read.evidence.rule, 'B');
    assert.deepEqual((read.evidence.findings as Array<{ status: string }>).map((f) => f.status), ['pass', 'fail', 'warn']);
  });

  test('checks without declared subjects are combined the same way (JUnit names unique per target)', () => {
    const base = { check: 'c', severity: 'low' as const, title: 't', remediation: '', references: [], evidence: {} };
    const merged = onePerSubject([{ ...base, subject: 's', status: 'warn', message: 'one' }, { ...base, subject: 't', status: 'pass', message: 'two' }, { ...base, subject: 's', status: 'error', message: 'three' }]);
    assert.deepEqual(merged.map((r) => `${r.status} ${r.subject} ${r.message}`), ['error s one three', 'pass t two']);
  });
});
