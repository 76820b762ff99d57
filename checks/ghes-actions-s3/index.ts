// The ghes-actions-s3 pack: GitHub Actions storage on S3, every check listed explicitly.
// The storage checks are those of the Packages pack (checks/s3-storage/), the same objects under
// the same ids: Actions needs the same seven S3 actions, the same KMS access and the same private,
// durable bucket (FACTS.md, "GHES Actions storage on S3").
// The OpenID Connect checks (oidc-*.ts) are Actions' own; they are listed in `oidcChecks`.

import bucketReachable from '../s3-storage/bucket-reachable.ts';
import serviceUrl from '../s3-storage/service-url.ts';
import lifecycleRules from '../s3-storage/lifecycle-rules.ts';
import objectLock from '../s3-storage/object-lock.ts';
import requesterPays from '../s3-storage/requester-pays.ts';
import requiredRequestHeaders from '../s3-storage/required-request-headers.ts';
import replication from '../s3-storage/replication.ts';
import publicAccessBlock from '../s3-storage/public-access-block.ts';
import bucketPolicy from '../s3-storage/bucket-policy.ts';
import bucketAcl from '../s3-storage/bucket-acl.ts';
import objectOwnership from '../s3-storage/object-ownership.ts';
import secureTransport from '../s3-storage/secure-transport.ts';
import bucketEncryption from '../s3-storage/bucket-encryption.ts';
import bucketVersioning from '../s3-storage/bucket-versioning.ts';
import probe from '../s3-storage/probe.ts';
import probeCleanup from '../s3-storage/probe-cleanup.ts';
import probeLeftovers from '../s3-storage/probe-leftovers.ts';
import storageDrift from '../s3-storage/storage-drift.ts';
import credentials from '../s3-storage/credentials.ts';
import dedicatedBucket from '../s3-storage/dedicated-bucket.ts';
import iamSimulation from '../s3-storage/iam-simulation.ts';
import engineAgreement from '../s3-storage/engine-agreement.ts';
import leastPrivilege from '../s3-storage/least-privilege.ts';
import kmsAccess from '../s3-storage/kms-access.ts';
import type { GhesActionsCheck } from './context.ts';

/** The OpenID Connect checks (oidc-provider, oidc-trust, oidc-discovery): they run after the permission checks. */
export const oidcChecks: GhesActionsCheck[] = [];

export const ghesActionsChecks: GhesActionsCheck[] = [
  credentials,
  bucketReachable,
  serviceUrl,
  dedicatedBucket,
  ...oidcChecks,
  iamSimulation,
  engineAgreement,
  leastPrivilege,
  kmsAccess,
  publicAccessBlock,
  bucketPolicy,
  bucketAcl,
  objectOwnership,
  secureTransport,
  bucketEncryption,
  bucketVersioning,
  lifecycleRules,
  objectLock,
  requesterPays,
  requiredRequestHeaders,
  replication,
  probe,
  probeCleanup,
  probeLeftovers,
  storageDrift,
];
