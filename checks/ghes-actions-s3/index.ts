// The ghes-actions-s3 pack: GitHub Actions storage on S3, every check listed explicitly.
// The storage checks are those of the Packages pack (checks/s3-storage/ and the ghes-s3 files
// they share), the same objects under the same ids: Actions needs the same seven S3 actions, the
// same KMS access and the same private, durable bucket (FACTS.md, "GHES Actions storage on S3").
// The OpenID Connect checks (oidc-*.ts) are Actions' own; they are listed in `oidcChecks`.

import bucketReachable from '../ghes-s3/bucket-reachable.ts';
import serviceUrl from '../ghes-s3/service-url.ts';
import lifecycleRules from '../ghes-s3/lifecycle-rules.ts';
import objectLock from '../ghes-s3/object-lock.ts';
import requesterPays from '../ghes-s3/requester-pays.ts';
import requiredRequestHeaders from '../ghes-s3/required-request-headers.ts';
import replication from '../ghes-s3/replication.ts';
import publicAccessBlock from '../ghes-s3/public-access-block.ts';
import bucketPolicy from '../ghes-s3/bucket-policy.ts';
import bucketAcl from '../ghes-s3/bucket-acl.ts';
import objectOwnership from '../ghes-s3/object-ownership.ts';
import secureTransport from '../ghes-s3/secure-transport.ts';
import bucketEncryption from '../ghes-s3/bucket-encryption.ts';
import bucketVersioning from '../ghes-s3/bucket-versioning.ts';
import probe from '../ghes-s3/probe.ts';
import probeCleanup from '../ghes-s3/probe-cleanup.ts';
import probeLeftovers from '../ghes-s3/probe-leftovers.ts';
import storageDrift from '../ghes-s3/storage-drift.ts';
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
