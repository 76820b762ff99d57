// The facts the ghes-s3 pack rests on: named, typed, memoized async getters, each fetched at most
// once per run (and once per fleet where the fact is the same). "Not configured" answers
// (NoSuchBucketPolicy, NoSuchPublicAccessBlockConfiguration, ...) are values; anything else that
// stops us reading a fact is a FactError, which the engine turns into `error`, never `pass`.

import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyVersionCommand,
  GetPolicyCommand,
  GetRoleCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type EvaluationResult as AwsEvaluationResult,
  type GetAccountAuthorizationDetailsCommandOutput,
  type ManagedPolicyDetail,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parsePrincipalArn } from '../config/arn.ts';
import { FactError } from '../engine/fact-error.ts';
import { parsePolicyDocument } from '../policy/document.ts';
import type { PolicySource } from '../policy/evaluate.ts';
import type {
  AclGrant,
  BucketAcl,
  BucketHead,
  BucketPolicyFact,
  CallerIdentity,
  EncryptionFact,
  GhesS3Facts,
  IntelligentTieringConfig,
  KeyPolicyFact,
  LifecycleRule,
  ObjectLockFact,
  PrincipalPolicies,
  ProbeRootListing,
  PublicAccessBlock,
  RegionAnswer,
  ReplicationConfiguration,
  RequestPaymentFact,
  ResolvedPrincipal,
  SimulatedDecision,
  SimulationInput,
  VersioningFact,
} from '../../checks/ghes-s3/facts.ts';
import { errorCode, httpStatus, isNotConfigured, responseHeader, toFactError } from './errors.ts';
import { FactCache } from './fact-cache.ts';
import { listProbeRoot } from './probe-leftovers.ts';
import { intelligentTieringArchiveTiers } from './s3-extra-facts.ts';
import { readKeyPolicy } from './kms-facts.ts';
import type { AwsSession } from './session.ts';

/** The pack's fact types, re-exported for the code that builds and tests this implementation. */
export type { AclGrant, BucketAcl, BucketHead, BucketPolicyFact, CallerIdentity, EncryptionFact, PrincipalPolicies, PublicAccessBlock, ResolvedPrincipal, SimulatedDecision, SimulationInput };

export interface S3FactsTarget {
  bucket: string;
  principalArn?: string;
}

/** The most rules one S3 lifecycle configuration can hold (S3 User Guide, lifecycle configuration elements). */
export const MAX_LIFECYCLE_RULES = 1000;

const NOT_CONFIGURED = new Set([
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'OwnershipControlsNotFoundError',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchLifecycleConfiguration',
  'ObjectLockConfigurationNotFoundError',
  'ReplicationConfigurationNotFoundError',
  'NoSuchReplicationConfiguration',
]);

/** The ghes-s3 pack's facts (checks/ghes-s3/facts.ts), read from live AWS. */
export class S3Facts implements GhesS3Facts {
  readonly session: AwsSession;
  private readonly target: S3FactsTarget;
  private readonly cache: FactCache;

  constructor(session: AwsSession, target: S3FactsTarget, cache = new FactCache()) {
    this.session = session;
    this.target = target;
    this.cache = cache;
  }

  private get bucketArn(): string {
    return `arn:aws:s3:::${this.target.bucket}`;
  }

  /** Reads a bucket sub-resource; a "not configured" error code becomes `notConfigured`. */
  private bucketFact<T>(fact: string, api: string, read: () => Promise<T>, notConfigured: NoInfer<T>): Promise<T> {
    return this.cache.get(`${fact}:${this.target.bucket}`, async () => {
      try {
        return await read();
      } catch (e) {
        if (isNotConfigured(e, NOT_CONFIGURED)) return notConfigured;
        throw toFactError(e, fact, api, this.bucketArn);
      }
    });
  }

  /**
   * Who the credentials belong to. The answer must name a valid principal ARN and that ARN's
   * account: an identity without them would turn every check about "this principal" into a guess.
   */
  callerIdentity(): Promise<CallerIdentity> {
    return this.cache.get('callerIdentity', async () => {
      try {
        const out = await this.session.sts().send(new GetCallerIdentityCommand({}));
        const identity = { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' };
        const parsed = parsePrincipalArn(identity.arn);
        if (!parsed.ok || parsed.value.account !== identity.account || !identity.userId) {
          throw new FactError({
            fact: 'callerIdentity',
            api: 'sts:GetCallerIdentity',
            code: 'MalformedResponse',
            httpStatus: out.$metadata.httpStatusCode,
            requestId: out.$metadata.requestId,
            message: 'the answer names no valid caller (an IAM or STS principal ARN, its 12-digit account and a user id, consistent with each other)',
          });
        }
        return identity;
      } catch (e) {
        throw toFactError(e, 'callerIdentity', 'sts:GetCallerIdentity');
      }
    });
  }

  /** HeadBucket, and the bucket's region: from its x-amz-bucket-region header, else from GetBucketLocation. */
  bucketHead(): Promise<BucketHead> {
    return this.cache.get(`bucketHead:${this.target.bucket}`, async () => {
      const head = await this.headBucket();
      // Only a 200 is asked again: a 403 already says the checker may not look (its missing region
      // stays unknown, and bucket-reachable reports the refusal as an error).
      if (head.status !== 'found' || head.region) return head;
      try {
        return { ...head, region: await this.bucketLocation(), regionFrom: 's3:GetBucketLocation' as const };
      } catch (e) {
        return { ...head, regionError: toFactError(e, 'bucketRegion', 's3:GetBucketLocation', this.bucketArn).info };
      }
    });
  }

  private async headBucket(): Promise<BucketHead> {
    const fromHeader = (region: string | undefined): RegionAnswer => (region ? { region, regionFrom: 'x-amz-bucket-region' } : { region: null });
    try {
      const out = await this.session.s3().send(new HeadBucketCommand({ Bucket: this.target.bucket }));
      return { status: 'found', ...fromHeader(out.BucketRegion) };
    } catch (e) {
      const code = errorCode(e);
      const status = httpStatus(e);
      if (code === 'NotFound' || code === 'NoSuchBucket' || status === 404) return { status: 'not-found' };
      if (status === 403) {
        return { status: 'forbidden', ...fromHeader(responseHeader(e, 'x-amz-bucket-region')), requestId: (e as { $metadata?: { requestId?: string } }).$metadata?.requestId };
      }
      throw toFactError(e, 'bucketHead', 's3:HeadBucket', this.bucketArn);
    }
  }

  /** GetBucketLocation's answer as a region code: empty means us-east-1 and `EU` eu-west-1 (the API's legacy values). */
  private async bucketLocation(): Promise<string> {
    const out = await this.session.s3().send(new GetBucketLocationCommand({ Bucket: this.target.bucket }));
    const constraint = (out.LocationConstraint as string | undefined) ?? '';
    const region = constraint === '' ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
    if (!/^[a-z0-9-]{1,64}$/.test(region)) {
      throw new FactError({ fact: 'bucketRegion', api: 's3:GetBucketLocation', resource: this.bucketArn, code: 'MalformedResponse', httpStatus: out.$metadata.httpStatusCode, requestId: out.$metadata.requestId, message: 'the LocationConstraint is not a region code' });
    }
    return region;
  }

  bucketPolicy(): Promise<BucketPolicyFact> {
    return this.bucketFact<BucketPolicyFact>(
      'bucketPolicy',
      's3:GetBucketPolicy',
      async () => {
        const out = await this.session.s3().send(new GetBucketPolicyCommand({ Bucket: this.target.bucket }));
        const text = out.Policy ?? '';
        return { present: true, text, parsed: parsePolicyDocument(text) };
      },
      { present: false },
    );
  }

  bucketAcl(): Promise<BucketAcl> {
    return this.bucketFact<BucketAcl>(
      'bucketAcl',
      's3:GetBucketAcl',
      async () => {
        const out = await this.session.s3().send(new GetBucketAclCommand({ Bucket: this.target.bucket }));
        return {
          ownerId: out.Owner?.ID ?? '',
          ownerDisplayName: out.Owner?.DisplayName,
          grants: (out.Grants ?? []).map((g) => ({
            grantee: {
              type: (g.Grantee?.Type ?? 'CanonicalUser') as AclGrant['grantee']['type'],
              id: g.Grantee?.ID,
              uri: g.Grantee?.URI,
              displayName: g.Grantee?.DisplayName,
              email: g.Grantee?.EmailAddress,
            },
            permission: g.Permission ?? '',
          })),
        };
      },
      { ownerId: '', grants: [] },
    );
  }

  bucketPublicAccessBlock(): Promise<PublicAccessBlock | null> {
    return this.bucketFact(
      'bucketPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      async () => (await this.session.s3().send(new GetPublicAccessBlockCommand({ Bucket: this.target.bucket }))).PublicAccessBlockConfiguration ?? null,
      null,
    );
  }

  /**
   * Block Public Access of the CHECKER's account (the caller's, from STS). It applies to the bucket
   * only when that account owns it: callers must confirm with bucketOwnedBy() before combining.
   */
  accountPublicAccessBlock(): Promise<PublicAccessBlock | null> {
    return this.callerIdentity().then((id) =>
      this.cache.get(`accountPublicAccessBlock:${id.account}`, async () => {
        try {
          const out = await this.session.s3control().send(new GetAccountPublicAccessBlockCommand({ AccountId: id.account }));
          return out.PublicAccessBlockConfiguration ?? null;
        } catch (e) {
          if (isNotConfigured(e, NOT_CONFIGURED)) return null;
          throw toFactError(e, 'accountPublicAccessBlock', 's3:GetAccountPublicAccessBlock', `arn:aws:s3:::account/${id.account}`);
        }
      }),
    );
  }

  ownershipControls(): Promise<string | null> {
    return this.bucketFact(
      'ownershipControls',
      's3:GetBucketOwnershipControls',
      async () => (await this.session.s3().send(new GetBucketOwnershipControlsCommand({ Bucket: this.target.bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
      null,
    );
  }

  encryption(): Promise<EncryptionFact> {
    return this.bucketFact<EncryptionFact>(
      'encryption',
      's3:GetEncryptionConfiguration',
      async () => {
        const out = await this.session.s3().send(new GetBucketEncryptionCommand({ Bucket: this.target.bucket }));
        const rules = out.ServerSideEncryptionConfiguration?.Rules ?? [];
        const sse = rules[0]?.ApplyServerSideEncryptionByDefault;
        return { configured: rules.length > 0, rules, algorithm: sse?.SSEAlgorithm, kmsKeyId: sse?.KMSMasterKeyID, bucketKeyEnabled: rules[0]?.BucketKeyEnabled };
      },
      { configured: false, rules: [] },
    );
  }

  versioning(): Promise<VersioningFact> {
    return this.bucketFact<VersioningFact>(
      'versioning',
      's3:GetBucketVersioning',
      async () => {
        const out = await this.session.s3().send(new GetBucketVersioningCommand({ Bucket: this.target.bucket }));
        return { status: (out.Status ?? 'Never') as 'Enabled' | 'Suspended' | 'Never', mfaDelete: out.MFADelete };
      },
      { status: 'Never' },
    );
  }

  lifecycleRules(): Promise<LifecycleRule[] | null> {
    return this.bucketFact<LifecycleRule[] | null>(
      'lifecycleRules',
      's3:GetLifecycleConfiguration',
      async () => {
        const rules = (await this.session.s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: this.target.bucket }))).Rules ?? [];
        // S3 keeps at most 1,000 rules per configuration: more is not an answer S3 gives, and
        // analysing it would only produce a report nobody can read back. An error, never a pass.
        if (rules.length > MAX_LIFECYCLE_RULES) {
          throw Object.assign(new Error(`the answer holds ${rules.length} lifecycle rules, more than the ${MAX_LIFECYCLE_RULES} S3 allows in one configuration; not analysed`), { name: 'OversizedAnswer' });
        }
        return rules;
      },
      null,
    );
  }

  objectLock(): Promise<ObjectLockFact> {
    return this.bucketFact<ObjectLockFact>(
      'objectLock',
      's3:GetBucketObjectLockConfiguration',
      async () => {
        const out = await this.session.s3().send(new GetObjectLockConfigurationCommand({ Bucket: this.target.bucket }));
        const cfg = out.ObjectLockConfiguration;
        const retention = cfg?.Rule?.DefaultRetention;
        return { enabled: cfg?.ObjectLockEnabled === 'Enabled', mode: retention?.Mode, days: retention?.Days, years: retention?.Years };
      },
      { enabled: false },
    );
  }

  /** `payer: null` when the answer names no payer: AWS always does; emulators and S3-compatible stores may not. */
  requestPayment(): Promise<RequestPaymentFact> {
    return this.bucketFact<RequestPaymentFact>(
      'requestPayment',
      's3:GetBucketRequestPayment',
      async () => ({ payer: (await this.session.s3().send(new GetBucketRequestPaymentCommand({ Bucket: this.target.bucket }))).Payer ?? null }),
      { payer: null },
    );
  }

  replication(): Promise<ReplicationConfiguration | null> {
    return this.bucketFact(
      'replication',
      's3:GetReplicationConfiguration',
      async () => (await this.session.s3().send(new GetBucketReplicationCommand({ Bucket: this.target.bucket }))).ReplicationConfiguration ?? null,
      null,
    );
  }

  /** Intelligent-Tiering configurations (archive tiers GetObject cannot read directly). */
  intelligentTiering(): Promise<IntelligentTieringConfig[]> {
    return intelligentTieringArchiveTiers(this.session, this.target.bucket, this.cache);
  }

  /**
   * Whether the bucket belongs to `account` (HeadBucket with ExpectedBucketOwner answers 403 when
   * it does not). 'unknown' when the plain HeadBucket was already refused to the checker.
   */
  /** The SSE-KMS key's policy (src/aws/kms-facts.ts), read in the key's region. */
  kmsKeyPolicy(keyArn: string): Promise<KeyPolicyFact> {
    return readKeyPolicy(this.session, keyArn, this.cache);
  }

  bucketOwnedBy(account: string): Promise<'yes' | 'no' | 'unknown'> {
    return this.cache.get(`bucketOwnedBy:${this.target.bucket}:${account}`, async () => {
      // Asked alongside the plain HeadBucket (one round trip, not two); read in its light.
      const ownerAnswer = this.session
        .s3()
        .send(new HeadBucketCommand({ Bucket: this.target.bucket, ExpectedBucketOwner: account }))
        .then(() => 'yes' as const, (e: unknown) => ({ error: e }));
      const [head, answer] = await Promise.all([this.bucketHead(), ownerAnswer]);
      if (head.status !== 'found') return 'unknown' as const;
      if (answer === 'yes') return 'yes' as const;
      if (httpStatus(answer.error) === 403) return 'no' as const;
      throw toFactError(answer.error, 'bucketOwner', 's3:HeadBucket', this.bucketArn);
    });
  }

  /**
   * What earlier --probe runs left under packages-preflight/ (a read: listings only). Never
   * rejects: a refused or malformed listing is in `refused`, and the check decides.
   */
  earlierProbeRuns(): Promise<ProbeRootListing> {
    return this.cache.get(`earlierProbeRuns:${this.target.bucket}`, () => listProbeRoot(this.session.s3(), this.target.bucket));
  }

  /**
   * AWS's own policy simulator (iam:SimulatePrincipalPolicy), all actions and resources in one
   * paginated call; per-resource answers come from ResourceSpecificResults.
   */
  simulatePrincipalPolicy(input: SimulationInput): Promise<SimulatedDecision[]> {
    return this.cache.get(`simulate:${JSON.stringify(input)}`, async () => {
      const contextEntries: ContextEntry[] = Object.entries(input.context ?? {}).map(([key, values]) => ({
        ContextKeyName: key,
        ContextKeyValues: values,
        ContextKeyType: key.toLowerCase() === 'aws:sourceip' ? 'ip' : key.toLowerCase() === 'aws:securetransport' ? 'boolean' : 'string',
      }));
      const decisions: SimulatedDecision[] = [];
      let marker: string | undefined;
      try {
        do {
          const out = await this.session.iam().send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: input.policySourceArn,
              ActionNames: input.actions,
              ResourceArns: input.resourceArns,
              ResourcePolicy: input.resourcePolicy,
              ResourceOwner: input.resourcePolicy && input.resourceOwnerAccount ? `arn:aws:iam::${input.resourceOwnerAccount}:root` : undefined,
              ContextEntries: contextEntries.length ? contextEntries : undefined,
              Marker: marker,
            }),
          );
          for (const r of out.EvaluationResults ?? []) decisions.push(...flattenSimulation(r));
          marker = out.IsTruncated ? out.Marker : undefined;
        } while (marker);
      } catch (e) {
        throw toFactError(e, 'simulation', 'iam:SimulatePrincipalPolicy', input.policySourceArn);
      }
      return decisions;
    });
  }

  /**
   * The principal whose permissions are evaluated: --principal-arn, else the caller. IAM answers
   * only about principals of the caller's own account, so a principal of another account is an
   * error with that reason: reading the caller account's user or role of the same name would
   * evaluate someone else's policies.
   */
  principal(): Promise<ResolvedPrincipal> {
    return this.cache.get(`principal:${this.target.principalArn ?? 'caller'}`, async () => {
      const caller = await this.callerIdentity();
      const arn = this.target.principalArn ?? caller.arn;
      const parsed = parsePrincipalArn(arn);
      if (!parsed.ok) throw new FactError({ fact: 'principal', api: 'sts:GetCallerIdentity', resource: arn, code: 'InvalidPrincipal', message: parsed.problem });
      const p = parsed.value;
      if (p.account !== caller.account) {
        throw new FactError({
          fact: 'principal',
          api: 'iam:GetAccountAuthorizationDetails',
          resource: arn,
          code: 'PrincipalInOtherAccount',
          message: `${arn} belongs to account ${p.account}, but the checker's credentials (${caller.arn}) belong to account ${caller.account}, and IAM answers only about the caller's own account; run the check with credentials of account ${p.account} (e.g. --profile, or assumeRoleArn in a fleet file)`,
        });
      }
      if (p.kind === 'root') return { arn, kind: 'user', name: 'root', accountId: p.account, unsupported: 'the account root user is not governed by IAM policies; GHES must use an IAM user with an access key' };
      if (p.kind === 'federated-user' || p.kind === 'group') return { arn, kind: 'user', name: p.name, accountId: p.account, unsupported: `a ${p.kind} cannot hold the static access key GHES Packages needs; give an IAM user or role with --principal-arn` };
      if (p.kind === 'user') return { arn, kind: 'user', name: p.name, accountId: p.account };
      if (p.kind === 'role') return { arn, kind: 'role', name: p.name, accountId: p.account };
      // Assumed-role session: the policies belong to the role, whose ARN may carry a path only GetRole knows.
      try {
        const out = await this.session.iam().send(new GetRoleCommand({ RoleName: p.name }));
        const roleArn = out.Role?.Arn ?? '';
        const role = parsePrincipalArn(roleArn);
        if (!role.ok || role.value.kind !== 'role' || role.value.account !== p.account || role.value.name !== p.name) {
          throw new FactError({ fact: 'principal', api: 'iam:GetRole', resource: `role/${p.name}`, code: 'MalformedResponse', requestId: out.$metadata.requestId, message: `the answer does not describe role ${p.name} of account ${p.account}` });
        }
        return { arn: roleArn, kind: 'role', name: p.name, accountId: p.account, sessionArn: arn };
      } catch (e) {
        throw toFactError(e, 'principal', 'iam:GetRole', `role/${p.name}`);
      }
    });
  }

  /**
   * The principal's identity policies and permissions boundary. Read with
   * GetAccountAuthorizationDetails (filtered to users+groups or roles, plus local managed policies):
   * one paginated call returns inline, attached, group policies and the boundary together, where
   * per-principal List/Get calls need 6-12 requests (DESIGN.md, "Reading principal policies").
   * AWS-managed policies are not in that answer; their default versions are read one by one.
   */
  principalPolicies(): Promise<PrincipalPolicies> {
    return this.principal().then((principal) =>
      this.cache.get(`principalPolicies:${principal.arn}`, async () => {
        if (principal.unsupported) throw new FactError({ fact: 'principalPolicies', api: 'iam:GetAccountAuthorizationDetails', resource: principal.arn, code: 'UnsupportedPrincipal', message: principal.unsupported });
        const filter = principal.kind === 'user' ? ['User', 'Group', 'LocalManagedPolicy'] : ['Role', 'LocalManagedPolicy'];
        const details = await this.accountAuthorizationDetails(filter);
        const localPolicies = new Map((details.Policies ?? []).map((p) => [p.Arn ?? '', p]));
        const identity: PolicySource[] = [];
        let boundaryArn: string | undefined;
        const attachedArns: Array<{ arn: string; kind: PolicySource['kind']; group?: string }> = [];
        if (principal.kind === 'user') {
          const users = details.UserDetailList ?? [];
          const user = users.find((u) => u.Arn === principal.arn);
          if (!user) throw notFoundExactly(principal, users.find((u) => u.UserName === principal.name)?.Arn);
          for (const p of user.UserPolicyList ?? []) identity.push({ kind: 'user-inline', name: p.PolicyName ?? '', document: p.PolicyDocument ?? '' });
          for (const a of user.AttachedManagedPolicies ?? []) attachedArns.push({ arn: a.PolicyArn ?? '', kind: 'user-managed' });
          boundaryArn = user.PermissionsBoundary?.PermissionsBoundaryArn;
          for (const groupName of user.GroupList ?? []) {
            const group = (details.GroupDetailList ?? []).find((g) => g.GroupName === groupName);
            for (const p of group?.GroupPolicyList ?? []) identity.push({ kind: 'group-inline', name: p.PolicyName ?? '', group: groupName, document: p.PolicyDocument ?? '' });
            for (const a of group?.AttachedManagedPolicies ?? []) attachedArns.push({ arn: a.PolicyArn ?? '', kind: 'group-managed', group: groupName });
          }
        } else {
          const roles = details.RoleDetailList ?? [];
          const role = roles.find((r) => r.Arn === principal.arn);
          if (!role) throw notFoundExactly(principal, roles.find((r) => r.RoleName === principal.name)?.Arn);
          for (const p of role.RolePolicyList ?? []) identity.push({ kind: 'role-inline', name: p.PolicyName ?? '', document: p.PolicyDocument ?? '' });
          for (const a of role.AttachedManagedPolicies ?? []) attachedArns.push({ arn: a.PolicyArn ?? '', kind: 'role-managed' });
          boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
        }
        const documentOf = async (arn: string): Promise<string> => {
          const local = localPolicies.get(arn);
          const version = local && defaultVersion(local);
          if (version !== undefined) return version;
          return this.managedPolicyDocument(arn);
        };
        const attached = await Promise.all(attachedArns.map(async (a) => ({ kind: a.kind, name: a.arn.split('/').pop() ?? a.arn, arn: a.arn, group: a.group, document: await documentOf(a.arn) })));
        identity.push(...attached);
        const permissionsBoundary = boundaryArn ? { kind: 'permissions-boundary' as const, name: boundaryArn.split('/').pop() ?? boundaryArn, arn: boundaryArn, document: await documentOf(boundaryArn) } : undefined;
        return { identity, permissionsBoundary, via: 'GetAccountAuthorizationDetails' as const };
      }),
    );
  }

  private accountAuthorizationDetails(filter: string[]): Promise<GetAccountAuthorizationDetailsCommandOutput> {
    return this.principal().then((principal) =>
      this.cache.get(`accountAuthorizationDetails:${principal.accountId}:${filter.join(',')}`, async () => {
        const merged: GetAccountAuthorizationDetailsCommandOutput = { $metadata: {}, UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
        let marker: string | undefined;
        try {
          do {
            const out = await this.session.iam().send(new GetAccountAuthorizationDetailsCommand({ Filter: filter as never, Marker: marker }));
            merged.UserDetailList!.push(...(out.UserDetailList ?? []));
            merged.GroupDetailList!.push(...(out.GroupDetailList ?? []));
            merged.RoleDetailList!.push(...(out.RoleDetailList ?? []));
            merged.Policies!.push(...(out.Policies ?? []));
            marker = out.IsTruncated ? out.Marker : undefined;
          } while (marker);
        } catch (e) {
          throw toFactError(e, 'principalPolicies', 'iam:GetAccountAuthorizationDetails', `arn:aws:iam::${principal.accountId}:root`);
        }
        return merged;
      }),
    );
  }

  private managedPolicyDocument(arn: string): Promise<string> {
    return this.cache.get(`managedPolicy:${arn}`, async () => {
      try {
        const policy = await this.session.iam().send(new GetPolicyCommand({ PolicyArn: arn }));
        const version = await this.session.iam().send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }));
        return version.PolicyVersion?.Document ?? '';
      } catch (e) {
        throw toFactError(e, 'principalPolicies', 'iam:GetPolicyVersion', arn);
      }
    });
  }
}

/**
 * Policies belong to the principal with exactly this ARN (account, path and name): a user or role of
 * the same name under another path is someone else, named in the message so the fix is one copy.
 */
function notFoundExactly(principal: ResolvedPrincipal, namesake: string | undefined): FactError {
  return new FactError({
    fact: 'principalPolicies',
    api: 'iam:GetAccountAuthorizationDetails',
    resource: principal.arn,
    code: 'NoSuchEntity',
    message: `account ${principal.accountId} has no IAM ${principal.kind} with exactly the ARN ${principal.arn}${namesake ? `; ${namesake} has that name under another path: give that ARN if it is the one GHES uses` : ''}`,
  });
}

function flattenSimulation(r: AwsEvaluationResult): SimulatedDecision[] {
  const matched = (list: AwsEvaluationResult['MatchedStatements']) =>
    (list ?? []).map((m) => ({ sourcePolicyId: m.SourcePolicyId, sourcePolicyType: m.SourcePolicyType, startLine: m.StartPosition?.Line }));
  const deniedByOrganizations = r.OrganizationsDecisionDetail?.AllowedByOrganizations === false;
  if (r.ResourceSpecificResults?.length) {
    return r.ResourceSpecificResults.map((rr) => ({
      action: r.EvalActionName ?? '',
      resource: rr.EvalResourceName ?? '',
      decision: rr.EvalResourceDecision ?? 'implicitDeny',
      matchedStatements: matched(rr.MatchedStatements),
      missingContextValues: rr.MissingContextValues ?? [],
      deniedByOrganizations,
      deniedByBoundary: (rr.PermissionsBoundaryDecisionDetail ?? r.PermissionsBoundaryDecisionDetail)?.AllowedByPermissionsBoundary === false,
    }));
  }
  return [
    {
      action: r.EvalActionName ?? '',
      resource: r.EvalResourceName ?? '*',
      decision: r.EvalDecision ?? 'implicitDeny',
      matchedStatements: matched(r.MatchedStatements),
      missingContextValues: r.MissingContextValues ?? [],
      deniedByOrganizations,
      deniedByBoundary: r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false,
    },
  ];
}

function defaultVersion(policy: ManagedPolicyDetail): string | undefined {
  return policy.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document;
}
