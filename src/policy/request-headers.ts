// Which Deny statements of a bucket policy refuse an upload unless it carries certain request
// headers (x-amz-server-side-encryption, x-amz-acl, x-amz-storage-class, x-amz-object-lock-*,
// x-amz-tagging, ...). GHES sends a plain PutObject / CreateMultipartUpload: a Deny that demands a
// header GHES does not send refuses every package upload, whatever the default bucket settings.
// Pure: the `required-request-headers` check reports these statements, and the IAM evaluation can
// feed the same condition keys into its request context.
//
// How a condition behaves when the request lacks the key (IAM User Guide, "IAM JSON policy
// elements: Condition operators" and "...IfExists"):
// - `Null` with "true" matches (the key is null); with "false" it does not.
// - Any operator with the `IfExists` suffix matches.
// - Negated operators (StringNotEquals, StringNotLike, ArnNotEquals, ArnNotLike, NumericNotEquals,
//   DateNotEquals, ...) match: a missing key is "not equal" to anything.
// - `ForAllValues:` matches (vacuously true on an empty set); `ForAnyValue:` does not.
// - Every other (positive) operator does not match.
// A Deny applies only when every condition in it matches, so a Deny "demands" headers when every
// condition on a header key matches a request that sends none of them.

import { type NormalizedPolicy, type NormalizedStatement, statementLabel } from './document.ts';
import { actionMatches, arnPatternMatch, globMatch, splitArn } from './match.ts';

/** What a request-header condition key stands for on the wire. */
export type HeaderKind = 'encryption' | 'kms-key' | 'customer-key' | 'acl' | 'storage-class' | 'object-lock' | 'tagging' | 'other';

export interface HeaderCondition {
  /** The operator as written, e.g. `StringNotEquals`, `Null`, `StringNotEqualsIfExists`. */
  operator: string;
  /** The condition key as written, e.g. `s3:x-amz-server-side-encryption`. */
  key: string;
  values: string[];
  /** The HTTP request header that supplies the key, e.g. `x-amz-server-side-encryption`. */
  header: string;
  kind: HeaderKind;
  /**
   * What the header must carry for the Deny not to apply: the listed values for negated
   * operators (`StringNotEquals: aws:kms` → send `aws:kms`), or `any value` for `Null: true`.
   */
  demand: string;
}

export interface HeaderDemandingDeny {
  statement: NormalizedStatement;
  /** `Sid "..."` or `statement #n`, as everywhere in evidence. */
  label: string;
  /** The request-header condition keys the statement demands (deduplicated, as written). */
  keys: string[];
  /** Operator of the first demanding condition (see `conditions` for all of them). */
  operator: string;
  conditions: HeaderCondition[];
  /** HTTP header names GHES would have to send. */
  headers: string[];
  /** Upload actions of GHES the statement covers (s3:PutObject; multipart uploads are authorized as s3:PutObject). */
  actions: string[];
  /** The statement demands an ACL header (x-amz-acl / x-amz-grant-*): GHES applies no ACLs. */
  demandsAcl: boolean;
  /** `true` for Principal "*" or {"AWS": "*"} or a NotPrincipal: it applies to GHES's IAM user whoever that is. */
  appliesToEveryone: boolean;
  /** Principals named by the statement when it does not apply to everyone. */
  principals: string[];
  /** Condition keys that are not request headers (aws:SecureTransport, aws:SourceIp, ...): the Deny applies only when these match too. */
  otherConditionKeys: string[];
}

export interface HeaderDenyOptions {
  /** Only statements whose Resource covers objects of this bucket (absent: every statement). */
  bucket?: string;
  /** The upload action to test (default `s3:PutObject`). */
  action?: string;
}

// Request-header condition keys of Amazon S3 (Service Authorization Reference, "Condition keys for
// Amazon S3"). x-amz-content-sha256 is left out: every SigV4 request carries it.
const OBJECT_LOCK_HEADERS: Record<string, string> = {
  's3:object-lock-mode': 'x-amz-object-lock-mode',
  's3:object-lock-retain-until-date': 'x-amz-object-lock-retain-until-date',
  's3:object-lock-remaining-retention-days': 'x-amz-object-lock-retain-until-date',
  's3:object-lock-legal-hold': 'x-amz-object-lock-legal-hold',
};

/** The header behind a condition key, or undefined when the key is not a request header. */
export function requestHeaderOf(key: string): { header: string; kind: HeaderKind } | undefined {
  const k = key.toLowerCase();
  if (k in OBJECT_LOCK_HEADERS) return { header: OBJECT_LOCK_HEADERS[k], kind: 'object-lock' };
  if (k.startsWith('s3:requestobjecttag/') || k === 's3:requestobjecttagkeys') return { header: 'x-amz-tagging', kind: 'tagging' };
  if (!k.startsWith('s3:x-amz-')) return undefined;
  const header = k.slice(3);
  if (header === 'x-amz-content-sha256') return undefined;
  if (header === 'x-amz-acl' || header.startsWith('x-amz-grant-')) return { header, kind: 'acl' };
  if (header === 'x-amz-server-side-encryption') return { header, kind: 'encryption' };
  if (header === 'x-amz-server-side-encryption-aws-kms-key-id') return { header, kind: 'kms-key' };
  if (header.startsWith('x-amz-server-side-encryption-customer-')) return { header, kind: 'customer-key' };
  if (header === 'x-amz-storage-class') return { header, kind: 'storage-class' };
  return { header, kind: 'other' };
}

const NEGATED = /^(String|Arn|Numeric|Date)Not/i;

/** Does a condition (operator + values) match a request that lacks the key? */
export function matchesWhenAbsent(operator: string, values: string[]): boolean {
  const setPrefix = /^(ForAllValues|ForAnyValue):/i.exec(operator)?.[1]?.toLowerCase();
  const op = operator.replace(/^(ForAllValues|ForAnyValue):/i, '');
  if (/^Null$/i.test(op)) return values.some((v) => v.toLowerCase() === 'true');
  if (/IfExists$/i.test(op)) return true;
  if (setPrefix === 'forallvalues') return true;
  if (setPrefix === 'foranyvalue') return false;
  return NEGATED.test(op);
}

function demandOf(operator: string, values: string[]): string {
  const op = operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '');
  if (/^Null$/i.test(op) || !NEGATED.test(op)) return 'any value';
  return values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
}

function coversAction(s: NormalizedStatement, action: string): boolean {
  if (s.action) return s.action.some((a) => actionMatches(a, action));
  return !(s.notAction ?? []).some((a) => actionMatches(a, action));
}

/** Could this Resource / NotResource pattern name objects of `bucket`? */
function patternCoversBucketObjects(pattern: string, bucket: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  // A short pattern such as `arn:aws:s3:*` covers every S3 ARN (match.ts, arnPatternMatch); this
  // looks for Denies that may refuse GHES's upload, so an ambiguous reading counts too.
  if (['aws', 'aws-cn', 'aws-us-gov'].some((partition) => arnPatternMatch(pattern, `arn:${partition}:s3:::${bucket}/preflight/object`).status !== 'nomatch')) return true;
  const parts = splitArn(pattern);
  if (!parts || globMatch(parts[2], 's3').status !== 'match') return false;
  const resource = parts[5];
  if (globMatch(resource, `${bucket}/preflight/object`).status === 'match') return true;
  const slash = resource.indexOf('/');
  // An object pattern under a part of the bucket (`bucket/uploads/*`) still covers GHES keys there.
  return slash > 0 && globMatch(resource.slice(0, slash), bucket).status === 'match';
}

/** Does a NotResource pattern exclude every object of `bucket` (`arn:aws:s3:::bucket/*`, `*`)? */
function excludesAllBucketObjects(pattern: string, bucket: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  const parts = splitArn(pattern);
  if (!parts || globMatch(parts[2], 's3').status !== 'match') return false;
  const m = /^([^/]+)\/\*+$/.exec(parts[5]);
  return m !== null && globMatch(m[1], bucket).status === 'match';
}

function coversBucketObjects(s: NormalizedStatement, bucket: string): boolean {
  if (s.resource) return s.resource.some((r) => patternCoversBucketObjects(r, bucket));
  // NotResource: the statement applies to every object the list does not exclude.
  return !(s.notResource ?? []).some((r) => excludesAllBucketObjects(r, bucket));
}

function principalScope(s: NormalizedStatement): { everyone: boolean; principals: string[] } {
  if (s.notPrincipal) return { everyone: true, principals: [] };
  const p = s.principal;
  if (!p) return { everyone: true, principals: [] }; // no Principal: not valid in a bucket policy, but never narrower than everyone
  if (p['*']?.includes('*') || p.AWS?.includes('*')) return { everyone: true, principals: [] };
  return { everyone: false, principals: Object.values(p).flat() };
}

/** Deny statements that refuse an upload lacking certain request headers, with what they demand. */
export function headerDemandingDenies(policy: NormalizedPolicy, options: HeaderDenyOptions = {}): HeaderDemandingDeny[] {
  const action = options.action ?? 's3:PutObject';
  const found: HeaderDemandingDeny[] = [];
  for (const s of policy.statements) {
    if (s.effect !== 'Deny' || !coversAction(s, action)) continue;
    if (options.bucket !== undefined && !coversBucketObjects(s, options.bucket)) continue;
    const conditions: HeaderCondition[] = [];
    const otherConditionKeys: string[] = [];
    let blocksPlainRequest = true;
    for (const [operator, keys] of Object.entries(s.condition)) {
      for (const [key, values] of Object.entries(keys)) {
        const header = requestHeaderOf(key);
        if (!header) {
          otherConditionKeys.push(key);
          continue;
        }
        if (!matchesWhenAbsent(operator, values)) {
          blocksPlainRequest = false;
          continue;
        }
        conditions.push({ operator, key, values, header: header.header, kind: header.kind, demand: demandOf(operator, values) });
      }
    }
    if (!blocksPlainRequest || conditions.length === 0) continue;
    const scope = principalScope(s);
    found.push({
      statement: s,
      label: statementLabel(s),
      keys: [...new Set(conditions.map((c) => c.key))],
      operator: conditions[0].operator,
      conditions,
      headers: [...new Set(conditions.map((c) => c.header))],
      actions: [action],
      demandsAcl: conditions.some((c) => c.kind === 'acl'),
      appliesToEveryone: scope.everyone,
      principals: scope.principals,
      otherConditionKeys: [...new Set(otherConditionKeys)],
    });
  }
  return found;
}
