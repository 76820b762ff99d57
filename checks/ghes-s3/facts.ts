// The facts the ghes-s3 pack reads, declared by the pack itself as plain data: what a fact source
// must answer, not how. src/aws/s3-facts.ts (S3Facts) and src/aws/probe.ts (S3Probe) implement
// these interfaces for live AWS; another source (a Terraform plan) implements the same ones. Checks
// and their tables code against these names only, never against an implementation.
//
// Contract of every getter: memoized for the run; a "not configured" answer is a value (null,
// `present: false`, `status: 'Never'`, ...); anything that stops the source from reading the fact
// rejects with a FactError (src/engine/fact-error.ts), which the engine turns into `error`, never
// `pass`.
//
// The S3 shapes (lifecycle rules, replication, encryption rules, tiering filters) mirror the S3 API's
// XML/JSON elements field for field, so a source can hand over what S3 (or a plan) says unchanged;
// enum values are plain strings here (checks compare them, they do not enumerate them).

import type { FactErrorInfo } from '../../src/engine/fact-error.ts';
import type { ParseResult } from '../../src/policy/document.ts';
import type { PolicySource } from '../../src/policy/evaluate.ts';

// ---------------------------------------------------------------------------------------------
// Identity and the bucket's existence.

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/**
 * Where the bucket's region came from: HeadBucket's x-amz-bucket-region header, or, when the answer
 * lacked it (a proxy that strips headers), GetBucketLocation. `region: null` only when neither
 * could say, and then `regionError` says why; the region is never guessed.
 */
export interface RegionAnswer {
  region: string | null;
  /** 'terraform plan': the provider configuration or the bucket's planned `region` (src/terraform). */
  regionFrom?: 'x-amz-bucket-region' | 's3:GetBucketLocation' | 'terraform plan';
  regionError?: FactErrorInfo;
}

export type BucketHead =
  | ({ status: 'found' } & RegionAnswer)
  | { status: 'not-found' }
  /** 403: the bucket exists (in someone's account) but we may not see it; the region header is usually still there. */
  | ({ status: 'forbidden'; requestId?: string } & RegionAnswer);

// ---------------------------------------------------------------------------------------------
// Access: policy, ACL, Block Public Access, ownership.

export interface BucketPolicyFact {
  present: boolean;
  text?: string;
  parsed?: ParseResult;
}

export interface PublicAccessBlock {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}

export interface AclGrant {
  grantee: { type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail'; id?: string; uri?: string; displayName?: string; email?: string };
  permission: string;
}

export interface BucketAcl {
  ownerId: string;
  ownerDisplayName?: string;
  grants: AclGrant[];
}

// ---------------------------------------------------------------------------------------------
// Data safety: encryption, versioning, lifecycle, object lock, request payment, replication.

export interface Tag {
  Key: string | undefined;
  Value: string | undefined;
}

export interface ServerSideEncryptionRule {
  ApplyServerSideEncryptionByDefault?: { SSEAlgorithm: string | undefined; KMSMasterKeyID?: string | undefined } | undefined;
  BucketKeyEnabled?: boolean | undefined;
  BlockedEncryptionTypes?: { EncryptionType?: string[] | undefined } | undefined;
}

export interface EncryptionFact {
  configured: boolean;
  rules: ServerSideEncryptionRule[];
  /** SSE-KMS key id/ARN of the default rule, when SSE-KMS. */
  kmsKeyId?: string;
  algorithm?: string;
  bucketKeyEnabled?: boolean;
}

export interface VersioningFact {
  status: 'Enabled' | 'Suspended' | 'Never';
  mfaDelete?: string;
}

export interface LifecycleRule {
  Expiration?: { Date?: Date | undefined; Days?: number | undefined; ExpiredObjectDeleteMarker?: boolean | undefined } | undefined;
  ID?: string | undefined;
  Prefix?: string | undefined;
  Filter?:
    | {
        Prefix?: string | undefined;
        Tag?: Tag | undefined;
        ObjectSizeGreaterThan?: number | undefined;
        ObjectSizeLessThan?: number | undefined;
        And?: { Prefix?: string | undefined; Tags?: Tag[] | undefined; ObjectSizeGreaterThan?: number | undefined; ObjectSizeLessThan?: number | undefined } | undefined;
      }
    | undefined;
  Status: string | undefined;
  Transitions?: Array<{ Date?: Date | undefined; Days?: number | undefined; StorageClass?: string | undefined }> | undefined;
  NoncurrentVersionTransitions?: Array<{ NoncurrentDays?: number | undefined; StorageClass?: string | undefined; NewerNoncurrentVersions?: number | undefined }> | undefined;
  NoncurrentVersionExpiration?: { NoncurrentDays?: number | undefined; NewerNoncurrentVersions?: number | undefined } | undefined;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number | undefined } | undefined;
}

export interface IntelligentTieringFilter {
  Prefix?: string | undefined;
  Tag?: Tag | undefined;
  And?: { Prefix?: string | undefined; Tags?: Tag[] | undefined } | undefined;
}

/** One S3 Intelligent-Tiering configuration: which objects it covers and after how many days without access they move to an archive tier. */
export interface IntelligentTieringConfig {
  id: string;
  /** `Enabled` or `Disabled`, as S3 answers it. */
  status: string;
  /** As S3 answers it: Prefix, Tag, or And { Prefix, Tags }; absent = the whole bucket. */
  filter?: IntelligentTieringFilter;
  /** ARCHIVE_ACCESS (90-730 days) and/or DEEP_ARCHIVE_ACCESS (180-730 days). */
  tierings: Array<{ accessTier: string; days: number }>;
}

export interface ObjectLockFact {
  enabled: boolean;
  mode?: string;
  days?: number;
  years?: number;
}

/** `payer: null` when the answer names no payer: AWS always does; emulators and S3-compatible stores may not. */
export interface RequestPaymentFact {
  payer: string | null;
}

type StatusOnly = { Status: string | undefined };

export interface ReplicationRule {
  ID?: string | undefined;
  Priority?: number | undefined;
  Prefix?: string | undefined;
  Filter?:
    | {
        Prefix?: string | undefined;
        Tag?: Tag | undefined;
        And?: { Prefix?: string | undefined; Tags?: Tag[] | undefined; Not?: ReplicationRuleNot | undefined } | undefined;
        Not?: ReplicationRuleNot | undefined;
      }
    | undefined;
  Status: string | undefined;
  SourceSelectionCriteria?: { SseKmsEncryptedObjects?: StatusOnly | undefined; ReplicaModifications?: StatusOnly | undefined } | undefined;
  ExistingObjectReplication?: StatusOnly | undefined;
  Destination:
    | {
        Bucket: string | undefined;
        Account?: string | undefined;
        StorageClass?: string | undefined;
        AccessControlTranslation?: { Owner: string | undefined } | undefined;
        EncryptionConfiguration?: { ReplicaKmsKeyID?: string | undefined; UseSourceMultiRegionKey?: StatusOnly | undefined } | undefined;
        ReplicationTime?: { Status: string | undefined; Time: { Minutes?: number | undefined } | undefined } | undefined;
        Metrics?: { Status: string | undefined; EventThreshold?: { Minutes?: number | undefined } | undefined } | undefined;
      }
    | undefined;
  DeleteMarkerReplication?: { Status?: string | undefined } | undefined;
}

/** The exclusion filter of a replication rule (S3's Not element; Or lists the alternatives). */
export interface ReplicationRuleNot {
  Prefix?: string | undefined;
  Tag?: Tag | undefined;
  Or?: { Prefixes?: string[] | undefined; Tags?: Tag[] | undefined } | undefined;
}

export interface ReplicationConfiguration {
  Role: string | undefined;
  Rules: ReplicationRule[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// The principal GHES uses and its permissions.

export interface ResolvedPrincipal {
  /** The IAM user or role ARN policies are attached to (assumed-role sessions resolved to their role, with path). */
  arn: string;
  kind: 'user' | 'role';
  name: string;
  accountId: string;
  sessionArn?: string;
  /** Why we could not evaluate this principal (root, federated user): checks skip/error with this. */
  unsupported?: string;
}

export interface PrincipalPolicies {
  identity: PolicySource[];
  permissionsBoundary?: PolicySource;
  /** How they were read (recorded in evidence; see DESIGN.md); 'terraform plan': from the plan's IAM resources. */
  via: 'GetAccountAuthorizationDetails' | 'terraform plan';
}

export interface SimulationInput {
  policySourceArn: string;
  actions: string[];
  resourceArns: string[];
  resourcePolicy?: string;
  resourceOwnerAccount?: string;
  context?: Record<string, string[]>;
}

/** One simulated decision, flattened from EvalDecision / ResourceSpecificResults. */
export interface SimulatedDecision {
  action: string;
  resource: string;
  decision: string;
  matchedStatements: Array<{ sourcePolicyId?: string; sourcePolicyType?: string; startLine?: number }>;
  missingContextValues: string[];
  /** OrganizationsDecisionDetail.AllowedByOrganizations = false: an SCP decided (no statement of the principal's is named then). */
  deniedByOrganizations?: boolean;
  /** PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary = false. */
  deniedByBoundary?: boolean;
}

// ---------------------------------------------------------------------------------------------
// What earlier --probe runs left under packages-preflight/ (a read).

export type ProbeItemKind = 'object' | 'object-version' | 'delete-marker' | 'multipart-upload';

export interface FoundProbeItem {
  kind: ProbeItemKind;
  key: string;
  runId: string;
  versionId?: string;
  uploadId?: string;
}

export interface ListingRefusal {
  operation: string;
  code: string;
  requestId?: string;
}

export interface ProbeRootListing {
  items: FoundProbeItem[];
  /** Operations that answered with a listing of this bucket. */
  listed: string[];
  /** Operations that were refused or answered with something that is not that listing. */
  refused: ListingRefusal[];
  /** Versions and delete markers were listed (ListObjectVersions answered). */
  versionsListed: boolean;
  /** Current objects were listed (by ListObjectVersions or ListObjectsV2). */
  objectsListed: boolean;
  uploadsListed: boolean;
  /** Keys under packages-preflight/ without the probe's shape: not the tool's, never touched. */
  ignoredKeys: number;
}

// ---------------------------------------------------------------------------------------------
// The facts interface: named async getters, one per fact. Tests pass plain objects with just the
// getters a check uses.

export interface GhesS3Facts {
  /** Who the credentials belong to (sts:GetCallerIdentity). */
  callerIdentity(): Promise<CallerIdentity>;
  /** Whether the bucket exists and may be seen, and its region. */
  bucketHead(): Promise<BucketHead>;
  /** Whether the bucket belongs to `account`; 'unknown' when the bucket could not be seen at all. */
  bucketOwnedBy(account: string): Promise<'yes' | 'no' | 'unknown'>;
  bucketPolicy(): Promise<BucketPolicyFact>;
  bucketAcl(): Promise<BucketAcl>;
  bucketPublicAccessBlock(): Promise<PublicAccessBlock | null>;
  /** Block Public Access of the CHECKER's account; applies to the bucket only when bucketOwnedBy() says so. */
  accountPublicAccessBlock(): Promise<PublicAccessBlock | null>;
  /** The Object Ownership setting (BucketOwnerEnforced, ...), null when none is configured. */
  ownershipControls(): Promise<string | null>;
  encryption(): Promise<EncryptionFact>;
  versioning(): Promise<VersioningFact>;
  /** null: no lifecycle configuration. */
  lifecycleRules(): Promise<LifecycleRule[] | null>;
  objectLock(): Promise<ObjectLockFact>;
  requestPayment(): Promise<RequestPaymentFact>;
  /** null: no replication configuration. */
  replication(): Promise<ReplicationConfiguration | null>;
  intelligentTiering(): Promise<IntelligentTieringConfig[]>;
  /** The principal whose permissions are evaluated: --principal-arn, else the caller. */
  principal(): Promise<ResolvedPrincipal>;
  /** That principal's identity policies and permissions boundary. */
  principalPolicies(): Promise<PrincipalPolicies>;
  /** AWS's own policy simulator; a source without one rejects (the check then reports it). */
  simulatePrincipalPolicy(input: SimulationInput): Promise<SimulatedDecision[]>;
  /** Never rejects: a refused or malformed listing is in `refused`, and the check decides. */
  earlierProbeRuns(): Promise<ProbeRootListing>;
  /**
   * The SSE-KMS key's policy (kms:GetKeyPolicy), for kms-access. Optional: a source that cannot
   * read key policies (a Terraform plan names the key, not always its policy) leaves it out, and
   * kms-access says the key policy was not read. Rejects (FactError) when the read is refused.
   */
  kmsKeyPolicy?(keyArn: string): Promise<KeyPolicyFact>;
}

/** A KMS key's policy document, as KMS answered it (JSON text). */
export interface KeyPolicyFact {
  keyArn: string;
  policy: string;
}

// ---------------------------------------------------------------------------------------------
// The write side, for the `probe` and `probe-cleanup` checks only (only with --probe).

/** Why a probe request did not succeed. `unknown`: S3 may or may not have applied it (no answer, 5xx, cancelled). */
export interface ProbeFailure {
  operation: string;
  key?: string;
  resource: string;
  code: string;
  httpStatus?: number;
  requestId?: string;
  message: string;
  latencyMs: number;
  outcome: 'failed' | 'unknown';
}

/** One successful probe request: what S3 answered, how long it took, and its request id. */
export interface ProbeCall<T> {
  operation: string;
  key?: string;
  resource: string;
  latencyMs: number;
  requestId?: string;
  value: T;
}

export interface RemovedItem {
  kind: ProbeItemKind;
  key: string;
  versionId?: string;
  uploadId?: string;
  /** `probe`: the probe's own DeleteObject/AbortMultipartUpload step; `cleanup`: the cleanup. */
  by: 'probe' | 'cleanup';
}

export interface ProbeLeftover {
  /** `unconfirmed`: a write whose answer was lost, in a prefix that could not be listed: it may exist. */
  kind: ProbeItemKind | 'unconfirmed';
  key: string;
  versionId?: string;
  uploadId?: string;
  /** The error code of the last attempt to remove it (or `StillListed`, `CleanupTimeout`). */
  reason: string;
  requestId?: string;
}

export interface EarlierRunsReport {
  /** Run ids whose folders were found. */
  runIds: string[];
  /** Items of earlier runs this run removed (`by: 'cleanup'`). */
  removed: RemovedItem[];
  /** Items of earlier runs still there after the removal (exact keys), or that could not be listed again. */
  leftovers: ProbeLeftover[];
  /** Listings that answered / were refused, first and last round together. */
  listed: string[];
  refused: ListingRefusal[];
  /** Versions and delete markers were listed (ListObjectVersions answered). */
  versionsListed: boolean;
  /** The final listing (after the removals) answered for uploads and objects: `leftovers` is complete. */
  verified: boolean;
  /** Keys under packages-preflight/ without the probe's shape: never touched. */
  ignoredKeys: number;
}

export interface ProbeCleanupReport {
  bucket: string;
  prefix: string;
  runId: string;
  /** Whether the probe attempted any write at all (nothing attempted: nothing to remove). */
  attemptedWrites: boolean;
  /** The bucket keeps versions (S3 answered with version ids or delete markers). */
  versioned: boolean;
  removed: RemovedItem[];
  leftovers: ProbeLeftover[];
  /** How the empty prefix was confirmed, or why it could not be. */
  verification: { listed: true; operations: string[] } | { listed: false; operation: string; code: string; requestId?: string } | { listed: false; operation: 'none'; code: 'NotNeeded' };
  /** What earlier runs (killed before their cleanup) left under packages-preflight/, and what this run did about it. */
  earlierRuns: EarlierRunsReport;
  /** The cleanup started because the run was interrupted (SIGINT/SIGTERM/--timeout). */
  interrupted: boolean;
  timedOut: boolean;
  durationMs: number;
}

/**
 * The write side. Deliberately not part of the facts: facts are read-only, memoized getters; the
 * probe writes. It exists only with --probe (without it the context has no way to write at all),
 * and every key is under `prefix`. A failed step rejects with an error carrying `info: ProbeFailure`.
 */
export interface GhesS3Probe {
  readonly bucket: string;
  readonly runId: string;
  /** `packages-preflight/<run id>/`: every key the probe writes is under it. */
  readonly prefix: string;
  readonly endpointUrl?: string;
  readonly secureTransport: boolean;
  keyOf(name: string): string;
  putObject(name: string, body: Uint8Array): Promise<ProbeCall<{ key: string; size: number; sha256: string; etag?: string; versionId?: string; checksumSha256?: string }>>;
  getObject(name: string): Promise<ProbeCall<{ key: string; body: Uint8Array; etag?: string; versionId?: string; checksumSha256?: string }>>;
  listObjects(): Promise<ProbeCall<{ keys: string[] }>>;
  createMultipartUpload(name: string): Promise<ProbeCall<{ key: string; uploadId: string }>>;
  uploadPart(name: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<ProbeCall<{ etag: string; size: number }>>;
  listParts(name: string, uploadId: string): Promise<ProbeCall<{ parts: Array<{ partNumber: number; size: number; etag: string }> }>>;
  listMultipartUploads(): Promise<ProbeCall<{ uploads: Array<{ key: string; uploadId: string }> }>>;
  completeMultipartUpload(name: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<ProbeCall<{ key: string; etag?: string; versionId?: string }>>;
  abortMultipartUpload(name: string, uploadId: string): Promise<ProbeCall<{ key: string; uploadId: string }>>;
  deleteObject(name: string): Promise<ProbeCall<{ key: string; deleteMarker: boolean; versionId?: string }>>;
  /** Never rejects: what it could not remove is in `leftovers`. */
  cleanup(): Promise<ProbeCleanupReport>;
}
