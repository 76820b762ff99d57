// The codeartifact command end to end.
//
// 1. The live path with recorded responses: the emulator has no CodeArtifact (FACTS.md), so the
//    CodeartifactClient is replaced by aws-sdk-client-mock answering what AWS answers (documents,
//    revisions, ResourceNotFoundException, AccessDeniedException, ThrottlingException), and the
//    runner is driven in-process with a real AwsSession.
// 2. The built CLI offline (--policy-file): exit codes, JSON results, JUnit (parsed as XML),
//    Markdown, usage errors; and the generated policy of `codeartifact policy` passing.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  AccessDeniedException,
  CodeartifactClient,
  DescribeDomainCommand,
  GetDomainPermissionsPolicyCommand,
  ListRepositoriesInDomainCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-codeartifact';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSession } from '../../src/aws/session.ts';
import type { ExpectEntry } from '../../src/config/codeartifact-options.ts';
import { buildReport } from '../../src/report/report.ts';
import { runCodeArtifactTarget } from '../../src/run/codeartifact.ts';
import { TOOL } from '../../src/version.ts';
import { runCli, statusesOf } from './cli.ts';

const OWNER = '111122223333';
const PARTNER = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const REGION = 'eu-west-1';
const DOMAIN_ARN = `arn:aws:codeartifact:${REGION}:${OWNER}:domain/packages`;
const FIXTURES = new URL('../fixtures/codeartifact/', import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);

const orgPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'OrgRead', Effect: 'Allow', Principal: '*', Action: ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } },
  ],
});

const meta = (requestId: string, httpStatusCode: number) => ({ $metadata: { httpStatusCode, requestId } });
const describeOk = { domain: { name: 'packages', owner: OWNER, arn: DOMAIN_ARN, status: 'Active' as const, repositoryCount: 3 }, ...meta('REQ-DESCRIBE', 200) };
const notFound = (what: string) => new ResourceNotFoundException({ message: `${what} not found`, ...meta('REQ-404', 404) });

function session() {
  return new AwsSession({ region: REGION, credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
}

describe('codeartifact live path (recorded responses)', () => {
  const ca = mockClient(CodeartifactClient);
  beforeAll(() => ca.reset());
  afterAll(() => ca.restore());

  async function run(options: { domainOwner?: string; expect?: ExpectEntry[]; orgId?: string } = {}) {
    // A domain without repositories (test/unit/codeartifact-recorded.test.ts records repositories).
    ca.on(ListRepositoriesInDomainCommand).resolves({ repositories: [] });
    const target = await runCodeArtifactTarget(
      { domain: 'packages', domainOwner: options.domainOwner, region: REGION, orgId: options.orgId, allowedAccounts: undefined, expect: options.expect ? 'expect.yml' : undefined },
      { session: session(), expect: options.expect },
    );
    const report = buildReport({ tool: TOOL, pack: 'codeartifact', target: target.target, startedAt: new Date(), finishedAt: new Date(), results: target.results, apiCalls: target.apiCalls });
    return { target, report };
  }

  test('recorded response: policy present: checked, revision recorded, both APIs asked for the domain', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).resolves(describeOk);
    ca.on(GetDomainPermissionsPolicyCommand).resolves({ policy: { resourceArn: DOMAIN_ARN, document: orgPolicy, revision: 'MQlyyTQRASRU3HB58gBtSDHXG7Q3hv=' }, ...meta('REQ-POLICY', 200) });
    const { report } = await run({ orgId: ORG });
    assert.deepEqual(report.target, { domain: 'packages', domainOwner: OWNER, region: REGION, policySource: 'live', policyRevision: 'MQlyyTQRASRU3HB58gBtSDHXG7Q3hv=', orgId: ORG, allowedAccounts: [] });
    assert.equal(report.exitCode, 0, JSON.stringify(report.results.map((r) => `${r.status} ${r.check} ${r.message}`), null, 1));
    const doc = report.results.filter((r) => r.check === 'policy-document');
    assert.ok(doc.every((r) => r.evidence.policyRevision === 'MQlyyTQRASRU3HB58gBtSDHXG7Q3hv=' && r.evidence.api === 'codeartifact:GetDomainPermissionsPolicy' && r.evidence.resource === DOMAIN_ARN));
    assert.equal(doc[0].evidence.domainStatus, 'Active');
    assert.deepEqual(statusesOf(report, 'public-principal'), ['pass [Sid "OrgRead"]']);
    // Without --domain-owner the request names only the domain (the caller's account is assumed by AWS); the owner then comes from DescribeDomain.
    assert.deepEqual(ca.commandCalls(GetDomainPermissionsPolicyCommand)[0].args[0].input, { domain: 'packages' });
    assert.equal(ca.commandCalls(GetDomainPermissionsPolicyCommand).length, 1, 'the policy is fetched once for all checks');
    assert.equal(ca.commandCalls(DescribeDomainCommand).length, 1, 'the domain is described once');
  });

  test('recorded response: --domain-owner is sent with both requests', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).resolves(describeOk);
    ca.on(GetDomainPermissionsPolicyCommand).resolves({ policy: { resourceArn: DOMAIN_ARN, document: orgPolicy, revision: 'R2' }, ...meta('REQ-POLICY', 200) });
    await run({ domainOwner: OWNER, orgId: ORG });
    assert.deepEqual(ca.commandCalls(GetDomainPermissionsPolicyCommand)[0].args[0].input, { domain: 'packages', domainOwner: OWNER });
    assert.deepEqual(ca.commandCalls(DescribeDomainCommand)[0].args[0].input, { domain: 'packages', domainOwner: OWNER });
  });

  test('recorded response: no policy (ResourceNotFound, but DescribeDomain finds the domain): compliant, no other account has access', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).resolves(describeOk);
    ca.on(GetDomainPermissionsPolicyCommand).rejects(notFound('policy'));
    const { report } = await run({ domainOwner: OWNER, expect: [{ principal: `arn:aws:iam::${PARTNER}:role/ci`, account: PARTNER, action: 'codeartifact:GetAuthorizationToken', expected: 'deny' }] });
    assert.equal(report.target.policyRevision, null);
    assert.deepEqual(statusesOf(report, 'policy-document'), ['skip [packages]']);
    assert.deepEqual(statusesOf(report, 'cross-account-access'), ['pass [packages]']);
    assert.deepEqual(statusesOf(report, 'expected-access'), [`pass [arn:aws:iam::${PARTNER}:role/ci codeartifact:GetAuthorizationToken]`]);
    assert.equal(report.exitCode, 0);
  });

  test('recorded response: no such domain (both ResourceNotFound): policy-document fails, the rest skip', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).rejects(notFound('domain'));
    ca.on(GetDomainPermissionsPolicyCommand).rejects(notFound('domain'));
    const { report } = await run({ domainOwner: OWNER });
    assert.deepEqual(statusesOf(report, 'policy-document'), ['fail [domain]']);
    assert.match(report.results[0].message, /Domain packages does not exist/);
    for (const id of ['public-principal', 'cross-account-access', 'create-repository-tagging', 'token-access', 'overly-broad']) assert.deepEqual(statusesOf(report, id), ['skip [packages]'], id);
    assert.equal(report.exitCode, 1);
  });

  test('recorded response: AccessDenied on GetDomainPermissionsPolicy: every policy check is an error (exit 2), with code and request id', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).resolves(describeOk);
    ca.on(GetDomainPermissionsPolicyCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform codeartifact:GetDomainPermissionsPolicy', ...meta('REQ-DENIED', 403) }));
    const { report } = await run({ domainOwner: OWNER });
    const errors = report.results.filter((r) => r.status === 'error');
    // Every check that reads the domain policy (external-connections does not: no repositories, pass).
    assert.equal(errors.length, 7, JSON.stringify(report.results.map((r) => `${r.status} ${r.check}`)));
    assert.equal(errors[0].evidence.code, 'AccessDeniedException');
    assert.equal(errors[0].evidence.requestId, 'REQ-DENIED');
    assert.equal(errors[0].evidence.api, 'codeartifact:GetDomainPermissionsPolicy');
    assert.match(errors[0].message, /access denied/);
    assert.equal(report.exitCode, 2);
  });

  test('recorded response: throttling: error (exit 2), never pass', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).resolves(describeOk);
    ca.on(GetDomainPermissionsPolicyCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', ...meta('REQ-SLOW', 429) }));
    const { report } = await run({ domainOwner: OWNER });
    // external-connections does not read the domain policy: the domain has no repositories, a pass.
    assert.deepEqual(report.results.filter((r) => r.status === 'pass').map((r) => r.check), ['external-connections']);
    assert.ok(report.results.filter((r) => r.check !== 'expected-access' && r.check !== 'external-connections').every((r) => r.status === 'error' && r.evidence.code === 'ThrottlingException'));
    assert.match(report.results[0].message, /throttling/);
    assert.equal(report.exitCode, 2);
  });

  test('recorded response: "no policy" cannot be told from "no domain" when DescribeDomain is denied: error, not "no policy"', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).rejects(new AccessDeniedException({ message: 'denied', ...meta('REQ-D2', 403) }));
    ca.on(GetDomainPermissionsPolicyCommand).rejects(notFound('policy'));
    const { report } = await run({ domainOwner: OWNER });
    const doc = report.results.find((r) => r.check === 'policy-document')!;
    assert.equal(doc.status, 'error');
    assert.match(String(doc.evidence.message), /DescribeDomain, which tells them apart, failed too \(AccessDeniedException\)/);
    assert.equal(report.exitCode, 2);
  });

  test('recorded response: DescribeDomain denied but the policy readable: the owner comes from the policy ARN', async () => {
    ca.reset();
    ca.on(DescribeDomainCommand).rejects(new AccessDeniedException({ message: 'denied', ...meta('REQ-D3', 403) }));
    ca.on(GetDomainPermissionsPolicyCommand).resolves({ policy: { resourceArn: DOMAIN_ARN, document: orgPolicy, revision: 'R3' }, ...meta('REQ-P3', 200) });
    const { report } = await run({ orgId: ORG });
    assert.equal(report.target.domainOwner, OWNER);
    assert.equal(report.exitCode, 0, JSON.stringify(report.results.map((r) => `${r.status} ${r.check} ${r.message}`), null, 1));
  });
});

describe('codeartifact CLI offline (--policy-file)', () => {
  const noCredentials = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' };
  const base = ['codeartifact', '--domain', 'packages', '--domain-owner', OWNER, '--region', REGION];

  test('seed organization policy with --org-id: exit 0, every check reported, no AWS call and no credentials', async () => {
    const run = await runCli([...base, '--policy-file', fixture('seed-organization.json'), '--org-id', ORG], { env: noCredentials });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const json = run.json!;
    assert.equal(json.pack, 'codeartifact');
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(json.target, { domain: 'packages', domainOwner: OWNER, region: REGION, policySource: 'file', policyRevision: null, orgId: ORG, allowedAccounts: [], definedIn: 'test/fixtures/codeartifact/seed-organization.json' });
    assert.deepEqual(json.apiCalls, []);
    assert.deepEqual([...new Set(json.results.map((r) => r.check))], ['policy-document', 'public-principal', 'cross-account-access', 'create-repository-tagging', 'token-access', 'overly-broad', 'expected-access', 'effective-access', 'external-connections']);
    assert.deepEqual(statusesOf(json, 'create-repository-tagging'), [`warn [* (aws:PrincipalOrgID ${ORG})]`]);
    assert.equal(json.results.find((r) => r.check === 'policy-document')!.evidence.file, fixture('seed-organization.json'));
    // JUnit: one testsuite, one testcase per result, warnings pass.
    const suite = (run.junit!.testsuites as Record<string, Record<string, unknown>>).testsuite;
    const cases = suite.testcase as Array<Record<string, unknown>>;
    assert.equal(cases.length, json.results.length);
    assert.equal(cases.filter((c) => c.failure !== undefined).length, 0);
    // Markdown: the verdict and the pack's section.
    assert.match(run.markdown!, /# packages-preflight report \(codeartifact\)/);
    assert.match(run.markdown!, /COMPLIANT/);
    assert.match(run.markdown!, /### CodeArtifact domain policy/);
    assert.match(run.markdown!, /\| policySource \| file \|/);
  });

  test('public policy: exit 1, public-principal fails, JUnit failure', async () => {
    const run = await runCli([...base, '--policy-file', fixture('public-star.json')], { env: noCredentials });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(statusesOf(run.json, 'public-principal'), ['fail [Sid "Everyone"]']);
    const cases = ((run.junit!.testsuites as Record<string, Record<string, unknown>>).testsuite.testcase as Array<Record<string, unknown>>).filter((c) => c.failure !== undefined);
    assert.deepEqual(cases.map((c) => c['@classname']), ['public-principal']);
    assert.match(run.markdown!, /FAIL \(severity \w+\) `public-principal` — Sid "Everyone"/);
  });

  test('broken JSON: exit 1, policy-document fails, the rest skip', async () => {
    const run = await runCli([...base, '--policy-file', fixture('broken-trailing-comma.json')], { env: noCredentials });
    assert.equal(run.code, 1);
    assert.deepEqual(statusesOf(run.json, 'policy-document'), ['pass [size]', 'fail [json]']);
    assert.deepEqual(statusesOf(run.json, 'overly-broad'), ['skip [packages]']);
  });

  test('--expect: a failing entry makes exit 1, subject "principal action"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-ca-e2e-'));
    const expect = join(dir, 'expect.yml');
    writeFileSync(expect, `arn:aws:iam::${PARTNER}:role/ci:\n  codeartifact:GetAuthorizationToken: allow\n  codeartifact:ReadFromRepository: allow\n`);
    const run = await runCli([...base, '--policy-file', fixture('seed-get-token.json'), '--expect', expect], { env: noCredentials });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(statusesOf(run.json, 'expected-access'), [`pass [arn:aws:iam::${PARTNER}:role/ci codeartifact:GetAuthorizationToken]`, `fail [arn:aws:iam::${PARTNER}:role/ci codeartifact:ReadFromRepository]`]);
  });

  test('--expect against the org pattern without --org-id: exit 2 (cannot be evaluated), with --org-id: exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-ca-e2e-'));
    const expect = join(dir, 'expect.yml');
    writeFileSync(expect, `arn:aws:iam::${PARTNER}:role/ci:\n  codeartifact:GetAuthorizationToken: allow\n`);
    const without = await runCli([...base, '--policy-file', fixture('seed-organization.json'), '--expect', expect], { env: noCredentials });
    assert.equal(without.code, 2, without.stdout);
    const withOrg = await runCli([...base, '--policy-file', fixture('seed-organization.json'), '--expect', expect, '--org-id', ORG], { env: noCredentials });
    assert.equal(withOrg.code, 0, withOrg.stdout);
  });

  test('the generated policy passes every check (exit 0; only the informational token reminder warns)', async () => {
    for (const extra of [[], ['--read-only'], ['--domain', 'packages', '--domain-owner', OWNER, '--region', REGION]]) {
      const gen = await runCli(['codeartifact', 'policy', '--org-id', ORG, ...extra], { env: noCredentials });
      assert.equal(gen.code, 0, gen.stderr);
      assert.deepEqual(Object.keys(gen.files), [], 'policy prints, it writes no report');
      const dir = mkdtempSync(join(tmpdir(), 'preflight-ca-gen-'));
      const file = join(dir, 'policy.json');
      writeFileSync(file, gen.stdout);
      const run = await runCli([...base, '--policy-file', file, '--org-id', ORG], { env: noCredentials });
      assert.equal(run.code, 0, run.stdout);
      const notPass = run.json!.results.filter((r) => r.status !== 'pass' && r.check !== 'expected-access');
      assert.deepEqual(notPass.map((r) => `${r.check}:${r.status}:${r.severity}`), ['token-access:warn:info'], `${extra.join(' ')}\n${run.stdout}`);
    }
  });

  test('usage errors: exit 3, one line, no report written', async () => {
    const cases: Array<{ args: string[]; error: RegExp }> = [
      { args: ['codeartifact', '--policy-file', fixture('seed-get-token.json')], error: /--domain is required/ },
      { args: ['codeartifact', '--domain', 'Packages', '--policy-file', fixture('seed-get-token.json')], error: /--domain must be lower-case/ },
      { args: [...base.slice(0, 3), '--domain-owner', '1234', '--policy-file', fixture('seed-get-token.json')], error: /--domain-owner must be a 12-digit/ },
      { args: [...base, '--policy-file', fixture('seed-get-token.json'), '--org-id', 'org-1'], error: /--org-id must be an AWS Organizations id/ },
      { args: [...base, '--policy-file', join(FIXTURES, 'missing.json')], error: /--policy-file .*no such file/ },
      { args: [...base, '--policy-file', fixture('seed-get-token.json'), '--expect', join(FIXTURES, 'missing.yml')], error: /--expect .*no such file/ },
      { args: ['codeartifact', '--domain', 'packages'], error: /--region is required/ },
      { args: ['codeartifact', 'policy'], error: /--org-id is required/ },
    ];
    for (const c of cases) {
      const run = await runCli(c.args, { env: { ...noCredentials, AWS_REGION: '', AWS_DEFAULT_REGION: '' } });
      assert.equal(run.code, 3, `${c.args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, c.error);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.deepEqual(Object.keys(run.files), [], 'no report');
    }
  });

  test('--help lists the command, its policy subcommand and the exit codes', async () => {
    const run = await runCli(['codeartifact', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /codeartifact policy/);
    assert.match(run.stdout, /--policy-file/);
    assert.match(run.stdout, /3 {2}bad input or usage/);
  });
});

describe('codeartifact CLI offline (--policy-dir): repositories, the access matrix, dependency confusion', () => {
  const noCredentials = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' };
  const dirOf = (name: string) => new URL(`../fixtures/codeartifact/domains/${name}`, import.meta.url).pathname;
  const args = (name: string, ...extra: string[]) => ['codeartifact', '--domain', 'corp', '--domain-owner', '111122223333', '--region', 'us-east-1', '--policy-dir', dirOf(name), ...extra];

  test('an outsider opened by domain token + repository read: exit 1, the matrix in JSON and as a Markdown table, no AWS call', async () => {
    const run = await runCli(args('06-outsider-token-and-read', '--allowed-accounts', '444455556666'), { env: noCredentials });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(run.json!.apiCalls, []);
    assert.deepEqual(statusesOf(run.json, 'effective-access'), ['fail [repository app: arn:aws:iam::777788889999:root]']);
    const m = run.json!.accessMatrix!;
    assert.deepEqual(m.rows.map((r) => [r.principal, r.repository, r.read.decision, r.publish.decision, r.admin.decision]), [['arn:aws:iam::777788889999:root', 'app', 'allow', 'deny', 'deny']]);
    assert.match(run.markdown!, /## Effective access/);
    assert.match(run.markdown!, /\| arn:aws:iam::777788889999:root \| yes \| app \| ✅ allow \| — deny \| — deny \| domain policy Sid "Token"; repository policy app Sid "ReadFromRepo" \|/);
  });

  test('dependency confusion through an upstream: warn (exit 0), explained', async () => {
    const run = await runCli(args('26-upstream-chain-exposed'), { env: noCredentials });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const r = run.json!.results.find((x) => x.check === 'external-connections' && x.subject === 'repository internal')!;
    assert.equal(r.status, 'warn');
    assert.match(r.message, /public:npmjs via npm-proxy/);
    assert.match(r.remediation, /upstream=BLOCK/);
  });

  test('bad --policy-dir input: one line, exit 3', async () => {
    for (const [extra, pattern] of [
      [['--policy-file', dirOf('01-seed-basic-domain-no-repos') + '/domain.json'], /cannot be combined with --policy-file/],
      [['--max-packages', '0'], /--max-packages must be at least 1/],
    ] as Array<[string[], RegExp]>) {
      const run = await runCli(args('01-seed-basic-domain-no-repos', ...extra), { env: noCredentials });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    const missing = await runCli(['codeartifact', '--domain', 'corp', '--policy-dir', '/nonexistent-preflight-dir'], { env: noCredentials });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /not a directory/);
  });
});
