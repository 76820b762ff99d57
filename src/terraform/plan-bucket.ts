// The bucket's settings as the plan leaves them: from the bucket's own sub-resources
// (aws_s3_bucket_policy, _acl, _public_access_block, ...), else from the legacy inline arguments of
// aws_s3_bucket (acl, grant, policy, versioning, lifecycle_rule, server_side_encryption_configuration,
// ...), else, for a bucket this plan creates, AWS's documented defaults for a new bucket. A
// sub-resource whose bucket is unknown until apply and cannot be traced to a bucket through the
// configuration may be this bucket's: the setting it holds is then unknown, never assumed absent.

import type { AclGrant, BucketAcl, EncryptionFact, LifecycleRule, PublicAccessBlock, ReplicationConfiguration } from '../../checks/ghes-s3/facts.ts';
import type { PlanIndex, PlanResource } from './plan-index.ts';
import { block, blocks, bool, known, num, type PlanFact, str, unavailable, unknown } from './plan-values.ts';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
/** The canonical id of the owner is known only after apply; canned ACLs name the owner by this stand-in. */
export const PLAN_OWNER_ID = '(the bucket owner)';

/** New general purpose buckets since April 2023 (Amazon S3 User Guide, "Default settings for new buckets"). */
const NEW_BUCKET_DEFAULT = 'AWS default for a new bucket (S3 User Guide: Block Public Access on, ACLs disabled, SSE-S3)';

const group = (uri: string, permission: string): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const ownerFull: AclGrant = { grantee: { type: 'CanonicalUser', id: PLAN_OWNER_ID }, permission: 'FULL_CONTROL' };

/** The bucket grants a canned ACL stands for (S3 User Guide, "Canned ACL"). */
export function cannedAclGrants(acl: string): AclGrant[] | undefined {
  switch (acl) {
    case 'private':
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
    case 'aws-exec-read':
      return [ownerFull];
    case 'public-read':
      return [ownerFull, group(ALL_USERS, 'READ')];
    case 'public-read-write':
      return [ownerFull, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [ownerFull, group(AUTHENTICATED_USERS, 'READ')];
    case 'log-delivery-write':
      return [ownerFull, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')];
    default:
      return undefined;
  }
}

type Link = { to: 'ours' } | { to: 'other' } | { to: 'maybe'; path: string };

export class PlanBucket {
  readonly index: PlanIndex;
  readonly resource: PlanResource;
  readonly created: boolean;

  constructor(index: PlanIndex, resource: PlanResource) {
    this.index = index;
    this.resource = resource;
    this.created = resource.actions.includes('create');
  }

  /** The bucket's name, when the plan knows it (not with bucket_prefix or a computed name). */
  get name(): string | undefined {
    return str(this.resource.values.bucket);
  }

  /** Whether a sub-resource belongs to this bucket: by its planned `bucket` value, else by what its configuration references. */
  link(r: PlanResource, attribute = 'bucket', seen = new Set<string>()): Link {
    const value = r.values[attribute];
    const unknownPath = this.index.unknownAt(r, [attribute]);
    if (!unknownPath && typeof value === 'string' && value !== '') {
      const name = this.name;
      if (name) return value === name || value === `arn:aws:s3:::${name}` ? { to: 'ours' } : { to: 'other' };
    }
    if (seen.has(r.address)) return { to: 'maybe', path: `${r.address}.${attribute}` };
    seen.add(r.address);
    const resolved = this.index.resolve(r, attribute);
    const verdicts: Link[] = [];
    for (const target of resolved.resources) {
      if (target.type === 'aws_s3_bucket') verdicts.push(target.address === this.resource.address ? { to: 'ours' } : { to: 'other' });
      else if (target.type.startsWith('aws_s3_bucket_')) verdicts.push(this.link(target, 'bucket', seen));
    }
    for (const c of resolved.constants) {
      if (typeof c === 'string' && this.name) verdicts.push(c === this.name ? { to: 'ours' } : { to: 'other' });
    }
    if (verdicts.length > 0) {
      if (verdicts.every((v) => v.to === 'ours')) return { to: 'ours' };
      if (verdicts.every((v) => v.to === 'other')) return { to: 'other' };
    }
    if (!unknownPath && typeof value === 'string' && value !== '' && !this.name) {
      // Our name is unknown (bucket_prefix) and the sub-resource names a known bucket: someone else's.
      return { to: 'other' };
    }
    return { to: 'maybe', path: unknownPath ?? `${r.address}.${attribute}` };
  }

  /**
   * The sub-resources of `type` that are this bucket's. Any that may be (bucket unknown until apply,
   * not traceable) make the fact unknown: `maybe` names their paths.
   */
  private subresources(type: string): { ours: PlanResource[]; maybe: string[] } {
    const ours: PlanResource[] = [];
    const maybe: string[] = [];
    for (const r of this.index.ofType(type)) {
      const link = this.link(r);
      if (link.to === 'ours') ours.push(r);
      else if (link.to === 'maybe') maybe.push(link.path);
    }
    return { ours, maybe };
  }

  /**
   * One setting: the sub-resource of `type` (read by `read`), else the inline attribute of the
   * bucket (read by `inline`, undefined when it does not say), else the default of a new bucket.
   */
  private setting<T>(
    type: string,
    read: (r: PlanResource) => PlanFact<T>,
    inline: (() => PlanFact<T> | undefined) | undefined,
    newBucketDefault: T | undefined,
    what: string,
  ): PlanFact<T> {
    const { ours, maybe } = this.subresources(type);
    if (maybe.length) return unknown(...maybe);
    if (ours.length > 1) return unknown(...ours.map((r) => `${r.address} (${ours.length} ${type} resources for one bucket: which one wins is decided by the apply order)`));
    if (ours.length === 1) return read(ours[0]);
    const fromInline = inline?.();
    if (fromInline) return fromInline;
    if (this.created && newBucketDefault !== undefined) return known(newBucketDefault, NEW_BUCKET_DEFAULT);
    return unavailable(`the plan manages no ${type} for ${this.resource.address}, so ${what} is whatever the existing bucket has; a run against AWS reads it`);
  }

  /**
   * A legacy inline argument or block of aws_s3_bucket: `read` gets its value when known (configured,
   * or read back from the existing bucket) and says undefined when it sets nothing. Unknown, it
   * matters when configured or on an existing bucket; a computed one of a new bucket (provider v4+)
   * says nothing.
   */
  private inline<T>(attribute: string, read: (value: unknown, from: string) => PlanFact<T> | undefined): PlanFact<T> | undefined {
    const b = this.resource;
    const paths = this.index.unknownUnder(b, [attribute]);
    if (paths.length) return this.index.configures(b, attribute) || !this.created ? unknown(...paths) : undefined;
    return read(b.values[attribute], `${b.address}.${attribute}`);
  }

  policy(): PlanFact<string | null> {
    return this.setting<string | null>(
      'aws_s3_bucket_policy',
      (r) => {
        const path = this.index.unknownAt(r, ['policy']);
        return path ? unknown(path) : known(str(r.values.policy) ?? null, `${r.address}.policy`);
      },
      () => {
        const fact = this.inline('policy', (v, from) => (v === null || v === '' ? known(null, from) : typeof v === 'string' ? known(v, from) : undefined));
        return fact ?? (this.created ? undefined : unknown(`${this.resource.address}.policy`));
      },
      null,
      'the bucket policy',
    );
  }

  publicAccessBlock(): PlanFact<PublicAccessBlock | null> {
    return this.setting<PublicAccessBlock | null>(
      'aws_s3_bucket_public_access_block',
      (r) => {
        const keys = ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'] as const;
        const paths = keys.map((k) => this.index.unknownAt(r, [k])).filter((p): p is string => !!p);
        if (paths.length) return unknown(...paths);
        const v = r.values;
        return known({ BlockPublicAcls: v.block_public_acls === true, IgnorePublicAcls: v.ignore_public_acls === true, BlockPublicPolicy: v.block_public_policy === true, RestrictPublicBuckets: v.restrict_public_buckets === true }, r.address);
      },
      undefined,
      { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      'its Block Public Access setting',
    );
  }

  ownership(): PlanFact<string | null> {
    return this.setting<string | null>(
      'aws_s3_bucket_ownership_controls',
      (r) => {
        const path = this.index.unknownAt(r, ['rule']);
        return path ? unknown(path) : known(str(block(r.values.rule)?.object_ownership) ?? null, `${r.address}.rule.object_ownership`);
      },
      undefined,
      'BucketOwnerEnforced',
      'its Object Ownership',
    );
  }

  acl(): PlanFact<BucketAcl> {
    const owned = (grants: AclGrant[], ownerId = PLAN_OWNER_ID): BucketAcl => ({ ownerId, grants });
    return this.setting<BucketAcl>(
      'aws_s3_bucket_acl',
      (r) => {
        const paths = [this.index.unknownAt(r, ['acl']), ...(this.index.configures(r, 'access_control_policy') ? this.index.unknownUnder(r, ['access_control_policy']) : [])].filter((p): p is string => !!p);
        if (paths.length) return unknown(...paths);
        const canned = str(r.values.acl);
        if (canned) {
          const grants = cannedAclGrants(canned);
          return grants ? known(owned(grants), `${r.address}.acl`) : unknown(`${r.address}.acl (canned ACL "${canned}" is not one S3 documents)`);
        }
        const policy = block(r.values.access_control_policy);
        const ownerId = str(block(policy?.owner)?.id) ?? '';
        const grants: AclGrant[] = blocks(policy?.grant).map((g) => {
          const grantee = block(g.grantee) ?? {};
          return {
            grantee: { type: (str(grantee.type) ?? 'CanonicalUser') as AclGrant['grantee']['type'], id: str(grantee.id), uri: str(grantee.uri), displayName: str(grantee.display_name), email: str(grantee.email_address) },
            permission: str(g.permission) ?? '',
          };
        });
        return known(owned(grants, ownerId), `${r.address}.access_control_policy`);
      },
      () => {
        const b = this.resource;
        // Provider v3: `grant` (explicit grants) or `acl` (canned); v4+ keeps both as deprecated arguments.
        if (this.index.configures(b, 'grant')) {
          const paths = this.index.unknownUnder(b, ['grant']);
          if (paths.length) return unknown(...paths);
          const grants: AclGrant[] = blocks(b.values.grant).flatMap((g) =>
            (Array.isArray(g.permissions) ? g.permissions : []).map((p) => ({
              grantee: { type: (str(g.type) === 'Group' ? 'Group' : 'CanonicalUser') as AclGrant['grantee']['type'], id: str(g.id), uri: str(g.uri) },
              permission: String(p),
            })),
          );
          return known(owned(grants), `${b.address}.grant`);
        }
        const path = this.index.unknownAt(b, ['acl']);
        if (path) return this.index.configures(b, 'acl') ? unknown(path) : undefined;
        const canned = str(b.values.acl);
        if (!canned) return undefined;
        const grants = cannedAclGrants(canned);
        return grants ? known(owned(grants), `${b.address}.acl`) : unknown(`${b.address}.acl (canned ACL "${canned}" is not one S3 documents)`);
      },
      owned([ownerFull]),
      'its ACL',
    );
  }

  /**
   * An SSE-KMS key the plan creates: its ARN is known only after apply, but the key is the
   * aws_kms_key the configuration references; it is named by its address (kms-access builds the key
   * ARN from the region and the plan's account around it). Undefined when it is not one such key.
   */
  private plannedKey(r: PlanResource, path: Array<string | number>): string | undefined {
    const keys = this.index.resolve(r, path).resources.filter((k) => k.type === 'aws_kms_key');
    return keys.length === 1 ? keys[0].address : undefined;
  }

  encryption(): PlanFact<EncryptionFact> {
    const fromRules = (rules: Array<Record<string, unknown>>, from: string, plannedKey?: string): PlanFact<EncryptionFact> => {
      const first = rules[0];
      const sse = block(first?.apply_server_side_encryption_by_default);
      const algorithm = str(sse?.sse_algorithm);
      const kmsKeyId = str(sse?.kms_master_key_id) ?? plannedKey;
      return known(
        {
          configured: rules.length > 0,
          rules: rules.map((r) => {
            const d = block(r.apply_server_side_encryption_by_default);
            return { ApplyServerSideEncryptionByDefault: d ? { SSEAlgorithm: str(d.sse_algorithm) as never, KMSMasterKeyID: str(d.kms_master_key_id) } : undefined, BucketKeyEnabled: bool(r.bucket_key_enabled) };
          }),
          algorithm,
          kmsKeyId,
          bucketKeyEnabled: bool(first?.bucket_key_enabled),
        },
        from,
      );
    };
    // The rules at `base` of `r`: unknown until apply, except a key id that is an aws_kms_key of the plan.
    const readRules = (r: PlanResource, base: Array<string | number>, rules: unknown, from: string): PlanFact<EncryptionFact> => {
      const keyPath = [...base, 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id'];
      const paths = this.index.unknownUnder(r, base);
      const onlyKey = paths.length === 1 && paths[0] === this.index.unknownAt(r, keyPath) && paths[0] === `${r.address}.${keyPath.join('.')}`;
      const plannedKey = onlyKey ? this.plannedKey(r, keyPath) : undefined;
      if (paths.length && !plannedKey) return unknown(...paths);
      return fromRules(blocks(rules), from, plannedKey);
    };
    const inlineBlock = 'server_side_encryption_configuration';
    return this.setting<EncryptionFact>(
      'aws_s3_bucket_server_side_encryption_configuration',
      (r) => readRules(r, ['rule'], r.values.rule, `${r.address}.rule`),
      () => {
        const b = this.resource;
        const unknownBlock = this.index.unknownUnder(b, [inlineBlock]).length > 0;
        // Computed and not configured on a new bucket (provider v4+): it says nothing.
        if (unknownBlock && !this.index.configures(b, inlineBlock) && this.created) return undefined;
        const config = block(b.values[inlineBlock]);
        if (!config && !unknownBlock) return undefined;
        return readRules(b, [inlineBlock, 0, 'rule'], config?.rule, `${b.address}.${inlineBlock}`);
      },
      { configured: true, rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }], algorithm: 'AES256' },
      'its default encryption',
    );
  }

  versioning(): PlanFact<{ status: 'Enabled' | 'Suspended' | 'Never'; mfaDelete?: string }> {
    type V = { status: 'Enabled' | 'Suspended' | 'Never'; mfaDelete?: string };
    return this.setting<V>(
      'aws_s3_bucket_versioning',
      (r) => {
        const path = this.index.unknownAt(r, ['versioning_configuration']) ?? this.index.unknownAt(r, ['versioning_configuration', 0, 'status']);
        if (path) return unknown(path);
        const c = block(r.values.versioning_configuration);
        const status = str(c?.status);
        // "Disabled" is the provider's word for a bucket that never had versioning.
        const value: V = { status: status === 'Enabled' ? 'Enabled' : status === 'Suspended' ? 'Suspended' : 'Never', mfaDelete: str(c?.mfa_delete) };
        return known(value, `${r.address}.versioning_configuration`);
      },
      () =>
        this.inline('versioning', (value, from) => {
          const v = block(value);
          if (!v) return undefined;
          // Inline: enabled=false is "Suspended" on a bucket that had versioning, and "never enabled" on a new one.
          return known<V>(v.enabled === true ? { status: 'Enabled', mfaDelete: v.mfa_delete === true ? 'Enabled' : undefined } : { status: this.created ? 'Never' : 'Suspended' }, from);
        }),
      { status: 'Never' },
      'its versioning',
    );
  }

  lifecycleRules(): PlanFact<LifecycleRule[] | null> {
    return this.setting<LifecycleRule[] | null>(
      'aws_s3_bucket_lifecycle_configuration',
      (r) => {
        const paths = this.index.unknownUnder(r, ['rule']);
        if (paths.length) return unknown(...paths);
        return known(blocks(r.values.rule).map(lifecycleRuleOf), `${r.address}.rule`);
      },
      () => this.inline('lifecycle_rule', (v, from) => (blocks(v).length ? known(blocks(v).map(legacyLifecycleRuleOf), from) : undefined)),
      null,
      'its lifecycle configuration',
    );
  }

  objectLock(): PlanFact<{ enabled: boolean; mode?: string; days?: number; years?: number }> {
    type L = { enabled: boolean; mode?: string; days?: number; years?: number };
    const b = this.resource;
    const enabledOnBucket = (): PlanFact<boolean> => {
      const path = this.index.unknownAt(b, ['object_lock_enabled']);
      if (path && (this.index.configures(b, 'object_lock_enabled') || !this.created)) return unknown(path);
      const inline = block(b.values.object_lock_configuration);
      return known(b.values.object_lock_enabled === true || str(inline?.object_lock_enabled) === 'Enabled', `${b.address}.object_lock_enabled`);
    };
    const retention = (rule: Record<string, unknown> | undefined): Omit<L, 'enabled'> => {
      const d = block(block(rule)?.default_retention);
      return { mode: str(d?.mode), days: num(d?.days), years: num(d?.years) };
    };
    return this.setting<L>(
      'aws_s3_bucket_object_lock_configuration',
      (r) => {
        const paths = this.index.unknownUnder(r, ['rule']);
        if (paths.length) return unknown(...paths);
        const enabled = enabledOnBucket();
        if (enabled.state !== 'known') return enabled;
        return known({ enabled: enabled.value || str(r.values.object_lock_enabled) === 'Enabled', ...retention(r.values.rule as Record<string, unknown>) }, r.address);
      },
      () => {
        const enabled = enabledOnBucket();
        if (enabled.state !== 'known') return enabled;
        if (!enabled.value && !this.created && !this.index.configures(b, 'object_lock_enabled')) return undefined;
        return known({ enabled: enabled.value, ...retention(block(b.values.object_lock_configuration)?.rule as Record<string, unknown>) }, `${b.address}.object_lock_enabled`);
      },
      { enabled: false },
      'its Object Lock setting',
    );
  }

  requestPayment(): PlanFact<{ payer: string | null }> {
    return this.setting<{ payer: string | null }>(
      'aws_s3_bucket_request_payment_configuration',
      (r) => {
        const path = this.index.unknownAt(r, ['payer']);
        return path ? unknown(path) : known({ payer: str(r.values.payer) ?? null }, `${r.address}.payer`);
      },
      () => this.inline('request_payer', (v, from) => (typeof v === 'string' && v ? known({ payer: v }, from) : undefined)),
      { payer: 'BucketOwner' },
      'who pays for requests',
    );
  }

  replication(): PlanFact<ReplicationConfiguration | null> {
    return this.setting<ReplicationConfiguration | null>(
      'aws_s3_bucket_replication_configuration',
      (r) => {
        const paths = [...this.index.unknownUnder(r, ['rule']), this.index.unknownAt(r, ['role'])].filter((p): p is string => !!p);
        if (paths.length) return unknown(...paths);
        return known({ Role: str(r.values.role) ?? '', Rules: blocks(r.values.rule).map(replicationRuleOf) }, r.address);
      },
      () =>
        this.inline('replication_configuration', (v, from) => {
          const c = block(v);
          return c ? known({ Role: str(c.role) ?? '', Rules: blocks(c.rules).map(replicationRuleOf) }, from) : undefined;
        }),
      null,
      'its replication',
    );
  }

  /** The bucket's region: its own `region` (provider v6 argument, or read back from an existing bucket), else the provider's. */
  region(): PlanFact<string> {
    const b = this.resource;
    const own = str(b.values.region);
    if (own && !this.index.unknownAt(b, ['region'])) return known(own, `${b.address}.region`);
    const provider = this.index.region(b);
    if (provider.region) return known(provider.region, provider.from ?? 'provider');
    if (provider.from) return unavailable(`the bucket's region comes from ${provider.from}`);
    return unavailable(`the plan's configuration names no region for the provider of ${b.address}`);
  }
}

const filterOf = (f: Record<string, unknown> | undefined): LifecycleRule['Filter'] => {
  if (!f) return undefined;
  const and = block(f.and);
  const tag = block(f.tag);
  return {
    Prefix: typeof f.prefix === 'string' ? f.prefix : undefined,
    Tag: tag ? { Key: str(tag.key), Value: typeof tag.value === 'string' ? tag.value : undefined } : undefined,
    ObjectSizeGreaterThan: num(f.object_size_greater_than),
    ObjectSizeLessThan: num(f.object_size_less_than),
    And: and
      ? {
          Prefix: typeof and.prefix === 'string' ? and.prefix : undefined,
          Tags: Object.entries((and.tags as Record<string, unknown>) ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })),
          ObjectSizeGreaterThan: num(and.object_size_greater_than),
          ObjectSizeLessThan: num(and.object_size_less_than),
        }
      : undefined,
  } as LifecycleRule['Filter'];
};

/** aws_s3_bucket_lifecycle_configuration's `rule` block in the shape GetBucketLifecycleConfiguration answers. */
function lifecycleRuleOf(r: Record<string, unknown>): LifecycleRule {
  const expiration = block(r.expiration);
  const nve = block(r.noncurrent_version_expiration);
  const abort = block(r.abort_incomplete_multipart_upload);
  return {
    ID: str(r.id),
    Status: str(r.status) as LifecycleRule['Status'],
    Filter: filterOf(block(r.filter)),
    Prefix: typeof r.prefix === 'string' && r.prefix !== '' ? r.prefix : undefined,
    Expiration: expiration ? { Days: num(expiration.days), Date: str(expiration.date) ? new Date(String(expiration.date)) : undefined, ExpiredObjectDeleteMarker: bool(expiration.expired_object_delete_marker) || undefined } : undefined,
    NoncurrentVersionExpiration: nve ? { NoncurrentDays: num(nve.noncurrent_days), NewerNoncurrentVersions: num(nve.newer_noncurrent_versions) } : undefined,
    Transitions: blocks(r.transition).map((t) => ({ Days: num(t.days), Date: str(t.date) ? new Date(String(t.date)) : undefined, StorageClass: str(t.storage_class) as never })),
    NoncurrentVersionTransitions: blocks(r.noncurrent_version_transition).map((t) => ({ NoncurrentDays: num(t.noncurrent_days), StorageClass: str(t.storage_class) as never })),
    AbortIncompleteMultipartUpload: abort ? { DaysAfterInitiation: num(abort.days_after_initiation) } : undefined,
  };
}

/** aws_s3_bucket's legacy inline `lifecycle_rule` in the same shape. */
function legacyLifecycleRuleOf(r: Record<string, unknown>): LifecycleRule {
  const expiration = block(r.expiration);
  const nve = block(r.noncurrent_version_expiration);
  const tags = Object.entries((r.tags as Record<string, unknown>) ?? {});
  const prefix = typeof r.prefix === 'string' ? r.prefix : '';
  return {
    ID: str(r.id),
    Status: r.enabled === true ? 'Enabled' : 'Disabled',
    Filter: tags.length ? { And: { Prefix: prefix || undefined, Tags: tags.map(([Key, Value]) => ({ Key, Value: String(Value) })) } } : { Prefix: prefix },
    Expiration: expiration ? { Days: num(expiration.days), Date: str(expiration.date) ? new Date(String(expiration.date)) : undefined, ExpiredObjectDeleteMarker: bool(expiration.expired_object_delete_marker) || undefined } : undefined,
    NoncurrentVersionExpiration: nve ? { NoncurrentDays: num(nve.days) } : undefined,
    Transitions: blocks(r.transition).map((t) => ({ Days: num(t.days), Date: str(t.date) ? new Date(String(t.date)) : undefined, StorageClass: str(t.storage_class) as never })),
    NoncurrentVersionTransitions: blocks(r.noncurrent_version_transition).map((t) => ({ NoncurrentDays: num(t.days), StorageClass: str(t.storage_class) as never })),
    AbortIncompleteMultipartUpload: num(r.abort_incomplete_multipart_upload_days) ? { DaysAfterInitiation: num(r.abort_incomplete_multipart_upload_days) } : undefined,
  };
}

function replicationRuleOf(r: Record<string, unknown>): NonNullable<ReplicationConfiguration['Rules']>[number] {
  const d = block(r.destination) ?? {};
  const translation = block(d.access_control_translation);
  const dmr = block(r.delete_marker_replication);
  const filter = block(r.filter);
  return {
    ID: str(r.id),
    Status: (str(r.status) ?? 'Disabled') as never,
    Priority: num(r.priority),
    Prefix: typeof r.prefix === 'string' && r.prefix !== '' ? r.prefix : undefined,
    Filter: filter ? (filterOf(filter) as never) : undefined,
    Destination: { Bucket: str(d.bucket) ?? '', Account: str(d.account) ?? str(d.account_id), StorageClass: str(d.storage_class) as never, AccessControlTranslation: translation ? { Owner: str(translation.owner) as never } : undefined },
    DeleteMarkerReplication: dmr ? { Status: str(dmr.status) as never } : str(r.delete_marker_replication_status) ? { Status: str(r.delete_marker_replication_status) as never } : undefined,
  };
}
