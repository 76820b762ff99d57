// The exposure checks (public-access-block, bucket-policy, bucket-acl, object-ownership,
// secure-transport, bucket-encryption, bucket-versioning) end to end: bucket settings made in the
// emulator with the real SDK, the built CLI run against it. moto stores Block Public Access,
// ACLs, ownership and policies but enforces none of them (and answers GetBucketPolicyStatus with
// {}), so these tests prove what the checks READ and conclude, which is all they do.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  type BucketCannedACL,
  CreateBucketCommand,
  type ObjectOwnership,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { s3ControlConfig, sdkConfig } from '../harness/moto.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli, statusesOf } from './cli.ts';

const B = 'ghes-exposure-packages';
const ACCOUNT = '123456789012';
const SERVICE_URL = 'https://s3.us-east-1.amazonaws.com';
const ALL_ON: PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_OFF: PublicAccessBlockConfiguration = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const EXPOSURE = ['public-access-block', 'bucket-policy', 'bucket-acl', 'object-ownership', 'secure-transport', 'bucket-encryption', 'bucket-versioning'];

const statement = (s: object) => ({ Version: '2012-10-17', Statement: [s] });
const TLS_DENY = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const PUBLIC_READ = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` };
const FROM_VPCE = { ...PUBLIC_READ, Sid: 'FromGhesVpce', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f' } } };

interface Exposure {
  /** Bucket-level Block Public Access; omitted = not configured. Applied after ACL and policy (moto would not refuse them anyway, AWS would). */
  bucketBpa?: PublicAccessBlockConfiguration;
  accountBpa?: PublicAccessBlockConfiguration;
  acl?: BucketCannedACL;
  ownership?: ObjectOwnership;
  policy?: object;
  sseS3?: boolean;
  versioning?: boolean;
}

/** Creates the bucket and applies exactly the settings given, with the real SDK. */
async function seedExposure(endpoint: string, e: Exposure): Promise<void> {
  const s3 = new S3Client(sdkConfig(endpoint));
  const control = new S3ControlClient(s3ControlConfig(endpoint));
  try {
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    if (e.ownership) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: e.ownership }] } }));
    if (e.acl) await s3.send(new PutBucketAclCommand({ Bucket: B, ACL: e.acl }));
    if (e.policy) await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: JSON.stringify(e.policy) }));
    if (e.sseS3) await s3.send(new PutBucketEncryptionCommand({ Bucket: B, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    if (e.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    if (e.bucketBpa) await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: e.bucketBpa }));
    if (e.accountBpa) await control.send(new PutAccountPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: e.accountBpa }));
  } finally {
    s3.destroy();
    control.destroy();
  }
}

describe('exposure checks through the CLI (emulator)', () => {
  const moto = useMoto();

  async function check(e: Exposure) {
    await seedExposure(moto.endpoint, e);
    const run = await runCli(['check', '--bucket', B, '--service-url', SERVICE_URL, '--format', 'json'], { endpoint: moto.endpoint });
    assert.ok(run.json, `no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    const statuses = (id: string) => statusesOf(run.json, id);
    const result = (id: string, subject = B) => {
      const r = run.json!.results.find((x) => x.check === id && x.subject === subject);
      assert.ok(r, `${id} [${subject}] missing; ${id} has ${statuses(id).join(', ')}`);
      return r;
    };
    return { run, statuses, result };
  }

  test('private bucket: all four BPA settings, ACLs disabled, TLS enforced, SSE-S3', async () => {
    const { run, statuses, result } = await check({ bucketBpa: ALL_ON, ownership: 'BucketOwnerEnforced', policy: statement(TLS_DENY), sseS3: true });
    assert.deepEqual(
      EXPOSURE.map((id) => [id, statuses(id)]),
      // bucket-policy and bucket-acl report their aspects on every run (stable subjects); the others the bucket.
      EXPOSURE.map((id) => [id, id === 'bucket-policy' ? ['pass [public]', 'pass [cross-account]'] : id === 'bucket-acl' ? ['pass [public]', 'pass [other-accounts]'] : [`pass [${B}]`]]),
    );
    const pab = result('public-access-block');
    assert.equal(pab.evidence.messageId, 'allOn');
    assert.equal(pab.evidence.account, ACCOUNT);
    assert.deepEqual((pab.evidence.levels as { account: { state: string } }).account.state, 'not configured');
    assert.deepEqual((pab.evidence.levels as { bucket: { settings: object } }).bucket.settings, ALL_ON);
    assert.equal(result('secure-transport').evidence.statementLabel, 'Sid "DenyInsecureTransport"');
    assert.equal(result('bucket-encryption').evidence.algorithm, 'AES256');
    assert.ok(run.json!.apiCalls.some((c) => c.operation === 'GetPublicAccessBlock' && c.service.toLowerCase().includes('control')), JSON.stringify(run.json!.apiCalls.filter((c) => c.operation === 'GetPublicAccessBlock')));
  });

  test('no Block Public Access anywhere, nothing public: warn naming all four, nothing fails', async () => {
    const { run, statuses, result } = await check({});
    assert.deepEqual(statuses('public-access-block'), [`warn [${B}]`]);
    assert.match(result('public-access-block').message, /off at both the account and the bucket level: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets/);
    assert.deepEqual(statuses('bucket-policy'), ['pass [public]', 'pass [cross-account]']);
    assert.equal(result('bucket-policy', 'public').evidence.messageId, 'none');
    assert.deepEqual(statuses('bucket-acl'), ['pass [public]', 'pass [other-accounts]']);
    assert.deepEqual(statuses('object-ownership'), [`warn [${B}]`]);
    assert.deepEqual(statuses('secure-transport'), [`warn [${B}]`]);
    assert.deepEqual(statuses('bucket-versioning'), [`pass [${B}]`]);
    for (const id of EXPOSURE) assert.ok(statuses(id).every((s) => !s.startsWith('fail') && !s.startsWith('error')), `${id}: ${statuses(id)}\n${run.stdout}`);
  });

  test('public-read ACL without IgnorePublicAcls: bucket-acl and public-access-block fail, exit 1', async () => {
    const { run, statuses, result } = await check({ acl: 'public-read', ownership: 'ObjectWriter' });
    assert.deepEqual(statuses('bucket-acl'), ['fail [public]', 'pass [other-accounts]']);
    const acl = result('bucket-acl', 'public');
    assert.deepEqual(acl.evidence.grant, { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' });
    assert.deepEqual(statuses('public-access-block'), [`fail [${B}]`]);
    assert.match(result('public-access-block').message, /Turning on IgnorePublicAcls/);
    assert.equal(run.code, 1);
  });

  test('public-read ACL with IgnorePublicAcls on: the grant is neutralised (warn), nothing fails', async () => {
    const { statuses, result } = await check({ acl: 'public-read', ownership: 'ObjectWriter', bucketBpa: { ...ALL_OFF, IgnorePublicAcls: true } });
    assert.deepEqual(statuses('bucket-acl'), ['warn [public]', 'pass [other-accounts]']);
    assert.equal(result('bucket-acl', 'public').evidence.messageId, 'publicIgnored');
    assert.deepEqual(statuses('public-access-block'), [`warn [${B}]`]);
    assert.match(result('public-access-block').message, /off at both the account and the bucket level: BlockPublicAcls, BlockPublicPolicy and RestrictPublicBuckets\./);
  });

  test('public bucket policy without RestrictPublicBuckets: fail with the statement verbatim', async () => {
    const { run, statuses, result } = await check({ policy: statement(PUBLIC_READ) });
    assert.deepEqual(statuses('bucket-policy'), ['fail [public]', 'pass [cross-account]']);
    const r = result('bucket-policy', 'public');
    assert.deepEqual(r.evidence.statement, PUBLIC_READ);
    assert.equal(r.evidence.api, 's3:GetBucketPolicy');
    assert.deepEqual(statuses('public-access-block'), [`fail [${B}]`]);
    assert.match(result('public-access-block').message, /Turning on RestrictPublicBuckets/);
    assert.equal(run.code, 1);
  });

  test('public bucket policy with RestrictPublicBuckets on: warn (still remove it)', async () => {
    const { statuses, result } = await check({ policy: statement(PUBLIC_READ), bucketBpa: { ...ALL_OFF, RestrictPublicBuckets: true } });
    assert.deepEqual(statuses('bucket-policy'), ['warn [public]', 'pass [cross-account]']);
    assert.equal(result('bucket-policy', 'public').evidence.messageId, 'publicNeutralised');
    assert.deepEqual(statuses('public-access-block'), [`warn [${B}]`]);
  });

  test('policy for Principal "*" conditioned on a VPC endpoint is not public', async () => {
    const { statuses, result } = await check({ policy: statement(FROM_VPCE), bucketBpa: ALL_ON, ownership: 'BucketOwnerEnforced' });
    assert.deepEqual(statuses('bucket-policy'), ['pass [public]', 'pass [cross-account]']);
    assert.match(result('bucket-policy', 'public').message, /Sid "FromGhesVpce" limited by aws:SourceVpce/);
    assert.deepEqual(statuses('public-access-block'), [`pass [${B}]`]);
  });

  test('account-level BPA on, bucket-level explicitly off: effectively on (pass), sources say account', async () => {
    const { statuses, result } = await check({ accountBpa: ALL_ON, bucketBpa: ALL_OFF, policy: statement(PUBLIC_READ) });
    assert.deepEqual(statuses('public-access-block'), [`pass [${B}]`]);
    const pab = result('public-access-block');
    assert.deepEqual(pab.evidence.sources, { BlockPublicAcls: 'account', IgnorePublicAcls: 'account', BlockPublicPolicy: 'account', RestrictPublicBuckets: 'account' });
    assert.deepEqual((pab.evidence.levels as { account: { settings: object } }).account.settings, ALL_ON);
    // The public statement is neutralised by the account-level RestrictPublicBuckets.
    assert.deepEqual(statuses('bucket-policy'), ['warn [public]', 'pass [cross-account]']);
    assert.match(result('bucket-policy', 'public').message, /RestrictPublicBuckets is on \(account level\)/);
  });

  // moto does not apply IAM to S3 Control, so the account level cannot be made unreadable by a
  // Deny; refusing HeadBucket can: the bucket's owner is then unconfirmed and the checker's own
  // account-level setting is not borrowed for it (it may not be the owner's).
  test('bucket owner unconfirmed (HeadBucket refused): the account level is never assumed on', async () => {
    await seedExposure(moto.endpoint, { accountBpa: ALL_ON, bucketBpa: { ...ALL_ON, RestrictPublicBuckets: false }, policy: statement(PUBLIC_READ) });
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    // AWS authorises HeadBucket with s3:ListBucket; moto 5.2.5 calls the action s3:HeadBucket (and
    // maps GetBucketPublicAccessBlock to s3:ListBucket), so denying its s3:HeadBucket refuses only HeadBucket.
    const auditor = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'sts:GetCallerIdentity'], Resource: '*' }, { Effect: 'Deny', Action: 's3:HeadBucket', Resource: '*' }] };
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'read', PolicyDocument: JSON.stringify(auditor) }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    iam.destroy();
    await moto.enforceIam(true);
    let run;
    try {
      run = await runCli(['check', '--bucket', B, '--service-url', SERVICE_URL, '--format', 'json'], {
        endpoint: moto.endpoint,
        env: { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey! },
      });
    } finally {
      await moto.enforceIam(false);
    }
    assert.ok(run.json, `no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    const pab = run.json.results.find((r) => r.check === 'public-access-block')!;
    assert.equal(pab.status, 'error', pab.message);
    assert.equal(pab.evidence.messageId, 'dependsOnUnreadable');
    assert.equal(pab.evidence.bucketOwnedByChecker, 'unknown');
    assert.deepEqual(pab.evidence.effective, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: 'unknown' });
    // RestrictPublicBuckets is off at the bucket level and unknown at the account level: the public statement stays fail.
    assert.deepEqual(statusesOf(run.json, 'bucket-policy')[0], 'fail [public]');
    assert.equal(run.json.results.find((r) => r.check === 'bucket-policy')!.evidence.messageId, 'publicUnknown');
  });

  test('versioning without a noncurrent-version rule warns', async () => {
    const { statuses, result } = await check({ versioning: true, bucketBpa: ALL_ON });
    assert.deepEqual(statuses('bucket-versioning'), [`warn [${B}]`]);
    assert.equal(result('bucket-versioning').evidence.messageId, 'unbounded');
  });
});
