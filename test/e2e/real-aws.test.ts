// The opt-in real-AWS suite: the same scenarios against a sandbox account. Runs only with
// PREFLIGHT_E2E_AWS=1 and credentials (scripts/test.ts hands them over as PREFLIGHT_REAL_AWS_*;
// no other test ever sees them). It creates a uniquely named bucket and IAM user and removes both
// afterwards, also when a test fails. Needs: s3:CreateBucket/DeleteBucket, iam:CreateUser/
// DeleteUser/PutUserPolicy/DeleteUserPolicy/CreateAccessKey/DeleteAccessKey, plus the checker policy.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, DeleteUserPolicyCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketCommand, type BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ghesUserPolicy, objectActionsOnBucketArnPolicy } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const real = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PREFLIGHT_REAL_AWS_')).map(([k, v]) => [k.replace('PREFLIGHT_REAL_', ''), v as string]));
const skip =
  process.env.PREFLIGHT_E2E_AWS !== '1'
    ? 'real AWS not requested: set PREFLIGHT_E2E_AWS=1 with credentials for a sandbox account (runs via npm test)'
    : !real.AWS_ACCESS_KEY_ID && !real.AWS_PROFILE
      ? 'PREFLIGHT_E2E_AWS=1 but no AWS credentials (AWS_ACCESS_KEY_ID or AWS_PROFILE) were given'
      : undefined;

// vitest shows no reason for a skipped suite: say it once, visibly.
if (skip) console.info(`real AWS tests skip: ${skip}`);

describe.skipIf(skip)('real AWS sandbox', { timeout: 600_000 }, () => {
  const region = real.AWS_REGION ?? real.AWS_DEFAULT_REGION ?? 'us-east-1';
  const id = randomBytes(4).toString('hex');
  const bucket = `packages-preflight-e2e-${id}`;
  const userName = `packages-preflight-e2e-${id}`;
  const cleanups: Array<() => Promise<unknown>> = [];
  let env: Record<string, string> = {};
  let iam: IAMClient;

  beforeAll(async () => {
    // The real variables replace the test process's dummy ones for the SDK below.
    for (const [k, v] of Object.entries(real)) process.env[k] = v;
    delete process.env.AWS_ENDPOINT_URL;
    if (!real.AWS_CONFIG_FILE) delete process.env.AWS_CONFIG_FILE;
    if (!real.AWS_SHARED_CREDENTIALS_FILE) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    const s3 = new S3Client({ region });
    iam = new IAMClient({ region });
    await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint } }));
    cleanups.push(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })));
    await iam.send(new CreateUserCommand({ UserName: userName }));
    cleanups.push(() => iam.send(new DeleteUserCommand({ UserName: userName })));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    cleanups.push(() => iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKey!.AccessKeyId! })));
    env = { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey!, AWS_REGION: region };
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(`cleanup: ${(e as Error).message}`));
  });

  async function withPolicy(policy: object) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'ghes', PolicyDocument: JSON.stringify(policy) }));
    if (!cleanups.some((c) => c.name === 'deletePolicy')) {
      const deletePolicy = () => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: 'ghes' }));
      cleanups.splice(1, 0, deletePolicy);
    }
    await new Promise((r) => setTimeout(r, 15_000)); // IAM is eventually consistent.
    const run = await runCli(['check', '--bucket', bucket, '--service-url', `https://s3.${region}.amazonaws.com`, '--format', 'json'], { env, timeoutMs: 300_000 });
    assert.ok(run.json, run.stderr);
    return run;
  }

  test('the documented GHES policy on a new bucket: every required action passes', async () => {
    const run = await withPolicy(ghesUserPolicy(bucket));
    assert.ok(statusesOf(run.json, 'iam-simulation').every((x) => x.startsWith('pass')), statusesOf(run.json, 'iam-simulation').join());
    assert.equal(run.code, 0, run.stdout);
  });

  test('object actions on the bucket ARN only: the five object actions fail', async () => {
    const run = await withPolicy(objectActionsOnBucketArnPolicy(bucket));
    assert.equal(statusesOf(run.json, 'iam-simulation').filter((x) => x.startsWith('fail')).length, 5);
    assert.equal(run.code, 1);
  });
});
