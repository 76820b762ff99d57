// The live OIDC facts against the emulator (moto: CreateOpenIDConnectProvider, roles with trust
// policies, AssumeRoleWithWebIdentity) and a loopback appliance with a generated certificate:
// the policies `policy actions-role` prints pass the OIDC checks and the permission engine, and
// each OIDC mistake (missing sub, wildcard StringLike, wrong audience, stale thumbprint) fails.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand, UpdateOpenIDConnectProviderThumbprintCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import oidcDiscovery from '../../checks/ghes-actions-s3/oidc-discovery.ts';
import type { OidcTarget } from '../../checks/ghes-actions-s3/oidc-facts.ts';
import oidcProvider from '../../checks/ghes-actions-s3/oidc-provider.ts';
import oidcTrust from '../../checks/ghes-actions-s3/oidc-trust.ts';
import { LiveOidcFacts } from '../../src/aws/oidc-facts.ts';
import { AwsSession } from '../../src/aws/session.ts';
import { runChecks } from '../../src/engine/engine.ts';
import type { Result } from '../../src/model.ts';
import { hasOpenssl, opensslThumbprint } from '../harness/oidc-appliance.ts';
import { sdkConfig } from '../harness/moto.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli, statusesOf } from './cli.ts';
import { useOidcSetup } from './oidc-setup.ts';

const HOST = 'ghes.example.test';
const ACCOUNT = '123456789012';
const BUCKET = 'ghes-actions-oidc';
const ROLE_NAME = 'ghes-actions';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const ISSUER = `https://${HOST}/_services/token`;
const AUD = `${HOST}/_services/token:aud`;
const SUB = `${HOST}/_services/token:sub`;

describe.skipIf(!hasOpenssl)('OIDC facts against the emulator and a loopback appliance', () => {
  const moto = useMoto();
  const oidc = useOidcSetup(BUCKET, HOST, ACCOUNT);
  let providerArn: string;

  /** The setup of the GHES docs, with the generated policies: provider, role, bucket. */
  async function seed(thumbprint = opensslThumbprint(oidc.cert.cert)): Promise<void> {
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    const provider = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [thumbprint] }));
    providerArn = provider.OpenIDConnectProviderArn!;
    await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: JSON.stringify(oidc.policies.trustPolicy) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'actions-storage', PolicyDocument: JSON.stringify(oidc.policies.permissionPolicy) }));
    await new S3Client(sdkConfig(moto.endpoint)).send(new CreateBucketCommand({ Bucket: BUCKET }));
  }

  async function check(): Promise<Record<string, Result>> {
    const target: OidcTarget = { roleArn: ROLE_ARN, ghesHost: HOST, ghesUrl: oidc.appliance.url };
    const session = new AwsSession({ endpointUrl: moto.endpoint, credentials: sdkConfig(moto.endpoint).credentials, maxAttempts: 1 });
    const results = await runChecks([oidcProvider, oidcTrust, oidcDiscovery], { target, facts: new LiveOidcFacts(session, target) }, { defaultSubject: BUCKET });
    return Object.fromEntries(results.map((r) => [r.check, r]));
  }

  const setTrust = async (condition: Record<string, unknown>) => {
    const statement = { ...oidc.policies.trustPolicy.Statement[0], Condition: condition };
    await new IAMClient(sdkConfig(moto.endpoint)).send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
  };

  test('the generated trust policy names the provider moto created for the issuer', async () => {
    await seed();
    assert.equal(providerArn, `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}/_services/token`);
    assert.equal((oidc.policies.trustPolicy.Statement[0].Principal as { Federated: string }).Federated, providerArn);
  });

  test('OIDC right: provider and trust pass, discovery warns that only a private address answered', async () => {
    await seed();
    const r = await check();
    assert.equal(r['oidc-provider'].status, 'pass', r['oidc-provider'].message);
    assert.equal(r['oidc-trust'].status, 'pass', r['oidc-trust'].message);
    assert.equal(r['oidc-discovery'].status, 'warn', r['oidc-discovery'].message);
    assert.equal(r['oidc-discovery'].evidence.messageId, 'privateOnly');
    // The emulator lets the role be assumed with a web identity token (it does not verify the token).
    const sts = new STSClient(sdkConfig(moto.endpoint));
    const assumed = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'ghes', WebIdentityToken: 'header.payload.signature' }));
    assert.ok(assumed.Credentials?.AccessKeyId);
  });

  test('the generated permission policy passes the permission checks for the role (same engine as Packages)', async () => {
    await seed();
    const run = await runCli(['check', '--bucket', BUCKET, '--service-url', 'https://s3.us-east-1.amazonaws.com', '--principal-arn', ROLE_ARN, '--format', 'json'], { endpoint: moto.endpoint });
    assert.ok(statusesOf(run.json, 'iam-simulation').length > 0, run.stderr);
    assert.ok(statusesOf(run.json, 'iam-simulation').every((s) => s.startsWith('pass')), statusesOf(run.json, 'iam-simulation').join());
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`pass [${BUCKET}]`]);
  });

  test('missing sub condition: oidc-trust fails with the exact policy to use', async () => {
    await seed();
    await setTrust({ StringEquals: { [AUD]: 'sts.amazonaws.com' } });
    const r = await check();
    assert.equal(r['oidc-trust'].status, 'fail');
    assert.equal(r['oidc-trust'].evidence.messageId, 'missingSub');
    assert.ok(r['oidc-trust'].remediation.includes(JSON.stringify(oidc.policies.trustPolicy, null, 2)), r['oidc-trust'].remediation);
  });

  test('wildcard StringLike on sub: fails', async () => {
    await seed();
    await setTrust({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: '*' } });
    assert.equal((await check())['oidc-trust'].evidence.messageId, 'wildcard');
  });

  test('wrong audience: fails', async () => {
    await seed();
    await setTrust({ StringEquals: { [AUD]: 'sts.amazonaws.com.cn', [SUB]: HOST } });
    assert.equal((await check())['oidc-trust'].evidence.messageId, 'wrongAud');
  });

  test('stale thumbprint (the appliance\'s certificate was renewed): oidc-provider fails with the new thumbprint', async () => {
    await seed();
    await new IAMClient(sdkConfig(moto.endpoint)).send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: providerArn, ThumbprintList: ['0'.repeat(40)] }));
    const r = (await check())['oidc-provider'];
    assert.equal(r.status, 'fail');
    assert.equal(r.evidence.messageId, 'stale');
    assert.ok(r.message.includes(opensslThumbprint(oidc.cert.cert)), r.message);
  });

  test('no provider for the issuer: fails naming what the account has', async () => {
    await seed();
    const target: OidcTarget = { roleArn: ROLE_ARN, ghesHost: 'other-ghes.example.test', ghesUrl: oidc.appliance.url };
    const session = new AwsSession({ endpointUrl: moto.endpoint, credentials: sdkConfig(moto.endpoint).credentials, maxAttempts: 1 });
    const [r] = await runChecks([oidcProvider], { target, facts: new LiveOidcFacts(session, target) }, { defaultSubject: BUCKET });
    assert.equal(r.status, 'fail');
    assert.equal(r.evidence.messageId, 'missingOthers');
    assert.ok(r.message.includes(`${HOST}/_services/token`), r.message);
  });
});
