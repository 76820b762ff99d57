// The ghes-s3 pack: every check listed explicitly (nothing is discovered at run time).
// Adding a check = one file + one line here; test/checks/registry.test.ts keeps this honest.
// Checks that hold for Actions storage as well live in checks/s3-storage/ and are listed in both
// this pack and ghes-actions-s3 (same ids, so reports, baselines and waivers keep their keys).

import bucketReachable from '../s3-storage/bucket-reachable.ts';
import credentials from '../s3-storage/credentials.ts';
import dedicatedBucket from '../s3-storage/dedicated-bucket.ts';
import serviceUrl from '../s3-storage/service-url.ts';
import iamSimulation from '../s3-storage/iam-simulation.ts';
import leastPrivilege from '../s3-storage/least-privilege.ts';
import engineAgreement from '../s3-storage/engine-agreement.ts';
import kmsAccess from '../s3-storage/kms-access.ts';
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
import type { GhesS3Check } from './context.ts';

export const ghesS3Checks: GhesS3Check[] = [credentials, bucketReachable, serviceUrl, dedicatedBucket, iamSimulation, engineAgreement, leastPrivilege, kmsAccess, publicAccessBlock, bucketPolicy, bucketAcl, objectOwnership, secureTransport, bucketEncryption, bucketVersioning, lifecycleRules, objectLock, requesterPays, requiredRequestHeaders, replication, probe, probeCleanup, probeLeftovers, storageDrift];
