import crossAccountAccess from '../../../checks/codeartifact/cross-account-access.ts';
import { deniedFact } from '../check-table.ts';
import { codeArtifactTable, ORG, OWNER, PARTNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };
const partnerRoot = `arn:aws:iam::${PARTNER}:root`;

codeArtifactTable(crossAccountAccess, [
  {
    name: 'seed: another account listed with what it may do (no allowed set given: review)',
    policy: 'seed-basic-domain-policy.json',
    expect: {
      status: 'warn',
      subject: partnerRoot,
      messageId: 'granted',
      message: 'CreateRepository, DescribeDomain, GetAuthorizationToken, GetDomainPermissionsPolicy, ListRepositoriesInDomain',
      evidence: { accounts: [PARTNER], granteeKind: 'account' },
    },
  },
  { name: 'owner-account grant is listed as a pass (info)', policy: 'seed-owner-only.json', expect: { status: 'pass', subject: `arn:aws:iam::${OWNER}:root`, messageId: 'owner' } },
  { name: 'account in --allowed-accounts passes', policy: 'seed-get-token.json', target: { allowedAccounts: [PARTNER] }, expect: { status: 'pass', messageId: 'allowed' } },
  { name: 'account outside --allowed-accounts fails', policy: 'seed-get-token.json', target: { allowedAccounts: ['222233334444'] }, expect: { status: 'fail', messageId: 'outside' } },
  {
    name: 'a named account with only --org-id fails: membership is not provable from the policy',
    policy: 'seed-get-token.json',
    target: { orgId: ORG },
    expect: { status: 'fail', messageId: 'outside', message: '--org-id o-a1b2c3d4e5' },
  },
  {
    name: 'seed organization pattern with the same --org-id passes',
    policy: 'seed-organization.json',
    target: { orgId: ORG },
    expect: { status: 'pass', subject: `* (aws:PrincipalOrgID ${ORG})`, messageId: 'allowed', evidence: { organizations: [ORG], within: 'organization' } },
  },
  { name: 'organization pattern for another org fails', policy: 'seed-organization.json', target: { orgId: 'o-zzzzzzzzzz' }, expect: { status: 'fail', messageId: 'outside' } },
  { name: 'organization path of the org passes', policy: 'org-paths.json', target: { orgId: ORG }, expect: { status: 'pass', messageId: 'allowed' } },
  { name: '"*" with aws:PrincipalAccount of an allowed account passes', policy: 'principal-account-condition.json', target: { allowedAccounts: [PARTNER] }, expect: { status: 'pass', messageId: 'allowed' } },
  { name: 'public "*" fails when an allowed set is given', policy: 'public-star.json', target: { orgId: ORG }, expect: { status: 'fail', subject: '*', messageId: 'outside' } },
  {
    name: 'partner allowed, contractor of another account not',
    policy: 'outsider-and-partner.json',
    target: { allowedAccounts: [PARTNER] },
    expect: [
      { status: 'pass', subject: partnerRoot, messageId: 'allowed' },
      { status: 'fail', subject: 'arn:aws:iam::777788889999:user/contractor', messageId: 'outside' },
    ],
  },
  {
    name: 'grants merged per principal across statements',
    policy: 'scoped-arns.json',
    expect: { status: 'warn', message: 'GetAuthorizationToken, ReadFromRepository (Sid "ReaderToken", Sid "ReaderRead")' },
  },
  { name: 'codeartifact:* is shown as every action', policy: 'codeartifact-star-cross-account.json', expect: { status: 'warn', message: 'every CodeArtifact action' } },
  {
    name: 'owner plus partner: two grantees',
    policy: 'owner-admin-with-deny.json',
    expect: [{ status: 'pass', messageId: 'owner' }, { status: 'warn', subject: partnerRoot }],
  },
  { name: 'owner unknown offline: skipped with the reason', policy: 'seed-get-token.json', target: { domainOwner: undefined }, expect: { status: 'skip', messageId: 'ownerUnknown', message: '--domain-owner' } },
  { name: 'only a Deny: nothing granted', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'codeartifact:*', Resource: '*' }] }, expect: { status: 'pass', messageId: 'none' } },
  { name: 'live: no policy means no other account', target: live, facts: { domainPolicy: { present: false }, ownerAccount: OWNER }, expect: { status: 'pass', messageId: 'noPolicy', message: OWNER } },
  {
    name: 'live: owner unreadable (DescribeDomain denied, no --domain-owner) is an error',
    target: { ...live, domainOwner: undefined },
    facts: {
      domainPolicy: { present: true, text: '{}', parsed: { ok: true, policy: { version: '2012-10-17', statements: [], raw: {} } }, source: 'live' },
      ownerAccount: deniedFact('domain', 'codeartifact:DescribeDomain', 'AccessDeniedException'),
    },
    expect: { status: 'error', evidence: { code: 'AccessDeniedException' } },
  },
]);
