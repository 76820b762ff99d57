import createRepositoryTagging from '../../../checks/codeartifact/create-repository-tagging.ts';
import { codeArtifactTable, ORG, OWNER, PARTNER } from './table.ts';

const live = { policySource: 'live' as const, policyFile: undefined };
const partnerRoot = `arn:aws:iam::${PARTNER}:root`;

codeArtifactTable(createRepositoryTagging, [
  { name: 'seed: CreateRepository without TagResource warns', policy: 'seed-create-repository.json', expect: { status: 'warn', subject: partnerRoot, messageId: 'noTag' } },
  { name: 'seed: basic domain policy has the same gap', policy: 'seed-basic-domain-policy.json', expect: { status: 'warn', messageId: 'noTag' } },
  { name: 'seed: organization pattern has the same gap', policy: 'seed-organization.json', expect: { status: 'warn', subject: `* (aws:PrincipalOrgID ${ORG})`, messageId: 'noTag' } },
  {
    name: 'CreateRepository with TagResource passes',
    policy: 'create-with-tagging.json',
    expect: { status: 'pass', messageId: 'both', evidence: { createRepository: { resourceEvaluated: 'arn:aws:codeartifact:eu-west-1:111122223333:domain/packages', decision: 'allowed', reason: 'crossAccountAllow', decidedBy: ['Sid "PartnerCreatesTagged"'] } } },
  },
  {
    name: 'TagResource in another statement for the same principal counts',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Create', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:CreateRepository', Resource: '*' },
        { Sid: 'Tag', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:TagResource', Resource: '*' },
      ],
    },
    expect: { status: 'pass', messageId: 'both' },
  },
  {
    name: 'TagResource only on the domain ARN does not cover new repositories',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Create', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:CreateRepository', Resource: '*' },
        { Sid: 'TagDomain', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: 'codeartifact:TagResource', Resource: 'arn:aws:codeartifact:eu-west-1:111122223333:domain/packages' },
      ],
    },
    expect: { status: 'warn', messageId: 'noTag' },
  },
  {
    name: 'a Deny on TagResource removes it',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Create', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: ['codeartifact:CreateRepository', 'codeartifact:TagResource'], Resource: '*' },
        { Sid: 'NoTags', Effect: 'Deny', Principal: '*', Action: 'codeartifact:TagResource', Resource: '*' },
      ],
    },
    expect: { status: 'warn', messageId: 'noTag', evidence: { tagResource: { resourceEvaluated: 'arn:aws:codeartifact:eu-west-1:111122223333:repository/packages/preflight-any-repository', decision: 'explicitDeny', reason: 'explicitDeny', decidedBy: ['Sid "NoTags"'] } } },
  },
  { name: 'owner account may create repositories: its identity policy decides', policy: 'seed-owner-only.json', expect: { status: 'pass', messageId: 'noCreate' } },
  { name: 'nobody may create repositories', policy: 'seed-get-token.json', expect: { status: 'pass', messageId: 'noCreate' } },
  { name: 'codeartifact:* includes both', policy: 'codeartifact-star-cross-account.json', expect: { status: 'pass', messageId: 'both' } },
  { name: 'owner unknown offline: still judged (no owner needed)', policy: 'seed-create-repository.json', target: { domainOwner: undefined }, expect: { status: 'warn', messageId: 'noTag' } },
  { name: 'live: no policy', target: live, facts: { domainPolicy: { present: false }, ownerAccount: OWNER }, expect: { status: 'pass', messageId: 'noPolicy' } },
  { name: 'unparsable policy is skipped', policy: 'broken-no-statement.json', expect: { status: 'skip', messageId: 'invalidPolicy' } },
]);
