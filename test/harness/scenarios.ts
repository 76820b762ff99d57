// Realistic GHES setups created in the emulator with the real AWS SDK: the demo and the
// end-to-end tests build on these instead of hand-written AWS responses.

import { CreateBucketCommand, DeleteBucketOwnershipControlsCommand, DeletePublicAccessBlockCommand, type BucketLocationConstraint, PutBucketAclCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, PutBucketOwnershipControlsCommand, S3Client } from '@aws-sdk/client-s3';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { sdkConfig } from './moto.ts';
import { type LifecycleRule, PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectLockConfigurationCommand, type ReplicationConfiguration, PutBucketReplicationCommand } from '@aws-sdk/client-s3';

export const GHES_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListBucket'];

/** The least-privilege identity policy from the GHES documentation, on the right resource forms. */
export function ghesUserPolicy(bucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'GhesPackagesBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${bucket}` },
      { Sid: 'GhesPackagesObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject'], Resource: `arn:aws:s3:::${bucket}/*` },
    ],
  };
}

/** The most common mistake: object actions granted on the bucket ARN only. */
export function objectActionsOnBucketArnPolicy(bucket: string): object {
  return { Version: '2012-10-17', Statement: [{ Sid: 'AllOnBucketArn', Effect: 'Allow', Action: GHES_ACTIONS, Resource: `arn:aws:s3:::${bucket}` }] };
}

export interface Scenario {
  bucket: string;
  region: string;
  serviceUrl: string;
  actionsBucket: string;
  userName: string;
  /** Inline identity policies of the GHES user. */
  userPolicies?: Record<string, object>;
  /** Customer managed policies attached to the user. */
  managedPolicies?: Record<string, object>;
  bucketPolicy?: object;
  publicReadAcl?: boolean;
  blockPublicAccess?: boolean;
  bucketOwnerEnforced?: boolean;
  /**
   * The emulator creates buckets as AWS does since 2023 (all four BPA settings on, ACLs disabled):
   * a public ACL then needs what AWS needs first (BPA lifted, ObjectWriter), so the seed does that.
   */
  awsBucketDefaults?: boolean;
  problems: string[];
}

export const DEMO_SCENARIO: Scenario = {
  bucket: 'ghes-packages-demo',
  region: 'us-west-2',
  // Deliberate: the console URL names us-east-1 while the bucket lives in us-west-2.
  serviceUrl: 'https://s3.us-east-1.amazonaws.com',
  actionsBucket: 'ghes-actions-demo',
  userName: 'ghes-packages',
  // Deliberate: object actions granted on the bucket ARN only.
  userPolicies: { 'ghes-packages-storage': objectActionsOnBucketArnPolicy('ghes-packages-demo') },
  // Deliberate: a public-read ACL and no Block Public Access.
  publicReadAcl: true,
  problems: ['the service URL names another region than the bucket', 'object actions are granted on the bucket ARN only', 'the bucket ACL grants public read'],
};

export interface Seeded {
  bucket: string;
  region: string;
  serviceUrl: string;
  actionsBucket: string;
  userArn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** `admin`: the credentials that create everything (default: the harness's dummy ones; LocalStack maps a 12-digit key id to that account). */
export async function seedGhesScenario(endpoint: string, s: Scenario, admin?: { accessKeyId: string; secretAccessKey: string }): Promise<Seeded> {
  const s3 = new S3Client({ ...sdkConfig(endpoint, admin), region: s.region });
  const iam = new IAMClient(sdkConfig(endpoint, admin));
  const location = s.region === 'us-east-1' ? undefined : { LocationConstraint: s.region as BucketLocationConstraint };
  await s3.send(new CreateBucketCommand({ Bucket: s.bucket, CreateBucketConfiguration: location }));
  await s3.send(new CreateBucketCommand({ Bucket: s.actionsBucket, CreateBucketConfiguration: location }));
  if (s.bucketOwnerEnforced) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: s.bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  if (s.awsBucketDefaults) {
    // Back to "not configured", as the scenario says and moto starts: what AWS needs before a public ACL or policy.
    if (!s.blockPublicAccess) await s3.send(new DeletePublicAccessBlockCommand({ Bucket: s.bucket }));
    if (!s.bucketOwnerEnforced) await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: s.bucket }));
  }
  if (s.publicReadAcl) await s3.send(new PutBucketAclCommand({ Bucket: s.bucket, ACL: 'public-read' }));
  if (s.blockPublicAccess) {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: s.bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  }
  if (s.bucketPolicy) await s3.send(new PutBucketPolicyCommand({ Bucket: s.bucket, Policy: JSON.stringify(s.bucketPolicy) }));
  const user = await iam.send(new CreateUserCommand({ UserName: s.userName }));
  for (const [name, doc] of Object.entries(s.userPolicies ?? {})) {
    await iam.send(new PutUserPolicyCommand({ UserName: s.userName, PolicyName: name, PolicyDocument: JSON.stringify(doc) }));
  }
  for (const [name, doc] of Object.entries(s.managedPolicies ?? {})) {
    const p = await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(doc) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: s.userName, PolicyArn: p.Policy?.Arn }));
  }
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: s.userName }));
  s3.destroy();
  iam.destroy();
  return {
    bucket: s.bucket,
    region: s.region,
    serviceUrl: s.serviceUrl,
    actionsBucket: s.actionsBucket,
    userArn: user.User?.Arn ?? '',
    accessKeyId: key.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
  };
}

/** Storage settings of a Packages bucket for the data-safety end-to-end tests (test/e2e/data-safety.test.ts). */
export interface StorageSettings {
  bucket: string;
  /** `true`: Object Lock without default retention; an object: with that default retention. */
  objectLock?: boolean | { mode: 'COMPLIANCE' | 'GOVERNANCE'; days: number };
  lifecycleRules?: LifecycleRule[];
  bucketPolicy?: object;
  /** Enables versioning first (replication requires it). */
  replication?: ReplicationConfiguration;
}

/** Creates the bucket (us-east-1) with the given storage settings, through the real SDK. */
export async function seedStorageSettings(endpoint: string, s: StorageSettings): Promise<void> {
  const s3 = new S3Client(sdkConfig(endpoint));
  try {
    await s3.send(new CreateBucketCommand({ Bucket: s.bucket, ObjectLockEnabledForBucket: s.objectLock ? true : undefined }));
    if (typeof s.objectLock === 'object') {
      await s3.send(new PutObjectLockConfigurationCommand({ Bucket: s.bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: s.objectLock.mode, Days: s.objectLock.days } } } }));
    }
    if (s.lifecycleRules) await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: s.bucket, LifecycleConfiguration: { Rules: s.lifecycleRules } }));
    if (s.bucketPolicy) await s3.send(new PutBucketPolicyCommand({ Bucket: s.bucket, Policy: JSON.stringify(s.bucketPolicy) }));
    if (s.replication) {
      await s3.send(new PutBucketVersioningCommand({ Bucket: s.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      await s3.send(new PutBucketReplicationCommand({ Bucket: s.bucket, ReplicationConfiguration: s.replication }));
    }
  } finally {
    s3.destroy();
  }
}
