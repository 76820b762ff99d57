// The engine's trust rules, without AWS: whatever a check does (throw, hang, say nothing, lose a
// fact, get interrupted), the result is `error` for that check only, never `pass`, and the other
// checks go on; at most `concurrency` checks run at once.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { type CheckDefinition, defineCheck } from '../../src/engine/check.ts';
import { runChecks } from '../../src/engine/engine.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import type { Result } from '../../src/model.ts';

type Ctx = { value: number };
type Run = CheckDefinition<Ctx>['run'];

function check(id: string, run: Run): CheckDefinition<Ctx> {
  return defineCheck<Ctx>({
    id,
    title: `check ${id}`,
    severity: 'high',
    rationale: 'test',
    remediation: `fix ${id}`,
    references: ['ref'],
    messages: { ok: '{{id}} is fine', bad: '{{id}} is bad' },
    run,
  });
}

const passing = (id: string) => check(id, ({ report }) => report.pass('ok', { id }));
const ctx: Ctx = { value: 1 };
const byCheck = (results: Result[]) => Object.fromEntries(results.map((r) => [r.check, r]));

describe('engine', () => {
  test('a check that throws is error for that check only, with the exception named; the others pass', async () => {
    const results = await runChecks([passing('a'), check('boom', () => { throw new TypeError('facts.nope is not a function'); }), passing('c')], ctx, { defaultSubject: 'bucket-1' });
    assert.deepEqual(results.map((r) => `${r.check}:${r.status}`), ['a:pass', 'boom:error', 'c:pass']);
    const boom = byCheck(results).boom;
    assert.match(boom.message, /The check itself failed \(TypeError: facts\.nope is not a function\)/);
    assert.equal(boom.evidence.exception, 'TypeError');
    assert.equal(boom.subject, 'bucket-1');
    assert.equal(boom.title, 'check boom', 'the error keeps the check metadata');
    assert.match(boom.remediation, /report the output as a bug/, "an error's remediation is how to get an answer, never the check's fix");
  });

  test('an async rejection and a non-Error throw are errors too', async () => {
    const results = await runChecks(
      [check('rejects', async () => { await sleep(1); throw new Error('later'); }), check('string', () => { throw 'not an Error'; }), check('undef', () => { throw undefined; })],
      ctx,
      { defaultSubject: 'b' },
    );
    assert.deepEqual(results.map((r) => r.status), ['error', 'error', 'error']);
    assert.match(results[1].message, /not an Error/);
  });

  test('a FactError is error with the AWS error code, request id and resource as evidence', async () => {
    const fact = new FactError({ fact: 'bucketPolicy', api: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::b', code: 'AccessDenied', httpStatus: 403, requestId: 'REQ-123', message: 'Access Denied' });
    const results = await runChecks([check('needs-policy', async () => { throw fact; })], ctx, { defaultSubject: 'b' });
    assert.equal(results.length, 1);
    const [r] = results;
    assert.equal(r.status, 'error');
    assert.match(r.message, /Could not read s3:GetBucketPolicy on arn:aws:s3:::b: access denied/);
    assert.equal(r.evidence.code, 'AccessDenied');
    assert.equal(r.evidence.requestId, 'REQ-123');
    assert.equal(r.evidence.api, 's3:GetBucketPolicy');
    assert.equal(r.evidence.httpStatus, 403);
  });

  test('a check that reports nothing is error ("not evaluated"), never a silent pass', async () => {
    const results = await runChecks([check('silent', async () => undefined)], ctx, { defaultSubject: 'b' });
    assert.deepEqual(results.map((r) => r.status), ['error']);
    assert.match(results[0].message, /without a result/);
  });

  test('a check that never finishes is error after the per-check timeout; the others are not held up', async () => {
    const started = performance.now();
    const results = await runChecks([check('hangs', () => new Promise<void>(() => undefined)), passing('quick')], ctx, { defaultSubject: 'b', timeoutMs: 100 });
    const elapsed = performance.now() - started;
    assert.deepEqual(results.map((r) => `${r.check}:${r.status}`), ['hangs:error', 'quick:pass']);
    assert.match(results[0].message, /did not finish within/);
    assert.equal(results[0].evidence.timeoutMs, 100);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });

  test('results a timed-out check emits after its deadline are dropped', async () => {
    const results = await runChecks(
      [check('late', async ({ report }) => { await sleep(150); report.pass('ok', { id: 'late' }); })],
      ctx,
      { defaultSubject: 'b', timeoutMs: 50 },
    );
    await sleep(200);
    assert.deepEqual(results.map((r) => r.status), ['error']);
  });

  test('an unknown message id is a bug in the check: error, not a crash', async () => {
    const results = await runChecks([check('typo', ({ report }) => report.pass('no-such-message'))], ctx, { defaultSubject: 'b' });
    assert.equal(results[0].status, 'error');
    assert.match(results[0].message, /unknown message id "no-such-message"/);
  });

  test('interrupted: running checks and checks not yet started are error "interrupted"; finished ones keep their result', async () => {
    const controller = new AbortController();
    const runs: string[] = [];
    const slow = (id: string) => check(id, async ({ report }) => { runs.push(id); await sleep(5_000, undefined, { ref: false }); report.pass('ok', { id }); });
    const done = runChecks([passing('first'), slow('slow-1'), slow('slow-2'), slow('never-started')], ctx, { defaultSubject: 'b', concurrency: 2, signal: controller.signal });
    await sleep(50);
    controller.abort(new Error('SIGINT'));
    const started = performance.now();
    const results = await done;
    assert.ok(performance.now() - started < 1000, 'the engine returns at once, it does not wait for running checks');
    assert.deepEqual(results.map((r) => `${r.check}:${r.status}`), ['first:pass', 'slow-1:error', 'slow-2:error', 'never-started:error']);
    for (const r of results.slice(1)) {
      assert.equal(r.evidence.interrupted, true);
      assert.match(r.message, /interrupted/);
    }
    assert.deepEqual(runs, ['slow-1', 'slow-2'], 'no check starts after the signal');
  });

  test('after an interrupt the engine leaves no timer behind: checks still hanging do not keep the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const controller = new AbortController();
    const hang = (id: string) => check(id, () => new Promise<void>(() => undefined));
    const done = runChecks([hang('h1'), hang('h2')], ctx, { defaultSubject: 'b', signal: controller.signal });
    await sleep(10);
    assert.equal(timers(), before + 2, 'one per-check timer per running check');
    controller.abort();
    const results = await done;
    assert.deepEqual(results.map((r) => r.status), ['error', 'error']);
    assert.equal(timers(), before, 'the per-check timers were cleared with the interrupt');
  });

  test('an already-aborted signal runs no check at all', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = 0;
    const results = await runChecks([check('x', ({ report }) => { ran++; report.pass('ok', { id: 'x' }); })], ctx, { defaultSubject: 'b', signal: controller.signal });
    assert.equal(ran, 0);
    assert.deepEqual(results.map((r) => r.status), ['error']);
  });

  test('concurrency is bounded: never more than N checks run at once, and all of them run', async () => {
    for (const concurrency of [1, 3]) {
      let running = 0;
      let peak = 0;
      const checks = Array.from({ length: 10 }, (_, i) =>
        check(`c${i}`, async ({ report }) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(10 + (i % 3) * 5);
          running--;
          report.pass('ok', { id: `c${i}` });
        }),
      );
      const results = await runChecks(checks, ctx, { defaultSubject: 'b', concurrency });
      assert.equal(peak, concurrency, `concurrency ${concurrency}: peak ${peak}`);
      assert.deepEqual(results.map((r) => r.check), checks.map((c) => c.id), 'results keep registry order');
      assert.ok(results.every((r) => r.status === 'pass'));
    }
  });

  test('a check that passes some subjects and then throws keeps those and adds an error: the check is never all-pass', async () => {
    const results = await runChecks(
      [check('partial', ({ report }) => { report.pass('ok', { id: 'one' }, { subject: 'one' }); throw new Error('broke on two'); })],
      ctx,
      { defaultSubject: 'b' },
    );
    assert.deepEqual(results.map((r) => `${r.status} [${r.subject}]`), ['pass [one]', 'error [b]']);
  });

  test('durations are measured per check', async () => {
    let t = 0;
    const results = await runChecks([check('timed', ({ report }) => { t += 42; report.pass('ok', { id: 'timed' }); })], ctx, { defaultSubject: 'b', now: () => t });
    assert.equal(results[0].durationMs, 42);
  });
});
