// iam-simulation, least-privilege and kms-access end to end: scenarios created in the moto server
// with the real SDK, the built CLI run with the GHES principal's (or an auditor's) credentials.
// moto has no SimulatePrincipalPolicy (HTTP 500), so `auto` falls back to the local evaluator:
// these tests prove that path; the simulator path is covered with recorded responses in
// test/unit/simulator-recorded.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddUserToGroupCommand, AttachRolePolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { sdkConfig } from '../harness/moto.ts';
import { useMoto } from '../harness/use-moto.ts';
import { GHES_ACTIONS, ghesUserPolicy, objectActionsOnBucketArnPolicy, type Scenario, seedGhesScenario } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const B = 'ghes-iam-packages';
const OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject'];
const base: Scenario = { bucket: B, region: 'us-east-1', serviceUrl: 'https://s3.us-east-1.amazonaws.com', actionsBucket: 'ghes-iam-actions', userName: 'ghes-packages', problems: [] };
const ORDER = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const expectStatuses = (fn: (action: string) => string) => ORDER.map((a) => `${fn(a)} [${a}]`);

describe('iam-simulation through the CLI (emulator, local engine by fallback)', () => {
  const moto = useMoto();
  let iam: IAMClient;
  before(() => {
    iam = new IAMClient(sdkConfig(moto.endpoint));
  });
  after(() => iam?.destroy());

  async function check(s: Scenario, extra: string[] = [], creds?: Record<string, string>) {
    const seeded = await seedGhesScenario(moto.endpoint, s);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--format', 'json', ...extra], {
      endpoint: moto.endpoint,
      env: creds ?? { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey },
    });
    assert.ok(run.json, `no report: ${run.stderr}`);
    return { run, seeded, iamStatuses: statusesOf(run.json, 'iam-simulation') };
  }

  test('the exact seven-action policy passes, with the fallback named in the evidence', async () => {
    const { run, iamStatuses } = await check({ ...base, userPolicies: { storage: ghesUserPolicy(B) } });
    assert.deepEqual(iamStatuses, expectStatuses(() => 'pass'));
    const first = run.json!.results.find((r) => r.check === 'iam-simulation')!;
    assert.equal(first.evidence.engine, 'local');
    assert.match(String(first.evidence.fallbackReason), /SimulatePrincipalPolicy answered/);
    assert.deepEqual((first.evidence.allowedBy as Array<{ statement: string; policyKind: string }>).map((s) => [s.policyKind, s.statement]), [['user-inline', 'Sid "GhesPackagesObjects"']]);
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`pass [${B}]`]);
  });

  test('one action missing fails that action only', async () => {
    const policy = ghesUserPolicy(B) as { Statement: Array<{ Action: string[] }> };
    policy.Statement[1].Action = policy.Statement[1].Action.filter((a) => a !== 's3:AbortMultipartUpload');
    const { run, iamStatuses } = await check({ ...base, userPolicies: { storage: policy } });
    assert.deepEqual(iamStatuses, expectStatuses((a) => (a === 's3:AbortMultipartUpload' ? 'fail' : 'pass')));
    const failed = run.json!.results.find((r) => r.subject === 's3:AbortMultipartUpload')!;
    assert.match(failed.remediation, /"Action":"s3:AbortMultipartUpload","Resource":"arn:aws:s3:::ghes-iam-packages\/\*"/);
    assert.equal(run.code, 1);
  });

  test('object actions granted on the bucket ARN only fail (the common mistake)', async () => {
    const { iamStatuses } = await check({ ...base, userPolicies: { storage: objectActionsOnBucketArnPolicy(B) } });
    assert.deepEqual(iamStatuses, expectStatuses((a) => (OBJECT_ACTIONS.includes(a) ? 'fail' : 'pass')));
  });

  test('an explicit deny in a second attached policy wins and is named', async () => {
    const { run, iamStatuses } = await check({
      ...base,
      userPolicies: { storage: ghesUserPolicy(B) },
      managedPolicies: { 'no-deletes': { Version: '2012-10-17', Statement: [{ Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] } },
    });
    assert.deepEqual(iamStatuses, expectStatuses((a) => (a === 's3:DeleteObject' ? 'fail' : 'pass')));
    const denied = run.json!.results.find((r) => r.subject === 's3:DeleteObject')!;
    assert.match(denied.message, /explicitly denied .* by Sid "NoDeletes" in no-deletes/);
  });

  test('allow only through a group', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, base);
    await iam.send(new CreateGroupCommand({ GroupName: 'ghes-storage' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'ghes-storage', PolicyName: 'storage', PolicyDocument: JSON.stringify(ghesUserPolicy(B)) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'ghes-storage', UserName: base.userName }));
    const run = await runCli(['check', '--bucket', B, '--service-url', base.serviceUrl, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses(() => 'pass'));
    const allowedBy = run.json!.results.find((r) => r.check === 'iam-simulation')!.evidence.allowedBy as Array<{ group?: string }>;
    assert.equal(allowedBy[0].group, 'ghes-storage');
  });

  test('allow only through the bucket policy (same account)', async () => {
    const userArn = 'arn:aws:iam::123456789012:user/ghes-packages';
    const statements = (ghesUserPolicy(B) as { Statement: object[] }).Statement.map((s) => ({ ...s, Principal: { AWS: userArn } }));
    const { iamStatuses } = await check({ ...base, bucketPolicy: { Version: '2012-10-17', Statement: statements } });
    assert.deepEqual(iamStatuses, expectStatuses(() => 'pass'));
  });

  test('a deny in the bucket policy wins', async () => {
    const { iamStatuses } = await check({
      ...base,
      userPolicies: { storage: ghesUserPolicy(B) },
      bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'NoPuts', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${B}/*` }] },
    });
    assert.deepEqual(iamStatuses, expectStatuses((a) => (a === 's3:PutObject' ? 'fail' : 'pass')));
  });

  test('s3:* on * passes every action, and least-privilege warns', async () => {
    const { run, iamStatuses } = await check({ ...base, userPolicies: { admin: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } });
    assert.deepEqual(iamStatuses, expectStatuses(() => 'pass'));
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`warn [${B}]`]);
    assert.match(run.json!.results.find((r) => r.check === 'least-privilege')!.message, /delete the Packages bucket/);
  });

  test('bucket policy conditioned on aws:SourceIp: warn without --source-ip, pass with the GHES address', async () => {
    const userArn = 'arn:aws:iam::123456789012:user/ghes-packages';
    const statements = (ghesUserPolicy(B) as { Statement: object[] }).Statement.map((s) => ({ ...s, Principal: { AWS: userArn }, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }));
    const s = { ...base, bucketPolicy: { Version: '2012-10-17', Statement: statements } };
    const without = await check(s);
    assert.deepEqual(without.iamStatuses, expectStatuses(() => 'warn'));
    await moto.reset();
    const withIp = await check(s, ['--source-ip', '203.0.113.10']);
    assert.deepEqual(withIp.iamStatuses, expectStatuses(() => 'pass'));
  });

  test('assumed-role credentials are resolved to the role (with its path) and evaluated', async () => {
    await seedGhesScenario(moto.endpoint, { ...base, userPolicies: {} });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'ghes-storage', Path: '/apps/', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ghes-storage', PolicyName: 'storage', PolicyDocument: JSON.stringify(ghesUserPolicy(B)) }));
    const sts = new STSClient(sdkConfig(moto.endpoint));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role!.Arn, RoleSessionName: 'preflight' }));
    sts.destroy();
    const c = assumed.Credentials!;
    const run = await runCli(['check', '--bucket', B, '--service-url', base.serviceUrl, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: c.AccessKeyId!, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!, AWS_SESSION_TOKEN: c.SessionToken! } });
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses(() => 'pass'), run.stdout);
    const ev = run.json!.results.find((r) => r.check === 'iam-simulation')!.evidence;
    assert.equal(ev.principal, 'arn:aws:iam::123456789012:role/apps/ghes-storage');
    assert.match(String(ev.session), /assumed-role\/ghes-storage\/preflight/);
  });

  test('--principal-arn: an auditor with admin credentials evaluates the GHES user', async () => {
    await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: objectActionsOnBucketArnPolicy(B) } });
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'admin', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    const run = await runCli(['check', '--bucket', B, '--service-url', base.serviceUrl, '--principal-arn', 'arn:aws:iam::123456789012:user/ghes-packages', '--format', 'json'], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey! },
    });
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses((a) => (OBJECT_ACTIONS.includes(a) ? 'fail' : 'pass')));
    assert.equal(run.json!.target.principalArn, 'arn:aws:iam::123456789012:user/ghes-packages');
    assert.match(String(run.json!.results.find((r) => r.check === 'credentials')!.evidence.arn), /user\/auditor/);
  });

  test('a role with a restrictive permissions boundary: only what the boundary allows passes', async () => {
    await seedGhesScenario(moto.endpoint, { ...base, userPolicies: {} });
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'read-only-boundary', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ghes-bounded', PermissionsBoundary: boundary.Policy!.Arn, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] }) }));
    const storage = await iam.send(new CreatePolicyCommand({ PolicyName: 'ghes-storage', PolicyDocument: JSON.stringify(ghesUserPolicy(B)) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ghes-bounded', PolicyArn: storage.Policy!.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    const run = await runCli(['check', '--bucket', B, '--service-url', base.serviceUrl, '--principal-arn', 'arn:aws:iam::123456789012:role/ghes-bounded', '--format', 'json'], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey! },
    });
    const readable = ['s3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts'];
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses((a) => (readable.includes(a) ? 'pass' : 'fail')), run.stdout);
  });

  test('SSE-KMS bucket: kms-access fails without KMS permissions and passes with them', async () => {
    const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const kms = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY }] };
    for (const [policies, expected] of [
      [{ storage: ghesUserPolicy(B) }, ['fail [kms:GenerateDataKey]', 'fail [kms:Decrypt]']],
      [{ storage: ghesUserPolicy(B), kms }, ['pass [kms:GenerateDataKey]', 'pass [kms:Decrypt]']],
    ] as const) {
      await moto.reset();
      const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: policies as Record<string, object> });
      const s3 = new S3Client({ ...sdkConfig(moto.endpoint) });
      await s3.send(new PutBucketEncryptionCommand({ Bucket: B, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }] } }));
      s3.destroy();
      const run = await runCli(['check', '--bucket', B, '--service-url', base.serviceUrl, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
      assert.deepEqual(statusesOf(run.json, 'kms-access'), [...expected]);
    }
  });

  test('--engine aws against the emulator (no simulator): every action is an error, never a pass; exit 2', async () => {
    const { run, iamStatuses } = await check({ ...base, userPolicies: { storage: ghesUserPolicy(B) } }, ['--engine', 'aws', '--max-attempts', '1']);
    assert.deepEqual(iamStatuses, expectStatuses(() => 'error'));
    assert.equal(run.json!.results.find((r) => r.check === 'iam-simulation')!.evidence.api, 'iam:SimulatePrincipalPolicy');
    assert.equal(run.code, 2, run.stdout);
  });

  test('all seven GHES actions are the ones in FACTS.md', () => {
    assert.deepEqual([...GHES_ACTIONS].sort(), [...ORDER].sort());
  });
});
