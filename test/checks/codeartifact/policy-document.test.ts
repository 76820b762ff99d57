import policyDocument from '../../../checks/codeartifact/policy-document.ts';
import { deniedFact } from '../check-table.ts';
import type { Expected } from '../check-table.ts';
import { codeArtifactTable, OWNER } from './table.ts';

const valid: Expected[] = [
  { status: 'pass', subject: 'size', messageId: 'sizeOk' },
  { status: 'pass', subject: 'version' },
  { status: 'pass', subject: 'sids' },
  { status: 'pass', subject: 'principal' },
  { status: 'pass', subject: 'actions', messageId: 'actionsOk' },
  { status: 'pass', subject: 'resources', messageId: 'resourcesOk' },
];
/** `valid` with one aspect replaced. */
const but = (subject: string, ...replacement: Expected[]): Expected[] => valid.flatMap((v) => (v.subject === subject ? replacement.map((r) => ({ subject, ...r })) : [v]));
const live = { policySource: 'live' as const, policyFile: undefined };

codeArtifactTable(policyDocument, [
  // seed 004's examples (in this project's words) are valid documents
  { name: 'seed: CreateRepository for another account', policy: 'seed-create-repository.json', expect: valid },
  { name: 'seed: GetAuthorizationToken for another account', policy: 'seed-get-token.json', expect: valid },
  { name: 'seed: basic domain policy', policy: 'seed-basic-domain-policy.json', expect: valid },
  { name: 'seed: organization pattern (Statement as an object)', policy: 'seed-organization.json', expect: valid },
  { name: 'seed: owner-only policy', policy: 'seed-owner-only.json', expect: valid },
  { name: 'domain and repository ARNs of this domain', policy: 'scoped-arns.json', expect: valid },
  { name: 'package ARNs with a wildcard under this domain', policy: 'publisher-repository-scope.json', expect: valid },
  { name: 'action wildcards that match real actions', policy: 'wildcard-read.json', expect: valid },
  { name: 'codeartifact:* is a valid document (overly-broad judges it)', policy: 'codeartifact-star-cross-account.json', expect: valid },
  { name: 'NotAction with a known action', policy: 'notaction-cross-account.json', expect: valid },
  {
    name: 'region and owner unknown offline: ARNs compared on domain only, and the report says so',
    policy: 'scoped-arns.json',
    target: { region: undefined, domainOwner: undefined },
    expect: but('resources', { status: 'pass', messageId: 'resourcesOk', message: 'region not compared' }),
  },
  // broken documents
  { name: 'trailing comma is not JSON', policy: 'broken-trailing-comma.json', expect: [{ status: 'pass', subject: 'size' }, { status: 'fail', subject: 'json', messageId: 'invalidJson' }] },
  { name: 'a JSON array is not a policy', policy: 'broken-not-object.json', expect: [{ status: 'pass' }, { status: 'fail', subject: 'structure', messageId: 'invalidShape', message: 'JSON object' }] },
  { name: 'no Statement', policy: 'broken-no-statement.json', expect: [{ status: 'pass' }, { status: 'fail', messageId: 'invalidShape', message: 'no Statement' }] },
  { name: 'Effect Permit', policy: 'broken-effect.json', expect: [{ status: 'pass' }, { status: 'fail', messageId: 'invalidShape', message: 'Effect' }] },
  { name: 'empty text', policy: 'text:', expect: [{ status: 'pass' }, { status: 'fail', messageId: 'invalidJson' }] },
  { name: 'Version 2008-10-17', policy: 'version-2008.json', expect: but('version', { status: 'fail', messageId: 'versionWrong', message: '2008-10-17' }) },
  { name: 'no Version', policy: 'version-missing.json', expect: but('version', { status: 'fail', messageId: 'versionMissing' }) },
  {
    name: 'typo in an action name fails, with the likely fix',
    policy: 'typo-action.json',
    expect: but('actions', { status: 'fail', messageId: 'badAction', message: 'did you mean codeartifact:GetAuthorizationToken?' }),
  },
  { name: 'an S3 action in a domain policy', policy: 'foreign-action.json', expect: but('actions', { status: 'fail', messageId: 'badAction', message: 'action of s3' }) },
  { name: 'a pattern that matches no action', policy: 'pattern-matches-nothing.json', expect: but('actions', { status: 'fail', messageId: 'badAction', message: 'matches no CodeArtifact action' }) },
  {
    name: 'a malformed action without a service',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'GetAuthorizationToken', Resource: '*' }] },
    expect: but('actions', { status: 'fail', messageId: 'badAction', message: 'is not an action' }),
  },
  { name: 'ARN of another domain', policy: 'other-domain-arn.json', expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'belongs to domain other-packages' }) },
  { name: 'ARN in another account', policy: 'other-account-arn.json', expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'owned by 111122223333' }) },
  { name: 'ARN in another region', policy: 'other-region-arn.json', expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'domain is in eu-west-1' }) },
  { name: 'an S3 bucket ARN', policy: 's3-resource.json', expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'service s3' }) },
  {
    name: 'a domain ARN with a path',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'codeartifact:GetAuthorizationToken', Resource: 'arn:aws:codeartifact:eu-west-1:111122223333:domain/packages/x' }] },
    expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'path after the domain name' }),
  },
  {
    name: 'a short ARN with a trailing * (arn:aws:codeartifact:*) reaches beyond the domain (issue 22.1)',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'codeartifact:GetAuthorizationToken', Resource: 'arn:aws:codeartifact:*' }] },
    expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'expands beyond the colons' }),
  },
  {
    name: 'a resource that is not an ARN',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'codeartifact:GetAuthorizationToken', Resource: 'packages' }] },
    expect: but('resources', { status: 'fail', messageId: 'badResource', message: 'neither "*" nor an ARN' }),
  },
  {
    name: 'GetAuthorizationToken only on a repository ARN grants nothing: warn',
    policy: 'token-on-repository-only.json',
    // One result per subject (engine onePerSubject): the warn leads, the pass is among its findings.
    expect: [...valid.slice(0, 5), { status: 'warn', subject: 'resources', messageId: 'resourceTypeMismatch' }],
  },
  { name: 'duplicate Sid', policy: 'duplicate-sid.json', expect: but('sids', { status: 'fail', messageId: 'duplicateSid', message: 'Sid "Partner" is used by 2 statements' }) },
  { name: 'statement without Principal', policy: 'no-principal.json', expect: but('principal', { status: 'fail', messageId: 'noPrincipal' }) },
  { name: 'larger than 7168 characters', policy: 'too-large.json', expect: but('size', { status: 'fail', messageId: 'tooLarge', message: 'at most 7168' }) },
  { name: 'an invisible format character (U+200B)', policy: 'invisible-character.json', expect: but('size', { status: 'fail', messageId: 'controlCharacters', message: 'U+200B' }) },
  // live states
  {
    name: 'live: domain without a policy is skipped, not passed',
    target: live,
    facts: { domainPolicy: { present: false }, ownerAccount: OWNER },
    expect: { status: 'skip', messageId: 'noPolicy' },
  },
  {
    name: 'live: no such domain fails',
    target: live,
    facts: { domainPolicy: { present: false, domainMissing: true }, ownerAccount: OWNER },
    expect: { status: 'fail', subject: 'domain', messageId: 'domainMissing', evidence: { api: 'codeartifact:DescribeDomain' } },
  },
  {
    name: 'live: policy revision recorded in the evidence',
    target: live,
    facts: {
      domainPolicy: { present: true, text: '{"Version":"2012-10-17","Statement":[]}', revision: 'REV-1', resourceArn: 'arn:aws:codeartifact:eu-west-1:111122223333:domain/packages', parsed: { ok: true, policy: { version: '2012-10-17', statements: [], raw: {} } }, source: 'live' },
      ownerAccount: OWNER,
      domain: { exists: true, verified: true, name: 'packages', owner: OWNER, status: 'Active' },
    },
    expect: valid.map((v) => ({ ...v, evidence: { policyRevision: 'REV-1', domainStatus: 'Active', api: 'codeartifact:GetDomainPermissionsPolicy' } })),
  },
  {
    name: 'live: GetDomainPermissionsPolicy denied is an error, never a pass',
    target: live,
    facts: { domainPolicy: deniedFact('domainPolicy', 'codeartifact:GetDomainPermissionsPolicy', 'AccessDeniedException') },
    expect: { status: 'error', evidence: { code: 'AccessDeniedException' } },
  },
]);
