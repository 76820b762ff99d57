// The generated policies pass the tool's own checks against the emulator, and the checker policy
// is enough for a full run (moto enforcing IAM).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { sdkConfig } from '../harness/moto.ts';
import { useMoto } from '../harness/use-moto.ts';
import { seedGhesScenario } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const B = 'ghes-generated';
const USER_ARN = 'arn:aws:iam::123456789012:user/ghes-packages';

async function generated(kind: string, ...args: string[]) {
  const run = await runCli(['policy', kind, ...args], { noOutputDir: true });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('policy generator', () => {
  const moto = useMoto();

  test('ghes-user + bucket policies pass every check of the pack (exit 0)', async () => {
    const userPolicy = await generated('ghes-user', '--bucket', B);
    const bucketPolicy = await generated('bucket', '--bucket', B, '--principal-arn', USER_ARN, '--source-ip', '203.0.113.0/24');
    const s = await seedGhesScenario(moto.endpoint, {
      bucket: B, region: 'us-east-1', serviceUrl: 'https://s3.us-east-1.amazonaws.com', actionsBucket: 'ghes-generated-actions', userName: 'ghes-packages',
      userPolicies: { generated: userPolicy }, bucketPolicy, blockPublicAccess: true, bucketOwnerEnforced: true, problems: [],
    });
    const run = await runCli(['check', '--bucket', B, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--source-ip', '203.0.113.10/32', '--format', 'json'], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    });
    const notPassing = run.json!.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.check} [${r.subject}] ${r.status}: ${r.message}`);
    assert.deepEqual(notPassing, []);
    assert.equal(run.code, 0, run.stdout);
    assert.ok(statusesOf(run.json, 'iam-simulation').every((x) => x.startsWith('pass')));
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`pass [${B}]`]);
  });

  test('from an address outside --source-ip the generated bucket policy denies GHES', async () => {
    const userPolicy = await generated('ghes-user', '--bucket', B);
    const bucketPolicy = await generated('bucket', '--bucket', B, '--principal-arn', USER_ARN, '--source-ip', '203.0.113.0/24');
    const s = await seedGhesScenario(moto.endpoint, { bucket: B, region: 'us-east-1', serviceUrl: 'https://s3.us-east-1.amazonaws.com', actionsBucket: 'ghes-generated-actions', userName: 'ghes-packages', userPolicies: { generated: userPolicy }, bucketPolicy, problems: [] });
    const run = await runCli(['check', '--bucket', B, '--service-url', s.serviceUrl, '--source-ip', '198.51.100.1', '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey } });
    assert.ok(statusesOf(run.json, 'iam-simulation').every((x) => x.startsWith('fail')), statusesOf(run.json, 'iam-simulation').join());
  });

  test('the checker policy is enough: an auditor with only it gets no AccessDenied (moto enforcing IAM)', async () => {
    const s = await seedGhesScenario(moto.endpoint, { bucket: B, region: 'us-east-1', serviceUrl: 'https://s3.us-east-1.amazonaws.com', actionsBucket: 'ghes-generated-actions', userName: 'ghes-packages', userPolicies: { generated: await generated('ghes-user', '--bucket', B) }, problems: [] });
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'checker', PolicyDocument: JSON.stringify(await generated('checker', '--bucket', B)) }));
    // Emulator gap: moto names the IAM action "<signing service>:<operation>", so it asks for
    // s3:HeadBucket (AWS: s3:ListBucket, granted) and, for the account-level Block Public Access,
    // s3:GetPublicAccessBlock on * (AWS: s3:GetAccountPublicAccessBlock, granted). Neither exists in AWS.
    await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'moto-only-action-names', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:HeadBucket', 's3:GetPublicAccessBlock'], Resource: '*' }] }) }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    iam.destroy();
    await moto.enforceIam(true);
    try {
      const run = await runCli(['check', '--bucket', B, '--service-url', s.serviceUrl, '--principal-arn', USER_ARN, '--format', 'json'], {
        endpoint: moto.endpoint,
        env: { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey! },
      });
      const denied = run.json!.apiCalls.filter((c) => /AccessDenied|Forbidden/.test(c.outcome)).map((c) => `${c.operation} ${c.resource}`);
      assert.deepEqual(denied, []);
      assert.ok(statusesOf(run.json, 'iam-simulation').every((x) => x.startsWith('pass')), JSON.stringify(run.json!.results.filter((r) => r.check === 'iam-simulation')));
    } finally {
      await moto.enforceIam(false);
    }
  });

  test('the README shows exactly the generated checker policy', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('## The permissions the checker needs')[1].split('```json')[1].split('```')[0];
    assert.deepEqual(JSON.parse(block), await generated('checker'));
  });

  test('policy checker --security-hub adds only BatchImportFindings on the default product, as the README shows', async () => {
    const plain = await generated('checker');
    const withHub = await generated('checker', '--security-hub', '--region', 'eu-west-1');
    assert.deepEqual(withHub.Statement.slice(0, -1), plain.Statement);
    const added = withHub.Statement.at(-1);
    assert.deepEqual(added, { Sid: 'ImportFindingsToSecurityHub', Effect: 'Allow', Action: 'securityhub:BatchImportFindings', Resource: 'arn:aws:securityhub:eu-west-1:*:product/*/default' });
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('## The permissions the checker needs')[1].split('```json')[2].split('```')[0];
    assert.deepEqual(JSON.parse(block.replace('REGION', 'eu-west-1')), added);
  });
});
