// effective-access: the domain policy and each repository policy combined (seed 004; User Guide
// "Interaction between repository and domain policies"): token from the domain policy, read /
// publish / admin from either, an explicit Deny in either wins; cross-account openings judged
// against --allowed-accounts / --org-id.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { accessMatrixOf } from '../../../checks/codeartifact/_access-matrix.ts';
import effectiveAccess from '../../../checks/codeartifact/effective-access.ts';
import publicPrincipal from '../../../checks/codeartifact/public-principal.ts';
import { OfflineCodeArtifactFacts } from '../../../src/aws/codeartifact-facts.ts';
import { parsePolicyDocument } from '../../../src/policy/document.ts';
import { deniedFact } from '../check-table.ts';
import { caTarget, codeArtifactTable, ORG, OUTSIDER, OWNER, PARTNER, repositoryFiles, runRow } from './table.ts';

const root = (a: string) => ({ AWS: `arn:aws:iam::${a}:root` });
const pol = (...Statement: Array<Record<string, unknown>>) => ({ Version: '2012-10-17', Statement });
const allow = (Sid: string, Principal: unknown, Action: string[], extra: Record<string, unknown> = {}) => ({ Sid, Effect: 'Allow', Principal, Action, Resource: '*', ...extra });
const token = (a: string) => pol(allow('Token', root(a), ['codeartifact:GetAuthorizationToken']));
const read = (a: string) => pol(allow('Read', root(a), ['codeartifact:ReadFromRepository']));
const live = { policySource: 'live' as const, policyFile: undefined };
const livePolicy = (doc: unknown) => ({ present: true, text: JSON.stringify(doc), parsed: parsePolicyDocument(JSON.stringify(doc)), source: 'live' });

codeArtifactTable(effectiveAccess, [
  { name: 'no repositories: nothing to read', policy: token(PARTNER), expect: { status: 'pass', messageId: 'noRepositories' } },
  {
    name: 'token in the domain policy + read in the repository policy = read, within --allowed-accounts',
    target: { allowedAccounts: [PARTNER] },
    policy: token(PARTNER),
    repositories: [{ name: 'app', policy: read(PARTNER) }],
    expect: { status: 'pass', subject: `repository app: arn:aws:iam::${PARTNER}:root`, messageId: 'within', message: 'can read repository app' },
  },
  {
    name: 'read without a token opens nothing (seed 004: both are needed)',
    target: { allowedAccounts: [PARTNER] },
    policy: null,
    repositories: [{ name: 'app', policy: read(OUTSIDER) }],
    expect: { status: 'pass', messageId: 'noCrossAccount' },
  },
  {
    name: 'an outsider opened by the two policies together fails, naming both statements',
    target: { allowedAccounts: [PARTNER] },
    policy: token(OUTSIDER),
    repositories: [{ name: 'app', policy: read(OUTSIDER) }],
    expect: { status: 'fail', subject: `repository app: arn:aws:iam::${OUTSIDER}:root`, messageId: 'outside', message: 'domain policy Sid "Token", repository policy app Sid "Read"' },
  },
  {
    name: 'without --allowed-accounts/--org-id a cross-account opening is a warning to review (identity side named)',
    policy: pol(allow('All', root(PARTNER), ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'])),
    repositories: [{ name: 'app' }],
    expect: { status: 'warn', messageId: 'review', message: 'identity policy' },
  },
  {
    name: 'an explicit Deny in the repository policy closes that repository only',
    target: { orgId: ORG },
    policy: pol(allow('Org', '*', ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'], { Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })),
    repositories: [{ name: 'secret', policy: pol({ Sid: 'NoOne', Effect: 'Deny', Principal: '*', Action: 'codeartifact:ReadFromRepository', Resource: '*' }) }, { name: 'shared' }],
    expect: [{ status: 'pass', subject: `repository shared: * (aws:PrincipalOrgID ${ORG})`, messageId: 'within' }],
  },
  {
    name: 'publish through the repository policy is judged',
    target: { allowedAccounts: [PARTNER] },
    policy: token(OUTSIDER),
    repositories: [{ name: 'libs', policy: pol(allow('Publish', root(OUTSIDER), ['codeartifact:PublishPackageVersion'])) }],
    expect: { status: 'fail', messageId: 'outside', message: 'can publish repository libs' },
  },
  {
    name: 'live: a denied repository policy read is an error for that repository only',
    target: live,
    facts: {
      domainPolicy: livePolicy(token(PARTNER)),
      domain: { exists: true, verified: true, name: 'packages' },
      ownerAccount: OWNER,
      repositories: ['app'],
      repositoryPolicy: deniedFact('repositoryPolicy', 'codeartifact:GetRepositoryPermissionsPolicy'),
    },
    expect: [{ status: 'error', subject: 'repository app', messageId: 'repositoryUnreadable', message: 'AccessDenied' }],
  },
  {
    name: 'live: the repository list cannot be read: error, never a pass',
    target: live,
    facts: { domainPolicy: livePolicy(token(PARTNER)), domain: { exists: true, verified: true, name: 'packages' }, ownerAccount: OWNER, repositories: deniedFact('repositories', 'codeartifact:ListRepositoriesInDomain') },
    expect: { status: 'error', messageId: 'unreadable' },
  },
]);

test('repository policies run through the domain checks: public-principal names the repository, a denied read is that repository\'s error only', async () => {
  const results = await runRow([publicPrincipal], {
    target: live,
    facts: {
      domainPolicy: livePolicy(token(PARTNER)),
      domain: { exists: true, verified: true, name: 'packages' },
      ownerAccount: OWNER,
      repositories: ['app'],
      repositoryPolicy: deniedFact('repositoryPolicy', 'codeartifact:GetRepositoryPermissionsPolicy'),
    },
  });
  assert.deepEqual(results.map((r) => `${r.status} ${r.subject}`), ['pass packages', 'error repository app']);
});

test('the matrix holds every principal of every policy × every repository × read/publish/admin, as data', async () => {
  const target = caTarget({ allowedAccounts: [PARTNER] });
  const facts = new OfflineCodeArtifactFacts(
    { domain: target.domain, domainOwner: OWNER, region: target.region },
    { text: JSON.stringify(token(PARTNER)) },
    repositoryFiles([
      { name: 'app', policy: read(PARTNER) },
      { name: 'tools', policy: pol(allow('Admin', { AWS: `arn:aws:iam::${OUTSIDER}:role/ops` }, ['codeartifact:DeleteRepository'])) },
    ]),
  );
  const m = await accessMatrixOf({ target, facts });
  assert.ok(m);
  assert.deepEqual(m.repositories, ['app', 'tools']);
  assert.deepEqual(m.principals, [`arn:aws:iam::${PARTNER}:root`, `arn:aws:iam::${OUTSIDER}:role/ops`]);
  assert.equal(m.rows.length, 4);
  const cell = (p: string, r: string) => m.rows.find((x) => x.principal === p && x.repository === r)!;
  assert.deepEqual([cell(`arn:aws:iam::${PARTNER}:root`, 'app').read.decision, cell(`arn:aws:iam::${PARTNER}:root`, 'tools').read.decision], ['allow', 'deny']);
  assert.equal(cell(`arn:aws:iam::${PARTNER}:root`, 'app').publish.decision, 'deny');
  // Admin needs no token (a signed API call), so the repository policy alone opens it.
  assert.equal(cell(`arn:aws:iam::${OUTSIDER}:role/ops`, 'tools').admin.decision, 'allow');
  assert.match(m.interaction, /either allows/);
  assert.match(m.identitySide, /identity policies were not read/);
});
