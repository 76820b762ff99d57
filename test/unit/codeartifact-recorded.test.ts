// The live CodeArtifact path on recorded responses (aws-sdk-client-mock): the emulators (moto,
// LocalStack community) have no CodeArtifact, so every test here says "recorded" in its name. The
// facts, the session and the checks are the real ones; only the HTTP answers are recorded, shaped
// as the CodeArtifact API Reference documents them.

import assert from 'node:assert/strict';
import { afterEach, test } from 'vitest';
import {
  CodeartifactClient,
  DescribeDomainCommand,
  DescribeRepositoryCommand,
  GetDomainPermissionsPolicyCommand,
  GetRepositoryPermissionsPolicyCommand,
  ListPackagesCommand,
  ListRepositoriesInDomainCommand,
} from '@aws-sdk/client-codeartifact';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSession } from '../../src/aws/session.ts';
import { runCodeArtifactTarget } from '../../src/run/codeartifact.ts';

const ca = mockClient(CodeartifactClient);
afterEach(() => ca.reset());

const OWNER = '111122223333';
const PARTNER = '444455556666';
const OUTSIDER = '777788889999';
const REGION = 'eu-west-1';
const repoArn = (r: string) => `arn:aws:codeartifact:${REGION}:${OWNER}:repository/corp/${r}`;
const fault = (name: string, status: number) => Object.assign(new Error(`${name} (recorded)`), { name, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'REC-1' } });
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const describe = (name: string, upstreams: string[] = [], external: string[] = []) => ({
  repository: {
    name,
    arn: repoArn(name),
    domainName: 'corp',
    domainOwner: OWNER,
    administratorAccount: OWNER,
    upstreams: upstreams.map((repositoryName) => ({ repositoryName })),
    externalConnections: external.map((externalConnectionName) => ({ externalConnectionName, packageFormat: 'npm' as const, status: 'Available' as const })),
  },
});

function recordDomain(policy?: string) {
  ca.on(DescribeDomainCommand).resolves({ domain: { name: 'corp', owner: OWNER, status: 'Active', arn: `arn:aws:codeartifact:${REGION}:${OWNER}:domain/corp` } });
  if (policy) ca.on(GetDomainPermissionsPolicyCommand).resolves({ policy: { document: policy, revision: 'rev-1', resourceArn: `arn:aws:codeartifact:${REGION}:${OWNER}:domain/corp` } });
  else ca.on(GetDomainPermissionsPolicyCommand).rejects(fault('ResourceNotFoundException', 404));
}

const session = () => new AwsSession({ region: REGION, credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
const run = (extra: Record<string, unknown> = {}, concurrency?: number) =>
  runCodeArtifactTarget({ domain: 'corp', domainOwner: OWNER, region: REGION, allowedAccounts: [PARTNER], ...extra }, { session: session(), repositoryConcurrency: concurrency });

const statusOf = (report: Awaited<ReturnType<typeof run>>, check: string, subject: string) =>
  report.results.filter((r) => r.check === check && r.subject === subject).map((r) => r.status);

test('recorded: repositories over two pages; no policy is a value, a denied policy read is that repository\'s error only', async () => {
  recordDomain(doc({ Sid: 'Token', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` }, Action: 'codeartifact:GetAuthorizationToken', Resource: '*' }));
  ca.on(ListRepositoriesInDomainCommand)
    .resolvesOnce({ repositories: [{ name: 'app' }, { name: 'empty' }], nextToken: 'page-2' })
    .resolvesOnce({ repositories: [{ name: 'locked' }] });
  ca.on(GetRepositoryPermissionsPolicyCommand, { repository: 'app' }).resolves({
    policy: { document: doc({ Sid: 'Read', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` }, Action: 'codeartifact:ReadFromRepository', Resource: '*' }), resourceArn: repoArn('app'), revision: 'r' },
  });
  ca.on(GetRepositoryPermissionsPolicyCommand, { repository: 'empty' }).rejects(fault('ResourceNotFoundException', 404));
  ca.on(GetRepositoryPermissionsPolicyCommand, { repository: 'locked' }).rejects(fault('AccessDeniedException', 403));
  ca.on(DescribeRepositoryCommand).callsFake((input: { repository: string }) => describe(input.repository));
  const report = await run();
  assert.equal(ca.commandCalls(ListRepositoriesInDomainCommand).length, 2);
  assert.equal(ca.commandCalls(ListRepositoriesInDomainCommand)[1].args[0].input.nextToken, 'page-2');
  assert.deepEqual(statusOf(report, 'public-principal', 'repository empty'), ['pass']);
  assert.deepEqual(statusOf(report, 'public-principal', 'repository locked'), ['error']);
  assert.deepEqual(statusOf(report, 'effective-access', `repository app: arn:aws:iam::${OUTSIDER}:root`), ['fail']);
  assert.deepEqual(statusOf(report, 'effective-access', 'repository locked'), ['error']);
  assert.equal(report.verdict, 'non-compliant');
  assert.ok(report.accessMatrix);
  assert.deepEqual(report.accessMatrix.unreadable.map((u) => u.repository), ['locked']);
  // Each fact once per run, whatever the number of checks that ask for it.
  assert.equal(ca.commandCalls(GetRepositoryPermissionsPolicyCommand).length, 3);
  assert.equal(ca.commandCalls(DescribeRepositoryCommand).length, 3);
});

test('recorded: an answer that is not the document asked for is an error, never "no policy"', async () => {
  recordDomain();
  ca.on(ListRepositoriesInDomainCommand).resolves({ repositories: [{ name: 'app' }] });
  ca.on(GetRepositoryPermissionsPolicyCommand).resolves({ policy: { resourceArn: repoArn('app') } });
  ca.on(DescribeRepositoryCommand).resolves(describe('someone-else'));
  const report = await run();
  assert.deepEqual(statusOf(report, 'policy-document', 'repository app'), ['error']);
  assert.match(report.results.find((r) => r.check === 'policy-document' && r.subject === 'repository app')!.message, /MalformedResponse/);
  assert.deepEqual(statusOf(report, 'external-connections', 'repository app'), ['error']);
  assert.equal(report.verdict, 'incomplete');
});

test('recorded: a repeated nextToken is an error, not an endless listing', async () => {
  recordDomain();
  ca.on(ListRepositoriesInDomainCommand).resolves({ repositories: [{ name: 'app' }], nextToken: 'same' });
  const report = await run();
  assert.ok(report.results.some((r) => r.check === 'effective-access' && r.status === 'error'));
  assert.ok(ca.commandCalls(ListRepositoriesInDomainCommand).length <= 2);
});

test('recorded: origin controls read with ListPackages, bounded by --max-packages', async () => {
  recordDomain();
  ca.on(ListRepositoriesInDomainCommand).resolves({ repositories: [{ name: 'internal' }, { name: 'npm-proxy' }] });
  ca.on(GetRepositoryPermissionsPolicyCommand).rejects(fault('ResourceNotFoundException', 404));
  ca.on(DescribeRepositoryCommand, { repository: 'internal' }).resolves(describe('internal', ['npm-proxy']));
  ca.on(DescribeRepositoryCommand, { repository: 'npm-proxy' }).resolves(describe('npm-proxy', [], ['public:npmjs']));
  ca.on(ListPackagesCommand, { repository: 'internal' }).resolves({
    packages: [{ format: 'npm', namespace: 'corp', package: 'billing', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW', deleted: undefined } as never } }],
    nextToken: 'more',
  });
  ca.on(ListPackagesCommand, { repository: 'npm-proxy' }).resolves({ packages: [{ format: 'npm', package: 'react', originConfiguration: { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } } }] });
  const report = await run({ maxPackages: 1 });
  assert.deepEqual(statusOf(report, 'external-connections', 'repository internal'), ['warn']);
  assert.deepEqual(statusOf(report, 'external-connections', 'repository npm-proxy'), ['pass']);
  assert.equal(ca.commandCalls(ListPackagesCommand, { repository: 'internal' }).length, 1, '--max-packages 1: one page');
  assert.equal(ca.commandCalls(ListPackagesCommand)[0].args[0].input.maxResults, 1);
});

test('recorded: a 50-repository domain costs 1 + 2×50 requests, at most 8 in flight', async () => {
  recordDomain(doc({ Sid: 'Org', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'], Resource: '*' }));
  const names = Array.from({ length: 50 }, (_, i) => `repo-${String(i).padStart(2, '0')}`);
  ca.on(ListRepositoriesInDomainCommand).resolves({ repositories: names.map((name) => ({ name })) });
  let inFlight = 0;
  let peak = 0;
  const slow = async <T>(value: T): Promise<T> => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight -= 1;
    return value;
  };
  ca.on(GetRepositoryPermissionsPolicyCommand).callsFake(async () => {
    await slow(undefined);
    throw fault('ResourceNotFoundException', 404);
  });
  ca.on(DescribeRepositoryCommand).callsFake((input: { repository: string }) => slow(describe(input.repository)));
  const report = await run();
  assert.equal(ca.commandCalls(ListRepositoriesInDomainCommand).length, 1);
  assert.equal(ca.commandCalls(GetRepositoryPermissionsPolicyCommand).length, 50);
  assert.equal(ca.commandCalls(DescribeRepositoryCommand).length, 50);
  assert.equal(ca.commandCalls(ListPackagesCommand).length, 0, 'no public upstream: no package listing');
  assert.ok(peak <= 8, `peak ${peak} requests in flight`);
  assert.ok(peak > 1, 'the repositories are read in parallel');
  assert.equal(report.accessMatrix?.rows.length, 50);
  assert.equal(report.results.filter((r) => r.check === 'effective-access' && r.status === 'pass').length, 50);
});
