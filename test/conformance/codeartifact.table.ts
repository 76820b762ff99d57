// CodeArtifact rows: the domain policy (seed 004, "Domain policies"; its German copy is the seed)
// and its interaction with a repository policy ("Repository policies", section "Interaction
// between repository and domain policies": both are evaluated, an action is allowed when either
// allows it, and an explicit Deny in either wins as everywhere in IAM). Requests are evaluated with
// the project's evaluateOnDomain; the caller's own identity policy is assumed to allow (the pack's
// documented assumption), so these rows are about the resource policies.

import { ACCOUNT, type CodeArtifactRow, grant, OTHER_ACCOUNT, refuse } from './rows.ts';

const SEED = 'caDomain § Enable cross-account access to a domain';
const EXAMPLE = 'caDomain § Domain policy example';
const ORG_EXAMPLE = 'caDomain § Domain policy with AWS Organizations';
const INTERACTION = 'caRepository § Interaction between repository and domain policies';
const PARTNER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
const BASIC = ['codeartifact:GetDomainPermissionsPolicy', 'codeartifact:ListRepositoriesInDomain', 'codeartifact:GetAuthorizationToken', 'codeartifact:DescribeDomain', 'codeartifact:CreateRepository'];
const createRepository = grant({ AWS: PARTNER_ROOT }, ['codeartifact:CreateRepository'], '*');
const getToken = grant({ AWS: PARTNER_ROOT }, ['codeartifact:GetAuthorizationToken'], '*');
const basic = { Sid: 'BasicDomainPolicy', ...grant({ AWS: PARTNER_ROOT }, BASIC, '*') };
const org = { Sid: 'DomainPolicyForOrganization', ...grant('*', BASIC, '*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-xxxxxxxxxxx'] } } }) };
const repoRead = grant({ AWS: PARTNER_ROOT }, ['codeartifact:ReadFromRepository', 'codeartifact:DescribePackageVersion', 'codeartifact:DescribeRepository', 'codeartifact:GetPackageVersionReadme', 'codeartifact:GetRepositoryEndpoint', 'codeartifact:ListPackageVersionAssets', 'codeartifact:ListPackageVersionDependencies', 'codeartifact:ListPackageVersions', 'codeartifact:ListPackages'], '*');

export const codeArtifactRows: CodeArtifactRow[] = [
  // The seed's CreateRepository example.
  { source: SEED, name: 'CreateRepository granted to account 123456789012 (seed): the partner may create repositories', caller: 'partner', action: 'codeartifact:CreateRepository', domainPolicy: [createRepository], expect: 'allowed' },
  { source: SEED, name: 'the CreateRepository policy does not give tokens', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [createRepository], expect: 'implicitDeny' },
  { source: SEED, name: 'a grant to the partner account covers a role of that account (its identity side assumed to allow)', caller: 'partnerRole', action: 'codeartifact:CreateRepository', domainPolicy: [createRepository], expect: 'allowed' },
  { source: SEED, name: 'creating tagged repositories needs TagResource, which the CreateRepository policy lacks', caller: 'partner', action: 'codeartifact:TagResource', domainPolicy: [createRepository], expect: 'implicitDeny' },
  { source: SEED, name: 'adding TagResource allows tagging repositories of the domain', caller: 'partner', action: 'codeartifact:TagResource', domainPolicy: [grant({ AWS: PARTNER_ROOT }, ['codeartifact:CreateRepository', 'codeartifact:TagResource'], '*')], expect: 'allowed' },
  { source: SEED, name: 'TagResource also covers tagging the domain itself (the seed\'s warning)', caller: 'partner', action: 'codeartifact:TagResource', on: 'domain', domainPolicy: [grant({ AWS: PARTNER_ROOT }, ['codeartifact:CreateRepository', 'codeartifact:TagResource'], '*')], expect: 'allowed' },
  { source: SEED, name: 'Resource "*" applies to every resource in the domain: DescribeRepository on any repository', caller: 'partner', action: 'codeartifact:DescribeRepository', domainPolicy: [grant({ AWS: PARTNER_ROOT }, ['codeartifact:CreateRepository', 'codeartifact:DescribeRepository'], '*')], expect: 'allowed' },
  { source: SEED, name: 'a domain policy can target specific resources by ARN: another repository is not covered', caller: 'partner', action: 'codeartifact:DescribeRepository', domainPolicy: [grant({ AWS: PARTNER_ROOT }, 'codeartifact:DescribeRepository', `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:repository/packages/only-this-one`)], expect: 'implicitDeny' },
  // The seed's GetAuthorizationToken example.
  { source: SEED, name: 'GetAuthorizationToken granted to the partner (seed): tokens allowed', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [getToken], expect: 'allowed' },
  { source: SEED, name: 'the token policy alone does not allow ReadFromRepository (needs a repository grant too)', caller: 'partner', action: 'codeartifact:ReadFromRepository', domainPolicy: [getToken], expect: 'implicitDeny' },
  { source: SEED, name: 'the token policy does not allow CreateRepository', caller: 'partner', action: 'codeartifact:CreateRepository', domainPolicy: [getToken], expect: 'implicitDeny' },
  { source: SEED, name: 'a grant to another account (777788889999) does not reach the partner', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [grant({ AWS: 'arn:aws:iam::777788889999:root' }, 'codeartifact:GetAuthorizationToken', '*')], expect: 'implicitDeny' },
  // The seed's basic domain policy.
  ...BASIC.map((action): CodeArtifactRow => ({ source: EXAMPLE, name: `basic domain policy (seed): ${action.slice('codeartifact:'.length)} allowed`, caller: 'partner', action, domainPolicy: [basic], expect: 'allowed' })),
  { source: EXAMPLE, name: 'basic domain policy: DeleteDomain not allowed', caller: 'partner', action: 'codeartifact:DeleteDomain', domainPolicy: [basic], expect: 'implicitDeny' },
  { source: EXAMPLE, name: 'basic domain policy: PublishPackageVersion not allowed', caller: 'partner', action: 'codeartifact:PublishPackageVersion', domainPolicy: [basic], expect: 'implicitDeny' },
  { source: EXAMPLE, name: 'basic domain policy: PutDomainPermissionsPolicy not allowed', caller: 'partner', action: 'codeartifact:PutDomainPermissionsPolicy', domainPolicy: [basic], expect: 'implicitDeny' },
  // The seed's organization example.
  { source: ORG_EXAMPLE, name: 'organization policy (seed): a caller in o-xxxxxxxxxxx gets tokens', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', context: { 'aws:PrincipalOrgID': 'o-xxxxxxxxxxx' }, domainPolicy: [org], expect: 'allowed' },
  { source: ORG_EXAMPLE, name: 'organization policy: a caller of another organization does not', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', context: { 'aws:PrincipalOrgID': 'o-yyyyyyyyyyy' }, domainPolicy: [org], expect: 'implicitDeny' },
  { source: ORG_EXAMPLE, name: 'organization policy: a caller outside any organization (no aws:PrincipalOrgID) does not', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [org], expect: 'implicitDeny' },
  { source: ORG_EXAMPLE, name: 'organization policy: CreateRepository for an organization member', caller: 'partnerRole', action: 'codeartifact:CreateRepository', context: { 'aws:PrincipalOrgID': 'o-xxxxxxxxxxx' }, domainPolicy: [org], expect: 'allowed' },
  { source: ORG_EXAMPLE, name: 'organization policy: DeleteDomain is not among the granted actions', caller: 'partner', action: 'codeartifact:DeleteDomain', context: { 'aws:PrincipalOrgID': 'o-xxxxxxxxxxx' }, domainPolicy: [org], expect: 'implicitDeny' },
  // Owner account.
  { source: 'caDomain § Domain policies', name: 'the owner account needs no domain policy (its identity policy decides)', caller: 'alice', action: 'codeartifact:CreateRepository', expect: 'allowed' },
  { source: 'caDomain § Domain policies', name: 'without a domain policy another account has no access', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', expect: 'implicitDeny' },
  { source: 'evaluationLogic § Explicit and implicit denies', name: 'a Deny in the domain policy applies to the owner account too', caller: 'alice', action: 'codeartifact:DeleteDomain', domainPolicy: [refuse('*', 'codeartifact:DeleteDomain', '*')], expect: 'explicitDeny' },
  // Domain and repository policies together.
  { source: INTERACTION, name: 'token from the domain policy, read from the repository policy: both allowed (read)', caller: 'partner', action: 'codeartifact:ReadFromRepository', domainPolicy: [getToken], repositoryPolicy: [repoRead], expect: 'allowed' },
  { source: INTERACTION, name: 'token from the domain policy, read from the repository policy: both allowed (token)', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [getToken], repositoryPolicy: [repoRead], expect: 'allowed' },
  { source: INTERACTION, name: 'either policy may allow: a read granted only by the domain policy with Resource "*"', caller: 'partner', action: 'codeartifact:ReadFromRepository', domainPolicy: [grant({ AWS: PARTNER_ROOT }, ['codeartifact:GetAuthorizationToken', 'codeartifact:ReadFromRepository'], '*')], repositoryPolicy: [], expect: 'allowed' },
  { source: INTERACTION, name: 'an explicit Deny in the domain policy wins over the repository policy\'s Allow', caller: 'partner', action: 'codeartifact:ReadFromRepository', domainPolicy: [getToken, refuse({ AWS: PARTNER_ROOT }, 'codeartifact:ReadFromRepository', '*')], repositoryPolicy: [repoRead], expect: 'explicitDeny' },
  { source: INTERACTION, name: 'an explicit Deny in the repository policy wins over the domain policy\'s Allow', caller: 'partner', action: 'codeartifact:ReadFromRepository', domainPolicy: [grant({ AWS: PARTNER_ROOT }, 'codeartifact:*', '*')], repositoryPolicy: [refuse({ AWS: PARTNER_ROOT }, 'codeartifact:ReadFromRepository', '*')], expect: 'explicitDeny' },
  { source: INTERACTION, name: 'publishing needs PublishPackageVersion (on the package) besides the token: repository grant', caller: 'partner', action: 'codeartifact:PublishPackageVersion', domainPolicy: [getToken], repositoryPolicy: [grant({ AWS: PARTNER_ROOT }, ['codeartifact:PublishPackageVersion', 'codeartifact:PutPackageMetadata'], '*')], expect: 'allowed' },
  { source: INTERACTION, name: 'the repository read policy does not allow publishing', caller: 'partner', action: 'codeartifact:PublishPackageVersion', domainPolicy: [getToken], repositoryPolicy: [repoRead], expect: 'implicitDeny' },
  { source: INTERACTION, name: 'a publish grant scoped to the repository ARN does not cover a package ARN of it', caller: 'partner', action: 'codeartifact:PublishPackageVersion', domainPolicy: [getToken], repositoryPolicy: [grant({ AWS: PARTNER_ROOT }, 'codeartifact:PublishPackageVersion', `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:repository/packages/*`)], expect: 'implicitDeny' },
  { source: INTERACTION, name: 'a publish grant on package/packages/* covers packages of every repository of the domain', caller: 'partner', action: 'codeartifact:PublishPackageVersion', domainPolicy: [getToken], repositoryPolicy: [grant({ AWS: PARTNER_ROOT }, 'codeartifact:PublishPackageVersion', `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:package/packages/*`)], expect: 'allowed' },
  { source: 'resource § Using wildcards in resource ARNs', name: 'a Deny on arn:aws:codeartifact:* (trailing *) refuses every CodeArtifact resource', caller: 'partner', action: 'codeartifact:GetAuthorizationToken', domainPolicy: [getToken, refuse('*', 'codeartifact:GetAuthorizationToken', 'arn:aws:codeartifact:*')], expect: 'explicitDeny' },
];
