// Bucket ACL grants and the effective S3 Block Public Access (BPA) settings, as pure functions.
//
// Sources (recorded in /work/shared/FACTS.md, "S3 exposure"): Amazon S3 User Guide, "The meaning of
// 'public'" (an ACL is public when it grants any permission to the predefined AllUsers or
// AuthenticatedUsers groups) and "Blocking public access to your Amazon S3 storage" (account- and
// bucket-level settings combine; the most restrictive wins). GHES applies no ACLs to what it
// writes, so any grant beyond the owner is something an admin added.

import type { AclGrant, PublicAccessBlock } from '../../checks/ghes-s3/facts.ts';

export type { AclGrant, PublicAccessBlock };

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export type AclGrantKind = 'AllUsers' | 'AuthenticatedUsers' | 'OtherAccount' | 'Email' | 'LogDelivery' | 'UnknownGroup' | 'UnidentifiedGrantee';

export interface AclGrantFinding {
  kind: AclGrantKind;
  /** Who, in words: `everyone (AllUsers)`, `canonical user 79a5... (display name)`, ... */
  grantee: string;
  permission: string;
  /** One sentence an admin understands. */
  text: string;
  /** The grant as read from GetBucketAcl, verbatim. */
  grant: AclGrant;
}

export interface AclAnalysis {
  /** Grants to AllUsers or AuthenticatedUsers: public (neutralised only by IgnorePublicAcls or BucketOwnerEnforced). */
  publicGrants: AclGrantFinding[];
  /** Grants to canonical users other than the owner, to email grantees, and grantees that cannot be identified. */
  otherAccountGrants: AclGrantFinding[];
  /** Not public, but worth showing: LogDelivery and group URIs this tool does not know. */
  notableGrants: AclGrantFinding[];
  /** True when every grant goes to the owner's canonical user (an empty ACL is owner-only too). */
  ownerOnly: boolean;
}

/** Group URIs compare without scheme and case (AWS returns `http://...`; files written by hand vary). */
const normalizeUri = (uri: string): string => uri.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase();
const ALL_USERS = normalizeUri(ALL_USERS_URI);
const AUTHENTICATED_USERS = normalizeUri(AUTHENTICATED_USERS_URI);
const LOG_DELIVERY = normalizeUri(LOG_DELIVERY_URI);

/** What a permission lets the grantee do on a bucket ACL. */
function permissionMeaning(permission: string): string {
  switch (permission) {
    case 'READ':
      return 'list the objects in the bucket';
    case 'WRITE':
      return 'create, overwrite and delete objects in the bucket';
    case 'READ_ACP':
      return "read the bucket's ACL";
    case 'WRITE_ACP':
      return "change the bucket's ACL, and so grant themselves anything";
    case 'FULL_CONTROL':
      return 'list, write and delete objects and read and change the ACL';
    default:
      return `use the unrecognised permission ${JSON.stringify(permission)}`;
  }
}

function canonicalName(g: AclGrant['grantee']): string {
  const id = g.id ?? '(no id)';
  return g.displayName ? `canonical user ${id} (${g.displayName})` : `canonical user ${id}`;
}

/**
 * Sorts bucket ACL grants into public (AllUsers, AuthenticatedUsers), other accounts (canonical
 * users other than ownerId, email grantees) and notable (LogDelivery, unknown groups). Canonical
 * ids compare case-insensitively. An empty ownerId (owner unknown) makes every canonical user
 * "other": owner-only is then never claimed.
 */
export function analyzeAclGrants(grants: AclGrant[], ownerId: string): AclAnalysis {
  const analysis: AclAnalysis = { publicGrants: [], otherAccountGrants: [], notableGrants: [], ownerOnly: true };
  const owner = ownerId.trim().toLowerCase();
  for (const grant of grants) {
    const g = grant.grantee;
    const permission = grant.permission;
    const does = permissionMeaning(permission);
    const add = (bucket: AclGrantFinding[], kind: AclGrantKind, grantee: string, text: string) => {
      bucket.push({ kind, grantee, permission, text, grant });
      analysis.ownerOnly = false;
    };
    if (g.type === 'CanonicalUser') {
      if (g.id && owner !== '' && g.id.trim().toLowerCase() === owner) continue;
      if (!g.id) {
        add(analysis.otherAccountGrants, 'UnidentifiedGrantee', 'canonical user without an id', `The ACL grants ${permission} to a canonical user without an id, so it cannot be shown to be the owner: it may ${does}.`);
      } else {
        add(analysis.otherAccountGrants, 'OtherAccount', canonicalName(g), `The ACL lets ${canonicalName(g)}, another AWS account than the bucket owner, ${does} (${permission}).`);
      }
    } else if (g.type === 'AmazonCustomerByEmail') {
      const who = `the AWS account of ${g.email ?? '(no email)'}`;
      add(analysis.otherAccountGrants, 'Email', who, `The ACL lets ${who} ${does} (${permission}).`);
    } else if (g.type === 'Group') {
      const uri = normalizeUri(g.uri ?? '');
      if (uri === ALL_USERS) {
        add(analysis.publicGrants, 'AllUsers', 'everyone (AllUsers)', `The ACL lets anyone on the internet, without signing in, ${does} (${permission} to AllUsers).`);
      } else if (uri === AUTHENTICATED_USERS) {
        add(analysis.publicGrants, 'AuthenticatedUsers', 'any AWS account (AuthenticatedUsers)', `The ACL lets anyone with any AWS account ${does} (${permission} to AuthenticatedUsers).`);
      } else if (uri === LOG_DELIVERY) {
        add(analysis.notableGrants, 'LogDelivery', 'S3 log delivery (LogDelivery)', `The ACL lets the S3 server-access-log delivery group ${does} (${permission}); not public, but the bucket then receives access logs.`);
      } else {
        add(analysis.notableGrants, 'UnknownGroup', `group ${g.uri ?? '(no uri)'}`, `The ACL grants ${permission} to the group ${g.uri ?? '(no uri)'}, which this tool does not recognise.`);
      }
    } else {
      const type = (g as { type?: unknown }).type;
      add(analysis.otherAccountGrants, 'UnidentifiedGrantee', `grantee of type ${String(type)}`, `The ACL grants ${permission} to a grantee of unrecognised type ${String(type)}, so it cannot be shown to be the owner.`);
    }
  }
  return analysis;
}

export const BPA_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
export type BpaSetting = (typeof BPA_SETTINGS)[number];

/** One level's answer: the configuration, `null` when not configured (NoSuchPublicAccessBlockConfiguration), or 'unreadable' (access denied, error). */
export type BpaLevel = PublicAccessBlock | null | 'unreadable';

export interface EffectiveBpa {
  /** true when on at either level; false when both levels were read and neither has it; 'unknown' otherwise. */
  effective: Record<BpaSetting, boolean | 'unknown'>;
  /** Which level turns it on ('both', 'account', 'bucket'); 'none' when read at both levels and off; 'unknown' when off where readable and a level was unreadable. */
  sources: Record<BpaSetting, 'account' | 'bucket' | 'both' | 'none' | 'unknown'>;
}

/**
 * Combines account-level and bucket-level Block Public Access: each setting is effective when it is
 * on at either level (the most restrictive wins). Not configured (`null`) and a missing field mean
 * off. A setting is never assumed on or off when it matters: when it is not on at any readable level
 * and some level was unreadable, it is 'unknown'. When one level has it on and the other is
 * unreadable, it is on and the source names the readable level (the other may have it too).
 */
export function effectiveBlockPublicAccess(account: BpaLevel, bucket: BpaLevel): EffectiveBpa {
  const effective = {} as EffectiveBpa['effective'];
  const sources = {} as EffectiveBpa['sources'];
  const on = (level: BpaLevel, key: BpaSetting): boolean | 'unknown' => (level === 'unreadable' ? 'unknown' : level?.[key] === true);
  for (const key of BPA_SETTINGS) {
    const a = on(account, key);
    const b = on(bucket, key);
    if (a === true || b === true) {
      effective[key] = true;
      sources[key] = a === true && b === true ? 'both' : a === true ? 'account' : 'bucket';
    } else if (a === 'unknown' || b === 'unknown') {
      effective[key] = 'unknown';
      sources[key] = 'unknown';
    } else {
      effective[key] = false;
      sources[key] = 'none';
    }
  }
  return { effective, sources };
}
