// --write-baseline / --baseline end to end: the built CLI against the emulator. Write a baseline,
// change the bucket, its region, its policy or the principal's policy for real, and compare.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { ghesUserPolicy, type Scenario, seedGhesScenario, type Seeded } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const BUCKET = 'ghes-packages-drift';
const DENY_HTTP = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const scenario: Scenario = {
  bucket: BUCKET,
  region: 'us-west-2',
  serviceUrl: 'https://s3.us-west-2.amazonaws.com',
  actionsBucket: 'ghes-actions-drift',
  userName: 'ghes-packages',
  userPolicies: { storage: ghesUserPolicy(BUCKET) },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  bucketPolicy: { Version: '2012-10-17', Statement: [DENY_HTTP] },
  problems: [],
};

describe('storage drift against the emulator', () => {
  let moto: Moto;
  let seeded: Seeded;
  let dir: string;
  const proxies: FaultProxy[] = [];

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    for (const p of proxies) await p.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    seeded = await seedGhesScenario(moto.endpoint, scenario);
    dir = mkdtempSync(join(tmpdir(), 'preflight-drift-'));
  });

  const asGhes = () => ({ AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey });
  const check = (bucket: string, ...extra: string[]) => runCli(['check', '--bucket', bucket, '--service-url', scenario.serviceUrl, '--actions-bucket', scenario.actionsBucket, '--format', 'json', ...extra], { endpoint: moto.endpoint, env: asGhes() });
  const drift = (run: Awaited<ReturnType<typeof check>>) => (run.json?.results ?? []).filter((r) => r.check === 'storage-drift');

  async function writeBaseline(): Promise<string> {
    const file = join(dir, 'ghes-storage.baseline.json');
    const run = await check(BUCKET, '--write-baseline', file);
    assert.deepEqual(statusesOf(run.json, 'storage-drift'), [`skip [${file}]`], run.stdout + run.stderr);
    assert.equal(drift(run)[0].evidence.messageId, 'writtenOnly');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(readdirSync(dir), ['ghes-storage.baseline.json'], 'written atomically: no temporary file left');
    return file;
  }

  test('write, then compare unchanged: pass; the file holds the identity and hashes only', async () => {
    const file = await writeBaseline();
    const text = readFileSync(file, 'utf8');
    const b = JSON.parse(text);
    assert.equal(b.baselineVersion, 1);
    assert.deepEqual(
      { bucket: b.storage.bucket, region: b.storage.region, serviceUrl: b.storage.serviceUrl, accountId: b.storage.accountId, principalArn: b.storage.principalArn, versioning: b.storage.versioning },
      { bucket: BUCKET, region: 'us-west-2', serviceUrl: scenario.serviceUrl, accountId: '123456789012', principalArn: seeded.userArn, versioning: 'Never' },
    );
    assert.match(b.storage.bucketPolicy.fingerprint.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(b.storage.bucketPolicy.fingerprint.statements.map((s: { sid?: string }) => s.sid), ['DenyInsecureTransport']);
    assert.deepEqual(b.storage.principalPolicies.policies.map((p: { ref: string }) => p.ref), ['user-inline:storage']);
    assert.doesNotMatch(text, /aws:SecureTransport|s3:PutObject|Effect|secret|AKIA/i, 'no policy text (Sids only), no key material');
    const run = await check(BUCKET, '--baseline', file);
    assert.deepEqual(statusesOf(run.json, 'storage-drift'), ['pass [unchanged]'], run.stdout);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test('another bucket: fail, "GHES packages already stored ... would become unreachable", exit 1', async () => {
    const file = await writeBaseline();
    const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: 'us-west-2' });
    await s3.send(new CreateBucketCommand({ Bucket: 'ghes-packages-drift-new', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    s3.destroy();
    const run = await check('ghes-packages-drift-new', '--baseline', file);
    const bucket = drift(run).find((r) => r.subject === 'bucket');
    assert.equal(bucket?.status, 'fail', run.stdout);
    assert.match(bucket!.message, new RegExp(`from ${BUCKET} to ghes-packages-drift-new .*GHES packages already stored in s3://${BUCKET} \\(us-west-2, account 123456789012, via https://s3\\.us-west-2\\.amazonaws\\.com\\) would become unreachable`));
    assert.equal(run.code, 1);
  });

  test('the bucket recreated in another region: fail for the region', async () => {
    const file = await writeBaseline();
    const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: 'us-west-2' });
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    const eu = new S3Client({ ...sdkConfig(moto.endpoint), region: 'eu-west-1' });
    await eu.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    eu.destroy();
    const run = await check(BUCKET, '--baseline', file);
    const region = drift(run).find((r) => r.subject === 'region');
    assert.equal(region?.status, 'fail', run.stdout);
    assert.match(region!.message, /changed from us-west-2 to eu-west-1/);
    assert.equal(run.code, 1);
  });

  test('bucket policy and identity policy changed: warn with which statements changed, exit unaffected by drift', async () => {
    const file = await writeBaseline();
    const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: 'us-west-2' });
    const deleteProtect = { Sid: 'DenyDeleteBucket', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${BUCKET}` };
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [DENY_HTTP, deleteProtect] }) }));
    s3.destroy();
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    const policy = ghesUserPolicy(BUCKET) as { Statement: Array<{ Sid: string; Action: string[] }> };
    policy.Statement[1].Action = [...policy.Statement[1].Action, 's3:GetObjectVersion'];
    await iam.send(new PutUserPolicyCommand({ UserName: scenario.userName, PolicyName: 'storage', PolicyDocument: JSON.stringify(policy) }));
    iam.destroy();
    const run = await check(BUCKET, '--baseline', file);
    const byField = Object.fromEntries(drift(run).map((r) => [r.subject, r]));
    assert.equal(byField['bucket-policy']?.status, 'warn', run.stdout);
    assert.match(byField['bucket-policy'].message, /The bucket policy changed since the baseline of .*: added Sid "DenyDeleteBucket" \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/);
    assert.equal(byField['principal-policies']?.status, 'warn');
    assert.match(byField['principal-policies'].message, new RegExp(`The policies of ${seeded.userArn.replace(/[/.]/g, '\\$&')} changed .*: policy user-inline:storage: changed Sid "GhesPackagesObjects"`));
    assert.equal(byField.unchanged?.status, 'pass');
    assert.match(byField.unchanged.message, /bucket ghes-packages-drift, region us-west-2/);
    assert.ok(!drift(run).some((r) => r.status === 'fail'));
  });

  test('a fact needed for the comparison is unreadable (GetBucketPolicy 403): error for that field, exit 2', async () => {
    const file = await writeBaseline();
    const fp = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'GetBucketPolicy', fault: 'accessDenied403' }] });
    proxies.push(fp);
    const run = await check(BUCKET, '--baseline', file, '--endpoint-url', fp.endpoint);
    const policy = drift(run).find((r) => r.subject === 'bucket-policy');
    assert.equal(policy?.status, 'error', run.stdout);
    assert.match(policy!.message, /Could not compare bucket-policy: Could not read s3:GetBucketPolicy .*access denied/);
    assert.ok(run.code === 2 || run.code === 1, `incomplete (or failed by another check that needs the policy): ${run.code}`);
    assert.notEqual(run.json?.verdict, 'compliant');
  });

  test('an unreadable or invalid baseline is exit 3 before any AWS call (endpoint that refuses connections), no report', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ baselineVersion: 1, storage: { bucket: BUCKET } }));
    for (const [file, pattern] of [
      [join(dir, 'missing.json'), /cannot read the file \(no such file\)/],
      [bad, /not a packages-preflight baseline/],
    ] as const) {
      const run = await runCli(['check', '--bucket', BUCKET, '--service-url', scenario.serviceUrl, '--baseline', file], { endpoint: 'http://127.0.0.1:9' });
      assert.equal(run.code, 3, run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`^packages-preflight: --baseline ${file.replace(/[/.]/g, '\\$&')}: `));
      assert.match(run.stderr, pattern);
      assert.deepEqual(Object.keys(run.files), [], 'no report written');
    }
    const nowhere = await runCli(['check', '--bucket', BUCKET, '--service-url', scenario.serviceUrl, '--write-baseline', join(dir, 'no-such-folder', 'b.json')], { endpoint: 'http://127.0.0.1:9' });
    assert.equal(nowhere.code, 3, nowhere.stderr);
    assert.match(nowhere.stderr, /--write-baseline .*cannot write to its folder/);
  });
});
