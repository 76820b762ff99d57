// One table per ghes-s3 check over plan facts (issue 20): what a plan proves, what it leaves
// unknown until apply (skip naming the attribute path, never pass), and what only AWS can answer.

import { describe } from 'vitest';
import bucketAcl from '../../../checks/s3-storage/bucket-acl.ts';
import bucketEncryption from '../../../checks/s3-storage/bucket-encryption.ts';
import bucketPolicy from '../../../checks/s3-storage/bucket-policy.ts';
import bucketReachable from '../../../checks/s3-storage/bucket-reachable.ts';
import bucketVersioning from '../../../checks/s3-storage/bucket-versioning.ts';
import credentials from '../../../checks/s3-storage/credentials.ts';
import dedicatedBucket from '../../../checks/s3-storage/dedicated-bucket.ts';
import engineAgreement from '../../../checks/s3-storage/engine-agreement.ts';
import iamSimulation from '../../../checks/s3-storage/iam-simulation.ts';
import kmsAccess from '../../../checks/s3-storage/kms-access.ts';
import leastPrivilege from '../../../checks/s3-storage/least-privilege.ts';
import lifecycleRules from '../../../checks/s3-storage/lifecycle-rules.ts';
import objectLock from '../../../checks/s3-storage/object-lock.ts';
import objectOwnership from '../../../checks/s3-storage/object-ownership.ts';
import probe from '../../../checks/s3-storage/probe.ts';
import probeCleanup from '../../../checks/s3-storage/probe-cleanup.ts';
import probeLeftovers from '../../../checks/s3-storage/probe-leftovers.ts';
import publicAccessBlock from '../../../checks/s3-storage/public-access-block.ts';
import replication from '../../../checks/s3-storage/replication.ts';
import requesterPays from '../../../checks/s3-storage/requester-pays.ts';
import requiredRequestHeaders from '../../../checks/s3-storage/required-request-headers.ts';
import secureTransport from '../../../checks/s3-storage/secure-transport.ts';
import serviceUrl from '../../../checks/s3-storage/service-url.ts';
import storageDrift from '../../../checks/s3-storage/storage-drift.ts';
import { BUCKET, bucketRow, GHES_USER_POLICY, policy, ref, subRow, userRows } from './plan-builder.ts';
import { planTable } from './plan-table.ts';

const SEVEN = 7;
const skipNaming = (path: string, subject?: string) => ({ status: 'skip' as const, message: path, ...(subject ? { subject } : {}) });
const all = <T>(n: number, e: T): T[] => Array.from({ length: n }, () => e);

/** Block Public Access off at the bucket level, so public grants are findings, not neutralised. */
const bpaOff = subRow('aws_s3_bucket_public_access_block.packages', { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false });
const publicPolicy = policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }]);
const tlsOnlyPolicy = policy([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);

describe('checks whose question only AWS can answer skip neutrally', () => {
  for (const check of [credentials, bucketReachable, probe, probeCleanup, probeLeftovers, storageDrift]) {
    planTable(check, [{ name: 'not evaluated from a plan', plan: [bucketRow()], expect: { status: 'skip', message: 'Not evaluated from a Terraform plan' } }]);
  }
  planTable(engineAgreement, [{ name: 'no simulator without credentials', plan: [bucketRow(), ...userRows()], expect: all(SEVEN, { status: 'skip', message: "AWS's policy simulator needs credentials" }) }]);
});

describe('service-url', () => {
  planTable(serviceUrl, [
    { name: 'the provider region matches the service URL', plan: [bucketRow()], expect: [{ status: 'pass', subject: 'https' }, { status: 'pass', subject: 'endpoint-form' }, { status: 'pass', subject: 'region' }] },
    {
      name: 'the provider region differs: fail with the URL to type',
      plan: [bucketRow()],
      planOptions: { region: 'eu-central-1' },
      expect: [{ status: 'pass', subject: 'https' }, { status: 'pass', subject: 'endpoint-form' }, { status: 'fail', subject: 'region', message: 'https://s3.eu-central-1.amazonaws.com' }],
    },
    {
      name: 'the region from a root variable',
      plan: [bucketRow()],
      planOptions: { regionReference: 'var.region', variables: { region: 'us-west-2' } },
      expect: [{ status: 'pass', subject: 'https' }, { status: 'pass', subject: 'endpoint-form' }, { status: 'pass', subject: 'region' }],
    },
    {
      name: 'no region in the provider configuration: the region subject skips with the reason',
      plan: [bucketRow()],
      planOptions: { region: undefined },
      expect: [{ status: 'pass', subject: 'https' }, { status: 'pass', subject: 'endpoint-form' }, { status: 'skip', subject: 'region', message: 'names no region for the provider' }],
    },
  ]);
});

describe('dedicated-bucket', () => {
  planTable(dedicatedBucket, [
    { name: 'the Actions bucket is another bucket', plan: [bucketRow()], actionsBucket: 'ghes-actions', expect: { status: 'pass' } },
    { name: 'the Actions bucket is the Packages bucket', plan: [bucketRow()], actionsBucket: BUCKET, expect: { status: 'fail' } },
  ]);
});

describe('iam-simulation (local evaluator over the plan\'s policies)', () => {
  planTable(iamSimulation, [
    { name: 'the user policy allows the seven actions', plan: [bucketRow(), ...userRows()], expect: all(SEVEN, { status: 'pass' }) },
    { name: 'the user has no policy', plan: [bucketRow(), ...userRows(null)], expect: all(SEVEN, { status: 'fail' }) },
    {
      name: 'the user policy is known only after apply',
      plan: [bucketRow(), userRows()[0], { ...userRows()[1], values: { name: 'packages' }, unknown: { id: true, user: true, policy: true } }],
      expect: all(SEVEN, skipNaming('aws_iam_user_policy.ghes.policy')),
    },
    {
      name: 'an AWS-managed policy the plan does not hold is named as not evaluated',
      plan: [bucketRow(), ...userRows(), { address: 'aws_iam_user_policy_attachment.s3', values: { policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }, unknown: { id: true, user: true }, refs: { user: ['aws_iam_user.ghes.name', 'aws_iam_user.ghes'] } }],
      expect: all(SEVEN, skipNaming('arn:aws:iam::aws:policy/AmazonS3FullAccess (AWS-managed)')),
    },
    {
      name: 'a customer-managed policy created in the plan and attached through a group',
      plan: [
        bucketRow(),
        ...userRows(null),
        { address: 'aws_iam_group.ghes', values: { name: 'ghes', path: '/' }, unknown: { arn: true, id: true, unique_id: true } },
        { address: 'aws_iam_user_group_membership.ghes', values: {}, unknown: { id: true, user: true, groups: true }, refs: { user: ['aws_iam_user.ghes.name', 'aws_iam_user.ghes'], groups: ['aws_iam_group.ghes.name', 'aws_iam_group.ghes'] } },
        { address: 'aws_iam_policy.packages', values: { name: 'packages', path: '/', policy: GHES_USER_POLICY }, unknown: { arn: true, id: true, policy_id: true } },
        { address: 'aws_iam_group_policy_attachment.ghes', values: {}, unknown: { id: true, group: true, policy_arn: true }, refs: { group: ['aws_iam_group.ghes.name', 'aws_iam_group.ghes'], policy_arn: ['aws_iam_policy.packages.arn', 'aws_iam_policy.packages'] } },
      ],
      expect: all(SEVEN, { status: 'pass' }),
    },
    {
      name: 'a permissions boundary created in the plan that allows nothing in S3',
      plan: [
        bucketRow(),
        { ...userRows()[0], unknown: { arn: true, id: true, unique_id: true, permissions_boundary: true }, refs: { permissions_boundary: ['aws_iam_policy.boundary.arn', 'aws_iam_policy.boundary'] } },
        userRows()[1],
        { address: 'aws_iam_policy.boundary', values: { name: 'boundary', path: '/', policy: policy([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]) }, unknown: { arn: true, id: true } },
      ],
      expect: all(SEVEN, { status: 'fail' }),
    },
    { name: 'no user named', plan: [bucketRow()], expect: all(SEVEN, skipNaming('no IAM user was named')) },
    // The account is unknown (no ARN, no --principal-arn, no allowed_account_ids): the user stands in an
    // unknown account, so a Deny naming the real user or account could apply to it without the
    // evaluator seeing it. Never a pass there; a Deny on anyone (TLS only) is judged as usual.
    {
      name: 'a bucket-policy Deny naming the user by ARN, the account unknown: not judged, never a pass',
      plan: [bucketRow(), ...userRows(), subRow('aws_s3_bucket_policy.packages', { policy: policy([{ Sid: 'NoGhes', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:user/ghes-packages' }, Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` }]) })],
      expect: all(SEVEN, skipNaming('Sid "NoGhes"')),
    },
    {
      name: 'a bucket-policy Deny on a condition about who asks, the account unknown: not judged',
      plan: [bucketRow(), ...userRows(), subRow('aws_s3_bucket_policy.packages', { policy: policy([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }]) })],
      expect: all(SEVEN, skipNaming('denies by principal or account')),
    },
    {
      name: 'the same Deny with the account known (allowed_account_ids): judged, and it applies',
      plan: [bucketRow(), ...userRows(), subRow('aws_s3_bucket_policy.packages', { policy: policy([{ Sid: 'NoGhes', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:user/ghes-packages' }, Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` }]) })],
      planOptions: { allowedAccount: '111122223333' },
      expect: [{ status: 'fail', subject: 's3:PutObject' }, { status: 'fail', subject: 's3:GetObject' }, { status: 'pass', subject: 's3:ListBucketMultipartUploads' }, { status: 'fail', subject: 's3:ListMultipartUploadParts' }, { status: 'fail', subject: 's3:AbortMultipartUpload' }, { status: 'fail', subject: 's3:DeleteObject' }, { status: 'pass', subject: 's3:ListBucket' }],
    },
    { name: 'a Deny on anyone over plain HTTP, the account unknown: judged as usual', plan: [bucketRow(), ...userRows(), subRow('aws_s3_bucket_policy.packages', { policy: tlsOnlyPolicy })], expect: all(SEVEN, { status: 'pass' }) },
    {
      name: 'the user being destroyed is refused up front, so only the other one is evaluated',
      plan: [bucketRow(), ...userRows(), { address: 'aws_iam_user.old', values: { name: 'old', path: '/' }, actions: ['delete'] }],
      expect: all(SEVEN, { status: 'pass' }),
    },
  ]);
});

describe('least-privilege', () => {
  planTable(leastPrivilege, [
    { name: 'exactly what Packages needs', plan: [bucketRow(), ...userRows()], expect: { status: 'pass' } },
    { name: 's3:* on every bucket', plan: [bucketRow(), ...userRows(policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]))], expect: { status: 'warn' } },
  ]);
});

describe('kms-access', () => {
  const kmsKey = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const sse = (keyId: unknown, unknown: Record<string, unknown> = {}) =>
    subRow('aws_s3_bucket_server_side_encryption_configuration.packages', { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: keyId }], bucket_key_enabled: true }] }, unknown);
  planTable(kmsAccess, [
    {
      name: 'the user may use the bucket key',
      plan: [bucketRow(), sse(kmsKey), ...userRows(policy([...JSON.parse(GHES_USER_POLICY).Statement, { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: kmsKey }]))],
      expect: [{ status: 'pass', subject: 'kms:GenerateDataKey' }, { status: 'pass', subject: 'kms:Decrypt' }],
    },
    { name: 'the user may not use the bucket key', plan: [bucketRow(), sse(kmsKey), ...userRows()], expect: [{ status: 'fail', subject: 'kms:GenerateDataKey' }, { status: 'fail', subject: 'kms:Decrypt' }] },
    {
      name: 'a key the plan creates: its ARN is known only after apply',
      plan: [bucketRow(), sse(null, { rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }), ...userRows()],
      expect: [skipNaming('kms_master_key_id', 'kms:GenerateDataKey'), skipNaming('kms_master_key_id', 'kms:Decrypt')],
    },
    {
      name: 'a key the plan creates, referenced by the encryption rule, and a user policy allowing kms on every key of the account',
      plan: [
        bucketRow(),
        { address: 'aws_kms_key.packages', values: { description: 'GHES packages', enable_key_rotation: true }, unknown: { arn: true, id: true, key_id: true, policy: true } },
        {
          ...sse(null, { rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }),
          expressions: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: { constant_value: 'aws:kms' }, kms_master_key_id: { references: ref('aws_kms_key.packages', 'arn') } }] }] },
        },
        ...userRows(policy([...JSON.parse(GHES_USER_POLICY).Statement, { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: 'arn:aws:kms:us-west-2:111122223333:key/*' }])),
      ],
      planOptions: { allowedAccount: '111122223333' },
      expect: [{ status: 'pass', subject: 'kms:GenerateDataKey', message: 'aws_kms_key.packages' }, { status: 'pass', subject: 'kms:Decrypt' }],
    },
    { name: 'SSE-S3 (the default of a new bucket)', plan: [bucketRow(), ...userRows()], expect: [{ status: 'skip', subject: 'kms:GenerateDataKey' }, { status: 'skip', subject: 'kms:Decrypt' }] },
  ]);
});

describe('public-access-block', () => {
  const bpa = (on: boolean) => subRow('aws_s3_bucket_public_access_block.packages', { block_public_acls: on, ignore_public_acls: on, block_public_policy: on, restrict_public_buckets: on });
  planTable(publicAccessBlock, [
    { name: 'a new bucket: on by AWS default', plan: [bucketRow()], expect: { status: 'pass' } },
    { name: 'all four on', plan: [bucketRow(), bpa(true)], expect: { status: 'pass' } },
    { name: 'all four off, the account level not in the plan', plan: [bucketRow(), bpa(false)], expect: skipNaming('account') },
    {
      name: 'off at the bucket level, on at the account level of the plan\'s account (allowed_account_ids)',
      plan: [bucketRow(), bpa(false), { address: 'aws_s3_account_public_access_block.this', values: { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }, unknown: { id: true, account_id: true }, configured: ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'] }],
      planOptions: { allowedAccount: '111122223333' },
      expect: { status: 'pass', message: 'account level' },
    },
    {
      name: 'off at the bucket level, the account known but its setting not managed by the plan',
      plan: [bucketRow(), bpa(false)],
      planOptions: { allowedAccount: '111122223333' },
      expect: skipNaming('manages no aws_s3_account_public_access_block'),
    },
    {
      name: 'an account-level resource for another account does not count',
      plan: [bucketRow(), bpa(false), { address: 'aws_s3_account_public_access_block.other', values: { account_id: '444455556666', block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }, unknown: { id: true } }],
      planOptions: { allowedAccount: '111122223333' },
      expect: skipNaming('manages no aws_s3_account_public_access_block'),
    },
    {
      name: 'a Block Public Access resource whose bucket cannot be traced may be this bucket\'s',
      plan: [bucketRow(), { address: 'aws_s3_bucket_public_access_block.other', values: { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false }, unknown: { id: true, bucket: true }, refs: { bucket: ['local.bucket_name'] } }],
      expect: skipNaming('aws_s3_bucket_public_access_block.other.bucket'),
    },
    {
      name: 'another bucket\'s resource does not count',
      plan: [bucketRow(), bucketRow({ bucket: 'logs' }, 'aws_s3_bucket.logs'), subRow('aws_s3_bucket_public_access_block.logs', { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false }, {}, 'aws_s3_bucket.logs')],
      selection: { bucket: BUCKET },
      expect: { status: 'pass' },
    },
  ]);
});

describe('bucket-policy', () => {
  planTable(bucketPolicy, [
    { name: 'no bucket policy', plan: [bucketRow()], expect: [{ status: 'pass', subject: 'public' }, { status: 'pass', subject: 'cross-account' }] },
    { name: 'a policy that lets anyone read, Block Public Access off', plan: [bucketRow(), bpaOff, subRow('aws_s3_bucket_policy.packages', { policy: publicPolicy })], expect: [{ status: 'fail', subject: 'public' }, { status: 'pass', subject: 'cross-account' }] },
    { name: 'a policy that lets anyone read, neutralised by the new bucket\'s Block Public Access', plan: [bucketRow(), subRow('aws_s3_bucket_policy.packages', { policy: publicPolicy })], expect: [{ status: 'warn', subject: 'public', message: 'RestrictPublicBuckets is on' }, { status: 'pass', subject: 'cross-account' }] },
    {
      name: 'a policy from a data source known only after apply',
      plan: [bucketRow(), subRow('aws_s3_bucket_policy.packages', {}, { policy: true })],
      expect: [skipNaming('aws_s3_bucket_policy.packages.policy', 'public'), skipNaming('aws_s3_bucket_policy.packages.policy', 'cross-account')],
    },
    { name: 'the legacy inline policy argument of aws_s3_bucket', plan: [{ ...bucketRow({ policy: publicPolicy }), unknown: { arn: true, id: true } }, bpaOff], expect: [{ status: 'fail', subject: 'public' }, { status: 'pass', subject: 'cross-account' }] },
    {
      name: 'a policy being destroyed on an existing bucket is absent',
      plan: [
        { address: 'aws_s3_bucket.packages', values: { bucket: BUCKET, policy: '', arn: `arn:aws:s3:::${BUCKET}`, id: BUCKET }, actions: ['no-op'] },
        { address: 'aws_s3_bucket_policy.packages', values: { bucket: BUCKET, policy: publicPolicy }, actions: ['delete'] },
      ],
      expect: [{ status: 'pass', subject: 'public' }, { status: 'pass', subject: 'cross-account' }],
    },
  ]);
});

describe('bucket-acl', () => {
  planTable(bucketAcl, [
    { name: 'a new bucket: owner only', plan: [bucketRow()], expect: [{ status: 'pass', subject: 'public' }, { status: 'pass', subject: 'other-accounts' }] },
    {
      name: 'public-read through aws_s3_bucket_acl with ACLs enabled',
      plan: [bucketRow(), bpaOff, subRow('aws_s3_bucket_ownership_controls.packages', { rule: [{ object_ownership: 'ObjectWriter' }] }), subRow('aws_s3_bucket_acl.packages', { acl: 'public-read' })],
      expect: [{ status: 'fail', subject: 'public' }, { status: 'pass', subject: 'other-accounts' }],
    },
    {
      name: 'the legacy inline acl argument (provider v3)',
      plan: [{ ...bucketRow({ acl: 'public-read-write' }), unknown: { arn: true, id: true } }, bpaOff, subRow('aws_s3_bucket_ownership_controls.packages', { rule: [{ object_ownership: 'BucketOwnerPreferred' }] })],
      expect: [{ status: 'fail', subject: 'public' }, { status: 'pass', subject: 'other-accounts' }],
    },
    {
      name: 'a grant to another account in access_control_policy',
      plan: [
        bucketRow(),
        subRow('aws_s3_bucket_ownership_controls.packages', { rule: [{ object_ownership: 'ObjectWriter' }] }),
        subRow('aws_s3_bucket_acl.packages', { access_control_policy: [{ owner: [{ id: 'owner-canonical-id' }], grant: [{ grantee: [{ type: 'CanonicalUser', id: 'owner-canonical-id' }], permission: 'FULL_CONTROL' }, { grantee: [{ type: 'CanonicalUser', id: 'other-canonical-id' }], permission: 'READ' }] }] }),
      ],
      expect: [{ status: 'pass', subject: 'public' }, { status: 'warn', subject: 'other-accounts', message: 'other-canonical-id' }],
    },
  ]);
});

describe('object-ownership', () => {
  planTable(objectOwnership, [
    { name: 'a new bucket: BucketOwnerEnforced by AWS default', plan: [bucketRow()], expect: { status: 'pass' } },
    { name: 'ObjectWriter set in the plan', plan: [bucketRow(), subRow('aws_s3_bucket_ownership_controls.packages', { rule: [{ object_ownership: 'ObjectWriter' }] })], expect: { status: 'warn' } },
    { name: 'an existing bucket whose ownership the plan does not manage', plan: [{ address: 'aws_s3_bucket.packages', values: { bucket: BUCKET }, actions: ['no-op'] }], expect: skipNaming('aws_s3_bucket_ownership_controls') },
  ]);
});

describe('secure-transport', () => {
  planTable(secureTransport, [
    { name: 'a Deny on aws:SecureTransport false', plan: [bucketRow(), subRow('aws_s3_bucket_policy.packages', { policy: tlsOnlyPolicy })], expect: { status: 'pass' } },
    { name: 'no bucket policy', plan: [bucketRow()], expect: { status: 'warn' } },
  ]);
});

describe('bucket-encryption', () => {
  planTable(bucketEncryption, [
    { name: 'SSE-S3 by AWS default on a new bucket', plan: [bucketRow()], expect: { status: 'pass' } },
    {
      name: 'the legacy inline server_side_encryption_configuration with SSE-KMS',
      plan: [{ ...bucketRow({ server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:us-west-2:111122223333:key/k' }], bucket_key_enabled: true }] }] }), unknown: { arn: true, id: true } }],
      expect: { status: 'pass', message: 'SSE-KMS' },
    },
    {
      name: 'the legacy inline block naming an aws_kms_key the plan creates',
      plan: [
        {
          ...bucketRow({ server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }] }] }),
          unknown: { arn: true, id: true, server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }] },
          expressions: { server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: { constant_value: 'aws:kms' }, kms_master_key_id: { references: ref('aws_kms_key.packages', 'arn') } }] }] }] },
        },
        { address: 'aws_kms_key.packages', values: { description: 'GHES packages' }, unknown: { arn: true, id: true, key_id: true } },
      ],
      expect: { status: 'pass', message: 'aws_kms_key.packages' },
    },
    {
      name: 'the legacy inline block naming a key that cannot be traced',
      plan: [
        {
          ...bucketRow({ server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }] }] }),
          unknown: { arn: true, id: true, server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }] },
          expressions: { server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: { constant_value: 'aws:kms' }, kms_master_key_id: { references: ['local.key_arn'] } }] }] }] },
        },
      ],
      expect: skipNaming('aws_s3_bucket.packages.server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id'),
    },
    { name: 'the algorithm is known only after apply', plan: [bucketRow(), subRow('aws_s3_bucket_server_side_encryption_configuration.packages', {}, { rule: true })], expect: skipNaming('aws_s3_bucket_server_side_encryption_configuration.packages.rule') },
  ]);
});

describe('bucket-versioning', () => {
  planTable(bucketVersioning, [
    { name: 'never enabled on a new bucket', plan: [bucketRow()], expect: { status: 'pass' } },
    { name: 'enabled, with no rule expiring old versions', plan: [bucketRow(), subRow('aws_s3_bucket_versioning.packages', { versioning_configuration: [{ status: 'Enabled' }] })], expect: { status: 'warn' } },
    {
      name: 'enabled with the legacy inline block, and a legacy rule expiring old versions',
      plan: [{ ...bucketRow({ versioning: [{ enabled: true, mfa_delete: false }], lifecycle_rule: [{ id: 'old', enabled: true, prefix: '', noncurrent_version_expiration: [{ days: 30 }], expiration: [{ expired_object_delete_marker: true }] }] }), unknown: { arn: true, id: true } }],
      expect: { status: 'pass' },
    },
  ]);
});

describe('lifecycle-rules', () => {
  const rules = (rule: Record<string, unknown>) => subRow('aws_s3_bucket_lifecycle_configuration.packages', { rule: [rule] });
  planTable(lifecycleRules, [
    {
      name: 'a rule expiring every object fails',
      plan: [bucketRow(), rules({ id: 'expire', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] })],
      expect: [{ status: 'fail', subject: 'rules' }, { status: 'warn', subject: 'abort-incomplete-multipart' }, { status: 'pass', subject: 'intelligent-tiering' }],
    },
    {
      name: 'only an abort of incomplete uploads',
      plan: [bucketRow(), rules({ id: 'abort', status: 'Enabled', filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] })],
      expect: [{ status: 'pass', subject: 'rules' }, { status: 'pass', subject: 'abort-incomplete-multipart' }, { status: 'pass', subject: 'intelligent-tiering' }],
    },
    {
      name: 'an Intelligent-Tiering archive configuration',
      plan: [bucketRow(), rules({ id: 'abort', status: 'Enabled', filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }), subRow('aws_s3_bucket_intelligent_tiering_configuration.packages', { name: 'archive', status: 'Enabled', tiering: [{ access_tier: 'DEEP_ARCHIVE_ACCESS', days: 180 }] })],
      expect: [{ status: 'pass', subject: 'rules' }, { status: 'pass', subject: 'abort-incomplete-multipart' }, { status: 'warn', subject: 'intelligent-tiering', message: 'DEEP_ARCHIVE_ACCESS' }],
    },
  ]);
});

describe('object-lock', () => {
  planTable(objectLock, [
    { name: 'off on a new bucket', plan: [bucketRow()], expect: [{ status: 'pass', subject: 'object-lock' }, { status: 'skip', subject: 'default-retention' }] },
    {
      name: 'COMPLIANCE retention from aws_s3_bucket_object_lock_configuration',
      plan: [{ ...bucketRow({ object_lock_enabled: true }), unknown: { arn: true, id: true } }, subRow('aws_s3_bucket_object_lock_configuration.packages', { object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ mode: 'COMPLIANCE', days: 3650 }] }] })],
      expect: [{ status: 'warn', subject: 'object-lock', message: 'COMPLIANCE for 3650 days' }, { status: 'skip', subject: 'default-retention', message: '--max-retention-days' }],
    },
  ]);
});

describe('requester-pays', () => {
  planTable(requesterPays, [
    { name: 'the bucket owner pays (new bucket)', plan: [bucketRow()], expect: { status: 'pass' } },
    { name: 'Requester pays', plan: [bucketRow(), subRow('aws_s3_bucket_request_payment_configuration.packages', { payer: 'Requester' })], expect: { status: 'fail' } },
  ]);
});

describe('required-request-headers', () => {
  const headerPolicy = policy([{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }]);
  planTable(requiredRequestHeaders, [
    { name: 'no bucket policy', plan: [bucketRow()], expect: { status: 'pass' } },
    { name: 'a policy demanding an encryption header', plan: [bucketRow(), subRow('aws_s3_bucket_policy.packages', { policy: headerPolicy })], expect: { status: 'warn', message: 'x-amz-server-side-encryption' } },
  ]);
});

describe('replication', () => {
  planTable(replication, [
    { name: 'none', plan: [bucketRow()], expect: { status: 'pass' } },
    {
      name: 'to another account without owner override',
      plan: [bucketRow(), subRow('aws_s3_bucket_replication_configuration.packages', { role: 'arn:aws:iam::111122223333:role/replication', rule: [{ id: 'dr', status: 'Enabled', filter: [{}], destination: [{ bucket: 'arn:aws:s3:::dr-copy', account: '444455556666' }], delete_marker_replication: [{ status: 'Disabled' }] }] })],
      expect: { status: 'warn' },
    },
  ]);
});

// Modules, count and for_each: the same checks, the bucket found by address.
describe('module addresses and instance keys', () => {
  planTable(publicAccessBlock, [
    {
      name: 'for_each buckets in a module, each with its own Block Public Access (matched by instance key)',
      plan: [
        bucketRow({ bucket: 'packages-a' }, 'module.storage.aws_s3_bucket.this["a"]'),
        bucketRow({ bucket: 'packages-b' }, 'module.storage.aws_s3_bucket.this["b"]'),
        { address: 'module.storage.aws_s3_bucket_public_access_block.this["a"]', values: { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }, unknown: { id: true, bucket: true }, refs: { bucket: ['aws_s3_bucket.this', 'each.key'] } },
        { address: 'module.storage.aws_s3_bucket_public_access_block.this["b"]', values: { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false }, unknown: { id: true, bucket: true }, refs: { bucket: ['aws_s3_bucket.this', 'each.key'] } },
      ],
      selection: { bucketAddress: 'module.storage.aws_s3_bucket.this["a"]' },
      expect: { status: 'pass' },
    },
    {
      name: 'the bucket passed into a module by variable',
      plan: [bucketRow(), { address: 'module.guard.aws_s3_bucket_public_access_block.this', values: { block_public_acls: false, ignore_public_acls: false, block_public_policy: false, restrict_public_buckets: false }, unknown: { id: true, bucket: true }, refs: { bucket: ['var.bucket'] } }],
      planOptions: { moduleCalls: { guard: { bucket: { references: ref('aws_s3_bucket.packages') } } } },
      expect: skipNaming('account'),
    },
  ]);
});
