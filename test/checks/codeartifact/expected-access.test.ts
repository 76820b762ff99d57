import expectedAccess from '../../../checks/codeartifact/expected-access.ts';
import { deniedFact } from '../check-table.ts';
import { codeArtifactTable, expectEntry, ORG, OWNER, PARTNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };
const reader = `arn:aws:iam::${PARTNER}:role/ci-reader`;
const partnerRoot = `arn:aws:iam::${PARTNER}:root`;
const e = expectEntry;

codeArtifactTable(expectedAccess, [
  { name: 'no --expect: skipped with the reason', policy: 'seed-get-token.json', expect: { status: 'skip', subject: 'expect', messageId: 'noExpect' } },
  {
    name: 'seed: account root may get a token, as expected',
    policy: 'seed-get-token.json',
    target: { expect: [e(`arn:aws:iam::${PARTNER}:role/any`, 'codeartifact:GetAuthorizationToken', 'allow')] },
    expect: {
      status: 'pass',
      subject: `arn:aws:iam::${PARTNER}:role/any codeartifact:GetAuthorizationToken`,
      messageId: 'asExpected',
      evidence: { crossAccount: true, decision: 'allowed', decidedBy: ['statement #1'] },
    },
  },
  {
    name: 'evidence says the identity side was assumed',
    policy: 'seed-get-token.json',
    target: { expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow')] },
    expect: { status: 'pass', evidence: { identitySide: "The caller's own identity policies were not read: they are assumed to allow the request, so this verdict is about the domain policy alone (cross-account, both must allow)." } },
  },
  {
    name: 'seed: ReadFromRepository not granted by the token-only policy',
    policy: 'seed-get-token.json',
    target: { expect: [e(reader, 'codeartifact:ReadFromRepository', 'allow')] },
    expect: { status: 'fail', messageId: 'notAsExpected', message: 'denied, but allow was expected' },
  },
  {
    name: 'per entry: allowed, allowed, denied as expected',
    policy: 'scoped-arns.json',
    target: {
      expect: [
        e(reader, 'codeartifact:GetAuthorizationToken', 'allow'),
        e(reader, 'codeartifact:ReadFromRepository', 'allow', 'arn:aws:codeartifact:eu-west-1:111122223333:repository/packages/npm-store'),
        e(reader, 'codeartifact:PublishPackageVersion', 'deny'),
      ],
    },
    expect: [
      { status: 'pass', subject: `${reader} codeartifact:GetAuthorizationToken` },
      { status: 'pass', subject: `${reader} codeartifact:ReadFromRepository` },
      { status: 'pass', subject: `${reader} codeartifact:PublishPackageVersion`, message: 'denied, as expected' },
    ],
  },
  {
    name: 'a grant on one repository is found for a deny expectation (never a false pass)',
    policy: 'scoped-arns.json',
    target: { expect: [e(reader, 'codeartifact:ReadFromRepository', 'deny')] },
    expect: { status: 'fail', messageId: 'notAsExpected', message: 'allowed, but deny was expected' },
  },
  {
    name: 'a grant on one repository does not satisfy "allow" for every repository',
    policy: 'scoped-arns.json',
    target: { expect: [e(reader, 'codeartifact:ReadFromRepository', 'allow')] },
    expect: { status: 'fail', messageId: 'notAsExpected' },
  },
  {
    name: 'another role of the same account is not the named role',
    policy: 'scoped-arns.json',
    target: { expect: [e(`arn:aws:iam::${PARTNER}:role/someone-else`, 'codeartifact:GetAuthorizationToken', 'allow')] },
    expect: { status: 'fail', messageId: 'notAsExpected' },
  },
  {
    name: 'assumed-role session of the named role is covered',
    policy: 'scoped-arns.json',
    target: { expect: [e(`arn:aws:sts::${PARTNER}:assumed-role/ci-reader/build-42`, 'codeartifact:GetAuthorizationToken', 'allow')] },
    expect: { status: 'pass' },
  },
  {
    name: 'explicit Deny wins over the org grant',
    policy: 'deny-token-to-partner.json',
    target: { orgId: ORG, expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow'), e(reader, 'codeartifact:ReadFromRepository', 'allow')] },
    expect: [
      { status: 'fail', messageId: 'notAsExpected', message: 'denied by Sid "NotThePartner"' },
      { status: 'pass', messageId: 'asExpected', message: 'Sid "OrgRead"' },
    ],
  },
  {
    name: 'org pattern without --org-id: error, the outcome depends on aws:PrincipalOrgID',
    policy: 'seed-organization.json',
    target: { expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow')] },
    expect: { status: 'error', messageId: 'dependsOnContext', message: 'aws:PrincipalOrgID' },
  },
  {
    name: 'owner account: allowed unless the domain policy denies',
    policy: 'owner-admin-with-deny.json',
    target: { expect: [e(`arn:aws:iam::${OWNER}:role/admin`, 'codeartifact:DescribeDomain', 'allow'), e(`arn:aws:iam::${OWNER}:role/admin`, 'codeartifact:DeleteDomain', 'deny')] },
    expect: [
      { status: 'pass', message: 'owner account' },
      { status: 'pass', message: 'denied by Sid "NobodyDeletesTheDomain"' },
    ],
  },
  {
    name: 'DeleteDomain expected denied to the partner, but granted',
    policy: 'admin-cross-account.json',
    target: { expect: [e(partnerRoot, 'codeartifact:DeleteDomain', 'deny')] },
    expect: { status: 'fail', messageId: 'notAsExpected' },
  },
  {
    name: 'live: no policy: other accounts are denied, the owner is not',
    target: { ...live, expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow'), e(`arn:aws:iam::${OWNER}:root`, 'codeartifact:GetAuthorizationToken', 'allow')] },
    facts: { domainPolicy: { present: false }, ownerAccount: OWNER },
    expect: [
      { status: 'fail', message: 'no policy' },
      { status: 'pass', message: 'owner account' },
    ],
  },
  { name: 'owner unknown offline: skipped', policy: 'seed-get-token.json', target: { domainOwner: undefined, expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow')] }, expect: { status: 'skip', messageId: 'ownerUnknown' } },
  {
    name: 'live: read denied: error',
    target: { ...live, expect: [e(reader, 'codeartifact:GetAuthorizationToken', 'allow')] },
    facts: { domainPolicy: deniedFact('domainPolicy', 'codeartifact:GetDomainPermissionsPolicy') },
    expect: { status: 'error' },
  },
]);

// Repository-level expectations (principal → repository → read|publish|admin|action): the domain
// and repository policies together.
const repoEntry = (action: string, expected: 'allow' | 'deny', repository = 'app') => ({ ...expectEntry(partnerRoot, action, expected), repository });
const tokenPolicy = { Version: '2012-10-17', Statement: [{ Sid: 'Token', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:GetAuthorizationToken', Resource: '*' }] };
const readPolicy = { Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:ReadFromRepository', Resource: '*' }] };

codeArtifactTable(expectedAccess, [
  {
    name: 'repository: read allowed by token (domain) + ReadFromRepository (repository), as expected',
    target: { expect: [repoEntry('read', 'allow')] },
    policy: tokenPolicy,
    repositories: [{ name: 'app', policy: readPolicy }],
    expect: { status: 'pass', subject: `${partnerRoot} app read`, messageId: 'repositoryAsExpected', message: 'repository policy app Sid "Read"' },
  },
  {
    name: 'repository: publish expected but only read is granted',
    target: { expect: [repoEntry('publish', 'allow')] },
    policy: tokenPolicy,
    repositories: [{ name: 'app', policy: readPolicy }],
    expect: { status: 'fail', messageId: 'repositoryNotAsExpected' },
  },
  {
    name: 'repository: read expected denied, but the repository policy opens it',
    target: { expect: [repoEntry('read', 'deny')] },
    policy: tokenPolicy,
    repositories: [{ name: 'app', policy: readPolicy }],
    expect: { status: 'fail', messageId: 'repositoryNotAsExpected', message: 'allowed' },
  },
  {
    name: 'repository: a single action on the repository',
    target: { expect: [repoEntry('codeartifact:ReadFromRepository', 'allow')] },
    policy: null,
    repositories: [{ name: 'app', policy: readPolicy }],
    expect: { status: 'pass', messageId: 'repositoryAsExpected' },
  },
  {
    name: 'repository: a name the domain does not have fails, naming the ones it has',
    target: { expect: [repoEntry('read', 'deny', 'nope')] },
    policy: tokenPolicy,
    repositories: [{ name: 'app', policy: readPolicy }],
    expect: { status: 'fail', messageId: 'noSuchRepository', message: 'listed: app' },
  },
]);
