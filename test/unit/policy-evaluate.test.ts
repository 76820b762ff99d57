// Table tests for the local IAM evaluator (src/policy/evaluate.ts): one row per case, each
// stating the policies, the request, the exact decision and the statements that decided it
// (`by`: "policy name/Sid"). A new bug becomes a new row.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  actionMatches,
  evaluateCondition,
  evaluateRequest,
  expandActionPattern,
  isKnownAction,
  resourceMatches,
  statementApplies,
  type EvaluationRequest,
  type EvaluationResult,
  type PolicySource,
  type PolicySourceKind,
  type RequestPrincipal,
} from '../../src/policy/evaluate.ts';
import { parsePolicyDocument, type ConditionBlock, type NormalizedStatement } from '../../src/policy/document.ts';

const A = '111111111111';
const B = '222222222222';
const BUCKET = 'arn:aws:s3:::ghes-pkgs';
const OBJECT = 'arn:aws:s3:::ghes-pkgs/preflight/object';

const ALICE: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userId: 'AIDAALICE' };
const BOB: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/eng/bob`, accountId: A };
const ROLE: RequestPrincipal = { arn: `arn:aws:iam::${A}:role/ghes`, accountId: A, sessionArn: `arn:aws:sts::${A}:assumed-role/ghes/preflight`, userId: 'AROAGHES:preflight' };
const ROOT_A = `arn:aws:iam::${A}:root`;

type Json = Record<string, unknown>;
const policy = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });
const allow = (Sid: string, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Sid, Effect: 'Allow', Action, Resource, ...extra });
const deny = (Sid: string, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Sid, Effect: 'Deny', Action, Resource, ...extra });
const grant = (Sid: string, Principal: unknown, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Sid, Effect: 'Allow', Principal, Action, Resource, ...extra });
const refuse = (Sid: string, Principal: unknown, Action: unknown, Resource: unknown, extra: Json = {}): Json => ({ Sid, Effect: 'Deny', Principal, Action, Resource, ...extra });

/** The policy the GHES documentation asks for: exactly the seven actions, bucket and objects. */
const GHES_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];
const GHES_POLICY = policy(allow('Packages', GHES_ACTIONS, [BUCKET, `${BUCKET}/*`]));
const BUCKET_ONLY_POLICY = policy(allow('Packages', GHES_ACTIONS, BUCKET));
const S3_ALL = policy(allow('S3All', 's3:*', '*'));

interface Src {
  name: string;
  kind?: PolicySourceKind;
  group?: string;
  doc: unknown;
}

interface Row {
  name: string;
  principal?: RequestPrincipal;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  identity?: Src[];
  boundary?: unknown;
  bucketPolicy?: unknown;
  expect: {
    decision: EvaluationResult['decision'];
    /** decidedBy, as "policy name/Sid" (or "/#n" without a Sid), in order. */
    by: string[];
    reason?: EvaluationResult['reason'];
    missing?: string[];
    /** The errors (joined) must match; without it, errors must be empty. */
    errors?: RegExp;
  };
}

const id = (name: string, doc: unknown, kind: PolicySourceKind = 'user-inline', group?: string): Src => ({ name, doc, kind, ...(group ? { group } : {}) });

const rows: Row[] = [
  // --- The GHES policy, action by action, on the resource form each acts on.
  ...GHES_ACTIONS.map((action): Row => ({
    name: `GHES policy allows ${action}`,
    action,
    resource: action === 's3:ListBucket' || action === 's3:ListBucketMultipartUploads' ? BUCKET : OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    expect: { decision: 'allowed', by: ['ghes/Packages'], reason: 'identityAllow' },
  })),
  { name: 'GHES policy does not reach another bucket', action: 's3:GetObject', resource: 'arn:aws:s3:::actions-bucket/x', identity: [id('ghes', GHES_POLICY)], expect: { decision: 'implicitDeny', by: [], reason: 'noMatchingAllow' } },
  { name: 'GHES policy does not grant other actions', action: 's3:PutBucketPolicy', resource: BUCKET, identity: [id('ghes', GHES_POLICY)], expect: { decision: 'implicitDeny', by: [] } },

  // --- The most common mistake: object actions granted on the bucket ARN only.
  { name: 'object actions on bucket ARN only: PutObject is denied', action: 's3:PutObject', resource: OBJECT, identity: [id('ghes', BUCKET_ONLY_POLICY)], expect: { decision: 'implicitDeny', by: [], reason: 'noMatchingAllow' } },
  { name: 'object actions on bucket ARN only: GetObject is denied', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', BUCKET_ONLY_POLICY)], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'object actions on bucket ARN only: ListBucket still works', action: 's3:ListBucket', resource: BUCKET, identity: [id('ghes', BUCKET_ONLY_POLICY)], expect: { decision: 'allowed', by: ['ghes/Packages'] } },
  { name: 'bucket actions on objects only: ListBucket is denied', action: 's3:ListBucket', resource: BUCKET, identity: [id('ghes', policy(allow('Objs', 's3:*', `${BUCKET}/*`)))], expect: { decision: 'implicitDeny', by: [] } },

  // --- Several identity policies, groups, explicit deny.
  {
    name: 'explicit deny in a second (managed) policy wins',
    action: 's3:DeleteObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY), id('NoDeletes', policy(deny('NoDelete', 's3:DeleteObject', '*')), 'user-managed')],
    expect: { decision: 'explicitDeny', by: ['NoDeletes/NoDelete'], reason: 'explicitDeny' },
  },
  { name: 'allow via a group policy', action: 's3:PutObject', resource: OBJECT, identity: [id('S3Writers', GHES_POLICY, 'group-managed', 'packages')], expect: { decision: 'allowed', by: ['S3Writers/Packages'] } },
  {
    name: 'deny via a group inline policy beats the user allow',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY), id('freeze', policy(deny('Freeze', 's3:Put*', `${BUCKET}/*`)), 'group-inline', 'frozen')],
    expect: { decision: 'explicitDeny', by: ['freeze/Freeze'] },
  },
  { name: 'two allows: both are reported as deciding', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY), id('all', S3_ALL, 'user-managed')], expect: { decision: 'allowed', by: ['ghes/Packages', 'all/S3All'] } },
  { name: 'no policies at all: implicit deny', action: 's3:GetObject', resource: OBJECT, expect: { decision: 'implicitDeny', by: [], reason: 'noMatchingAllow' } },
  { name: 'statement without Sid is named by position', action: 's3:GetObject', resource: OBJECT, identity: [id('p', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }))], expect: { decision: 'allowed', by: ['p/#1'] } },

  // --- Bucket policy, same account.
  { name: 'allow via bucket policy only (same account, user ARN)', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('GhesUser', { AWS: ALICE.arn }, 's3:PutObject', `${BUCKET}/*`)), expect: { decision: 'allowed', by: ['bucket/GhesUser'], reason: 'resourcePolicyAllow' } },
  { name: 'bucket policy naming another user grants nothing', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Bob', { AWS: BOB.arn }, 's3:*', `${BUCKET}/*`)), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'bucket policy naming the account root delegates: no grant by itself', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Acct', { AWS: ROOT_A }, 's3:*', `${BUCKET}/*`)), expect: { decision: 'implicitDeny', by: [], reason: 'noMatchingAllow' } },
  { name: 'bucket policy naming the account id delegates: no grant by itself', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Acct', { AWS: A }, 's3:*', `${BUCKET}/*`)), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'account root in bucket policy + identity allow: allowed by identity', action: 's3:PutObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], bucketPolicy: policy(grant('Acct', { AWS: ROOT_A }, 's3:*', `${BUCKET}/*`)), expect: { decision: 'allowed', by: ['ghes/Packages'], reason: 'identityAllow' } },
  { name: 'bucket policy Principal "*"', action: 's3:GetObject', resource: OBJECT, bucketPolicy: policy(grant('Public', '*', 's3:GetObject', `${BUCKET}/*`)), expect: { decision: 'allowed', by: ['bucket/Public'] } },
  { name: 'bucket policy Principal {"AWS":"*"}', action: 's3:GetObject', resource: OBJECT, bucketPolicy: policy(grant('Public', { AWS: '*' }, 's3:GetObject', `${BUCKET}/*`)), expect: { decision: 'allowed', by: ['bucket/Public'] } },
  { name: 'bucket policy Service principal never names a user', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Logs', { Service: 'logging.s3.amazonaws.com' }, 's3:PutObject', `${BUCKET}/*`)), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'bucket policy Federated principal never names a user', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Web', { Federated: 'cognito-identity.amazonaws.com' }, 's3:*', '*')), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'bucket policy CanonicalUser principal never names a user', action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Canon', { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, 's3:*', '*')), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'bucket policy statement without Resource applies to the bucket it is on', action: 's3:ListBucket', resource: BUCKET, bucketPolicy: policy({ Sid: 'NoRes', Effect: 'Allow', Principal: { AWS: ALICE.arn }, Action: 's3:ListBucket' }), expect: { decision: 'allowed', by: ['bucket/NoRes'] } },
  { name: 'deny in the bucket policy beats identity allow', action: 's3:DeleteObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], bucketPolicy: policy(refuse('NoDelete', '*', 's3:DeleteObject', `${BUCKET}/*`)), expect: { decision: 'explicitDeny', by: ['bucket/NoDelete'] } },
  { name: 'deny naming the account root denies its users', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], bucketPolicy: policy(refuse('NoAcct', { AWS: ROOT_A }, 's3:*', '*')), expect: { decision: 'explicitDeny', by: ['bucket/NoAcct'] } },
  { name: 'deny naming another user does not apply', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], bucketPolicy: policy(refuse('NoBob', { AWS: BOB.arn }, 's3:*', '*')), expect: { decision: 'allowed', by: ['ghes/Packages'] } },
  {
    name: 'TLS-only deny: insecure request denied',
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SecureTransport': 'false' },
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('TlsOnly', '*', 's3:*', [BUCKET, `${BUCKET}/*`], { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })),
    expect: { decision: 'explicitDeny', by: ['bucket/TlsOnly'] },
  },
  {
    name: 'TLS-only deny: secure request allowed',
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SecureTransport': 'true' },
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('TlsOnly', '*', 's3:*', [BUCKET, `${BUCKET}/*`], { Condition: { Bool: { 'aws:SecureTransport': false } } })),
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },
  {
    name: 'TLS-only deny without the transport in context: allowed, but depends on aws:SecureTransport',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('TlsOnly', '*', 's3:*', `${BUCKET}/*`, { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })),
    expect: { decision: 'allowed', by: ['ghes/Packages'], missing: ['aws:SecureTransport'] },
  },

  // --- Permissions boundaries.
  { name: 'boundary caps the identity allow', action: 's3:PutObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], boundary: policy(allow('ReadOnly', 's3:Get*', '*')), expect: { decision: 'implicitDeny', by: [], reason: 'boundaryCapsIdentityAllow' } },
  { name: 'boundary allows too: both decide', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], boundary: policy(allow('ReadOnly', 's3:Get*', '*')), expect: { decision: 'allowed', by: ['ghes/Packages', 'boundary/ReadOnly'] } },
  { name: 'boundary alone grants nothing', action: 's3:GetObject', resource: OBJECT, boundary: policy(allow('All', '*', '*')), expect: { decision: 'implicitDeny', by: [] } },
  { name: 'explicit deny in the boundary wins', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], boundary: policy(allow('All', '*', '*'), deny('NoGet', 's3:GetObject', '*')), expect: { decision: 'explicitDeny', by: ['boundary/NoGet'] } },
  {
    name: 'bucket policy naming the USER is not capped by its boundary',
    action: 's3:PutObject',
    resource: OBJECT,
    boundary: policy(allow('ReadOnly', 's3:Get*', '*')),
    bucketPolicy: policy(grant('User', { AWS: ALICE.arn }, 's3:PutObject', `${BUCKET}/*`)),
    expect: { decision: 'allowed', by: ['bucket/User'], reason: 'resourcePolicyAllow' },
  },
  {
    name: 'bucket policy naming the ROLE is capped by the role boundary',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    boundary: policy(allow('ReadOnly', 's3:Get*', '*')),
    bucketPolicy: policy(grant('Role', { AWS: ROLE.arn }, 's3:PutObject', `${BUCKET}/*`)),
    expect: { decision: 'implicitDeny', by: [], reason: 'boundaryCapsIdentityAllow' },
  },
  {
    name: 'bucket policy naming the role SESSION is not capped',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    boundary: policy(allow('ReadOnly', 's3:Get*', '*')),
    bucketPolicy: policy(grant('Session', { AWS: ROLE.sessionArn }, 's3:PutObject', `${BUCKET}/*`)),
    expect: { decision: 'allowed', by: ['bucket/Session'] },
  },
  { name: 'bucket policy naming the role, no boundary: allowed', principal: ROLE, action: 's3:PutObject', resource: OBJECT, bucketPolicy: policy(grant('Role', { AWS: ROLE.arn }, 's3:PutObject', `${BUCKET}/*`)), expect: { decision: 'allowed', by: ['bucket/Role'] } },
  {
    name: 'bucket policy naming the role, boundary allows: allowed',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    boundary: policy(allow('S3', 's3:*', '*')),
    bucketPolicy: policy(grant('Role', { AWS: ROLE.arn }, 's3:PutObject', `${BUCKET}/*`)),
    expect: { decision: 'allowed', by: ['bucket/Role'] },
  },
  {
    name: 'NotPrincipal Deny always denies a principal with a boundary',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    boundary: policy(allow('All', '*', '*')),
    bucketPolicy: policy({ Sid: 'OnlyAlice', Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ROOT_A] }, Action: 's3:*', Resource: '*' }),
    expect: { decision: 'explicitDeny', by: ['bucket/OnlyAlice'] },
  },

  // --- Cross account (bucket owned by B, principal in A).
  { name: 'cross account: identity allow alone is not enough', action: 's3:PutObject', resource: OBJECT, resourceAccount: B, identity: [id('ghes', GHES_POLICY)], expect: { decision: 'implicitDeny', by: [], reason: 'crossAccountNeedsResourcePolicyAllow' } },
  { name: 'cross account: bucket policy alone is not enough', action: 's3:PutObject', resource: OBJECT, resourceAccount: B, bucketPolicy: policy(grant('A', { AWS: ALICE.arn }, 's3:*', '*')), expect: { decision: 'implicitDeny', by: [], reason: 'crossAccountNeedsIdentityAllow' } },
  {
    name: 'cross account: both allow (bucket policy names the account)',
    action: 's3:PutObject',
    resource: OBJECT,
    resourceAccount: B,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(grant('TrustA', { AWS: ROOT_A }, 's3:*', `${BUCKET}/*`)),
    expect: { decision: 'allowed', by: ['ghes/Packages', 'bucket/TrustA'], reason: 'crossAccountAllow' },
  },
  { name: 'cross account: bucket policy trusts another account', action: 's3:PutObject', resource: OBJECT, resourceAccount: B, identity: [id('ghes', GHES_POLICY)], bucketPolicy: policy(grant('TrustC', { AWS: 'arn:aws:iam::333333333333:root' }, 's3:*', '*')), expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'cross account: boundary caps even with both allows',
    action: 's3:PutObject',
    resource: OBJECT,
    resourceAccount: B,
    identity: [id('ghes', GHES_POLICY)],
    boundary: policy(allow('ReadOnly', 's3:Get*', '*')),
    bucketPolicy: policy(grant('User', { AWS: ALICE.arn }, 's3:*', '*')),
    expect: { decision: 'implicitDeny', by: [], reason: 'boundaryCapsIdentityAllow' },
  },
  {
    name: 'cross account: deny in the bucket policy',
    action: 's3:PutObject',
    resource: OBJECT,
    resourceAccount: B,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(grant('TrustA', { AWS: A }, 's3:*', '*'), refuse('NoPut', { AWS: A }, 's3:PutObject', '*')),
    expect: { decision: 'explicitDeny', by: ['bucket/NoPut'] },
  },

  // --- aws:SourceIp and missing context.
  ...(
    [
      ['10.1.2.3', 'allowed', ['ipPolicy/FromOffice']],
      ['192.168.1.1', 'implicitDeny', []],
      ['2001:db8::1', 'implicitDeny', []],
    ] as const
  ).map(([ip, decision, by]): Row => ({
    name: `IpAddress 10.0.0.0/8 with aws:SourceIp ${ip}`,
    action: 's3:PutObject',
    resource: OBJECT,
    context: { 'aws:SourceIp': ip },
    identity: [id('ipPolicy', policy(allow('FromOffice', 's3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })))],
    expect: { decision, by: [...by], missing: [] },
  })),
  {
    name: 'IpAddress without aws:SourceIp in the context: denied and the key is reported missing',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('ipPolicy', policy(allow('FromOffice', 's3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })))],
    expect: { decision: 'implicitDeny', by: [], missing: ['aws:SourceIp'] },
  },
  {
    name: 'IPv6 CIDR condition',
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SourceIp': '2001:db8:0:1::5' },
    identity: [id('v6', policy(allow('V6', 's3:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } })))],
    expect: { decision: 'allowed', by: ['v6/V6'] },
  },
  {
    name: 'bucket policy NotIpAddress deny: outside address denied',
    action: 's3:GetObject',
    resource: OBJECT,
    context: { 'aws:SourceIp': '198.51.100.9' },
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('OnlyOffice', '*', 's3:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } })),
    expect: { decision: 'explicitDeny', by: ['bucket/OnlyOffice'] },
  },
  {
    name: 'bucket policy NotIpAddress deny without aws:SourceIp: the deny applies (negated operator, key missing) and the key is reported',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('OnlyOffice', '*', 's3:*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
    expect: { decision: 'explicitDeny', by: ['bucket/OnlyOffice'], missing: ['aws:SourceIp'] },
  },
  {
    name: 'NotIpAddressIfExists deny without aws:SourceIp: still applies (IfExists, key missing = true)',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('OnlyOffice', '*', 's3:*', '*', { Condition: { NotIpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } } })),
    expect: { decision: 'explicitDeny', by: ['bucket/OnlyOffice'], missing: ['aws:SourceIp'] },
  },
  {
    name: 'a condition already false on a present key makes a missing one irrelevant',
    action: 's3:PutObject',
    resource: OBJECT,
    context: { 'aws:SecureTransport': 'false' },
    identity: [id('p', policy(allow('Both', 's3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })))],
    expect: { decision: 'implicitDeny', by: [], missing: [] },
  },
  {
    name: 'aws:SourceVpce condition met',
    action: 's3:PutObject',
    resource: OBJECT,
    context: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy(refuse('VpceOnly', '*', 's3:*', '*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } })),
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },

  // --- NotAction / NotResource.
  { name: 'Allow NotAction iam:* covers s3:PutObject', action: 's3:PutObject', resource: OBJECT, identity: [id('p', policy({ Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))], expect: { decision: 'allowed', by: ['p/AllButIam'] } },
  { name: 'Allow NotAction s3:Delete* does not cover DeleteObject', action: 's3:DeleteObject', resource: OBJECT, identity: [id('p', policy({ Sid: 'NoDel', Effect: 'Allow', NotAction: ['s3:Delete*', 'iam:*'], Resource: '*' }))], expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'Deny NotAction s3:GetObject denies PutObject',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY), id('ro', policy({ Sid: 'ReadOnly', Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }), 'user-managed')],
    expect: { decision: 'explicitDeny', by: ['ro/ReadOnly'] },
  },
  {
    name: 'Deny NotAction s3:GetObject leaves GetObject',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY), id('ro', policy({ Sid: 'ReadOnly', Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }), 'user-managed')],
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },
  { name: 'Allow NotResource: outside the excluded prefix', action: 's3:PutObject', resource: OBJECT, identity: [id('p', policy({ Sid: 'NotSecret', Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/secret/*` }))], expect: { decision: 'allowed', by: ['p/NotSecret'] } },
  { name: 'Allow NotResource: inside the excluded prefix', action: 's3:PutObject', resource: `${BUCKET}/secret/k`, identity: [id('p', policy({ Sid: 'NotSecret', Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/secret/*` }))], expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'Deny NotResource: everything but the packages bucket is denied',
    action: 's3:PutObject',
    resource: 'arn:aws:s3:::actions-bucket/k',
    identity: [id('all', S3_ALL), id('fence', policy({ Sid: 'Fence', Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] }), 'user-managed')],
    expect: { decision: 'explicitDeny', by: ['fence/Fence'] },
  },
  {
    name: 'Deny NotResource: the packages bucket itself passes',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('all', S3_ALL), id('fence', policy({ Sid: 'Fence', Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] }), 'user-managed')],
    expect: { decision: 'allowed', by: ['all/S3All'] },
  },

  // --- Case rules and wildcards.
  { name: 'actions are case-insensitive', action: 's3:PutObject', resource: OBJECT, identity: [id('p', policy(allow('Upper', 'S3:PUTOBJECT', '*')))], expect: { decision: 'allowed', by: ['p/Upper'] } },
  { name: 'ARNs are case-sensitive', action: 's3:PutObject', resource: OBJECT, identity: [id('p', policy(allow('Upper', 's3:*', 'arn:aws:s3:::GHES-PKGS/*')))], expect: { decision: 'implicitDeny', by: [] } },
  { name: '? matches one character in an action', action: 's3:GetObject', resource: OBJECT, identity: [id('p', policy(allow('Q', 's3:?etObject', '*')))], expect: { decision: 'allowed', by: ['p/Q'] } },
  { name: '* in the resource spans slashes', action: 's3:GetObject', resource: `${BUCKET}/a/b/c/d`, identity: [id('p', policy(allow('Deep', 's3:GetObject', 'arn:aws:s3:::ghes-*/a/*')))], expect: { decision: 'allowed', by: ['p/Deep'] } },
  { name: 'bucket wildcard without slash also covers objects (pkgs* covers pkgs/x)', action: 's3:GetObject', resource: OBJECT, identity: [id('p', policy(allow('Star', 's3:GetObject', 'arn:aws:s3:::ghes-pkgs*')))], expect: { decision: 'allowed', by: ['p/Star'] } },

  // --- Policy variables.
  { name: '${aws:username} in the resource: own prefix', action: 's3:PutObject', resource: `${BUCKET}/alice/f`, identity: [id('home', policy(allow('Home', 's3:*', `${BUCKET}/\${aws:username}/*`)))], expect: { decision: 'allowed', by: ['home/Home'] } },
  { name: '${aws:username} in the resource: someone else\'s prefix', action: 's3:PutObject', resource: `${BUCKET}/bob/f`, identity: [id('home', policy(allow('Home', 's3:*', `${BUCKET}/\${aws:username}/*`)))], expect: { decision: 'implicitDeny', by: [] } },
  { name: '${aws:username} for a user with a path is the last segment', principal: BOB, action: 's3:PutObject', resource: `${BUCKET}/bob/f`, identity: [id('home', policy(allow('Home', 's3:*', `${BUCKET}/\${aws:username}/*`)))], expect: { decision: 'allowed', by: ['home/Home'] } },
  {
    name: '${aws:username} for a role session does not exist (known, not missing)',
    principal: ROLE,
    action: 's3:PutObject',
    resource: `${BUCKET}/ghes/f`,
    identity: [id('home', policy(allow('Home', 's3:*', `${BUCKET}/\${aws:username}/*`)), 'role-inline')],
    expect: { decision: 'implicitDeny', by: [], missing: [] },
  },
  { name: '${aws:userid} with the user id known', action: 's3:PutObject', resource: `${BUCKET}/AIDAALICE/f`, identity: [id('uid', policy(allow('Uid', 's3:*', `${BUCKET}/\${aws:userid}/*`)))], expect: { decision: 'allowed', by: ['uid/Uid'] } },
  {
    name: '${aws:userid} unknown: denied and reported missing',
    principal: BOB,
    action: 's3:PutObject',
    resource: `${BUCKET}/AIDABOB/f`,
    identity: [id('uid', policy(allow('Uid', 's3:*', `${BUCKET}/\${aws:userid}/*`)))],
    expect: { decision: 'implicitDeny', by: [], missing: ['aws:userid'] },
  },
  {
    name: '${aws:PrincipalAccount} in a condition value',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('acct', policy(allow('Own', 's3:*', '*', { Condition: { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } } })))],
    expect: { decision: 'allowed', by: ['acct/Own'] },
  },
  { name: '${*} ${?} ${$} are literal characters', action: 's3:GetObject', resource: `${BUCKET}/a*b?c$d`, identity: [id('lit', policy(allow('Lit', 's3:*', `${BUCKET}/a\${*}b\${?}c\${$}d`)))], expect: { decision: 'allowed', by: ['lit/Lit'] } },
  { name: '${*} does not act as a wildcard', action: 's3:GetObject', resource: `${BUCKET}/aXb`, identity: [id('lit', policy(allow('Lit', 's3:*', `${BUCKET}/a\${*}b`)))], expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'variable default value is used when the tag is absent',
    principal: { ...ALICE, tags: {} },
    action: 's3:PutObject',
    resource: `${BUCKET}/shared/f`,
    identity: [id('team', policy(allow('Team', 's3:*', `${BUCKET}/\${aws:PrincipalTag/team, 'shared'}/*`)))],
    expect: { decision: 'allowed', by: ['team/Team'] },
  },
  {
    name: 'aws:PrincipalTag condition with tags known',
    principal: { ...ALICE, tags: { team: 'packages' } },
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('tag', policy(allow('Tag', 's3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'packages' } } })))],
    expect: { decision: 'allowed', by: ['tag/Tag'] },
  },
  {
    name: 'aws:PrincipalTag condition with tags unknown: reported missing',
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('tag', policy(allow('Tag', 's3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'packages' } } })))],
    expect: { decision: 'implicitDeny', by: [], missing: ['aws:PrincipalTag/team'] },
  },

  // --- Conditions.
  { name: 'StringLike on s3:x-amz-acl', action: 's3:PutObject', resource: OBJECT, context: { 's3:x-amz-acl': 'bucket-owner-full-control' }, identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringLike: { 's3:x-amz-acl': 'bucket-owner-*' } } })))], expect: { decision: 'allowed', by: ['acl/Acl'] } },
  { name: 'condition key names are case-insensitive', action: 's3:PutObject', resource: OBJECT, context: { 'S3:X-AMZ-ACL': 'private' }, identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } })))], expect: { decision: 'allowed', by: ['acl/Acl'] } },
  { name: 'StringEquals values are case-sensitive', action: 's3:PutObject', resource: OBJECT, context: { 's3:x-amz-acl': 'PRIVATE' }, identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } })))], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'StringEqualsIgnoreCase', action: 's3:PutObject', resource: OBJECT, context: { 's3:x-amz-acl': 'PRIVATE' }, identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringEqualsIgnoreCase: { 's3:x-amz-acl': 'private' } } })))], expect: { decision: 'allowed', by: ['acl/Acl'] } },
  { name: 'several values are ORed', action: 's3:PutObject', resource: OBJECT, context: { 's3:x-amz-acl': 'private' }, identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringEquals: { 's3:x-amz-acl': ['public-read', 'private'] } } })))], expect: { decision: 'allowed', by: ['acl/Acl'] } },
  {
    name: 'several keys are ANDed',
    action: 's3:PutObject',
    resource: OBJECT,
    context: { 's3:x-amz-acl': 'private', 'aws:SecureTransport': 'false' },
    identity: [id('acl', policy(allow('Acl', 's3:PutObject', '*', { Condition: { StringEquals: { 's3:x-amz-acl': 'private' }, Bool: { 'aws:SecureTransport': 'true' } } })))],
    expect: { decision: 'implicitDeny', by: [] },
  },
  { name: 'StringNotEquals with a missing key is true', action: 's3:PutObject', resource: OBJECT, identity: [id('ne', policy(allow('Ne', 's3:PutObject', '*', { Condition: { StringNotEquals: { 's3:x-amz-acl': 'public-read' } } })))], expect: { decision: 'allowed', by: ['ne/Ne'], missing: ['s3:x-amz-acl'] } },
  { name: 'StringEqualsIfExists with a missing key is true', action: 's3:PutObject', resource: OBJECT, identity: [id('ie', policy(allow('Ie', 's3:PutObject', '*', { Condition: { StringEqualsIfExists: { 's3:x-amz-acl': 'private' } } })))], expect: { decision: 'allowed', by: ['ie/Ie'], missing: ['s3:x-amz-acl'] } },
  { name: 'Null true: key absent', action: 's3:PutObject', resource: OBJECT, context: { 'aws:SourceVpce': 'vpce-1' }, identity: [id('nl', policy(allow('NoVpce', 's3:PutObject', '*', { Condition: { Null: { 'aws:SourceVpce': 'true' } } })))], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'Null false: key present', action: 's3:PutObject', resource: OBJECT, context: { 'aws:SourceVpce': 'vpce-1' }, identity: [id('nl', policy(allow('Vpce', 's3:PutObject', '*', { Condition: { Null: { 'aws:SourceVpce': 'false' } } })))], expect: { decision: 'allowed', by: ['nl/Vpce'] } },
  { name: 'NumericLessThanEquals on s3:max-keys', action: 's3:ListBucket', resource: BUCKET, context: { 's3:max-keys': '100' }, identity: [id('n', policy(allow('Max', 's3:ListBucket', '*', { Condition: { NumericLessThanEquals: { 's3:max-keys': '1000' } } })))], expect: { decision: 'allowed', by: ['n/Max'] } },
  { name: 'DateLessThan on aws:CurrentTime (expired grant)', action: 's3:GetObject', resource: OBJECT, context: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' }, identity: [id('d', policy(allow('Until', 's3:*', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } } })))], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'DateGreaterThan with epoch seconds vs ISO time', action: 's3:GetObject', resource: OBJECT, context: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' }, identity: [id('d', policy(allow('After', 's3:*', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '1735689600' } } })))], expect: { decision: 'allowed', by: ['d/After'] } },
  { name: 'ForAnyValue:StringEquals on a multivalued key', action: 's3:PutObject', resource: OBJECT, context: { 'aws:TagKeys': ['env', 'team'] }, identity: [id('t', policy(allow('Any', 's3:*', '*', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } } })))], expect: { decision: 'allowed', by: ['t/Any'] } },
  { name: 'ForAllValues:StringEquals fails when one value is outside', action: 's3:PutObject', resource: OBJECT, context: { 'aws:TagKeys': ['env', 'cost'] }, identity: [id('t', policy(allow('All', 's3:*', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } })))], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'ForAllValues with the key missing is true', action: 's3:PutObject', resource: OBJECT, identity: [id('t', policy(allow('All', 's3:*', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } } })))], expect: { decision: 'allowed', by: ['t/All'], missing: ['aws:TagKeys'] } },
  { name: 'ForAnyValue with an empty set is false', action: 's3:PutObject', resource: OBJECT, context: { 'aws:TagKeys': [] }, identity: [id('t', policy(allow('Any', 's3:*', '*', { Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': '*' } } })))], expect: { decision: 'implicitDeny', by: [] } },
  { name: 'single-valued operator on a multivalued key does not match', action: 's3:PutObject', resource: OBJECT, context: { 'aws:TagKeys': ['env', 'team'] }, identity: [id('t', policy(allow('Single', 's3:*', '*', { Condition: { StringEquals: { 'aws:TagKeys': 'team' } } })))], expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'ArnLike on aws:PrincipalArn (role path wildcard)',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    bucketPolicy: policy(grant('Roles', '*', 's3:PutObject', '*', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/*` } } })),
    expect: { decision: 'allowed', by: ['bucket/Roles'] },
  },
  {
    name: 'ArnNotEquals deny exempting the GHES role',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY, 'role-inline')],
    bucketPolicy: policy(refuse('OnlyGhes', '*', 's3:*', '*', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE.arn } } })),
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },
  { name: 'BinaryEquals', action: 's3:PutObject', resource: OBJECT, context: { 'custom:bin': 'aGVsbG8=' }, identity: [id('b', policy(allow('Bin', 's3:*', '*', { Condition: { BinaryEquals: { 'custom:bin': 'aGVsbG8=' } } })))], expect: { decision: 'allowed', by: ['b/Bin'] } },

  // --- NotPrincipal.
  { name: 'Allow NotPrincipal excluding someone else: applies to alice', action: 's3:GetObject', resource: OBJECT, bucketPolicy: policy({ Sid: 'NotBob', Effect: 'Allow', NotPrincipal: { AWS: BOB.arn }, Action: 's3:GetObject', Resource: '*' }), expect: { decision: 'allowed', by: ['bucket/NotBob'] } },
  { name: 'Allow NotPrincipal excluding alice: does not apply', action: 's3:GetObject', resource: OBJECT, bucketPolicy: policy({ Sid: 'NotAlice', Effect: 'Allow', NotPrincipal: { AWS: ALICE.arn }, Action: 's3:GetObject', Resource: '*' }), expect: { decision: 'implicitDeny', by: [] } },
  {
    name: 'Deny NotPrincipal listing the user AND its account: the user escapes',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy({ Sid: 'OnlyAlice', Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ROOT_A] }, Action: 's3:*', Resource: '*' }),
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },
  {
    name: 'Deny NotPrincipal listing only the user (not the account): denied (AWS "might" check the account first)',
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY)],
    bucketPolicy: policy({ Sid: 'OnlyAlice', Effect: 'Deny', NotPrincipal: { AWS: ALICE.arn }, Action: 's3:*', Resource: '*' }),
    expect: { decision: 'explicitDeny', by: ['bucket/OnlyAlice'] },
  },
  {
    name: 'Deny NotPrincipal for a session lists role, session and account: escapes',
    principal: ROLE,
    action: 's3:GetObject',
    resource: OBJECT,
    identity: [id('ghes', GHES_POLICY, 'role-managed')],
    bucketPolicy: policy({ Sid: 'OnlyGhes', Effect: 'Deny', NotPrincipal: { AWS: [ROLE.arn, ROLE.sessionArn, A] }, Action: 's3:*', Resource: '*' }),
    expect: { decision: 'allowed', by: ['ghes/Packages'] },
  },

  // --- Malformed input: errors, never a pass.
  { name: 'malformed policy JSON', action: 's3:GetObject', resource: OBJECT, identity: [id('bad', '{"Version": "2012-10-17", "Statement": [')], expect: { decision: 'implicitDeny', by: [], errors: /user-inline policy "bad": not valid JSON/ } },
  { name: 'malformed policy next to a valid one: still reported', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY), id('bad', { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] })], expect: { decision: 'allowed', by: ['ghes/Packages'], errors: /Effect must be "Allow" or "Deny"/ } },
  { name: 'URL-encoded policy text (as IAM returns it) is understood', action: 's3:GetObject', resource: OBJECT, identity: [id('enc', encodeURIComponent(JSON.stringify(GHES_POLICY)))], expect: { decision: 'allowed', by: ['enc/Packages'] } },
  { name: 'identity statement without Resource is invalid', action: 's3:GetObject', resource: OBJECT, identity: [id('nores', policy({ Sid: 'NoRes', Effect: 'Allow', Action: 's3:*' }))], expect: { decision: 'implicitDeny', by: [], errors: /Sid "NoRes": an identity-based policy statement needs Resource/ } },
  { name: 'identity statement with Principal is invalid', action: 's3:GetObject', resource: OBJECT, identity: [id('pr', policy(grant('Pr', '*', 's3:*', '*')))], expect: { decision: 'implicitDeny', by: [], errors: /cannot have Principal/ } },
  { name: 'bucket policy statement without Principal is invalid', action: 's3:GetObject', resource: OBJECT, bucketPolicy: policy(allow('NoPr', 's3:*', '*')), expect: { decision: 'implicitDeny', by: [], errors: /needs Principal or NotPrincipal/ } },
  { name: 'unknown condition operator is an error', action: 's3:GetObject', resource: OBJECT, identity: [id('op', policy(allow('Op', 's3:*', '*', { Condition: { StringEqualz: { 's3:x-amz-acl': 'private' } } })))], expect: { decision: 'implicitDeny', by: [], errors: /unknown condition operator "StringEqualz"/ } },
  { name: 'unreadable boundary caps everything', action: 's3:GetObject', resource: OBJECT, identity: [id('ghes', GHES_POLICY)], boundary: 'not json', expect: { decision: 'implicitDeny', by: [], errors: /permissions-boundary policy "boundary"/ } },
];

const key = (r: { source: { name: string }; sid?: string; index: number }) => `${r.source.name}/${r.sid ?? `#${r.index + 1}`}`;

function run(row: Row): EvaluationResult {
  const req: EvaluationRequest = { action: row.action, resource: row.resource, principal: row.principal ?? ALICE, ...(row.resourceAccount ? { resourceAccount: row.resourceAccount } : {}), ...(row.context ? { context: row.context } : {}) };
  const identity: PolicySource[] = (row.identity ?? []).map((s) => ({ kind: s.kind ?? 'user-inline', name: s.name, ...(s.group ? { group: s.group } : {}), document: s.doc }));
  return evaluateRequest(req, {
    identity,
    ...(row.boundary !== undefined ? { permissionsBoundary: { kind: 'permissions-boundary', name: 'boundary', document: row.boundary } } : {}),
    ...(row.bucketPolicy !== undefined ? { resourcePolicy: { kind: 'resource-policy', name: 'bucket', document: row.bucketPolicy } } : {}),
  });
}

test(`evaluateRequest: ${rows.length} table rows`, async (t) => {
  assert.ok(rows.length >= 60);
  for (const row of rows) {
    await t.test(row.name, () => {
      const r = run(row);
      assert.equal(r.decision, row.expect.decision, `decision (${r.reason})`);
      assert.deepEqual(r.decidedBy.map(key), row.expect.by, 'decided by');
      if (row.expect.reason) assert.equal(r.reason, row.expect.reason);
      if (row.expect.missing) assert.deepEqual(r.missingContextKeys, [...row.expect.missing].sort());
      if (row.expect.errors) assert.match(r.errors.map((e) => `${e.source}: ${e.error}`).join('; '), row.expect.errors);
      else assert.deepEqual(r.errors, []);
      // Invariants of every result.
      assert.equal(r.deniedBy.length > 0, r.decision === 'explicitDeny');
      if (r.decision === 'implicitDeny') assert.deepEqual(r.decidedBy, []);
      for (const ref of [...r.allowedBy, ...r.deniedBy]) assert.equal(typeof ref.statement, 'object');
    });
  }
});

test('evaluateRequest reports evidence: verbatim statement, labels, flags, examined policies', () => {
  const r = run({
    name: 'evidence',
    principal: ROLE,
    action: 's3:PutObject',
    resource: OBJECT,
    identity: [{ name: 'S3Writers', kind: 'group-managed', group: 'packages', doc: GHES_POLICY }],
    boundary: policy(allow('S3', 's3:*', '*')),
    bucketPolicy: policy(grant('Role', { AWS: ROLE.arn }, 's3:PutObject', `${BUCKET}/*`)),
    expect: { decision: 'allowed', by: [] },
  });
  assert.equal(r.decision, 'allowed');
  assert.equal(r.identityAllows, true);
  assert.equal(r.boundaryAllows, true);
  assert.equal(r.resourcePolicyAllows, true);
  assert.equal(r.sameAccount, true);
  const first = r.allowedBy[0];
  assert.equal(first.label, 'Sid "Packages"');
  assert.equal(first.where, 'group-managed policy "S3Writers" (via group "packages"), Sid "Packages"');
  assert.deepEqual(first.source, { kind: 'group-managed', name: 'S3Writers', group: 'packages' });
  assert.deepEqual(first.statement, (GHES_POLICY.Statement as Json[])[0]);
  assert.deepEqual(r.examined.map((e) => e.kind), ['group-managed', 'permissions-boundary', 'resource-policy']);
  const none = run({ name: 'no boundary', action: 's3:GetObject', resource: OBJECT, expect: { decision: 'implicitDeny', by: [] } });
  assert.equal(none.boundaryAllows, null);
});

// --- Building blocks -----------------------------------------------------------------------

test('actionMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 's3:GetObject', true],
    ['s3:*', 's3:GetObject', true],
    ['S3:get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:GettObject', false],
    ['s3:GetObject', 's3:GetObjectAcl', false],
    ['iam:*', 's3:GetObject', false],
    ['s3', 's3:GetObject', false],
    ['s3:', 's3:GetObject', false],
    ['s3:*Multipart*', 's3:ListBucketMultipartUploads', true],
  ];
  for (const [pattern, action, expected] of cases) assert.equal(actionMatches(pattern, action), expected, `${pattern} vs ${action}`);
});

test('resourceMatches', () => {
  const vars = { 'aws:username': 'alice', 'aws:userid': 'AIDAALICE', 'aws:PrincipalAccount': A };
  const cases: Array<[string, string, boolean]> = [
    ['*', OBJECT, true],
    [`${BUCKET}/*`, OBJECT, true],
    [`${BUCKET}/*`, BUCKET, false],
    [BUCKET, OBJECT, false],
    ['arn:aws:s3:::ghes-pkg?', BUCKET, true],
    ['arn:aws:s3:::GHES-PKGS', BUCKET, false],
    [`${BUCKET}/\${aws:username}/*`, `${BUCKET}/alice/x`, true],
    [`${BUCKET}/\${aws:username}/*`, `${BUCKET}/bob/x`, false],
    [`${BUCKET}/\${aws:userid}`, `${BUCKET}/AIDAALICE`, true],
    [`arn:aws:iam::\${aws:PrincipalAccount}:user/*`, `arn:aws:iam::${A}:user/x`, true],
    [`${BUCKET}/\${aws:PrincipalTag/team}/*`, `${BUCKET}/x/y`, false],
    [`${BUCKET}/\${*}`, `${BUCKET}/*`, true],
    [`${BUCKET}/\${?}`, `${BUCKET}/x`, false],
    [`${BUCKET}/\${$}x`, `${BUCKET}/$x`, true],
    ['arn:aws:s3:*:*:ghes-pkgs', BUCKET, true],
    ['arn:aws:s3', BUCKET, false],
  ];
  for (const [pattern, arn, expected] of cases) assert.equal(resourceMatches(pattern, arn, vars), expected, `${pattern} vs ${arn}`);
});

test('evaluateCondition', () => {
  const cases: Array<{ block: ConditionBlock; context: Record<string, string | string[]>; result: boolean; missing?: string[] }> = [
    { block: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, context: { 'aws:sourceip': '10.9.9.9' }, result: true },
    { block: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, context: {}, result: false, missing: ['aws:SourceIp'] },
    { block: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, context: {}, result: true, missing: ['aws:SourceIp'] },
    { block: { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } }, context: { 'aws:SourceIp': '198.51.100.1' }, result: true },
    { block: { IpAddress: { 'aws:SourceIp': ['::/0'] } }, context: { 'aws:SourceIp': '198.51.100.1' }, result: false },
    { block: { IpAddress: { 'aws:SourceIp': ['203.0.113.7'] } }, context: { 'aws:SourceIp': '203.0.113.7' }, result: true },
    { block: { IpAddress: { 'aws:SourceIp': ['2001:db8::1'] } }, context: { 'aws:SourceIp': '2001:0db8:0:0::1' }, result: true },
    { block: { IpAddress: { 'aws:SourceIp': ['not-an-ip'] } }, context: { 'aws:SourceIp': '10.0.0.1' }, result: false },
    { block: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.7'] } }, context: { 'aws:SourceIp': '2001:db8::1' }, result: true },
    { block: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::${aws:PrincipalAccount}:role/*'] } }, context: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/x`, 'aws:PrincipalAccount': A }, result: true },
    { block: { DateLessThan: { t: ['2024-01-01T00:00:00'] } }, context: { t: '2023-12-31T23:00:00Z' }, result: true },
    { block: { Bool: { 'aws:SecureTransport': ['true'] } }, context: { 'aws:SecureTransport': 'TRUE' }, result: true },
    { block: { Bool: { 'aws:SecureTransport': ['true'] } }, context: {}, result: false, missing: ['aws:SecureTransport'] },
    { block: { BoolIfExists: { 'aws:SecureTransport': ['true'] } }, context: {}, result: true, missing: ['aws:SecureTransport'] },
    { block: { StringNotLike: { 's3:prefix': ['home/*'] } }, context: { 's3:prefix': 'home/alice' }, result: false },
    { block: { StringNotEquals: { a: ['x', 'y'] } }, context: { a: 'y' }, result: false },
    { block: { StringNotEquals: { a: ['x', 'y'] } }, context: { a: 'z' }, result: true },
    { block: { StringEquals: { a: ['x*'] } }, context: { a: 'xyz' }, result: false },
    { block: { StringLike: { a: ['x*'] } }, context: { a: 'xyz' }, result: true },
    { block: { StringEquals: { a: ['${aws:username}'] } }, context: { a: 'alice' }, result: false, missing: ['aws:username'] },
    { block: { StringEquals: { a: ['${aws:username}'] } }, context: { a: 'alice', 'aws:username': 'alice' }, result: true },
    { block: { NumericGreaterThan: { n: ['10'] } }, context: { n: '10.5' }, result: true },
    { block: { NumericEquals: { n: ['10'] } }, context: { n: 'ten' }, result: false },
    { block: { NumericNotEquals: { n: ['10'] } }, context: {}, result: true, missing: ['n'] },
    { block: { DateEquals: { t: ['2024-01-01T00:00:00Z'] } }, context: { t: '1704067200' }, result: true },
    { block: { DateGreaterThanEquals: { t: ['2024-01-01'] } }, context: { t: '2023-12-31T23:59:59Z' }, result: false },
    { block: { Null: { k: ['true'] } }, context: {}, result: true, missing: ['k'] },
    { block: { Null: { k: ['false'] } }, context: { k: '' }, result: true },
    { block: { 'ForAnyValue:StringEquals': { k: ['a'] } }, context: {}, result: false, missing: ['k'] },
    { block: { 'ForAllValues:StringEquals': { k: ['a'] } }, context: {}, result: true, missing: ['k'] },
    { block: { 'ForAllValues:StringEquals': { k: ['a'] } }, context: { k: [] }, result: true },
    { block: { 'ForAllValues:StringLike': { k: ['a*'] } }, context: { k: ['ab', 'ac'] }, result: true },
    { block: { 'ForAnyValue:StringNotEquals': { k: ['a'] } }, context: { k: ['a', 'b'] }, result: true },
    { block: { 'ForAnyValue:StringEqualsIfExists': { k: ['a'] } }, context: {}, result: true, missing: ['k'] },
    { block: { ArnLike: { arn: ['arn:aws:iam::*:role/*'] } }, context: { arn: 'arn:aws:iam::1:role/x' }, result: true },
    { block: { ArnEquals: { arn: ['arn:aws:iam::*:role/*'] } }, context: { arn: 'arn:aws:iam::1:user/x' }, result: false },
    { block: { ArnNotLike: { arn: ['arn:aws:iam::1:role/*'] } }, context: { arn: 'arn:aws:iam::1:user/x' }, result: true },
    { block: { BinaryEquals: { b: ['QUJD'] } }, context: { b: 'QUJD' }, result: true },
    { block: { StringEquals: { a: ['x'] }, Bool: { b: ['true'] } }, context: { a: 'y' }, result: false, missing: [] },
  ];
  for (const c of cases) {
    const r = evaluateCondition(c.block, c.context);
    assert.equal(r.result, c.result, JSON.stringify(c));
    if (c.missing) assert.deepEqual(r.missingKeys, c.missing, JSON.stringify(c));
  }
});

test('statementApplies', () => {
  const parsed = parsePolicyDocument(policy(allow('A', 's3:GetObject', `${BUCKET}/*`), grant('B', { AWS: ALICE.arn }, 's3:GetObject', '*'), grant('C', { AWS: BOB.arn }, 's3:GetObject', '*')));
  assert.ok(parsed.ok);
  const [a, b, c] = parsed.policy.statements as NormalizedStatement[];
  const req: EvaluationRequest = { action: 's3:GetObject', resource: OBJECT, principal: ALICE };
  assert.equal(statementApplies(a, req), true);
  assert.equal(statementApplies(a, { ...req, action: 's3:PutObject' }), false);
  assert.equal(statementApplies(b, req), true);
  assert.equal(statementApplies(c, req), false);
});

test('isKnownAction and expandActionPattern (iam-data)', () => {
  assert.equal(isKnownAction('codeartifact:GetAuthorizationToken'), true);
  assert.equal(isKnownAction('codeartifact:GetAuthorisationToken'), false);
  assert.equal(isKnownAction('S3:putobject'), true);
  assert.equal(isKnownAction('s3:Put*'), false);
  assert.equal(isKnownAction('nosuchservice:Foo'), false);
  assert.deepEqual(expandActionPattern('s3:ListBucketM*'), ['s3:ListBucketMultipartUploads']);
  assert.deepEqual(expandActionPattern('codeartifact:GetAuthorisation*'), []);
  assert.ok(expandActionPattern('s3:*').includes('s3:PutObject'));
  assert.ok(expandActionPattern('sts:GetServiceBearer?oken').includes('sts:GetServiceBearerToken'));
  for (const a of GHES_ACTIONS) assert.equal(isKnownAction(a), true, a);
});

// Issue 22 item 1. IAM User Guide, "IAM JSON policy elements: Resource", "Using wildcards in resource
// ARNs": "If the * wildcard is the last character of a resource ARN segment, it can expand to match
// beyond the colon boundaries." Where the docs leave a case open, a Deny applies and an Allow does not.
test('short ARN patterns: a trailing * expands beyond the colons; the undocumented readings never produce a false pass', () => {
  const S3_ALLOW_DENY_GET = (denyResource: string) => [{ name: 'p', doc: policy(allow('All', 's3:*', '*'), deny('NoGet', 's3:GetObject', denyResource)) }];
  const decide = (identity: Src[], resource = OBJECT, action = 's3:GetObject') =>
    evaluateRequest({ action, resource, principal: ALICE }, { identity: identity.map((s) => ({ kind: 'user-inline', name: s.name, document: s.doc })) }).decision;
  // The issue's example: Allow s3:* + Deny s3:GetObject on arn:aws:s3:* is an explicit deny.
  assert.equal(decide(S3_ALLOW_DENY_GET('arn:aws:s3:*')), 'explicitDeny');
  assert.equal(decide(S3_ALLOW_DENY_GET('arn:aws:sqs:us-east-1:*')), 'allowed');
  // No trailing *: undocumented; the Deny may apply, so it does.
  assert.equal(decide(S3_ALLOW_DENY_GET('arn:aws:s3')), 'explicitDeny');
  // A middle segment ending in * may span colons: the Deny applies...
  assert.equal(decide(S3_ALLOW_DENY_GET('arn:aws:s3:*:ghes-pkgs/*')), 'explicitDeny');
  // ...but the same ambiguous pattern never makes an Allow apply.
  assert.equal(decide([{ name: 'p', doc: policy(allow('Mid', 's3:*', 'arn:aws:s3:*:ghes-pkgs/*')) }]), 'implicitDeny');
  assert.equal(decide([{ name: 'p', doc: policy(allow('Short', 's3:*', 'arn:aws:s3')) }]), 'implicitDeny');
  assert.equal(decide([{ name: 'p', doc: policy(allow('Trailing', 's3:*', 'arn:aws:s3:*')) }]), 'allowed');
  // NotResource: Allow everything but SQS covers S3; Allow everything but the ambiguous `arn:aws:s3` does not.
  assert.equal(decide([{ name: 'p', doc: policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:sqs:*' }) }]), 'allowed');
  assert.equal(decide([{ name: 'p', doc: policy({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3' }) }]), 'implicitDeny');
  // Deny NotResource with the ambiguous entry: it may not exclude the object, so the Deny applies.
  assert.equal(decide([{ name: 'p', doc: policy(allow('All', 's3:*', '*'), { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3' }) }]), 'explicitDeny');
  // ArnLike in a condition follows the same rule, leaning by the statement's effect.
  const arnCond = (effect: 'Allow' | 'Deny', op: string, value: string) =>
    evaluateRequest(
      { action: 's3:GetObject', resource: OBJECT, principal: ALICE, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:topic' } },
      { identity: [{ kind: 'user-inline', name: 'p', document: policy(allow('All', 's3:*', '*'), { Effect: effect, Action: 's3:GetObject', Resource: '*', Condition: { [op]: { 'aws:SourceArn': value } } }) }] },
    ).decision;
  assert.equal(arnCond('Deny', 'ArnLike', 'arn:aws:sns:*'), 'explicitDeny');
  assert.equal(arnCond('Deny', 'ArnLike', 'arn:aws:sns:*:topic'), 'explicitDeny'); // ambiguous: may match
  assert.equal(arnCond('Deny', 'ArnNotLike', 'arn:aws:sns:*:topic'), 'explicitDeny'); // ambiguous: may not match
  assert.equal(arnCond('Deny', 'ArnLike', 'arn:aws:sqs:*'), 'allowed');
  assert.equal(resourceMatches('arn:aws:s3:*', OBJECT), true);
  assert.equal(resourceMatches('arn:aws:s3', OBJECT), false);
  assert.equal(resourceMatches('arn:aws:s3', OBJECT, undefined, 'apply'), true);
});
