// Issue 22 item 7: the same target yields the same set of (check, subject) pairs on every run,
// whatever fails, so the JUnit cases a CI history tracks never vanish on the runs that matter.
// One scenario with findings in many checks (a public and a cross-account bucket-policy statement,
// a public-read ACL, two lifecycle rules, SSE-KMS, object actions on the bucket ARN) runs fault-free
// through the fault proxy; then every operation the fault-free run made is answered 403
// AccessDenied in turn, one at a time. Every faulted run must report exactly the fault-free pairs,
// and every pair once (JUnit names unique within the target).

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { XMLParser } from 'fast-xml-parser';
import { AwsSession } from '../../src/aws/session.ts';
import type { Result } from '../../src/model.ts';
import { buildReport, type TargetReport } from '../../src/report/report.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { runGhesS3Target } from '../../src/run/ghes-s3.ts';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { DEMO_SCENARIO, type Seeded, seedGhesScenario } from '../harness/scenarios.ts';

const BUCKET = 'stable-subjects';
const PARTNER = '210987654321';

const pairs = (t: TargetReport): string[] => t.results.map((r) => `${r.check} [${r.subject}]`);

/** (classname, name) of every JUnit test case of the target's report. */
function junitNames(t: TargetReport): string[] {
  const report = buildReport({ tool: { name: 'packages-preflight', version: 'test' }, pack: 'ghes-s3', target: t.target, startedAt: new Date(), finishedAt: new Date(), results: t.results, apiCalls: t.apiCalls });
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(renderJunit(report));
  const suites = xml.testsuites?.testsuite ?? xml.testsuite ?? [];
  return suites.flatMap((s: { testcase?: Array<Record<string, string>> }) => (s.testcase ?? []).map((c) => `${c['@classname']} [${c['@name']}]`));
}

describe('stable result identities: the same (check, subject) pairs whatever fails', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let seeded: Seeded;
  let healthy: TargetReport;
  let operations: string[];

  const run = () =>
    runGhesS3Target(
      { bucket: seeded.bucket, serviceUrl: seeded.serviceUrl, actionsBucket: seeded.actionsBucket },
      { session: new AwsSession({ endpointUrl: proxy.endpoint, credentials: { accessKeyId: seeded.accessKeyId, secretAccessKey: seeded.secretAccessKey }, maxAttempts: 1, requestTimeoutMs: 10_000 }) },
    );

  beforeAll(async () => {
    moto = await startMoto();
    seeded = await seedGhesScenario(moto.endpoint, {
      ...DEMO_SCENARIO,
      bucket: BUCKET,
      actionsBucket: `${BUCKET}-actions`,
      userName: 'stable-subjects-user',
      bucketPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
          { Sid: 'PublicList', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
          { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
        ],
      },
    });
    const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: seeded.region });
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: BUCKET,
      LifecycleConfiguration: {
        Rules: [
          { ID: 'expire-all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 30 } },
          { ID: 'archive', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 60, StorageClass: 'GLACIER' }] },
        ],
      },
    }));
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${seeded.region}:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }] },
    }));
    s3.destroy();
    proxy = await startFaultProxy(moto.endpoint, { retryAfterSeconds: 0 });
    await run(); // moto loads each service lazily: warm it up
    healthy = await run();
    operations = [...new Set(healthy.apiCalls.map((c) => c.operation))].sort();
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('the fault-free run exercises the per-subject checks, and each pair is reported once', () => {
    const p = pairs(healthy);
    for (const expected of ['iam-simulation [s3:PutObject]', 'kms-access [kms:Decrypt]', 'service-url [region]', 'bucket-policy [public]', 'bucket-policy [cross-account]', 'bucket-acl [public]', 'lifecycle-rules [rules]', 'object-lock [default-retention]']) {
      assert.ok(p.includes(expected), `${expected} in\n${p.join('\n')}`);
    }
    assert.equal(new Set(p).size, p.length, `duplicate pairs:\n${p.join('\n')}`);
    assert.ok(operations.length >= 12, operations.join(', '));
  });

  const faults: FaultKind[] = ['accessDenied403'];
  for (const fault of faults) {
    test(`${fault} on each operation in turn: identical (check, subject) sets, unique JUnit names`, async () => {
      const expected = [...pairs(healthy)].sort();
      const problems: string[] = [];
      for (const operation of operations) {
        proxy.setRules([{ operation, fault }]);
        const faulted = await run();
        proxy.setRules([]);
        const got = [...pairs(faulted)].sort();
        const missing = expected.filter((x) => !got.includes(x));
        const extra = got.filter((x) => !expected.includes(x));
        if (missing.length || extra.length) problems.push(`${operation}: missing ${missing.join(', ') || 'none'}; extra ${extra.join(', ') || 'none'}`);
        const names = junitNames(faulted);
        if (new Set(names).size !== names.length) problems.push(`${operation}: JUnit names repeat: ${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}`);
        if (names.length !== got.length) problems.push(`${operation}: ${names.length} JUnit cases for ${got.length} results`);
        // A refused simulator is the one fault that is not an error: auto falls back to the local evaluator.
        // The read-only look for earlier probe runs' leftovers is the other: a refused listing is
        // recorded in its evidence and is a skip naming the permission, or (versions refused on a
        // bucket that never kept versions) needs no versions at all.
        const refusedLeftoverListing = (r: Result) => r.check === 'probe-leftovers' && (r.status === 'skip' || JSON.stringify(r.evidence.refused ?? []).includes(operation));
        // The KMS key policy is read where the checker may: a refused read is said in kms-access's evidence.
        const unreadKeyPolicy = (r: Result) => r.check === 'kms-access' && r.evidence.keyPolicyRead === false && String(r.evidence.keyPolicyNotRead).includes('kms:GetKeyPolicy answered');
        if (operation !== 'SimulatePrincipalPolicy' && !faulted.results.some((r) => r.status === 'error' || refusedLeftoverListing(r) || unreadKeyPolicy(r))) problems.push(`${operation}: the fault produced no error result`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
