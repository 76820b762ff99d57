// Faults never become a pass. The fault proxy (test/harness/fault-proxy.ts) sits between the real
// AWS SDK and ONE moto server seeded once with three standard scenarios (a correct setup, the demo's
// mistakes, a public bucket policy), and injects what AWS and networks do: 500, 503 SlowDown, 400
// Throttling, 403 AccessDenied, connection resets, answers slower than the request timeout,
// truncated XML; and what proxies and hostile endpoints do: a 200 that is not the document asked
// for (an HTML page, an empty body, another API's document), the real answer without its
// x-amz-bucket-region header, the real answer trickled byte by byte, and the request echoed back.
//
// - answers that are not the document asked for: for every read the tool makes, in every scenario,
//   each such 200 makes the reading check `error`, never a pass, and the verdict is never compliant
//   where the fault-free run's was not (a compliant run becomes incomplete);
//
// - targeted: each fault kind, transient (retried away) and persistent (an `error` with the AWS
//   error code and request id; the checks that do not need the fact still complete), Retry-After,
//   bounded attempts, malformed data (policies that are not JSON, unexpected shapes, truncated XML);
// - the property: for >= 200 seeded fault schedules, every result keeps its fault-free status or is
//   `error`/`skip`, nothing crashes, and the exit code is the fault-free one or 2. The runs are
//   in-process (runGhesS3Target with its own AwsSession: 2 attempts, 300 ms request timeout, 5 ms
//   fixed retry delay), four at a time, each through its own proxy in front of the same moto;
// - a handful of seeds end to end through the CLI (default adaptive retry, --max-attempts 2).
//
// A failing seed is printed with its schedule; FAULT_SEEDS=17,42 re-runs just those.

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { DeleteBucketLifecycleCommand, DeleteBucketPolicyCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { S3Facts } from '../../src/aws/s3-facts.ts';
import { AwsSession } from '../../src/aws/session.ts';
import { isFactError } from '../../src/engine/fact-error.ts';
import { type Format, FORMATS } from '../../src/config/options.ts';
import { renderConsole } from '../../src/report/console.ts';
import { buildReport, type TargetReport } from '../../src/report/report.ts';
import { renderFormat } from '../../src/report/write.ts';
import { runGhesS3Target } from '../../src/run/ghes-s3.ts';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check } from '../../checks/ghes-s3/context.ts';
import { FAULT_KINDS, type FaultKind, type FaultProxy, type FaultRule, faultSchedule, MALFORMED_BODIES, malformedBody, mulberry32, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { DEMO_SCENARIO, ghesUserPolicy, type Scenario, type Seeded, seedGhesScenario } from '../harness/scenarios.ts';
import { runCli } from './cli.ts';
import { assertReadOnly, writeOperations } from './read-only.ts';

const SCENARIOS: Record<string, Scenario> = {
  good: {
    bucket: 'flt-good',
    region: 'us-west-2',
    serviceUrl: 'https://s3.us-west-2.amazonaws.com',
    actionsBucket: 'flt-good-actions',
    userName: 'flt-good-user',
    userPolicies: { storage: ghesUserPolicy('flt-good') },
    blockPublicAccess: true,
    bucketOwnerEnforced: true,
    problems: [],
  },
  demo: { ...DEMO_SCENARIO, bucket: 'flt-demo', actionsBucket: 'flt-demo-actions', userName: 'flt-demo-user', userPolicies: { storage: ghesUserPolicy('flt-demo-other') } },
  public: {
    bucket: 'flt-public',
    region: 'eu-west-1',
    serviceUrl: 'https://s3.eu-west-1.amazonaws.com',
    actionsBucket: 'flt-public-actions',
    userName: 'flt-public-user',
    managedPolicies: { 'flt-public-storage': ghesUserPolicy('flt-public') },
    bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::flt-public/*' }] },
    problems: ['the bucket policy grants s3:GetObject to everyone'],
  },
};
const NAMES = Object.keys(SCENARIOS);

const PROPERTY_SEEDS = process.env.FAULT_SEEDS ? process.env.FAULT_SEEDS.split(',').map(Number) : Array.from({ length: 240 }, (_, i) => i + 1);
const CLI_SEEDS = [3, 8, 12, 20, 26, 31];
const WORKERS = 4;
/** Faster than anything moto does unloaded, slower than the long `delay` faults below. */
const REQUEST_TIMEOUT_MS = 300;
/** Total deadline per attempt in the property runs: a `trickle` (a byte every 20-60 ms, never idle for 300 ms) ends here. */
const PROPERTY_DEADLINE_MS = 1_500;
const LONG_DELAY_MS = 700;
/** Targeted tests that need no timeout use a generous one: a loaded machine must not add errors. */
const CALM = { requestTimeoutMs: 5_000 };
/** Targeted tests of the request timeout: a delay well past it. */
const TIMEOUT_TEST = { requestTimeoutMs: 500, delayMs: 1_500 };
/** HTTP-level AWS errors the proxy answers with: their request id must reach the evidence. */
const HTTP_FAULT_CODES = new Set(['AccessDenied', 'InternalError', 'SlowDown', 'Throttling', 'ServiceFailure', 'InternalFailure', 'ServiceUnavailable']);
const HTTP_FAULTS = new Set<FaultKind>(['http500', 'slowDown503', 'throttling400', 'accessDenied403']);

const key = (r: { check: string; subject: string }) => `${r.check} [${r.subject}]`;

/**
 * The property for one faulted run against its fault-free run. Returns what is wrong (empty = holds):
 * a result whose status is neither the fault-free one nor error/skip; a fault-free result that
 * vanished without an error/skip for its check; an exit code other than the fault-free one or 2.
 */
export function judge(base: TargetReport, run: TargetReport): string[] {
  const problems: string[] = [];
  const baseByKey = new Map<string, string[]>();
  for (const b of base.results) baseByKey.set(key(b), [...(baseByKey.get(key(b)) ?? []), b.status]);
  for (const r of run.results) {
    if (r.status === 'error' || r.status === 'skip') continue;
    const was = baseByKey.get(key(r)) ?? [];
    if (!was.includes(r.status)) problems.push(`${r.status.toUpperCase()} ${key(r)} where the fault-free run had ${was.join('/') || 'no such result'}: ${r.message.slice(0, 240)}`);
  }
  const unsure = new Set(run.results.filter((r) => r.status === 'error' || r.status === 'skip').map((r) => r.check));
  for (const b of base.results) {
    if (unsure.has(b.check)) continue;
    if (!run.results.some((r) => key(r) === key(b) && r.status === b.status)) problems.push(`${key(b)} (${b.status} fault-free) is missing, and its check reported no error`);
  }
  if (run.exitCode !== 2 && run.exitCode !== base.exitCode) problems.push(`exit code ${run.exitCode}, fault-free ${base.exitCode}`);
  if (run.verdict === 'compliant' && base.verdict !== 'compliant') problems.push(`verdict compliant where the fault-free run was ${base.verdict}`);
  return problems;
}

/** `<subject> <value>` for each subject `check` reported in `base` (a check reports all its subjects whatever happens). */
const everySubject = (base: TargetReport, check: string, value: string): string[] => base.results.filter((r) => r.check === check).map((r) => `${r.subject} ${value}`);

/** What an echoed request carries and no output may: its SigV4 signature, or the secret that made it. */
function reflectedSecrets(run: TargetReport, secret: string): string[] {
  const text = JSON.stringify(run);
  return [...(/Signature=[0-9a-f]{16}/.test(text) ? ['a request signature'] : []), ...(text.includes(secret) ? ['the secret access key'] : [])];
}

/** Error results that name an HTTP AWS error must carry its request id. */
function missingRequestIds(run: TargetReport): string[] {
  return run.results
    .filter((r) => r.status === 'error' && HTTP_FAULT_CODES.has(String(r.evidence.code)) && !/^FAULT-REQ-\d+$/.test(String(r.evidence.requestId)))
    .map((r) => `${key(r)}: error ${String(r.evidence.code)} without the request id (evidence ${JSON.stringify(r.evidence).slice(0, 200)})`);
}

/** The seeded schedule, with half of the `delay` faults made longer than the request timeout. */
function scheduleFor(seed: number, operations: string[]): FaultRule[] {
  const rnd = mulberry32(seed ^ 0x5eed5);
  return faultSchedule(seed, operations).map((r) => (r.fault === 'delay' && rnd() < 0.5 ? { ...r, delayMs: LONG_DELAY_MS } : r));
}

function renderAll(t: TargetReport): void {
  const report = buildReport({ tool: { name: 'packages-preflight', version: 'test' }, pack: 'ghes-s3', target: t.target, startedAt: new Date(), finishedAt: new Date(), results: t.results, apiCalls: t.apiCalls, interrupted: t.interrupted });
  for (const f of FORMATS) assert.ok(renderFormat(report, f as Format).length > 0);
  renderConsole(report, { color: false });
}

describe('faults: retries, errors with evidence, and never a false pass', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  const seeded: Record<string, Seeded> = {};
  const baselines: Record<string, TargetReport> = {};
  const operations: Record<string, string[]> = {};

  const session = (s: Seeded, endpoint: string, extra: Partial<ConstructorParameters<typeof AwsSession>[0]> = {}) =>
    new AwsSession({ endpointUrl: endpoint, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, maxAttempts: 2, requestTimeoutMs: REQUEST_TIMEOUT_MS, retryDelayMs: 5, ...extra });
  const targetOf = (s: Seeded) => ({ bucket: s.bucket, serviceUrl: s.serviceUrl, actionsBucket: s.actionsBucket });
  const runScenario = (name: string, endpoint: string, extra: Partial<ConstructorParameters<typeof AwsSession>[0]> = {}, checks?: readonly GhesS3Check[]) =>
    runGhesS3Target(targetOf(seeded[name]), { session: session(seeded[name], endpoint, extra), ...(checks ? { checks } : {}) });

  beforeAll(async () => {
    moto = await startMoto();
    for (const name of NAMES) seeded[name] = await seedGhesScenario(moto.endpoint, SCENARIOS[name]);
    proxy = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 0 });
    for (const name of NAMES) {
      // The first run warms moto up (it loads each service lazily); the baseline gets a generous
      // request timeout so machine load cannot put a timeout into the fault-free answer.
      await runScenario(name, proxy.endpoint, { requestTimeoutMs: 10_000 });
      baselines[name] = await runScenario(name, proxy.endpoint, { requestTimeoutMs: 10_000 });
      // GetBucketLocation is asked only when HeadBucket's answer lacks the region (dropHeader).
      operations[name] = [...new Set([...baselines[name].apiCalls.map((c) => c.operation), 'GetBucketLocation'])];
    }
    proxy.requests.splice(0);
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('the fault-free runs are clean and tell the scenarios apart', () => {
    for (const name of NAMES) {
      const b = baselines[name];
      const transport = b.results.filter((r) => /^E[A-Z]+$|TimeoutError|Interrupted|MalformedResponse/.test(String(r.evidence.code ?? '')));
      assert.deepEqual(transport.map(key), [], `${name}: the fault-free run must not contain network errors`);
      assert.ok(operations[name].length >= 10, `${name}: ${operations[name].join(', ')}`);
      assertReadOnly(b, { context: name });
    }
    assert.equal(baselines.demo.exitCode, 1, 'the demo setup fails');
    assert.equal(baselines.public.exitCode, 1, 'a public bucket policy fails');
    assert.ok(baselines.public.results.some((r) => r.check === 'bucket-policy' && r.status === 'fail'));
    assert.ok(!baselines.good.results.some((r) => r.status === 'fail'), baselines.good.results.filter((r) => r.status === 'fail').map((r) => `${key(r)} ${r.message}`).join('\n'));
  });

  describe('persistent faults: error with the AWS code and request id for the checks that need the fact; the others complete', () => {
    const persistent: Array<{ fault: FaultKind; operation: string; code: string | RegExp; attempts: number; delayMs?: number; requestId: boolean }> = [
      { fault: 'accessDenied403', operation: 'GetBucketPolicy', code: 'AccessDenied', attempts: 1, requestId: true },
      { fault: 'http500', operation: 'GetBucketPolicy', code: 'InternalError', attempts: 3, requestId: true },
      { fault: 'slowDown503', operation: 'GetBucketPolicy', code: 'SlowDown', attempts: 3, requestId: true },
      { fault: 'throttling400', operation: 'GetBucketPolicy', code: 'Throttling', attempts: 3, requestId: true },
      { fault: 'reset', operation: 'GetBucketPolicy', code: 'ECONNRESET', attempts: 3, requestId: false },
      { fault: 'delay', operation: 'GetBucketPolicy', code: 'TimeoutError', attempts: 3, delayMs: TIMEOUT_TEST.delayMs, requestId: false },
      { fault: 'truncated', operation: 'GetBucketAcl', code: 'MalformedResponse', attempts: 1, requestId: false },
    ];
    for (const row of persistent) {
      test(`${row.fault} on every ${row.operation}: ${row.attempts} attempt(s), then error ${String(row.code)}`, async () => {
        proxy.setRules([{ operation: row.operation, fault: row.fault, ...(row.delayMs ? { delayMs: row.delayMs } : {}) }]);
        proxy.requests.splice(0);
        const timed = row.fault === 'delay';
        const run = await runScenario('public', proxy.endpoint, { maxAttempts: 3, requestTimeoutMs: timed ? TIMEOUT_TEST.requestTimeoutMs : CALM.requestTimeoutMs });
        proxy.setRules([]);
        const wire = proxy.requests.filter((r) => r.operation === row.operation);
        assert.equal(wire.length, row.attempts, `requests for ${row.operation} on the wire: ${wire.length}`);
        const check = row.operation === 'GetBucketAcl' ? 'bucket-acl' : 'bucket-policy';
        const errors = run.results.filter((r) => r.check === check);
        assert.ok(errors.length > 0 && errors.every((r) => r.status === 'error'), `${check}: ${errors.map((r) => `${r.status} ${r.message}`).join('\n')}`);
        const evidence = errors[0].evidence;
        assert.equal(evidence.code, row.code, JSON.stringify(evidence));
        if (row.requestId) assert.match(String(evidence.requestId), /^FAULT-REQ-\d+$/, JSON.stringify(evidence));
        assert.match(String(evidence.api ?? ''), row.operation === 'GetBucketAcl' ? /GetBucketAcl/ : /GetBucketPolicy/);
        // The checks that never read this fact give their fault-free answer (with a 500 ms request
        // timeout a loaded machine may turn one into an error: judge() below still holds then).
        for (const other of timed ? [] : ['credentials', 'bucket-reachable', 'service-url', 'dedicated-bucket', 'bucket-versioning', 'replication']) {
          const base = baselines.public.results.filter((r) => r.check === other).map((r) => `${r.status} [${r.subject}]`);
          const now = run.results.filter((r) => r.check === other).map((r) => `${r.status} [${r.subject}]`);
          if (base.length) assert.deepEqual(now, base, `${other} is unaffected by a fault on ${row.operation}`);
        }
        assert.deepEqual(judge(baselines.public, run), []);
        assert.equal(run.exitCode === 1 || run.exitCode === 2, true);
        assertReadOnly(run);
      });
    }

    test('a persistent fault on sts:GetCallerIdentity is an error with the request id, never a pass of the credentials check', async () => {
      proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'accessDenied403' }]);
      const run = await runScenario('good', proxy.endpoint, CALM);
      proxy.setRules([]);
      const credentials = run.results.filter((r) => r.check === 'credentials');
      assert.deepEqual(credentials.map((r) => r.status), ['error']);
      assert.equal(credentials[0].evidence.code, 'AccessDenied');
      assert.match(String(credentials[0].evidence.requestId), /^FAULT-REQ-/);
      assert.equal(run.exitCode, 2);
      assert.deepEqual(judge(baselines.good, run), []);
    });
  });

  describe('transient faults are retried away', () => {
    for (const fault of ['http500', 'slowDown503', 'throttling400', 'reset', 'delay'] as const) {
      test(`${fault} once: the run is exactly the fault-free run, and the proxy saw the retry`, async () => {
        const timed = fault === 'delay';
        proxy.setRules([{ operation: 'GetBucketPolicy', fault, times: 1, ...(timed ? { delayMs: TIMEOUT_TEST.delayMs } : {}) }]);
        proxy.requests.splice(0);
        const run = await runScenario('demo', proxy.endpoint, timed ? { requestTimeoutMs: TIMEOUT_TEST.requestTimeoutMs, maxAttempts: 3 } : CALM);
        proxy.setRules([]);
        assert.deepEqual(proxy.requests.filter((r) => r.operation === 'GetBucketPolicy').map((r) => r.fault ?? 'ok'), [fault, 'ok']);
        const statuses = (t: TargetReport, check?: string) => t.results.filter((r) => !check || r.check === check).map((r) => `${r.status} ${key(r)}`);
        if (timed) {
          // The policy was read on the second attempt; elsewhere a loaded machine may exceed 500 ms.
          assert.deepEqual(statuses(run, 'bucket-policy'), statuses(baselines.demo, 'bucket-policy'));
          assert.deepEqual(judge(baselines.demo, run), []);
        } else {
          assert.deepEqual(statuses(run), statuses(baselines.demo));
          assert.equal(run.exitCode, baselines.demo.exitCode);
        }
      });
    }

    test('the default (adaptive) retry honours Retry-After and stays within --max-attempts', async () => {
      const slow = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 1, rules: [{ operation: 'GetBucketPolicy', fault: 'slowDown503', times: 1 }] });
      try {
        const s = seeded.public;
        // No retryDelayMs: the SDK's own adaptive strategy, as the CLI uses it.
        const adaptive = new AwsSession({ endpointUrl: slow.endpoint, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }, maxAttempts: 3 });
        const started = performance.now();
        const policy = await new S3Facts(adaptive, { bucket: s.bucket }).bucketPolicy();
        const elapsed = performance.now() - started;
        assert.equal(policy.present, true, 'the retry succeeded');
        assert.ok(elapsed >= 950, `the retry waited for Retry-After: 1 (${Math.round(elapsed)} ms)`);
        assert.deepEqual(slow.requests.map((r) => r.fault ?? 'ok'), ['slowDown503', 'ok']);

        slow.setRules([{ operation: 'GetBucketAcl', fault: 'http500' }]);
        slow.requests.splice(0);
        const error = await new S3Facts(adaptive, { bucket: s.bucket }).bucketAcl().then(() => undefined, (e: unknown) => e);
        assert.ok(isFactError(error), String(error));
        assert.equal(error.info.code, 'InternalError');
        assert.equal(slow.requests.length, 3, 'exactly maxAttempts attempts');
        assert.match(String(error.info.requestId), /^FAULT-REQ-/);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('malformed data from AWS: the check is error, the run goes on', () => {
    const POLICIES: Array<[string, string]> = [
      ['not JSON', 'this is not json {"Statement":'],
      ['Statement is a string', '{"Version":"2012-10-17","Statement":"Allow everything"}'],
      ['Action is a number', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":42,"Resource":"arn:aws:s3:::flt-good/*"}]}'],
      ['Effect missing', '{"Version":"2012-10-17","Statement":[{"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::flt-good/*"}]}'],
    ];
    for (const [label, policy] of POLICIES) {
      test(`a bucket policy that is ${label}: the policy readers are error, no crash, the others complete`, async () => {
        const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: SCENARIOS.good.region });
        try {
          await s3.send(new PutBucketPolicyCommand({ Bucket: 'flt-good', Policy: policy }));
          const run = await runScenario('good', proxy.endpoint, CALM);
          const policyChecks = run.results.filter((r) => r.check === 'bucket-policy');
          // One error per aspect (public, cross-account): the subjects stay whatever fails.
          assert.deepEqual(policyChecks.map((r) => r.status), ['error', 'error'], policyChecks.map((r) => r.message).join('\n'));
          assert.match(policyChecks[0].message, /could not be parsed|MalformedPolicy|not valid/i);
          for (const check of ['iam-simulation', 'least-privilege', 'secure-transport', 'required-request-headers']) {
            const results = run.results.filter((r) => r.check === check);
            assert.ok(!results.some((r) => r.status === 'pass' || r.status === 'fail'), `${check} must not judge an unreadable policy: ${results.map((r) => `${r.status} ${r.message}`).join('\n')}`);
          }
          for (const check of ['credentials', 'bucket-reachable', 'dedicated-bucket', 'bucket-versioning']) {
            assert.deepEqual(run.results.filter((r) => r.check === check).map((r) => r.status), baselines.good.results.filter((r) => r.check === check).map((r) => r.status), check);
          }
          renderAll(run);
        } finally {
          // Back to the seeded state: the good scenario has no bucket policy.
          await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'flt-good' }));
          s3.destroy();
        }
      });
    }

    test('truncated XML from IAM and truncated JSON policy text are errors, never read as "nothing there"', async () => {
      for (const [operation, checks] of [
        ['GetAccountAuthorizationDetails', ['iam-simulation', 'least-privilege']],
        ['GetBucketPolicy', ['bucket-policy']],
        ['GetPublicAccessBlock', ['public-access-block']],
      ] as const) {
        proxy.setRules([{ operation, fault: 'truncated' }]);
        const run = await runScenario('public', proxy.endpoint, CALM);
        proxy.setRules([]);
        for (const check of checks) {
          const results = run.results.filter((r) => r.check === check);
          assert.ok(results.length > 0 && results.every((r) => r.status === 'error' || r.status === 'fail' || r.status === 'skip'), `${operation} truncated: ${check}: ${results.map((r) => `${r.status} ${r.message}`).join('\n')}`);
          assert.ok(results.some((r) => r.status === 'error'), `${operation} truncated: ${check} has an error`);
        }
        assert.deepEqual(judge(baselines.public, run), [], operation);
      }
    });
  });

  describe('answers that are not the document asked for: error, never a pass, never a compliant verdict', () => {
    /** Reads whose malformed answer has a documented, equally strict way around it (the run may equal the fault-free one). */
    const RECOVERED: Record<string, string> = {
      HeadBucket: 'a HEAD answer has no body: the region, missing from it, comes from GetBucketLocation, which confirms the bucket',
      SimulatePrincipalPolicy: 'the auto engine falls back to the local evaluator, as when the simulator is unavailable',
    };
    /**
     * Reads whose only reader is a read-only check that, when it cannot list, skips with the reason
     * (probe-leftovers without --probe: the run was not asked to prove the prefix empty; DESIGN.md
     * "What a killed probe left"). The answer must still be refused on the wire, and the check must
     * name the refusal, never read the answer as "nothing there".
     */
    const SKIPPED_WHEN_UNREADABLE: Record<string, string> = { ListMultipartUploads: 'probe-leftovers', ListObjectVersions: 'probe-leftovers' };
    const BODIES = [...MALFORMED_BODIES, 'echo'] as const;

    test('every read of every scenario, answered 200 with an HTML page, an empty body, another document or the echoed request', async () => {
      const cases = NAMES.flatMap((name) => operations[name].flatMap((operation) => BODIES.map((body) => ({ name, operation, body }))));
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        const p = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 0 });
        try {
          while (next < cases.length) {
            const { name, operation, body } = cases[next++];
            const rule: FaultRule = body === 'echo' ? { operation, fault: 'echo' } : { operation, fault: 'answer200', ...malformedBody(body, operation) };
            // GetBucketLocation is only asked when HeadBucket's answer lacks the region.
            const rules: FaultRule[] = operation === 'GetBucketLocation' ? [{ operation: 'HeadBucket', fault: 'dropHeader' }, rule] : [rule];
            p.setRules(rules);
            const run = await runScenario(name, p.endpoint, CALM);
            const label = `${name}: ${operation} answered 200 with ${body}`;
            const problems = [...judge(baselines[name], run), ...reflectedSecrets(run, seeded[name].secretAccessKey).map((what) => `${what} reached the report`)];
            const malformedOnWire = () => {
              const malformed = run.apiCalls.filter((c) => c.operation === operation && c.outcome === 'MalformedResponse');
              if (!malformed.length) problems.push(`no ${operation} call was refused as MalformedResponse: ${run.apiCalls.filter((c) => c.operation === operation).map((c) => c.outcome).join(', ')}`);
            };
            if (RECOVERED[operation]) {
              if (run.exitCode !== baselines[name].exitCode) problems.push(`exit ${run.exitCode}, fault-free ${baselines[name].exitCode} (${RECOVERED[operation]})`);
            } else if (SKIPPED_WHEN_UNREADABLE[operation]) {
              malformedOnWire();
              const reader = run.results.filter((r) => r.check === SKIPPED_WHEN_UNREADABLE[operation]);
              if (!reader.length || !reader.every((r) => JSON.stringify(r.evidence).includes('MalformedResponse'))) problems.push(`${SKIPPED_WHEN_UNREADABLE[operation]} does not name the refused listing: ${reader.map((r) => `${r.status} ${r.message}`).join('; ')}`);
              if (run.exitCode !== baselines[name].exitCode) problems.push(`exit ${run.exitCode}, fault-free ${baselines[name].exitCode}`);
            } else {
              malformedOnWire();
              if (!run.results.some((r) => r.status === 'error' && JSON.stringify(r.evidence).includes('MalformedResponse'))) problems.push('no check is an error naming MalformedResponse');
              if (baselines[name].exitCode === 0 && run.exitCode !== 2) problems.push(`exit ${run.exitCode}: a compliant setup read through a malformed answer must be incomplete`);
            }
            try {
              renderAll(run);
            } catch (e) {
              problems.push(`rendering: ${(e as Error).message}`);
            }
            if (problems.length) failures.push(`${label}:\n    ${problems.join('\n    ')}`);
          }
        } finally {
          await p.stop();
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      assert.ok(cases.length >= 150, `${cases.length} cases`);
      assert.deepEqual(failures, []);
    });

    test('the examples: a public-read ACL answered by an HTML page, an expiring lifecycle rule answered by an empty body', async () => {
      const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: SCENARIOS.good.region });
      try {
        await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'flt-good', LifecycleConfiguration: { Rules: [{ ID: 'expire-everything', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 30 } }] } }));
        const base = await runScenario('good', proxy.endpoint, CALM);
        assert.deepEqual(base.results.filter((r) => r.check === 'lifecycle-rules' && r.status === 'fail').length > 0, true, 'the expiring rule fails fault-free');
        proxy.setRules([{ operation: 'GetBucketLifecycleConfiguration', fault: 'answer200', body: '', contentType: 'application/xml' }]);
        const lifecycle = await runScenario('good', proxy.endpoint, CALM);
        assert.ok(lifecycle.results.filter((r) => r.check === 'lifecycle-rules').every((r) => r.status === 'error' || r.status === 'skip'), lifecycle.results.filter((r) => r.check === 'lifecycle-rules').map((r) => `${r.status} ${r.message}`).join('\n'));
        assert.notEqual(lifecycle.exitCode, 0);
      } finally {
        await s3.send(new DeleteBucketLifecycleCommand({ Bucket: 'flt-good' }));
        s3.destroy();
      }
      // The demo scenario's bucket has a public-read ACL (bucket-acl fails fault-free).
      assert.ok(baselines.demo.results.some((r) => r.check === 'bucket-acl' && r.status === 'fail'));
      proxy.setRules([{ operation: 'GetBucketAcl', fault: 'answer200', ...malformedBody('html', 'GetBucketAcl') }]);
      const acl = await runScenario('demo', proxy.endpoint, CALM);
      proxy.setRules([]);
      const aclResults = acl.results.filter((r) => r.check === 'bucket-acl');
      assert.deepEqual(aclResults.map((r) => `${r.subject} ${r.status}`), everySubject(baselines.demo, 'bucket-acl', 'error'), aclResults.map((r) => r.message).join('\n'));
      assert.equal(aclResults[0].evidence.code, 'MalformedResponse');
      assert.match(aclResults[0].message, /GetBucketAcl.*<AccessControlPolicy>.*<html>/);
      assert.deepEqual(judge(baselines.demo, acl), []);
    });

    test('GetCallerIdentity answered by something else than STS: credentials error, permissions unproven, never compliant', async () => {
      const stsDoc = (arn: string, account: string) =>
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>FAKE-STS</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
      for (const [label, body] of [
        ['an empty ARN and account', stsDoc('', '')],
        ['an ARN of another account than the one named', stsDoc('arn:aws:iam::210987654321:user/x', '123456789012')],
        ['a JSON page', '{"status":"ok"}'],
      ] as const) {
        proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'answer200', body, contentType: 'text/xml' }]);
        const run = await runScenario('good', proxy.endpoint, CALM);
        proxy.setRules([]);
        assert.deepEqual(run.results.filter((r) => r.check === 'credentials').map((r) => r.status), ['error'], label);
        assert.equal(run.results.find((r) => r.check === 'credentials')?.evidence.code, 'MalformedResponse', label);
        for (const check of ['iam-simulation', 'least-privilege']) {
          assert.ok(run.results.filter((r) => r.check === check).every((r) => r.status === 'error'), `${label}: ${check}: ${run.results.filter((r) => r.check === check).map((r) => `${r.status} ${r.message}`).join('\n')}`);
        }
        assert.equal(run.exitCode, 2, label);
        assert.deepEqual(judge(baselines.good, run), [], label);
      }
    });

    test('a skip that leaves the permissions unproven (the caller is the root user) makes the run incomplete, not compliant', async () => {
      const root = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>FAKE-STS</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
      proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'answer200', body: root, contentType: 'text/xml' }]);
      const run = await runScenario('good', proxy.endpoint, CALM);
      proxy.setRules([]);
      const simulation = run.results.filter((r) => r.check === 'iam-simulation');
      assert.deepEqual(simulation.map((r) => `${r.subject} ${r.status} ${String(r.evidence.messageId)} ${String(r.incomplete)}`), everySubject(baselines.good, 'iam-simulation', 'skip unsupported true'));
      assert.equal(run.summary.fail + run.summary.error, 0, run.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${key(r)} ${r.message}`).join('\n'));
      assert.equal(run.verdict, 'incomplete');
      assert.equal(run.exitCode, 2);
    });

    test('HeadBucket without x-amz-bucket-region: GetBucketLocation decides, a wrong-region service URL still fails, unknown is an error', async () => {
      const s = seeded.good;
      const wrongRegion = { bucket: s.bucket, serviceUrl: 'https://s3.eu-west-1.amazonaws.com', actionsBucket: s.actionsBucket };
      const run = (rules: FaultRule[]) => {
        proxy.setRules(rules);
        return runGhesS3Target(wrongRegion, { session: session(s, proxy.endpoint, CALM) }).finally(() => proxy.setRules([]));
      };
      const region = (t: TargetReport) => t.results.filter((r) => r.check === 'service-url' && r.subject === 'region');
      const base = await run([]);
      assert.deepEqual(region(base).map((r) => r.status), ['fail']);
      const stripped = await run([{ operation: 'HeadBucket', fault: 'dropHeader', header: 'x-amz-bucket-region' }]);
      assert.deepEqual(region(stripped).map((r) => `${r.status} ${String(r.evidence.regionFrom)}`), ['fail s3:GetBucketLocation']);
      assert.equal(stripped.exitCode, 1);
      assert.equal(stripped.target.region, 'us-west-2');
      for (const location of [{ fault: 'accessDenied403' as const }, { fault: 'answer200' as const, ...malformedBody('html', 'GetBucketLocation') }]) {
        const unknown = await run([{ operation: 'HeadBucket', fault: 'dropHeader' }, { operation: 'GetBucketLocation', ...location }]);
        assert.deepEqual(region(unknown).map((r) => r.status), ['error'], `GetBucketLocation ${location.fault}`);
        assert.deepEqual(unknown.results.filter((r) => r.check === 'bucket-reachable').map((r) => r.status), ['error'], 'HEAD 200 without a region does not prove the bucket');
        assert.notEqual(unknown.exitCode, 0);
      }
      // A bucket that does not exist, "found" by a 200 to HEAD from something that is not S3.
      const missing = { bucket: 'flt-no-such-bucket', serviceUrl: s.serviceUrl, actionsBucket: s.actionsBucket };
      proxy.setRules([{ operation: 'HeadBucket', fault: 'answer200' }]);
      const ghost = await runGhesS3Target(missing, { session: session(s, proxy.endpoint, CALM) }).finally(() => proxy.setRules([]));
      assert.ok(!ghost.results.some((r) => r.check === 'bucket-reachable' && r.status === 'pass'), ghost.results.filter((r) => r.check === 'bucket-reachable').map((r) => r.message).join('\n'));
      assert.notEqual(ghost.exitCode, 0);
    });

    test('--principal-arn is matched by its whole ARN: another account or another path is an error, never the namesake\'s policies', async () => {
      const s = seeded.good;
      const withPrincipal = (principalArn: string) => runGhesS3Target({ ...targetOf(s), principalArn }, { session: session(s, proxy.endpoint, CALM) });
      const own = await withPrincipal(s.userArn);
      assert.equal(own.exitCode, 0, own.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${key(r)} ${r.message}`).join('\n'));
      const name = s.userArn.split('/').pop();
      for (const [label, arn, code, says] of [
        ['another account', `arn:aws:iam::210987654321:user/${name}`, 'PrincipalInOtherAccount', /account 210987654321.*account 123456789012/],
        ['another path', `arn:aws:iam::123456789012:user/elsewhere/${name}`, 'NoSuchEntity', new RegExp(`${s.userArn.replace(/[/.*+?]/g, '\\$&')} has that name`)],
      ] as const) {
        const run = await withPrincipal(arn);
        for (const check of ['iam-simulation', 'least-privilege']) {
          const results = run.results.filter((r) => r.check === check);
          assert.deepEqual(results.map((r) => `${r.subject} ${r.status}`), everySubject(own, check, 'error'), `${label}: ${check}: ${results.map((r) => `${r.status} ${r.message}`).join('\n')}`);
          assert.equal(results[0].evidence.code, code, label);
          assert.match(results[0].message, says, label);
        }
        assert.equal(run.exitCode, 2, label);
      }
    });
  });

  describe('a server that trickles its answer', () => {
    test('every attempt has a total deadline: a byte every 100 ms (never idle) still ends in TimeoutError', async () => {
      proxy.setRules([{ operation: 'GetBucketPolicy', fault: 'trickle', trickleMs: 100 }]);
      proxy.requests.splice(0);
      const started = performance.now();
      const run = await runScenario('public', proxy.endpoint, { requestTimeoutMs: 5_000, requestDeadlineMs: 1_000, maxAttempts: 2 });
      const elapsed = performance.now() - started;
      proxy.setRules([]);
      const policy = run.results.filter((r) => r.check === 'bucket-policy');
      assert.deepEqual(policy.map((r) => `${r.subject} ${r.status}`), everySubject(baselines.public, 'bucket-policy', 'error'), policy.map((r) => r.message).join('\n'));
      assert.equal(policy[0].evidence.code, 'TimeoutError');
      assert.equal(proxy.requests.filter((r) => r.operation === 'GetBucketPolicy').length, 2, 'the timed-out attempt is retried like any timeout');
      assert.ok(elapsed < 6_000, `the run took ${Math.round(elapsed)} ms; the trickle alone would take tens of seconds`);
      assert.deepEqual(judge(baselines.public, run), []);
    });

    test('end to end: the CLI ends the trickled request at its deadline, writes the report and exits', async () => {
      const p = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'GetBucketVersioning', fault: 'trickle', trickleMs: 1_000 }] });
      try {
        const s = seeded.good;
        const started = performance.now();
        const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--max-attempts', '1'], {
          endpoint: p.endpoint,
          env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
          timeoutMs: 100_000,
        });
        const seconds = (performance.now() - started) / 1000;
        assert.equal(run.code, 2, `exit ${run.code} (${run.signal ?? 'no signal'}) after ${seconds.toFixed(1)} s\n${run.stderr}`);
        assert.ok(seconds < 60, `exited after ${seconds.toFixed(1)} s`);
        const versioning = (run.json?.results ?? []).filter((r) => r.check === 'bucket-versioning');
        assert.deepEqual(versioning.map((r) => `${r.status} ${String(r.evidence.code)}`), ['error TimeoutError']);
      } finally {
        await p.stop();
      }
    });
  });

  test('the judge has teeth: a check that swallows a failed fact into pass is caught', async () => {
    // A deliberately wrong check, as a careless author might write it.
    const naive: GhesS3Check = {
      id: 'naive-policy',
      title: 'naive',
      severity: 'high',
      rationale: '-',
      remediation: '-',
      references: [],
      messages: { ok: 'fine', bad: 'public' },
      async run({ facts, report }) {
        try {
          const policy = await facts.bucketPolicy();
          if (policy.text?.includes('"Principal":"*"')) return report.fail('bad');
        } catch {
          // "could not read it, so probably fine"
        }
        report.pass('ok');
      },
    };
    const checks = [...ghesS3Checks, naive];
    const base = await runScenario('public', proxy.endpoint, { requestTimeoutMs: 10_000 }, checks);
    assert.equal(base.results.find((r) => r.check === 'naive-policy')?.status, 'fail');
    proxy.setRules([{ operation: 'GetBucketPolicy', fault: 'accessDenied403' }]);
    const run = await runScenario('public', proxy.endpoint, CALM, checks);
    proxy.setRules([]);
    const problems = judge(base, run);
    assert.ok(problems.some((p) => p.startsWith('PASS naive-policy')), problems.join('\n'));
  });

  test(`property: ${PROPERTY_SEEDS.length} seeded fault schedules over ${NAMES.length} scenarios never turn into a pass, a crash or another exit code`, async () => {
    const started = performance.now();
    const failures: string[] = [];
    const kindsFired = new Set<FaultKind>();
    let changed = 0;
    let next = 0;
    const worker = async () => {
      const p = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 0 });
      try {
        while (next < PROPERTY_SEEDS.length) {
          const seed = PROPERTY_SEEDS[next++];
          const name = NAMES[seed % NAMES.length];
          const rules = scheduleFor(seed, operations[name]);
          p.setRules(rules);
          p.requests.splice(0);
          const label = `seed ${seed} (scenario ${name}, schedule ${JSON.stringify(rules)})`;
          let run: TargetReport;
          try {
            run = await Promise.race([
              runScenario(name, p.endpoint, { requestDeadlineMs: PROPERTY_DEADLINE_MS }),
              new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no result after 30 s (hung)')), 30_000).unref()),
            ]);
          } catch (e) {
            failures.push(`${label}: crashed: ${(e as Error)?.stack ?? String(e)}`);
            continue;
          }
          for (const r of p.requests) if (r.fault) kindsFired.add(r.fault);
          const problems = [...judge(baselines[name], run), ...missingRequestIds(run), ...reflectedSecrets(run, seeded[name].secretAccessKey).map((what) => `${what} reached the report`)];
          // What reached the wire, not only what the run logged, is read-only.
          const writes = writeOperations(p.requests);
          if (writes.length) problems.push(`non-read requests on the wire: ${writes.join(', ')}`);
          try {
            renderAll(run);
            assertReadOnly(run);
          } catch (e) {
            problems.push(`rendering or read-only: ${(e as Error).message}`);
          }
          if (problems.length) failures.push(`${label}:\n    ${problems.join('\n    ')}`);
          if (run.results.some((r, i) => r.status !== baselines[name].results[i]?.status)) changed++;
        }
      } finally {
        await p.stop();
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`# fault property: ${PROPERTY_SEEDS.length} schedules, ${changed} changed some result, kinds fired: ${[...kindsFired].sort().join(', ')}; ${seconds} s`);
    assert.deepEqual(failures, [], `the property failed for ${failures.length} seed(s); re-run one with FAULT_SEEDS=<seed>:\n${failures.join('\n')}`);
    if (!process.env.FAULT_SEEDS) {
      // The schedules must have exercised something: every kind fired, and many runs changed.
      assert.deepEqual([...kindsFired].sort(), [...FAULT_KINDS].sort());
      assert.ok(changed >= PROPERTY_SEEDS.length / 4, `only ${changed} of ${PROPERTY_SEEDS.length} schedules changed a result`);
    }
  });

  test(`end to end through the CLI: seeds ${CLI_SEEDS.join(', ')} (adaptive retry, --max-attempts 2)`, async () => {
    const p = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 0 });
    const failures: string[] = [];
    try {
      for (const seed of CLI_SEEDS) {
        const name = NAMES[seed % NAMES.length];
        const s = seeded[name];
        // Short delays only: the CLI keeps its 15 s request timeout and 30 s deadline (trickles are tested below).
        const rules = faultSchedule(seed, operations[name]).filter((r) => r.fault !== 'trickle');
        p.setRules(rules);
        const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--max-attempts', '2'], {
          endpoint: p.endpoint,
          env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
        });
        const label = `CLI seed ${seed} (scenario ${name}, schedule ${JSON.stringify(rules)})`;
        const problems: string[] = [];
        if (run.code !== 2 && run.code !== baselines[name].exitCode) problems.push(`exit ${run.code}, fault-free ${baselines[name].exitCode}\n${run.stderr}`);
        if (!run.json || !run.junit || !run.markdown) problems.push(`reports missing: ${Object.keys(run.files).join(', ')}\n${run.stderr}`);
        if (/\n\s+at /.test(run.stderr)) problems.push(`stack trace on stderr:\n${run.stderr}`);
        if (run.json) {
          if (run.json.exitCode !== run.code) problems.push(`report exit code ${run.json.exitCode}, process ${run.code}`);
          problems.push(...judge(baselines[name], { ...run.json, name } as TargetReport), ...missingRequestIds(run.json as unknown as TargetReport));
          try {
            assertReadOnly(run.json, { context: label });
          } catch (e) {
            problems.push((e as Error).message);
          }
        }
        if (problems.length) failures.push(`${label}:\n    ${problems.join('\n    ')}`);
      }
      assert.ok(p.requests.some((r) => r.fault && HTTP_FAULTS.has(r.fault)), 'the CLI seeds injected HTTP errors');
    } finally {
      await p.stop();
    }
    assert.deepEqual(failures, []);
  });
});
