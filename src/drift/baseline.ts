// The storage-drift baseline: the storage identity GHES depends on (bucket, region, service URL,
// account, principal, encryption key, versioning) and fingerprints of the bucket policy and the
// principal's policies. Pure code: building a baseline from fact values, its schema, and the
// comparison that names what changed from what to what. No secrets are stored: policies only as
// sha256 hashes of canonical JSON (document and each statement, so a diff can say which
// statement was added, removed or changed).

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { decodePolicyText } from '../policy/document.ts';

export const BASELINE_VERSION = 1;

const sha256Field = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

const statementSchema = z.object({
  sid: z.string().optional(),
  index: z.number().int().nonnegative(),
  sha256: sha256Field,
});

const policySchema = z.object({
  sha256: sha256Field,
  statements: z.array(statementSchema),
  /** Set when the document was not JSON: the hash is then over the text as stored. */
  parseError: z.string().optional(),
});

const namedPolicySchema = policySchema.extend({
  /** Stable id within the principal: `kind:name` or `kind:group/name`. */
  ref: z.string().min(1),
  kind: z.string().min(1),
  name: z.string(),
  group: z.string().optional(),
  arn: z.string().optional(),
});

export const baselineSchema = z.object({
  baselineVersion: z.literal(BASELINE_VERSION),
  writtenAt: z.string().min(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  storage: z.object({
    bucket: z.string().min(1),
    region: z.string().min(1),
    serviceUrl: z.string().min(1),
    /** null on an S3-compatible store (no AWS account, no IAM). */
    accountId: z.string().nullable(),
    principalArn: z.string().nullable(),
    encryption: z.object({
      configured: z.boolean(),
      algorithm: z.string().nullable(),
      kmsKeyId: z.string().nullable(),
      bucketKeyEnabled: z.boolean().nullable(),
    }),
    versioning: z.enum(['Enabled', 'Suspended', 'Never']),
    bucketPolicy: z.object({ present: z.boolean(), fingerprint: policySchema.nullable() }),
    principalPolicies: z.object({ sha256: sha256Field, policies: z.array(namedPolicySchema) }).nullable(),
  }),
});

export type Baseline = z.infer<typeof baselineSchema>;
export type StorageIdentity = Baseline['storage'];
export type PolicyFingerprint = z.infer<typeof policySchema>;
export type NamedPolicyFingerprint = z.infer<typeof namedPolicySchema>;
export type StatementFingerprint = z.infer<typeof statementSchema>;

/** JSON with object keys sorted at every level and no whitespace: equal documents, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Fingerprint of a policy given as text (maybe URL-encoded, as IAM returns it) or as an object. */
export function fingerprintPolicy(document: unknown): PolicyFingerprint {
  let doc: unknown = document;
  if (typeof document === 'string') {
    const text = decodePolicyText(document);
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return { sha256: sha256(text), statements: [], parseError: `not valid JSON (${(e as Error).message})` };
    }
  }
  const raw = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const list = raw?.Statement === undefined ? [] : Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  const statements = list.map((s, index) => {
    const sid = s !== null && typeof s === 'object' && typeof (s as { Sid?: unknown }).Sid === 'string' ? (s as { Sid: string }).Sid : undefined;
    return { ...(sid !== undefined ? { sid } : {}), index, sha256: sha256(canonicalJson(s)) };
  });
  return { sha256: sha256(canonicalJson(doc)), statements };
}

export interface PolicySourceLike {
  kind: string;
  name: string;
  arn?: string;
  group?: string;
  document: unknown;
}

export const policyRef = (p: Pick<PolicySourceLike, 'kind' | 'name' | 'group'>): string => `${p.kind}:${p.group ? `${p.group}/` : ''}${p.name}`;

export function fingerprintPolicies(sources: readonly PolicySourceLike[]): NonNullable<StorageIdentity['principalPolicies']> {
  const policies = sources
    .map((p) => ({ ref: policyRef(p), kind: p.kind, name: p.name, ...(p.group ? { group: p.group } : {}), ...(p.arn ? { arn: p.arn } : {}), ...fingerprintPolicy(p.document) }))
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return { sha256: sha256(canonicalJson(policies.map((p) => ({ ref: p.ref, sha256: p.sha256 })))), policies };
}

/** How a statement is named in a diff: its Sid, else its 1-based position (as src/policy does). */
export const statementName = (s: Pick<StatementFingerprint, 'sid' | 'index'>): string => (s.sid !== undefined ? `Sid "${s.sid}"` : `statement #${s.index + 1}`);

export interface StatementDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/**
 * Which statements were added, removed or changed. Statements with a Sid are matched by Sid
 * (same Sid, other hash = changed); statements without one by content (a changed statement
 * without a Sid shows as one removed and one added, by position).
 */
export function diffStatements(before: readonly StatementFingerprint[], now: readonly StatementFingerprint[]): StatementDiff {
  const diff: StatementDiff = { added: [], removed: [], changed: [] };
  const bySid = (list: readonly StatementFingerprint[]) => new Map(list.filter((s) => s.sid !== undefined).map((s) => [s.sid as string, s]));
  const beforeSid = bySid(before);
  const nowSid = bySid(now);
  for (const [sid, s] of beforeSid) {
    const n = nowSid.get(sid);
    if (!n) diff.removed.push(statementName(s));
    else if (n.sha256 !== s.sha256) diff.changed.push(statementName(n));
  }
  for (const [sid, n] of nowSid) if (!beforeSid.has(sid)) diff.added.push(statementName(n));
  const unnamedNow = now.filter((s) => s.sid === undefined);
  const pool = [...unnamedNow];
  for (const s of before.filter((x) => x.sid === undefined)) {
    const i = pool.findIndex((n) => n.sha256 === s.sha256);
    if (i >= 0) pool.splice(i, 1);
    else diff.removed.push(statementName(s));
  }
  for (const n of pool) diff.added.push(statementName(n));
  return diff;
}

/** "added Sid "X"; removed statement #2; changed Sid "Y"", or the fallback when only order/header changed. */
export function describeStatementDiff(d: StatementDiff, fallback: string): string {
  const parts = [
    ...d.added.map((s) => `added ${s}`),
    ...d.removed.map((s) => `removed ${s}`),
    ...d.changed.map((s) => `changed ${s}`),
  ];
  return parts.length ? parts.join('; ') : fallback;
}

export const REORDERED = 'statement order, Version or Id changed; no statement was added, removed or changed';

export function diffBucketPolicy(before: StorageIdentity['bucketPolicy'], now: StorageIdentity['bucketPolicy']): string | undefined {
  if (!before.present && !now.present) return undefined;
  if (before.present && !now.present) return `the bucket policy was deleted (it had ${before.fingerprint?.statements.length ?? 0} statement(s), sha256 ${short(before.fingerprint?.sha256)})`;
  if (!before.present && now.present) return `a bucket policy was added (${describeStatementDiff({ added: (now.fingerprint?.statements ?? []).map(statementName), removed: [], changed: [] }, 'no statements')})`;
  if (before.fingerprint?.sha256 === now.fingerprint?.sha256) return undefined;
  const d = diffStatements(before.fingerprint?.statements ?? [], now.fingerprint?.statements ?? []);
  return `${describeStatementDiff(d, REORDERED)} (sha256 ${short(before.fingerprint?.sha256)} → ${short(now.fingerprint?.sha256)})`;
}

export function diffPrincipalPolicies(before: StorageIdentity['principalPolicies'], now: StorageIdentity['principalPolicies']): string | undefined {
  if (!before || !now || before.sha256 === now.sha256) return undefined;
  const parts: string[] = [];
  const nowByRef = new Map(now.policies.map((p) => [p.ref, p]));
  const beforeByRef = new Map(before.policies.map((p) => [p.ref, p]));
  for (const p of before.policies) {
    const n = nowByRef.get(p.ref);
    if (!n) parts.push(`policy ${p.ref} was removed`);
    else if (n.sha256 !== p.sha256) parts.push(`policy ${p.ref}: ${describeStatementDiff(diffStatements(p.statements, n.statements), REORDERED)}`);
  }
  for (const n of now.policies) if (!beforeByRef.has(n.ref)) parts.push(`policy ${n.ref} was added (${n.statements.length} statement(s))`);
  return parts.length ? parts.join('; ') : `policy set changed (sha256 ${short(before.sha256)} → ${short(now.sha256)})`;
}

export function diffEncryption(before: StorageIdentity['encryption'], now: StorageIdentity['encryption']): string | undefined {
  const show = (v: unknown) => (v === null || v === undefined ? 'none' : String(v));
  const parts: string[] = [];
  if (before.configured !== now.configured) parts.push(`default encryption ${now.configured ? 'configured' : 'removed'}`);
  for (const field of ['algorithm', 'kmsKeyId', 'bucketKeyEnabled'] as const) {
    if (before[field] !== now[field]) parts.push(`${field} from ${show(before[field])} to ${show(now[field])}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

const short = (hash: string | undefined): string => (hash ? hash.slice(0, 12) : 'none');

/** `https://S3.US-west-2.amazonaws.com/` and `https://s3.us-west-2.amazonaws.com` are the same service URL. */
export function sameServiceUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
    } catch {
      return u.trim().replace(/\/+$/, '').toLowerCase();
    }
  };
  return norm(a) === norm(b);
}

/** What the storage-drift check is given by the runner (context field `drift`). */
export interface DriftContext {
  /** --baseline FILE, already read and validated (bad files stop the run before any AWS call). */
  compare?: { file: string; baseline: Baseline };
  /** --write-baseline FILE: writes atomically; throws on an I/O problem. */
  write?: { file: string; write: (baseline: Baseline) => void };
  tool: { name: string; version: string };
  now?: () => Date;
}
