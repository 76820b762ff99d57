// The data-safety checks (lifecycle-rules, object-lock, requester-pays, required-request-headers,
// replication) end to end: the built CLI against bucket settings made in the emulator with the SDK.
// Where the emulator stores a setting but does not answer it back (Requester Pays,
// Intelligent-Tiering: moto 5.2.5 answers those GETs with a ListObjects body), the facts are fed
// recorded S3 responses instead, and the gap itself is pinned by a test so we notice when it closes.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketRequestPaymentCommand,
  type GetBucketRequestPaymentCommandOutput,
  GetBucketIntelligentTieringConfigurationCommand,
  ListBucketIntelligentTieringConfigurationsCommand,
  PutBucketIntelligentTieringConfigurationCommand,
  PutBucketRequestPaymentCommand,
  S3Client,
  S3ServiceException,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import lifecycleRules from '../../checks/s3-storage/lifecycle-rules.ts';
import requesterPays from '../../checks/s3-storage/requester-pays.ts';
import { FactCache } from '../../src/aws/fact-cache.ts';
import { intelligentTieringArchiveTiers } from '../../src/aws/s3-extra-facts.ts';
import { S3Facts } from '../../src/aws/s3-facts.ts';
import type { AwsSession } from '../../src/aws/session.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import { runChecks } from '../../src/engine/engine.ts';
import { ghesTarget } from '../checks/check-table.ts';
import { sdkConfig } from '../harness/moto.ts';
import { useMoto } from '../harness/use-moto.ts';
import { ghesUserPolicy, seedStorageSettings, type StorageSettings } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const BUCKET = 'ghes-packages-data';
const SERVICE_URL = 'https://s3.us-east-1.amazonaws.com';
const rule = (id: string, body: Partial<LifecycleRule>): LifecycleRule => ({ ID: id, Status: 'Enabled', Filter: { Prefix: '' }, ...body });
const ABORT_MISSING = 'warn [abort-incomplete-multipart]';
const IT_NONE = 'pass [intelligent-tiering]';

describe('data safety: the CLI against bucket settings in the emulator', () => {
  const moto = useMoto();

  async function check(settings: Omit<StorageSettings, 'bucket'>, extraArgs: string[] = []) {
    await seedStorageSettings(moto.endpoint, { bucket: BUCKET, ...settings });
    const run = await runCli(['check', '--bucket', BUCKET, '--service-url', SERVICE_URL, ...extraArgs], { endpoint: moto.endpoint });
    assert.ok(run.json, `no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    return run;
  }
  const resultOf = (run: Awaited<ReturnType<typeof check>>, id: string, subject: string) => run.json!.results.find((r) => r.check === id && r.subject === subject);

  test('lifecycle: expiring every object fails, with rule, filter and action as evidence', async () => {
    const run = await check({ lifecycleRules: [rule('expire-all', { Expiration: { Days: 30 } })] });
    assert.deepEqual(statusesOf(run.json, 'lifecycle-rules'), ['fail [rules]', ABORT_MISSING, IT_NONE]);
    const r = resultOf(run, 'lifecycle-rules', 'rules')!;
    assert.equal(r.evidence.messageId, 'expiresAll');
    assert.deepEqual(r.evidence.filter, { Prefix: '' });
    assert.deepEqual(r.evidence.action, { Expiration: { Days: 30 } });
    assert.equal(r.evidence.resource, `arn:aws:s3:::${BUCKET}`);
    assert.equal(run.code, 1);
  });

  test('lifecycle: expiring under a prefix GHES may not use warns (the key layout is undocumented), never passes', async () => {
    const run = await check({ lifecycleRules: [rule('access-logs', { Filter: { Prefix: 'access-logs/' }, Expiration: { Days: 30 } })] });
    assert.deepEqual(statusesOf(run.json, 'lifecycle-rules'), ['warn [rules]', ABORT_MISSING, IT_NONE]);
    assert.equal(resultOf(run, 'lifecycle-rules', 'rules')!.evidence.messageId, 'expiresPrefix');
  });

  test('lifecycle: a transition to GLACIER fails, to GLACIER_IR passes', async () => {
    const run = await check({
      lifecycleRules: [rule('to-glacier', { Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }), rule('to-glacier-ir', { Transitions: [{ Days: 30, StorageClass: 'GLACIER_IR' }] })],
    });
    assert.deepEqual(statusesOf(run.json, 'lifecycle-rules'), ['fail [rules]', ABORT_MISSING, IT_NONE]);
    // Both rules in the one `rules` result (stable subjects): the fail leads, each is named.
    assert.match(resultOf(run, 'lifecycle-rules', 'rules')!.message, /InvalidObjectState.*retrieval fee/);
  });

  test('lifecycle: noncurrent-only and abort-incomplete-multipart rules pass, and the recommendation is met', async () => {
    const run = await check({
      lifecycleRules: [
        rule('noncurrent', { NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Expiration: { ExpiredObjectDeleteMarker: true } }),
        rule('abort-mpu', { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
      ],
    });
    assert.deepEqual(statusesOf(run.json, 'lifecycle-rules'), ['pass [rules]', 'pass [abort-incomplete-multipart]', IT_NONE]);
  });

  test('lifecycle: no configuration passes; a disabled expire-all rule is reported but does not fail', async () => {
    const none = await check({});
    assert.deepEqual(statusesOf(none.json, 'lifecycle-rules'), ['pass [rules]', ABORT_MISSING, IT_NONE]);
    await moto.reset();
    const disabled = await check({ lifecycleRules: [{ ...rule('off', { Expiration: { Days: 1 } }), Status: 'Disabled' }] });
    assert.deepEqual(statusesOf(disabled.json, 'lifecycle-rules'), ['pass [rules]', ABORT_MISSING, IT_NONE]);
    assert.match(resultOf(disabled, 'lifecycle-rules', 'rules')!.message, /fail \(expiresAll\)/);
  });

  test('object lock: off passes, on without default retention warns', async () => {
    const off = await check({});
    assert.deepEqual(statusesOf(off.json, 'object-lock'), ['pass [object-lock]', 'skip [default-retention]']);
    await moto.reset();
    const on = await check({ objectLock: true });
    assert.deepEqual(statusesOf(on.json, 'object-lock'), ['warn [object-lock]', 'skip [default-retention]']);
    assert.match(resultOf(on, 'object-lock', 'object-lock')!.message, /Content-MD5/);
  });

  test('object lock: COMPLIANCE default retention longer than --max-retention-days fails', async () => {
    const run = await check({ objectLock: { mode: 'COMPLIANCE', days: 400 } }, ['--max-retention-days', '365']);
    assert.deepEqual(statusesOf(run.json, 'object-lock'), ['warn [object-lock]', 'fail [default-retention]']);
    const r = resultOf(run, 'object-lock', 'default-retention')!;
    assert.equal(r.evidence.retentionDays, 400);
    assert.equal(r.evidence.maxRetentionDays, 365);
    assert.equal(run.code, 1);
  });

  test('object lock: GOVERNANCE retention within the limit passes; without a limit it is not compared', async () => {
    const within = await check({ objectLock: { mode: 'GOVERNANCE', days: 7 } }, ['--max-retention-days', '30']);
    assert.deepEqual(statusesOf(within.json, 'object-lock'), ['warn [object-lock]', 'pass [default-retention]']);
    await moto.reset();
    const noMax = await check({ objectLock: { mode: 'COMPLIANCE', days: 7 } });
    assert.deepEqual(statusesOf(noMax.json, 'object-lock'), ['warn [object-lock]', 'skip [default-retention]']);
  });

  test('bucket policy: a Deny demanding an ACL header fails, one demanding SSE warns, a TLS-only Deny is fine', async () => {
    const objects = `arn:aws:s3:::${BUCKET}/*`;
    const run = await check({
      bucketPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, objects], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Sid: 'RequireOwnerAcl', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: objects, Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
          { Sid: 'RequireSse', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: objects, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } },
        ],
      },
    });
    assert.deepEqual(statusesOf(run.json, 'required-request-headers'), [`fail [${BUCKET}]`]);
    // One result for the bucket (stable subjects): the ACL demand leads, the SSE demand is among its findings.
    const acl = resultOf(run, 'required-request-headers', BUCKET)!;
    assert.equal((acl.evidence.statement as { Sid: string }).Sid, 'RequireOwnerAcl');
    assert.deepEqual(acl.evidence.headers, ['x-amz-acl']);
    assert.match(acl.message, /default bucket encryption/);
    // The same statements reach the IAM evaluation: PutObject is judged as GHES sends it, without
    // those headers. Run as a real GHES user (the suite's default caller has no IAM policies).
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new CreateUserCommand({ UserName: 'ghes-packages' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'ghes-packages', PolicyName: 'storage', PolicyDocument: JSON.stringify(ghesUserPolicy(BUCKET)) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ghes-packages' }))).AccessKey!;
    iam.destroy();
    const asGhes = await runCli(['check', '--bucket', BUCKET, '--service-url', SERVICE_URL, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: key.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey! } });
    const put = resultOf(asGhes, 'iam-simulation', 's3:PutObject')!;
    assert.equal(put.status, 'fail', put.message);
    assert.deepEqual(put.evidence.headersGhesDoesNotSend, ['s3:x-amz-acl', 's3:x-amz-server-side-encryption']);
    assert.equal(resultOf(asGhes, 'iam-simulation', 's3:GetObject')!.status, 'pass');
  });

  test('bucket policy: none, or one without header demands, passes', async () => {
    const none = await check({});
    assert.deepEqual(statusesOf(none.json, 'required-request-headers'), [`pass [${BUCKET}]`]);
  });

  test('replication: cross-account without owner override warns', async () => {
    const run = await check({
      replication: {
        Role: 'arn:aws:iam::123456789012:role/replication',
        Rules: [{ ID: 'dr', Status: 'Enabled', Priority: 1, Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::dr-copy', Account: '210987654321' } }],
      },
    });
    assert.deepEqual(statusesOf(run.json, 'replication'), [`warn [${BUCKET}]`]);
    assert.equal(resultOf(run, 'replication', BUCKET)!.evidence.sourceAccount, '123456789012');
  });

  test('emulator gap (why the recorded responses below): moto implements neither Requester Pays nor Intelligent-Tiering; the harness front answers the Payer put and never invents configurations', async () => {
    await seedStorageSettings(moto.endpoint, { bucket: BUCKET });
    const s3 = new S3Client(sdkConfig(moto.endpoint));
    try {
      await s3.send(new PutBucketRequestPaymentCommand({ Bucket: BUCKET, RequestPaymentConfiguration: { Payer: 'Requester' } }));
      const payment: GetBucketRequestPaymentCommandOutput = await s3.send(new GetBucketRequestPaymentCommand({ Bucket: BUCKET }));
      // moto answers ?requestPayment with the bucket listing; the front (test/harness/moto-front.ts) remembers the PUT.
      assert.equal(payment.Payer, 'Requester');
      await s3.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket: BUCKET, Id: 'a', IntelligentTieringConfiguration: { Id: 'a', Status: 'Enabled', Tierings: [{ Days: 90, AccessTier: 'ARCHIVE_ACCESS' }] } }));
      const list = await s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: BUCKET }));
      assert.equal(list.IntelligentTieringConfigurationList, undefined, 'moto now lists Intelligent-Tiering configurations: test them against the emulator instead');
      const one = await s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: BUCKET, Id: 'a' }));
      assert.equal(one.IntelligentTieringConfiguration?.Id, undefined);
    } finally {
      s3.destroy();
    }
  });
});

// Recorded responses: an S3Client whose answers are the documented AWS responses, behind the real
// fact code (S3Facts / s3-extra-facts) and the real engine.
function recordedS3() {
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' } });
  const mock = mockClient(client);
  const session = { s3: () => client, apiCalls: [] } as unknown as AwsSession;
  return { client, mock, session };
}
const awsError = (name: string, httpStatusCode: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode, requestId: 'RECORDED-REQ-1' }, message: name });

describe('data safety: recorded responses where the emulator falls short', () => {
  test('requester-pays, recorded response Payer=Requester: fail', async () => {
    const { mock, session } = recordedS3();
    mock.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'Requester' });
    const facts = new S3Facts(session, { bucket: BUCKET });
    const results = await runChecks([requesterPays], { target: ghesTarget({ bucket: BUCKET }), facts }, { defaultSubject: BUCKET });
    assert.deepEqual(results.map((r) => `${r.status} ${r.evidence.messageId}`), ['fail requester']);
    assert.equal(results[0].evidence.payer, 'Requester');
  });

  test('requester-pays, recorded response Payer=BucketOwner: pass', async () => {
    const { mock, session } = recordedS3();
    mock.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'BucketOwner' });
    const results = await runChecks([requesterPays], { target: ghesTarget({ bucket: BUCKET }), facts: new S3Facts(session, { bucket: BUCKET }) }, { defaultSubject: BUCKET });
    assert.deepEqual(results.map((r) => r.status), ['pass']);
  });

  test('requester-pays, recorded response AccessDenied: error with the request id', async () => {
    const { mock, session } = recordedS3();
    mock.on(GetBucketRequestPaymentCommand).rejects(awsError('AccessDenied', 403));
    const results = await runChecks([requesterPays], { target: ghesTarget({ bucket: BUCKET }), facts: new S3Facts(session, { bucket: BUCKET }) }, { defaultSubject: BUCKET });
    assert.deepEqual(results.map((r) => r.status), ['error']);
    assert.equal(results[0].evidence.code, 'AccessDenied');
    assert.equal(results[0].evidence.requestId, 'RECORDED-REQ-1');
  });

  test('intelligentTieringArchiveTiers, recorded response in two pages: every configuration, asked once', async () => {
    const { mock, session } = recordedS3();
    mock
      .on(ListBucketIntelligentTieringConfigurationsCommand, { Bucket: BUCKET, ContinuationToken: undefined })
      .resolves({ IsTruncated: true, NextContinuationToken: 'page-2', IntelligentTieringConfigurationList: [{ Id: 'archive', Status: 'Enabled', Filter: { Prefix: 'blobs/' }, Tierings: [{ Days: 90, AccessTier: 'ARCHIVE_ACCESS' }] }] })
      .on(ListBucketIntelligentTieringConfigurationsCommand, { Bucket: BUCKET, ContinuationToken: 'page-2' })
      .resolves({ IsTruncated: false, IntelligentTieringConfigurationList: [{ Id: 'deep', Status: 'Disabled', Tierings: [{ Days: 180, AccessTier: 'DEEP_ARCHIVE_ACCESS' }] }] });
    const cache = new FactCache();
    const [a, b] = await Promise.all([intelligentTieringArchiveTiers(session, BUCKET, cache), intelligentTieringArchiveTiers(session, BUCKET, cache)]);
    assert.equal(a, b, 'memoized: concurrent callers share one answer');
    assert.deepEqual(a, [
      { id: 'archive', status: 'Enabled', filter: { Prefix: 'blobs/' }, tierings: [{ accessTier: 'ARCHIVE_ACCESS', days: 90 }] },
      { id: 'deep', status: 'Disabled', filter: undefined, tierings: [{ accessTier: 'DEEP_ARCHIVE_ACCESS', days: 180 }] },
    ]);
    assert.equal(mock.commandCalls(ListBucketIntelligentTieringConfigurationsCommand).length, 2);
  });

  test('intelligentTieringArchiveTiers, recorded response AccessDenied: a FactError naming the IAM action', async () => {
    const { mock, session } = recordedS3();
    mock.on(ListBucketIntelligentTieringConfigurationsCommand).rejects(awsError('AccessDenied', 403));
    await assert.rejects(intelligentTieringArchiveTiers(session, BUCKET, new FactCache()), (e: unknown) => {
      assert.ok(e instanceof FactError);
      assert.equal(e.info.code, 'AccessDenied');
      assert.equal(e.info.api, 's3:GetIntelligentTieringConfiguration');
      assert.equal(e.info.resource, `arn:aws:s3:::${BUCKET}`);
      assert.equal(e.info.requestId, 'RECORDED-REQ-1');
      return true;
    });
  });

  test('lifecycle-rules with an Intelligent-Tiering archive tier, recorded response: warn', async () => {
    const { mock, session } = recordedS3();
    mock.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [rule('to-it', { Transitions: [{ Days: 0, StorageClass: 'INTELLIGENT_TIERING' }] })] });
    mock.on(ListBucketIntelligentTieringConfigurationsCommand).resolves({ IsTruncated: false, IntelligentTieringConfigurationList: [{ Id: 'archive', Status: 'Enabled', Tierings: [{ Days: 90, AccessTier: 'ARCHIVE_ACCESS' }] }] });
    const facts = new S3Facts(session, { bucket: BUCKET });
    const results = await runChecks([lifecycleRules], { target: ghesTarget({ bucket: BUCKET }), facts }, { defaultSubject: BUCKET });
    assert.deepEqual(results.map((r) => `${r.status} [${r.subject}] ${r.evidence.messageId}`), [
      'pass [rules] readableTransition',
      'warn [abort-incomplete-multipart] abortMissing',
      'warn [intelligent-tiering] itArchive',
    ]);
    assert.match(results[2].message, /lifecycle rule "to-it" moves objects there/);
  });

  test('lifecycle-rules, recorded response NoSuchLifecycleConfiguration and no Intelligent-Tiering: pass', async () => {
    const { mock, session } = recordedS3();
    mock.on(GetBucketLifecycleConfigurationCommand).rejects(awsError('NoSuchLifecycleConfiguration', 404));
    mock.on(ListBucketIntelligentTieringConfigurationsCommand).resolves({ IsTruncated: false });
    const facts = new S3Facts(session, { bucket: BUCKET });
    const results = await runChecks([lifecycleRules], { target: ghesTarget({ bucket: BUCKET }), facts }, { defaultSubject: BUCKET });
    assert.deepEqual(results.map((r) => `${r.status} [${r.subject}]`), ['pass [rules]', ABORT_MISSING, IT_NONE]);
  });
});
