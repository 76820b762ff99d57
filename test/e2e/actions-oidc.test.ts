// `packages-preflight actions` with OpenID Connect, end to end (issue 21 item 5): the built CLI
// against the emulator (IAM OIDC provider, the role GHES assumes) and a loopback appliance whose
// certificate the test generates (test/harness/oidc-appliance.ts), reached with --ghes-url. The
// role and its trust come from `policy actions-role`; each OIDC mistake is one scenario.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { sdkConfig } from '../harness/moto.ts';
import { hasOpenssl, opensslThumbprint } from '../harness/oidc-appliance.ts';
import { type Scenario, seedGhesScenario } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli, statusesOf } from './cli.ts';
import { useOidcSetup } from './oidc-setup.ts';

const ACTIONS = 'ghes-e2e-actions-oidc';
const PACKAGES = 'ghes-e2e-packages-oidc';
const HOST = 'ghes.example.test';
const ACCOUNT = '123456789012';
const ROLE_NAME = 'ghes-actions';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const AUD = `${HOST}/_services/token:aud`;
const SUB = `${HOST}/_services/token:sub`;
const base: Scenario = { bucket: ACTIONS, region: 'us-east-1', serviceUrl: 'https://s3.us-east-1.amazonaws.com', actionsBucket: PACKAGES, userName: 'unused-key-user', userPolicies: {}, blockPublicAccess: true, bucketOwnerEnforced: true, problems: [] };
const OIDC = ['oidc-provider', 'oidc-trust', 'oidc-discovery'];

describe.skipIf(!hasOpenssl)('the actions command with OpenID Connect', () => {
  const moto = useMoto();
  const setup = useOidcSetup(ACTIONS, HOST, ACCOUNT);

  /** The bucket, the provider (with `thumbprint`) and the role (with `condition` in its one trust statement). */
  async function oidcRun(options: { thumbprint?: string; condition?: Record<string, unknown>; extra?: string[] } = {}) {
    await seedGhesScenario(moto.endpoint, base);
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${HOST}/_services/token`, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [options.thumbprint ?? opensslThumbprint(setup.cert.cert)] }));
    const trust = options.condition ? { ...setup.policies.trustPolicy, Statement: [{ ...setup.policies.trustPolicy.Statement[0], Condition: options.condition }] } : setup.policies.trustPolicy;
    await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'actions-storage', PolicyDocument: JSON.stringify(setup.policies.permissionPolicy) }));
    iam.destroy();
    // The auditor's (the harness's admin) credentials: with OpenID Connect GHES holds no key.
    const run = await runCli(['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--packages-bucket', PACKAGES, '--role-arn', ROLE, '--ghes-host', HOST, '--ghes-url', setup.appliance.url, '--format', 'json', ...(options.extra ?? [])], { endpoint: moto.endpoint });
    assert.ok(run.json, `no report (exit ${run.code}): ${run.stderr}`);
    const oidc = Object.fromEntries(OIDC.map((id) => [id, run.json!.results.find((r) => r.check === id)!]));
    return { run, oidc };
  }

  test('OIDC right (the policies of "policy actions-role"): provider and trust pass, discovery warns it answered only on a private address; permissions pass; exit 0', async () => {
    const { run, oidc } = await oidcRun();
    assert.equal(oidc['oidc-provider'].status, 'pass', oidc['oidc-provider'].message);
    assert.equal(oidc['oidc-trust'].status, 'pass', oidc['oidc-trust'].message);
    assert.equal(oidc['oidc-discovery'].status, 'warn', oidc['oidc-discovery'].message);
    assert.match(oidc['oidc-discovery'].message, /AWS fetches them from the internet/);
    assert.ok(statusesOf(run.json, 'iam-simulation').every((s) => s.startsWith('pass')), statusesOf(run.json, 'iam-simulation').join());
    assert.deepEqual(statusesOf(run.json, 'least-privilege'), [`pass [${ACTIONS}]`]);
    const notPassing = run.json!.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.check} [${r.subject}] ${r.status}: ${r.message}`);
    assert.deepEqual(notPassing, []);
    assert.equal(run.code, 0);
  });

  test('the appliance certificate as a PEM file (--ghes-certificate) instead of TLS', async () => {
    const { oidc } = await oidcRun({ extra: ['--ghes-certificate', setup.cert.certFile] });
    assert.equal(oidc['oidc-provider'].status, 'pass', oidc['oidc-provider'].message);
    assert.equal((oidc['oidc-provider'].evidence.certificate as { source: string }).source, 'file');
  });

  test('missing sub condition: oidc-trust fails with the exact trust policy; exit 1', async () => {
    const { run, oidc } = await oidcRun({ condition: { StringEquals: { [AUD]: 'sts.amazonaws.com' } } });
    assert.equal(oidc['oidc-trust'].status, 'fail');
    assert.equal(oidc['oidc-trust'].evidence.messageId, 'missingSub');
    assert.ok(oidc['oidc-trust'].remediation.includes(JSON.stringify(setup.policies.trustPolicy, null, 2)), oidc['oidc-trust'].remediation);
    assert.equal(run.code, 1);
  });

  test('wildcard StringLike on sub: oidc-trust fails; exit 1', async () => {
    const { run, oidc } = await oidcRun({ condition: { StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: '*' } } });
    assert.equal(oidc['oidc-trust'].evidence.messageId, 'wildcard');
    assert.equal(run.code, 1);
  });

  test('wrong audience: oidc-trust fails; exit 1', async () => {
    const { run, oidc } = await oidcRun({ condition: { StringEquals: { [AUD]: 'sts.amazon.com', [SUB]: HOST } } });
    assert.equal(oidc['oidc-trust'].evidence.messageId, 'wrongAud');
    assert.equal(run.code, 1);
  });

  test('stale thumbprint (the certificate was renewed): oidc-provider fails with the thumbprint to add; exit 1', async () => {
    const { run, oidc } = await oidcRun({ thumbprint: '0'.repeat(40) });
    assert.equal(oidc['oidc-provider'].status, 'fail');
    assert.equal(oidc['oidc-provider'].evidence.messageId, 'stale');
    assert.ok(oidc['oidc-provider'].message.includes(`add ${opensslThumbprint(setup.cert.cert)}`), oidc['oidc-provider'].message);
    assert.match(oidc['oidc-provider'].remediation, /aws iam update-open-id-connect-provider-thumbprint/);
    assert.equal(run.code, 1);
  });

  test('access keys (no --role-arn): the OIDC checks skip, without making the run incomplete', async () => {
    const seeded = await seedGhesScenario(moto.endpoint, { ...base, userPolicies: { storage: setup.policies.permissionPolicy } });
    const run = await runCli(['actions', '--bucket', ACTIONS, '--region', 'us-east-1', '--packages-bucket', PACKAGES, '--format', 'json'], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
    assert.ok(run.json, run.stderr);
    for (const id of OIDC) assert.deepEqual(statusesOf(run.json, id), [`skip [${ACTIONS}]`], id);
    assert.notEqual(run.code, 2, 'a key-based setup is complete without the OIDC checks');
  });
});
