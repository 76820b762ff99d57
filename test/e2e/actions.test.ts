// `packages-preflight actions` (GitHub Actions storage on S3, issue 21) end to end: the built CLI
// against the emulator, with the Actions bucket and its principal seeded through the real SDK:
// the access-key user or the role GHES assumes with OpenID Connect. The OpenID Connect trust
// scenarios (oidc-*) live with those checks.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { stringify as toYaml } from 'yaml';
import { sdkConfig } from '../harness/moto.ts';
import { ghesUserPolicy, type Scenario, seedGhesScenario } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { GHE_EXPORT } from '../fixtures/ghe-config.ts';
import { runCli, statusesOf } from './cli.ts';

const ACTIONS = 'ghes-e2e-actions';
const PACKAGES = 'ghes-e2e-packages';
const SERVICE_URL = 'https://s3.us-east-1.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/ghes-actions';
const ORDER = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const expectStatuses = (fn: (action: string) => string) => ORDER.map((a) => `${fn(a)} [${a}]`);
/** The seeding helper creates `bucket` and `actionsBucket`: here the Actions bucket is the one under test, the other is Packages'. */
const base: Scenario = { bucket: ACTIONS, region: 'us-east-1', serviceUrl: SERVICE_URL, actionsBucket: PACKAGES, userName: 'ghes-actions', problems: [] };
/** The statements of the AWS managed policy AmazonS3FullAccess. */
const S3_FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }] };
const kmsPolicy = (key: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: key }] });

describe('the actions command against the emulator', () => {
  const moto = useMoto();

  async function actions(s: Scenario, extra: string[] = []) {
    const seeded = await seedGhesScenario(moto.endpoint, s);
    const env = { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey };
    const run = await runCli(['actions', '--bucket', ACTIONS, '--service-url', SERVICE_URL, '--packages-bucket', PACKAGES, '--format', 'json', ...extra], { endpoint: moto.endpoint, env });
    assert.ok(run.json, `no report (exit ${run.code}): ${run.stderr}`);
    return { run, seeded };
  }

  async function sseKms(): Promise<string> {
    const kms = new KMSClient(sdkConfig(moto.endpoint));
    const key = await kms.send(new CreateKeyCommand({ Description: 'ghes actions storage' }));
    kms.destroy();
    const arn = key.KeyMetadata!.Arn!;
    const s3 = new S3Client(sdkConfig(moto.endpoint));
    await s3.send(new PutBucketEncryptionCommand({ Bucket: ACTIONS, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn } }] } }));
    s3.destroy();
    return arn;
  }

  test('access keys with the seven actions: every permission passes, in the Actions pack, with a dedicated bucket', async () => {
    const { run, seeded } = await actions({ ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    assert.equal(run.json!.pack, 'ghes-actions-s3');
    assert.equal(run.json!.target.storage, 'actions');
    assert.equal(run.json!.target.packagesBucket, PACKAGES);
    assert.equal(run.json!.target.authentication, 'access-key');
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses(() => 'pass'));
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`pass [${ACTIONS}]`]);
    assert.match(run.json!.results.find((r) => r.check === 'least-privilege')!.message, /or the Packages bucket/);
    assert.deepEqual(statusesOf(run.json, 'dedicated-bucket'), [`pass [${ACTIONS}]`]);
    assert.equal(run.json!.results.find((r) => r.check === 'credentials')!.evidence.arn, seeded.userArn);
    assert.deepEqual(statusesOf(run.json, 'kms-access'), ['skip [kms:GenerateDataKey]', 'skip [kms:Decrypt]']);
  });

  test('a missing S3 action fails that action, with the statement to add; exit 1', async () => {
    const policy = ghesUserPolicy(ACTIONS) as { Statement: Array<{ Action: string[] }> };
    policy.Statement[1].Action = policy.Statement[1].Action.filter((a) => a !== 's3:DeleteObject');
    const { run } = await actions({ ...base, userPolicies: { storage: policy } });
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses((a) => (a === 's3:DeleteObject' ? 'fail' : 'pass')));
    assert.match(run.json!.results.find((r) => r.subject === 's3:DeleteObject')!.remediation, /"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::ghes-e2e-actions\/\*"/);
    assert.equal(run.code, 1);
  });

  test('the bucket shared with Packages fails dedicated-bucket', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    const run = await runCli(['actions', '--bucket', ACTIONS, '--service-url', SERVICE_URL, '--packages-bucket', `s3://${ACTIONS}`, '--format', 'json'], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey },
    });
    assert.deepEqual(statusesOf(run.json, 'dedicated-bucket'), [`fail [${ACTIONS}]`]);
    assert.match(run.json!.results.find((r) => r.check === 'dedicated-bucket')!.message, /Use a dedicated bucket for Actions/);
    assert.equal(run.code, 1);
  });

  test('SSE-KMS without key access fails both KMS actions; the key policy was read and delegates to IAM', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    const key = await sseKms();
    const run = await runCli(['actions', '--bucket', ACTIONS, '--service-url', SERVICE_URL, '--packages-bucket', PACKAGES, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
    assert.deepEqual(statusesOf(run.json, 'kms-access'), ['fail [kms:GenerateDataKey]', 'fail [kms:Decrypt]']);
    const ev = run.json!.results.find((r) => r.check === 'kms-access')!.evidence;
    assert.equal(ev.key, key);
    assert.equal(ev.keyPolicyRead, true);
    assert.equal(ev.keyPolicyGrant, 'delegated');
    assert.ok(run.json!.apiCalls.some((c) => c.service === 'kms' && c.operation === 'GetKeyPolicy' && c.outcome === 'ok'), 'the key policy was read');
    assert.equal(run.code, 1);
  });

  test('SSE-KMS with key access in the identity policy passes, naming both sides', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    const key = await sseKms();
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new PutUserPolicyCommand({ UserName: base.userName, PolicyName: 'kms', PolicyDocument: JSON.stringify(kmsPolicy(key)) }));
    iam.destroy();
    const run = await runCli(['actions', '--bucket', ACTIONS, '--service-url', SERVICE_URL, '--packages-bucket', PACKAGES, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
    assert.deepEqual(statusesOf(run.json, 'kms-access'), ['pass [kms:GenerateDataKey]', 'pass [kms:Decrypt]']);
    assert.match(run.json!.results.find((r) => r.check === 'kms-access')!.message, /the key policy delegates to IAM .* and the identity policy allows it/);
  });

  test('--role-arn: the OIDC role is the principal evaluated; AmazonS3FullAccess (as in the GHES docs) warns with the policy to use instead', async () => {
    await seedGhesScenario(moto.endpoint, { ...base, userPolicies: {} });
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/ghes.example.com/_services/token' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'ghes.example.com/_services/token:aud': 'sts.amazonaws.com', 'ghes.example.com/_services/token:sub': 'ghes.example.com' } } }],
    };
    await iam.send(new CreateRoleCommand({ RoleName: 'ghes-actions', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    // The emulator does not load AWS managed policies: the same name and statements as a customer managed policy.
    const fullAccess = await iam.send(new CreatePolicyCommand({ PolicyName: 'AmazonS3FullAccess', PolicyDocument: JSON.stringify(S3_FULL_ACCESS) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ghes-actions', PolicyArn: fullAccess.Policy!.Arn }));
    iam.destroy();
    // The auditor's (the harness's admin) credentials; GHES itself holds no key with OpenID Connect.
    const run = await runCli(['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--packages-bucket', PACKAGES, '--role-arn', ROLE, '--ghes-host', 'ghes.example.com', '--format', 'json'], { endpoint: moto.endpoint });
    assert.ok(run.json, run.stderr);
    assert.equal(run.json!.target.authentication, 'oidc');
    assert.equal(run.json!.target.principalArn, ROLE);
    assert.equal(run.json!.target.serviceUrl, SERVICE_URL, 'the OIDC form names a region: GHES uses its regional endpoint');
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses(() => 'pass'));
    const lp = run.json!.results.find((r) => r.check === 'least-privilege')!;
    assert.equal(lp.status, 'warn', lp.message);
    assert.equal(lp.evidence.messageId, 'fullAccess');
    assert.match(lp.message, /AmazonS3FullAccess/);
    assert.match(lp.message, /read the Packages bucket ghes-e2e-packages/);
    assert.match(lp.remediation, /"Sid":"GhesActionsObjects"/);
    assert.match(lp.remediation, /"Resource":"arn:aws:s3:::ghes-e2e-actions\/\*"/);
  });

  test('--from-ghe-config reads the Actions storage keys; --use-ghe-credentials checks with the Actions key, never printed', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    const exportText = GHE_EXPORT({
      'secrets.packages.s3-bucket': PACKAGES,
      'secrets.actions.storage.s3.bucket-name': ACTIONS,
      'secrets.actions.storage.s3.service-url': SERVICE_URL,
      'secrets.actions.storage.s3.access-key-id': seeded.accessKeyId,
      'secrets.actions.storage.s3.access-secret': seeded.secretAccessKey,
      'app.actions.enabled': 'true',
    });
    const run = await runCli(['actions', '--from-ghe-config', '-', '--use-ghe-credentials', '--debug'], { endpoint: moto.endpoint, input: exportText });
    assert.ok(run.json, run.stderr);
    assert.equal(run.json!.target.bucket, ACTIONS);
    assert.equal(run.json!.target.serviceUrl, SERVICE_URL);
    assert.equal(run.json!.target.packagesBucket, PACKAGES);
    assert.equal(run.json!.target.source, 'ghe-config');
    assert.equal(run.json!.target.actionsEnabled, true);
    assert.equal(run.json!.target.gheCredentials, `${seeded.accessKeyId.slice(0, 4)}…${seeded.accessKeyId.slice(-4)}`);
    assert.equal(run.json!.results.find((r) => r.check === 'credentials')!.evidence.arn, seeded.userArn);
    assert.deepEqual(statusesOf(run.json, 'iam-simulation'), expectStatuses(() => 'pass'));
    for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, ...run.files })) {
      assert.ok(!text.includes(seeded.secretAccessKey), `the Actions secret leaked into ${where}`);
      assert.ok(!text.includes(seeded.accessKeyId), `the Actions access key id appears unmasked in ${where}`);
    }
  });

  test('bad input is one line and exit 3, before any AWS call', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['actions', '--bucket', ACTIONS], /^packages-preflight: --service-url or --region is required; /],
      [['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:user/ghes'], /^packages-preflight: --role-arn must be the ARN of the IAM role GHES assumes with OpenID Connect \(got a user ARN\)/],
      [['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--role-arn', ROLE], /^packages-preflight: --ghes-host is required with --role-arn/],
      [['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--role-arn', ROLE, '--ghes-host', 'https://ghes.example.com/'], /^packages-preflight: --ghes-host must be the appliance's host name only/],
      [['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--role-arn', ROLE, '--principal-arn', 'arn:aws:iam::123456789012:user/ghes', '--ghes-host', 'ghes.example.com'], /--principal-arn cannot be combined with --role-arn/],
      [['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--role-arn', ROLE, '--ghes-host', 'ghes.example.com', '--ghes-certificate', '/nonexistent/ghes.pem'], /^packages-preflight: --ghes-certificate cannot be read/],
      [['actions', '--bucket', ACTIONS, '--service-url', SERVICE_URL, '--actions-bucket', PACKAGES], /^packages-preflight: Unknown arguments?: actions-bucket/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { endpoint: moto.endpoint });
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr.trim(), message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.equal(run.json, undefined);
    }
  });

  test('a fleet target with storage: actions runs the Actions pack next to a Packages target', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: ghesUserPolicy(ACTIONS) } });
    const dir = mkdtempSync(join(tmpdir(), 'preflight-actions-fleet-'));
    const file = join(dir, 'fleet.yml');
    writeFileSync(
      file,
      toYaml({
        targets: [
          { name: 'packages', bucket: PACKAGES, serviceUrl: SERVICE_URL, actionsBucket: ACTIONS },
          { name: 'actions', storage: 'actions', bucket: ACTIONS, serviceUrl: SERVICE_URL, packagesBucket: PACKAGES, principalArn: seeded.userArn },
        ],
      }),
    );
    const run = await runCli(['fleet', '--targets', file, '--format', 'json'], { endpoint: moto.endpoint });
    assert.ok(run.json, run.stderr);
    const targets = run.json!.targets!;
    const actionsTarget = targets.find((t) => t.name === 'actions')!;
    assert.equal(actionsTarget.target.storage, 'actions');
    assert.equal(actionsTarget.target.packagesBucket, PACKAGES);
    assert.deepEqual(actionsTarget.results.filter((r) => r.check === 'iam-simulation').map((r) => `${r.status} [${r.subject}]`), expectStatuses(() => 'pass'));
    assert.equal(actionsTarget.results.find((r) => r.check === 'dedicated-bucket')!.status, 'pass');
    const packagesTarget = targets.find((t) => t.name === 'packages')!;
    assert.equal(packagesTarget.target.storage, undefined);
    assert.equal(packagesTarget.target.actionsBucket, ACTIONS);

    // A Packages target given an Actions-only key is bad input naming the target and the fix.
    writeFileSync(file, toYaml({ targets: [{ name: 'p', bucket: PACKAGES, serviceUrl: SERVICE_URL, packagesBucket: ACTIONS }] }));
    const bad = await runCli(['fleet', '--targets', file], { endpoint: moto.endpoint });
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /targets\[0\] \(name "p"\): "packagesBucket" is for Actions storage targets; add "storage: actions" to this target/);
  });
});
