import overlyBroad from '../../../checks/codeartifact/overly-broad.ts';
import { codeArtifactTable, ORG, OWNER, PARTNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };
const partnerRoot = `arn:aws:iam::${PARTNER}:root`;

codeArtifactTable(overlyBroad, [
  { name: 'seed: basic domain policy is ordinary use', policy: 'seed-basic-domain-policy.json', expect: { status: 'pass', subject: partnerRoot, messageId: 'ok' } },
  { name: 'seed: organization pattern is ordinary use', policy: 'seed-organization.json', expect: { status: 'pass', messageId: 'ok' } },
  { name: 'publishing is ordinary use', policy: 'publisher-repository-scope.json', expect: { status: 'pass', messageId: 'ok' } },
  {
    name: 'DeleteDomain and PutDomainPermissionsPolicy to another account',
    policy: 'admin-cross-account.json',
    expect: { status: 'fail', messageId: 'admin', message: 'DeleteDomain, PutDomainPermissionsPolicy', evidence: { adminActionsGranted: ['codeartifact:DeleteDomain', 'codeartifact:PutDomainPermissionsPolicy'] } },
  },
  { name: 'PutDomainPermissionsPolicy note (seed: ignored for that call)', policy: 'admin-cross-account.json', expect: { status: 'fail', message: 'domain policy is ignored for that call' } },
  { name: 'codeartifact:* to another account', policy: 'codeartifact-star-cross-account.json', expect: { status: 'fail', messageId: 'wildcard', message: 'codeartifact:*' } },
  { name: 'NotAction to another account', policy: 'notaction-cross-account.json', expect: { status: 'fail', messageId: 'wildcard', message: 'NotAction' } },
  { name: 'DeleteRepository to the whole organization', policy: 'delete-repository-org.json', expect: { status: 'fail', subject: `* (aws:PrincipalOrgID ${ORG})`, messageId: 'admin', message: 'DeleteRepository' } },
  { name: 'a grant behind an unknown context key (aws:SourceIp) still counts', policy: 'source-ip-admin.json', expect: { status: 'fail', messageId: 'admin', message: 'DeleteRepository' } },
  { name: 'codeartifact:* for the owner is not judged', policy: 'owner-admin-with-deny.json', expect: { status: 'pass', subject: partnerRoot, messageId: 'ok' } },
  {
    name: 'a Deny carving out every admin action keeps only the wildcard finding',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:Get*', Resource: '*' },
        { Sid: 'NoPolicyChanges', Effect: 'Deny', Principal: '*', Action: 'codeartifact:*Policy', Resource: '*' },
      ],
    },
    expect: { status: 'pass', messageId: 'ok' },
  },
  { name: 'public read is not administration', policy: 'public-star.json', expect: { status: 'pass', subject: '*', messageId: 'ok' } },
  { name: 'owner unknown offline: named accounts skipped with the reason', policy: 'admin-cross-account.json', target: { domainOwner: undefined }, expect: { status: 'skip', messageId: 'ownerUnknown' } },
  { name: 'owner unknown offline: "*" grants are still judged', policy: 'delete-repository-org.json', target: { domainOwner: undefined }, expect: { status: 'fail', messageId: 'admin' } },
  { name: 'only the owner: nothing to judge', policy: 'seed-owner-only.json', expect: { status: 'pass', messageId: 'none' } },
  { name: 'live: no policy', target: live, facts: { domainPolicy: { present: false }, ownerAccount: OWNER }, expect: { status: 'pass', messageId: 'noPolicy' } },
]);
