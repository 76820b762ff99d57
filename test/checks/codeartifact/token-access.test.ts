import tokenAccess from '../../../checks/codeartifact/token-access.ts';
import { deniedFact } from '../check-table.ts';
import { codeArtifactTable, expectEntry, ORG, OWNER, PARTNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };
const ci = `arn:aws:iam::${PARTNER}:role/ci`;
const reads = [expectEntry(ci, 'codeartifact:GetAuthorizationToken', 'allow'), expectEntry(ci, 'codeartifact:ReadFromRepository', 'allow')];

codeArtifactTable(tokenAccess, [
  {
    name: 'seed: token for another account: reminder, severity info',
    policy: 'seed-get-token.json',
    expect: { status: 'warn', subject: 'sts:GetServiceBearerToken', messageId: 'reminder', message: `arn:aws:iam::${PARTNER}:root` },
  },
  { name: 'seed: organization pattern: reminder', policy: 'seed-organization.json', expect: { status: 'warn', messageId: 'reminder', message: `aws:PrincipalOrgID ${ORG}` } },
  { name: 'owner only: no cross-account token', policy: 'seed-owner-only.json', expect: { status: 'pass', messageId: 'noCrossAccountToken' } },
  { name: 'no token action at all', policy: 'create-with-tagging.json', expect: { status: 'pass', messageId: 'noCrossAccountToken' } },
  { name: 'token only on a repository ARN grants no token', policy: 'token-on-repository-only.json', expect: { status: 'pass', messageId: 'noCrossAccountToken' } },
  {
    name: '--expect principal allowed a token: pass',
    policy: 'seed-organization.json',
    target: { orgId: ORG, expect: reads },
    expect: [{ status: 'warn', messageId: 'reminder' }, { status: 'pass', subject: ci, messageId: 'expectOk', message: 'Sid "WholeOrganization"' }],
  },
  {
    name: '--expect principal denied a token by an explicit Deny: fail',
    policy: 'deny-token-to-partner.json',
    target: { orgId: ORG, expect: reads },
    expect: [{ status: 'warn', messageId: 'reminder' }, { status: 'fail', subject: ci, messageId: 'expectDenied', message: 'explicit Deny in Sid "NotThePartner"' }],
  },
  {
    name: '--expect principal of another account with no Allow: fail',
    policy: 'seed-create-repository.json',
    target: { expect: reads },
    expect: { status: 'fail', messageId: 'expectDenied', message: 'no statement allows it' },
  },
  {
    name: '--expect principal in the org, but --org-id not given: cannot tell (error, not pass)',
    policy: 'seed-organization.json',
    target: { expect: reads },
    expect: [{ status: 'warn', messageId: 'reminder' }, { status: 'error', messageId: 'dependsOnContext', message: 'aws:PrincipalOrgID' }],
  },
  {
    name: 'a principal expected to be refused the token is not required to get one',
    policy: 'seed-create-repository.json',
    target: { expect: [expectEntry(ci, 'codeartifact:GetAuthorizationToken', 'deny')] },
    expect: { status: 'pass', messageId: 'noCrossAccountToken' },
  },
  {
    name: 'owner-account principal: its identity policy decides',
    policy: 'seed-get-token.json',
    target: { expect: [expectEntry(`arn:aws:iam::${OWNER}:role/admin`, 'codeartifact:ReadFromRepository', 'allow')] },
    expect: [{ status: 'warn', messageId: 'reminder' }, { status: 'pass', messageId: 'expectOk', message: 'same account' }],
  },
  {
    name: 'live: no policy, another account expected: fail',
    target: { ...live, expect: reads },
    facts: { domainPolicy: { present: false }, ownerAccount: OWNER },
    expect: { status: 'fail', messageId: 'expectDenied', message: 'no policy' },
  },
  { name: 'live: no policy, nothing expected', target: live, facts: { domainPolicy: { present: false }, ownerAccount: OWNER }, expect: { status: 'pass', messageId: 'noPolicy' } },
  { name: 'owner unknown offline: skipped', policy: 'seed-get-token.json', target: { domainOwner: undefined }, expect: { status: 'skip', messageId: 'ownerUnknown' } },
  { name: 'live: read denied: error', target: live, facts: { domainPolicy: deniedFact('domainPolicy', 'codeartifact:GetDomainPermissionsPolicy') }, expect: { status: 'error' } },
]);
