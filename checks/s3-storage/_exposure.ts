// Shared reading for the exposure checks (public-access-block, bucket-policy, bucket-acl, ...):
// where the bucket is (account, region) and the two Block Public Access levels, each as read, not
// configured, or unreadable. Pure analysis lives in src/policy/public.ts and src/s3/acl.ts; this
// file only turns facts into their inputs and says, in evidence, what was looked at.
//
// Never a guess: an unreadable level is 'unreadable' (effectiveBlockPublicAccess then says
// 'unknown' instead of assuming it on), and the account level is only read for the account that
// owns the bucket. When the checker's account is not the owner (or ownership cannot be confirmed),
// the account-level setting that applies to the bucket is not the one S3 Control would return to
// us, so it is reported unreadable rather than borrowed from the wrong account.

import type { PublicAccessBlock } from '../ghes-s3/facts.ts';
import { type FactErrorInfo, isFactError } from '../../src/engine/fact-error.ts';
import { type BpaLevel, type BpaSetting, BPA_SETTINGS, type EffectiveBpa, effectiveBlockPublicAccess } from '../../src/s3/acl.ts';
import type { S3StorageContext } from './context.ts';

/** Resolves to `fallback` when the fact rejects with a FactError (its info in `onError`); any other throw is a bug and propagates. */
export async function readOr<T, F>(read: () => Promise<T>, fallback: F, onError?: (info: FactErrorInfo) => void): Promise<T | F> {
  try {
    return await read();
  } catch (e) {
    if (!isFactError(e)) throw e;
    onError?.(e.info);
    return fallback;
  }
}

export interface Whereabouts {
  /** The checker's account (sts:GetCallerIdentity); null when STS could not be read. */
  account: string | null;
  /** The bucket's region (x-amz-bucket-region); null when not known. */
  region: string | null;
}

/** Account and region for evidence; never fails the check (both memoized facts other checks read anyway). */
export async function whereabouts({ facts }: S3StorageContext): Promise<Whereabouts> {
  const identity = await readOr(() => facts.callerIdentity(), null);
  const head = await readOr(() => facts.bucketHead(), null);
  return { account: identity?.account || null, region: head && head.status !== 'not-found' ? head.region : null };
}

/** How one level appears in evidence: the settings as read (missing = false), 'not configured', or why it is unreadable. */
export type LevelEvidence =
  | { state: 'configured'; api: string; resource: string; settings: Record<BpaSetting, boolean> }
  | { state: 'not configured'; api: string; resource: string; meaning: string }
  | { state: 'unreadable'; api: string; resource?: string; why: string; code?: string; requestId?: string };

export interface BpaLevels {
  account: BpaLevel;
  bucket: BpaLevel;
  /** The checker's account, when known. */
  accountId: string | null;
  /** Whether the checker's account owns the bucket (HeadBucket with ExpectedBucketOwner). */
  ownedByCaller: 'yes' | 'no' | 'unknown';
  effective: EffectiveBpa;
  evidence: { account: LevelEvidence; bucket: LevelEvidence };
}

const ACCOUNT_API = 's3:GetAccountPublicAccessBlock (S3 Control)';
const BUCKET_API = 's3:GetBucketPublicAccessBlock';

function levelEvidence(level: BpaLevel, api: string, resource: string, error: FactErrorInfo | undefined, why: string | undefined): LevelEvidence {
  if (level === 'unreadable') {
    return { state: 'unreadable', api: error?.api ?? api, resource: error?.resource ?? resource, why: why ?? (error ? `${error.code}${error.message ? `: ${error.message}` : ''}` : 'not read'), code: error?.code, requestId: error?.requestId };
  }
  if (level === null) return { state: 'not configured', api, resource, meaning: 'NoSuchPublicAccessBlockConfiguration: every setting is off at this level' };
  return { state: 'configured', api, resource, settings: settingsOf(level) };
}

export function settingsOf(pab: PublicAccessBlock): Record<BpaSetting, boolean> {
  return Object.fromEntries(BPA_SETTINGS.map((k) => [k, pab[k] === true])) as Record<BpaSetting, boolean>;
}

/**
 * Reads both Block Public Access levels. A level that cannot be read becomes 'unreadable' (with the
 * AWS error in evidence); the account level is read only when the checker's account owns the bucket.
 */
export async function readBpaLevels(ctx: S3StorageContext): Promise<BpaLevels> {
  const { facts, target } = ctx;
  const bucketResource = `arn:aws:s3:::${target.bucket}`;
  let accountError: FactErrorInfo | undefined;
  let accountWhy: string | undefined;
  let bucketError: FactErrorInfo | undefined;

  // Start what does not depend on the owner at once: each wave of dependent requests is a round trip.
  const bucketLevel = readOr(() => facts.bucketPublicAccessBlock(), 'unreadable' as const, (e) => (bucketError = e));
  // Awaited below; a bug thrown before that must not surface as an unhandled rejection.
  bucketLevel.catch(() => undefined);
  const identity = await readOr(() => facts.callerIdentity(), null, (e) => (accountError = e));
  const accountId = identity?.account || null;
  let ownedByCaller: BpaLevels['ownedByCaller'] = 'unknown';
  let account: BpaLevel = 'unreadable';
  if (!accountId) {
    accountWhy ??= accountError ? undefined : 'sts:GetCallerIdentity returned no account id';
  } else {
    // The caller's account setting is read alongside the ownership question (it usually applies);
    // it is used only when the caller's account owns the bucket.
    let accountReadError: FactErrorInfo | undefined;
    const accountLevel = readOr(() => facts.accountPublicAccessBlock(), 'unreadable' as const, (e) => (accountReadError = e));
    accountLevel.catch(() => undefined);
    ownedByCaller = await readOr(() => facts.bucketOwnedBy(accountId), 'unknown' as const, (e) => (accountError = e));
    const accountRead = await accountLevel;
    if (ownedByCaller === 'yes') {
      account = accountRead;
      accountError ??= accountReadError;
    } else if (ownedByCaller === 'no') {
      accountWhy = `bucket ${target.bucket} is not owned by the checker's account ${accountId}; the owner's account-level setting can only be read from that account`;
    } else if (!accountError) {
      accountWhy = `the owner of bucket ${target.bucket} could not be confirmed (HeadBucket with ExpectedBucketOwner=${accountId} was not possible), so account ${accountId}'s setting may not be the one that applies`;
    }
  }
  const bucket = await bucketLevel;
  const accountResource = accountId && ownedByCaller === 'yes' ? `arn:aws:s3:::account/${accountId}` : "the bucket owner's account";
  return {
    account,
    bucket,
    accountId,
    ownedByCaller,
    effective: effectiveBlockPublicAccess(account, bucket),
    evidence: {
      account: levelEvidence(account, ACCOUNT_API, accountResource, accountError, accountWhy),
      bucket: levelEvidence(bucket, BUCKET_API, bucketResource, bucketError, undefined),
    },
  };
}

/** "on (bucket level)", "off at both levels", "unknown (account level unreadable)". */
export function describeSetting(levels: BpaLevels, key: BpaSetting): string {
  const value = levels.effective.effective[key];
  const source = levels.effective.sources[key];
  if (value === true) return source === 'both' ? 'on at both levels' : `on (${source} level)`;
  if (value === false) return 'off at both levels';
  const unreadable = unreadableLevels(levels);
  if (unreadable.length === 2) return 'unknown (neither level could be read)';
  return `unknown (not on at the ${unreadable[0] === 'account' ? 'bucket' : 'account'} level, and the ${unreadable[0]} level could not be read)`;
}

/** Evidence block for one setting: its effective value, where it comes from, and both levels. */
export function settingEvidence(levels: BpaLevels, key: BpaSetting): Record<string, unknown> {
  return { setting: key, effective: levels.effective.effective[key], source: levels.effective.sources[key], levels: levels.evidence };
}

export const unreadableLevels = (levels: BpaLevels): string[] =>
  [levels.account === 'unreadable' ? 'account' : null, levels.bucket === 'unreadable' ? 'bucket' : null].filter((x): x is string => x !== null);

/** Why a level is unreadable, in one clause per level, for messages. */
export function unreadableWhy(levels: BpaLevels): string {
  const parts: string[] = [];
  for (const [name, ev] of [['account', levels.evidence.account], ['bucket', levels.evidence.bucket]] as const) {
    if (ev.state === 'unreadable') parts.push(`${name} level: ${ev.why}`);
  }
  return parts.join('; ');
}

/**
 * AWS-only checks apply unless the service URL names an S3-compatible store. A missing or unusable
 * service URL fails `service-url`; the bucket itself was read from AWS, so it is judged as AWS.
 */
export const isAws = (ctx: S3StorageContext): boolean => ctx.target.serviceEndpoint?.kind !== 's3-compatible';
