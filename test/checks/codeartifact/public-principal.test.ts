import publicPrincipal from '../../../checks/codeartifact/public-principal.ts';
import { deniedFact } from '../check-table.ts';
import { codeArtifactTable, OWNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };

codeArtifactTable(publicPrincipal, [
  { name: 'seed: account principal only', policy: 'seed-basic-domain-policy.json', expect: { status: 'pass', messageId: 'noBroad' } },
  {
    name: 'seed: "*" confined by aws:PrincipalOrgID',
    policy: 'seed-organization.json',
    expect: { status: 'pass', subject: 'Sid "WholeOrganization"', messageId: 'restricted', message: 'aws:PrincipalOrgID = o-a1b2c3d4e5' },
  },
  { name: '"*" confined by aws:PrincipalAccount', policy: 'principal-account-condition.json', expect: { status: 'pass', messageId: 'restricted', message: 'aws:PrincipalAccount' } },
  { name: '"*" confined by an exact aws:PrincipalOrgPaths', policy: 'org-paths.json', expect: { status: 'pass', messageId: 'restricted', message: 'aws:PrincipalOrgPaths' } },
  {
    name: '"*" confined by the org and an address range still counts as restricted',
    policy: 'source-ip-admin.json',
    expect: { status: 'pass', messageId: 'restricted' },
  },
  { name: 'Principal "*" without a condition', policy: 'public-star.json', expect: { status: 'fail', subject: 'Sid "Everyone"', messageId: 'public', message: 'anyone' } },
  { name: 'Principal {"AWS": "*"} without a condition', policy: 'public-aws-star.json', expect: { status: 'fail', messageId: 'public', message: '{"AWS": "*"}' } },
  {
    name: '"*" limited only by aws:SourceVpce fails: where, not who',
    policy: 'sourcevpce-only.json',
    expect: { status: 'fail', messageId: 'notOrgRestricted', message: 'aws:SourceVpce' },
  },
  { name: 'StringNotEquals on aws:PrincipalOrgID does not confine', policy: 'org-negated.json', expect: { status: 'fail', messageId: 'public' } },
  { name: 'Allow with NotPrincipal is everyone else', policy: 'not-principal-allow.json', expect: { status: 'fail', messageId: 'public', message: 'NotPrincipal' } },
  {
    name: 'a Deny to "*" is never public',
    policy: 'owner-admin-with-deny.json',
    expect: { status: 'pass', messageId: 'noBroad' },
  },
  {
    name: 'a wildcard in an account ARN is broad',
    policy: { Version: '2012-10-17', Statement: [{ Sid: 'AnyRoot', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' }, Action: 'codeartifact:ReadFromRepository', Resource: '*' }] },
    expect: { status: 'fail', messageId: 'public', message: 'wildcard' },
  },
  {
    name: 'one result per broad statement',
    policy: 'deny-token-to-partner.json',
    expect: { status: 'pass', subject: 'Sid "OrgRead"', messageId: 'restricted' },
  },
  { name: 'live: no policy is not public', target: live, facts: { domainPolicy: { present: false }, ownerAccount: OWNER }, expect: { status: 'pass', messageId: 'noPolicy' } },
  { name: 'live: no domain is skipped', target: live, facts: { domainPolicy: { present: false, domainMissing: true }, ownerAccount: OWNER }, expect: { status: 'skip', messageId: 'noDomain' } },
  { name: 'unparsable policy is skipped (policy-document fails it)', policy: 'broken-trailing-comma.json', expect: { status: 'skip', messageId: 'invalidPolicy' } },
  { name: 'live: throttled read is an error', target: live, facts: { domainPolicy: deniedFact('domainPolicy', 'codeartifact:GetDomainPermissionsPolicy', 'ThrottlingException') }, expect: { status: 'error', evidence: { code: 'ThrottlingException' } } },
]);
