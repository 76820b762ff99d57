// AWS's "meaning of public" for resource policies (bucket policies, CodeArtifact domain policies),
// as pure functions over the normalised statements of ./document.ts.
//
// Source: Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section "The
// meaning of 'public'" (access-control-block-public-access.html), as recorded in DESIGN.md with the
// date it was read. S3 starts by assuming a bucket policy is public and calls it non-public only
// when every Allow grants access to FIXED values (no wildcard, no policy variable) of at least one
// of (RESTRICTING_KEYS below):
// - "An AWS principal, user, role, or service principal" (e.g. aws:PrincipalOrgID): the Principal
//   element, and the condition keys that name the caller by a fixed value: aws:PrincipalOrgID,
//   aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgPaths, aws:PrincipalServiceName;
// - aws:SourceIp CIDRs no broader than /8 (IPv4) or /32 (IPv6), RFC 1918 ranges excepted;
// - aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
//   s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid outside the pattern "AROLEID:*",
//   s3:DataAccessPointArn (the access-point name may be a wildcard when the account is fixed),
//   s3:DataAccessPointAccount.
// Any other key (among them aws:SourceVpcArn, aws:VpceAccount, aws:VpceOrgID, aws:VpceOrgPaths,
// which the recorded text does not list) does not make a broad grant non-public: conservative, a
// key AWS does not count can never turn a public policy into a pass. A Federated principal is
// public; `StringLike aws:SourceVpc vpc-*` is public. Deny statements never make a policy public.

// This module never throws on a policy that ./document.ts accepted: anything it cannot understand
// in a condition becomes a reason, and a condition it cannot understand never counts as restricting
// (never a false pass).

import { parseCidr } from './conditions.ts';
import { actionMatches, arnPatternMatch } from './match.ts';
import type { NormalizedPolicy, NormalizedStatement, PrincipalMap } from './document.ts';
import { statementLabel } from './document.ts';

export type PublicReasonCode =
  /** Principal `*`, `{"AWS":"*"}`, or a principal value containing a wildcard or policy variable. */
  | 'wildcard-principal'
  /** A `Federated` principal (web identity / SAML provider): anyone who signs in there. */
  | 'federated-principal'
  /** `Allow` with `NotPrincipal`: everyone except the listed principals. */
  | 'not-principal-allow'
  /** aws:SourceIp with a CIDR broader than /8 (IPv4) or /32 (IPv6), or one that cannot be parsed. */
  | 'broad-source-ip'
  /** A restricting key whose value contains a wildcard or a policy variable. */
  | 'unfixed-condition'
  /** A restricting key under an operator that does not pin it: negated, `...IfExists`, `ForAllValues:`, `Null`, ... */
  | 'weak-operator'
  /** A condition key that is not one of those AWS accepts as restricting access. */
  | 'unrelated-condition'
  /** A condition this module could not understand (unknown operator, no values). */
  | 'malformed-condition'
  /** Not a public reason: why a Deny on insecure transport (aws:SecureTransport=false) falls short. */
  | 'incomplete-tls-deny';

export interface PublicReason {
  code: PublicReasonCode;
  /** One sentence an admin understands. */
  text: string;
}

export interface StatementFinding {
  index: number;
  sid?: string;
  label: string;
  /** The statement verbatim, as written in the policy. */
  statement: Record<string, unknown>;
  reasons: PublicReason[];
}

export interface CrossAccountGrant {
  /** The other account (12 digits). */
  account: string;
  /** The statement's principal values as written that name this account; when the account comes from a condition, all the statement's principal values (e.g. `*`). */
  principals: string[];
  /** How the account is named, for evidence: `Principal AWS "arn:..."` or `Condition StringEquals aws:SourceAccount "..."`. */
  via: string[];
  index: number;
  sid?: string;
  label: string;
  /** The statement's Action list; empty when it uses NotAction (see notActions). */
  actions: string[];
  /** Present when the statement uses NotAction: it grants every action except these. */
  notActions?: string[];
  statement: Record<string, unknown>;
}

export interface ResourcePolicyAnalysis {
  /** Allow statements that make the policy public. The policy is public iff this is non-empty. */
  publicStatements: StatementFinding[];
  /** Allow statements with a broad principal that fixed-value conditions make non-public; fixedBy names the keys as written. */
  fixedStatements: Array<StatementFinding & { fixedBy: string[] }>;
  /** Allow statements granting to other accounts than ownerAccount (every named account when ownerAccount is not given). */
  crossAccountGrants: CrossAccountGrant[];
  /** The first Deny for all principals on aws:SecureTransport=false covering the GHES object and bucket actions on bucket and objects. */
  denyInsecureTransport: StatementFinding | null;
  /** TLS-deny statements that exist but fall short (only objects, a narrower principal, extra conditions...); reasons say why. */
  partialInsecureTransportDenies: StatementFinding[];
}

export interface AnalyzeOptions {
  /** The account owning the resource; without it every named account is reported as a cross-account grant. */
  ownerAccount?: string;
  /** The bucket name; sharpens the TLS-deny coverage test (otherwise any bucket-level and object-level resource counts). */
  bucket?: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const hasWildcard = (v: string): boolean => v.includes('*') || v.includes('?');
const hasPolicyVariable = (v: string): boolean => v.includes('${');
/** A "fixed value" in AWS's sense: no wildcard, no policy variable (checked whatever the operator: a literal `*` in StringEquals is treated as a wildcard too, conservatively). */
const isFixedValue = (v: string): boolean => v.length > 0 && !hasWildcard(v) && !hasPolicyVariable(v);

const ACCOUNT_ID = /^\d{12}$/;
const quote = (v: string): string => JSON.stringify(v);
const list = (values: string[]): string => values.map(quote).join(', ');

/** The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:...`), when it is 12 fixed digits. */
function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return ACCOUNT_ID.test(parts[4]) ? parts[4] : undefined;
}

/** Account named by an AWS principal value: a bare 12-digit id or the account field of an ARN. */
function accountOfAwsPrincipal(value: string): string | undefined {
  return ACCOUNT_ID.test(value) ? value : arnAccount(value);
}

// ---------------------------------------------------------------------------------------------
// CIDRs

/**
 * Whether an aws:SourceIp value is "public" in AWS's sense (Amazon S3 User Guide, "The meaning of
 * 'public'"): an IPv4 CIDR broader than /8 or an IPv6 CIDR broader than /32, except inside the
 * RFC 1918 private ranges (10/8, 172.16/12, 192.168/16). Exactly /8 and /32 are not public. A bare
 * address counts as /32 (IPv4) or /128 (IPv6); host bits after the prefix are ignored.
 *
 * Decision: a value that cannot be parsed is treated as PUBLIC. It cannot be shown to limit the
 * callers, AWS would refuse it in a real policy (so it only reaches us from an offline file), and
 * this tool must never pass what it could not verify.
 */
export function isPublicCidr(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (!parsed) return true;
  // The RFC 1918 exception never changes the answer with these thresholds: the widest private
  // range (10/8) is itself /8, so nothing broader than /8 lies inside one.
  return parsed.family === 4 ? parsed.prefix < 8 : parsed.prefix < 32;
}

// ---------------------------------------------------------------------------------------------
// Conditions

const STRING_POSITIVE = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike']);
const ARN_POSITIVE = new Set(['ArnEquals', 'ArnLike']);
const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NotIpAddress', 'NumericNotEquals', 'DateNotEquals']);
const KNOWN_OPERATORS = new Set([
  ...STRING_POSITIVE,
  ...ARN_POSITIVE,
  ...NEGATED,
  'IpAddress',
  'NumericEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'Null',
]);

interface ParsedOperator {
  written: string;
  base: string;
  set?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  known: boolean;
}

function parseOperator(written: string): ParsedOperator {
  let rest = written;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAnyValue:')) {
    set = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const known = KNOWN_OPERATORS.has(base) && !(base === 'Null' && (ifExists || set !== undefined));
  return { written, base, set, ifExists, known };
}

type KeyKind = 'string' | 'arn' | 'ip';

/** The condition keys AWS accepts as restricting a broad principal, by lower-case name. */
const RESTRICTING_KEYS: Record<string, KeyKind> = {
  'aws:principalorgid': 'string',
  'aws:principalaccount': 'string',
  'aws:principalarn': 'arn',
  'aws:principalorgpaths': 'string',
  'aws:principalservicename': 'string',
  'aws:sourcearn': 'arn',
  'aws:sourcevpc': 'string',
  'aws:sourcevpce': 'string',
  'aws:sourceowner': 'string',
  'aws:sourceaccount': 'string',
  's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn',
  'aws:userid': 'string',
  's3:dataaccesspointarn': 'arn',
  's3:dataaccesspointaccount': 'string',
  'aws:sourceip': 'ip',
};

/** Keys naming an account that is granted access (for cross-account evidence), by lower-case name; 'id' = value is an account id, 'arn' = account field of an ARN. */
const ACCOUNT_KEYS: Record<string, 'id' | 'arn'> = {
  'aws:principalaccount': 'id',
  'aws:sourceaccount': 'id',
  'aws:sourceowner': 'id',
  's3:dataaccesspointaccount': 'id',
  'aws:principalarn': 'arn',
  'aws:sourcearn': 'arn',
  's3:dataaccesspointarn': 'arn',
};

/** s3:DataAccessPointArn may wildcard the access-point name when everything before it (partition, region, account) is fixed. */
function isFixedAccessPointArn(value: string): boolean {
  if (isFixedValue(value)) return true;
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  const head = parts.slice(0, 5);
  const resource = parts.slice(5).join(':');
  return head.every((p) => !hasWildcard(p) && !hasPolicyVariable(p)) && ACCOUNT_ID.test(parts[4]) && resource.startsWith('accesspoint/') && !hasPolicyVariable(resource);
}

interface ConditionVerdict {
  operator: string;
  key: string;
  values: string[];
  /** True when this entry, on its own, pins the request to fixed values of a restricting key. */
  fixes: boolean;
  /** Why it does not (absent when it fixes). */
  reason?: PublicReason;
}

/**
 * Judges one condition entry (operator, key, values). Decisions, each conservative:
 * - Only positive operators pin a key: StringEquals/StringEqualsIgnoreCase/StringLike, plus
 *   ArnEquals/ArnLike for ARN-valued keys, IpAddress for aws:SourceIp. Negated operators allow
 *   everything except the values; Null/Bool/Numeric/Date do not pin a value.
 * - `...IfExists` never pins: a request without the key (anonymous callers have no
 *   aws:PrincipalOrgID, requests outside a VPC no aws:SourceVpc) passes the condition.
 * - `ForAllValues:` never pins: it is true when the request has no value for the key.
 * - `ForAnyValue:` with a positive operator pins: it is false when the key is absent and otherwise
 *   needs one of the request's values to equal one of the fixed values.
 * - Every value must be fixed (values are ORed, so one wildcard opens it); a `*` or `?` counts as
 *   a wildcard whatever the operator. aws:userid `AROLEID:*` is not fixed (FACTS.md: "outside the
 *   pattern AROLEID:*"); s3:DataAccessPointArn may wildcard only the access-point name.
 * - aws:SourceIp pins only when every CIDR is non-public per isPublicCidr.
 */
function judgeCondition(operator: string, key: string, values: string[]): ConditionVerdict {
  const verdict = (fixes: boolean, reason?: PublicReason): ConditionVerdict => ({ operator, key, values, fixes, reason });
  const op = parseOperator(operator);
  const where = `Condition ${operator} ${key}`;
  if (!op.known) {
    return verdict(false, { code: 'malformed-condition', text: `${where} uses an operator this tool does not recognise, so it is not counted as restricting access.` });
  }
  if (values.length === 0) {
    return verdict(false, { code: 'malformed-condition', text: `${where} has no values, so it is not counted as restricting access.` });
  }
  const kind = RESTRICTING_KEYS[key.toLowerCase()];
  if (kind === undefined) {
    return verdict(false, { code: 'unrelated-condition', text: `${where} is not one of the keys AWS accepts as limiting who can use the statement (for example aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp).` });
  }
  if (NEGATED.has(op.base)) {
    return verdict(false, { code: 'weak-operator', text: `${where} is a negated condition: it lets in every value except ${list(values)}, so it does not limit access to fixed values.` });
  }
  if (op.ifExists) {
    return verdict(false, { code: 'weak-operator', text: `${where} uses ...IfExists, so a request that does not carry ${key} (for example an anonymous one) passes it.` });
  }
  if (op.set === 'ForAllValues') {
    return verdict(false, { code: 'weak-operator', text: `${where} uses ForAllValues:, which is also true when the request has no ${key} at all.` });
  }
  const positive = kind === 'ip' ? op.base === 'IpAddress' : STRING_POSITIVE.has(op.base) || (kind === 'arn' && ARN_POSITIVE.has(op.base));
  if (!positive) {
    return verdict(false, { code: 'weak-operator', text: `${where}: operator ${op.base} does not pin ${key} to fixed values.` });
  }
  if (kind === 'ip') {
    const broad = values.filter((v) => isPublicCidr(v));
    if (broad.length > 0) {
      return verdict(false, { code: 'broad-source-ip', text: `${where} allows ${list(broad)}, which is broader than /8 (IPv4) or /32 (IPv6) or not a valid CIDR, so AWS treats it as public.` });
    }
    return verdict(true);
  }
  const lower = key.toLowerCase();
  const unfixed = values.filter((v) => (lower === 's3:dataaccesspointarn' ? !isFixedAccessPointArn(v) : !isFixedValue(v)));
  if (unfixed.length > 0) {
    const roleSession = lower === 'aws:userid' && unfixed.some((v) => /^[A-Z0-9]+:\*$/.test(v));
    const text = roleSession
      ? `${where} uses the role-session pattern ${list(unfixed)}; AWS counts only aws:userid values outside the pattern "AROLEID:*" as fixed.`
      : `${where} has ${list(unfixed)}, which contains a wildcard or a policy variable, so it is not a fixed value.`;
    return verdict(false, { code: 'unfixed-condition', text });
  }
  return verdict(true);
}

function judgeConditions(stmt: NormalizedStatement): ConditionVerdict[] {
  const verdicts: ConditionVerdict[] = [];
  for (const [operator, keys] of Object.entries(stmt.condition ?? {})) {
    if (keys === null || typeof keys !== 'object') {
      verdicts.push({ operator, key: '', values: [], fixes: false, reason: { code: 'malformed-condition', text: `Condition ${operator} does not map keys to values.` } });
      continue;
    }
    for (const [key, values] of Object.entries(keys)) {
      const strings = Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
      verdicts.push(judgeCondition(operator, key, strings));
    }
  }
  return verdicts;
}

// ---------------------------------------------------------------------------------------------
// Principals

const isBroadValue = (v: string): boolean => hasWildcard(v) || hasPolicyVariable(v);

/** Why a statement's principal reaches beyond fixed principals (empty: it names fixed principals only). */
function broadPrincipalReasons(stmt: NormalizedStatement): PublicReason[] {
  const reasons: PublicReason[] = [];
  if (stmt.notPrincipal) {
    reasons.push({
      code: 'not-principal-allow',
      text: `Allow with NotPrincipal grants access to everyone except ${describePrincipals(stmt.notPrincipal)}, including anonymous users.`,
    });
  }
  const principal: PrincipalMap = stmt.principal ?? {};
  for (const [type, values] of Object.entries(principal)) {
    if (type === '*') {
      reasons.push({ code: 'wildcard-principal', text: 'Principal "*" lets anyone, including anonymous users on the internet, make these requests.' });
    } else if (type === 'Federated') {
      reasons.push({ code: 'federated-principal', text: `Federated principal ${list(values)} lets anyone who signs in with that identity provider make these requests.` });
    } else {
      const broad = values.filter(isBroadValue);
      if (broad.length === 0) continue;
      const anyone = type === 'AWS' && broad.includes('*');
      reasons.push({
        code: 'wildcard-principal',
        text: anyone
          ? 'Principal {"AWS": "*"} lets anyone, including anonymous users on the internet, make these requests.'
          : `Principal ${type} ${list(broad)} contains a wildcard or policy variable, so it does not name fixed principals.`,
      });
    }
  }
  return reasons;
}

function describePrincipals(map: PrincipalMap): string {
  return Object.entries(map)
    .map(([type, values]) => (type === '*' ? '"*"' : `${type} ${list(values)}`))
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Public exports

/**
 * Whether one statement makes its policy public (Amazon S3 User Guide, "The meaning of 'public'").
 * A Deny never does. An Allow whose principal is broad (`*`, a wildcard value, Federated, or
 * NotPrincipal) is public unless at least one of its condition entries pins a restricting key to
 * fixed values (condition entries are ANDed, so one such entry suffices).
 *
 * `reasons` describes the broad principal and, when public, each condition that failed to restrict
 * it; when a condition fixes it, `reasons` keeps the principal reasons and `fixedBy` names the keys
 * (as written). A non-broad Allow and any Deny return no reasons.
 */
export function isPublicStatement(stmt: NormalizedStatement): { public: boolean; reasons: PublicReason[]; fixedBy: string[] } {
  if (stmt.effect !== 'Allow') return { public: false, reasons: [], fixedBy: [] };
  const principalReasons = broadPrincipalReasons(stmt);
  if (principalReasons.length === 0) return { public: false, reasons: [], fixedBy: [] };
  const verdicts = judgeConditions(stmt);
  const fixedBy = [...new Set(verdicts.filter((v) => v.fixes).map((v) => v.key))];
  if (fixedBy.length > 0) return { public: false, reasons: principalReasons, fixedBy };
  const conditionReasons = verdicts.flatMap((v) => (v.reason ? [v.reason] : []));
  return { public: true, reasons: [...principalReasons, ...conditionReasons], fixedBy: [] };
}

/**
 * True when a positive, fixed-value condition on aws:PrincipalOrgID, aws:PrincipalAccount or
 * aws:PrincipalOrgPaths restricts the statement (the usual CodeArtifact pattern: Principal `*` plus
 * aws:PrincipalOrgID). It is the same judgement isPublicStatement makes (judgeConditions: no
 * negation, no IfExists, no ForAllValues, no wildcard or policy variable), narrowed to the keys
 * that name an organization or accounts, so a condition never confines a grant here while making
 * it public there. In particular AWS's subtree form of aws:PrincipalOrgPaths
 * (`o-…/r-…/ou-…/*` under ForAnyValue:StringLike) is not a fixed value in the sense of "The meaning
 * of 'public'" and confines nothing; an exact path (`o-…/r-…/ou-…/`) does. keys as written; values
 * of the restricting entries.
 */
export function restrictsToOrgOrAccounts(stmt: NormalizedStatement): { restricted: boolean; keys: string[]; values: string[] } {
  const wanted = new Set(['aws:principalorgid', 'aws:principalaccount', 'aws:principalorgpaths']);
  const fixing = judgeConditions(stmt).filter((v) => v.fixes && wanted.has(v.key.toLowerCase()));
  return {
    restricted: fixing.length > 0,
    keys: [...new Set(fixing.map((v) => v.key))],
    values: [...new Set(fixing.flatMap((v) => v.values))],
  };
}

/** 12-digit accounts named by the statement's AWS principals (bare ids and the account field of ARNs), unique, in order. */
export function principalAccounts(stmt: NormalizedStatement): string[] {
  const accounts: string[] = [];
  for (const value of stmt.principal?.AWS ?? []) {
    const account = accountOfAwsPrincipal(value);
    if (account && !accounts.includes(account)) accounts.push(account);
  }
  return accounts;
}

function finding(stmt: NormalizedStatement, reasons: PublicReason[]): StatementFinding {
  return { index: stmt.index, sid: stmt.sid, label: statementLabel(stmt), statement: stmt.raw, reasons };
}

/** Non-negated operators (IfExists and set prefixes allowed): a value under them is an account the statement lets in. */
function namesAllowedValues(operator: string): boolean {
  const op = parseOperator(operator);
  return op.known && (STRING_POSITIVE.has(op.base) || ARN_POSITIVE.has(op.base));
}

function crossAccountGrants(stmt: NormalizedStatement, ownerAccount: string | undefined): CrossAccountGrant[] {
  if (stmt.effect !== 'Allow') return [];
  const byAccount = new Map<string, { principals: string[]; via: string[] }>();
  const entry = (account: string) => {
    let e = byAccount.get(account);
    if (!e) byAccount.set(account, (e = { principals: [], via: [] }));
    return e;
  };
  const isOther = (account: string) => ownerAccount === undefined || account !== ownerAccount;
  for (const value of stmt.principal?.AWS ?? []) {
    const account = accountOfAwsPrincipal(value);
    if (!account || !isOther(account)) continue;
    const e = entry(account);
    if (!e.principals.includes(value)) e.principals.push(value);
    e.via.push(`Principal AWS ${quote(value)}`);
  }
  const allPrincipals = Object.entries(stmt.principal ?? {}).flatMap(([type, values]) => (type === '*' ? ['*'] : values));
  for (const [operator, keys] of Object.entries(stmt.condition ?? {})) {
    if (!namesAllowedValues(operator) || keys === null || typeof keys !== 'object') continue;
    for (const [key, values] of Object.entries(keys)) {
      const form = ACCOUNT_KEYS[key.toLowerCase()];
      if (!form || !Array.isArray(values)) continue;
      for (const value of values) {
        if (typeof value !== 'string') continue;
        const account = form === 'id' ? (ACCOUNT_ID.test(value) ? value : undefined) : arnAccount(value);
        if (!account || !isOther(account)) continue;
        const e = entry(account);
        for (const p of allPrincipals) if (!e.principals.includes(p)) e.principals.push(p);
        e.via.push(`Condition ${operator} ${key} ${quote(value)}`);
      }
    }
  }
  return [...byAccount].map(([account, e]) => ({
    account,
    principals: e.principals,
    via: e.via,
    index: stmt.index,
    sid: stmt.sid,
    label: statementLabel(stmt),
    actions: stmt.action ?? [],
    ...(stmt.notAction ? { notActions: stmt.notAction } : {}),
    statement: stmt.raw,
  }));
}

/** The seven S3 actions GHES Packages needs (FACTS.md, "GHES Packages on S3"); a TLS deny must cover all of them. */
const GHES_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:ListBucket',
];

function coversAction(stmt: NormalizedStatement, action: string): boolean {
  if (stmt.action) return stmt.action.some((p) => actionMatches(p, action));
  if (stmt.notAction) return !stmt.notAction.some((p) => actionMatches(p, action));
  return false;
}

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

/**
 * Whether the statement's Resource/NotResource CERTAINLY reaches `arn:PARTITION:s3:::PATH` in some
 * partition (ARN matching of ./match.ts). Used to prove a TLS Deny complete, so an ARN pattern that
 * matches only under a wider reading of AWS's wildcard rule (`ambiguous`) does not prove coverage,
 * and in NotResource it counts as excluding the ARN.
 */
function coversResource(stmt: NormalizedStatement, path: string): boolean {
  return PARTITIONS.some((partition) => {
    const arn = `arn:${partition}:s3:::${path}`;
    if (stmt.resource) return stmt.resource.some((p) => arnPatternMatch(p, arn).status === 'match');
    if (stmt.notResource) return !stmt.notResource.some((p) => arnPatternMatch(p, arn).status !== 'nomatch');
    return false;
  });
}

/**
 * Without a bucket name: does some Resource reach a bucket ARN (`arn:aws:s3:::NAME`, or a pattern
 * such as `*`) or an object ARN (`arn:aws:s3:::NAME/...`)? Any bucket counts, so pass opts.bucket
 * for a verdict about one bucket.
 */
function coversLevelWithoutBucket(stmt: NormalizedStatement, level: 'bucket' | 'object'): boolean {
  const probe = level === 'bucket' ? 'preflight-any-bucket' : 'preflight-any-bucket/preflight/object';
  if (coversResource(stmt, probe)) return true;
  return (stmt.resource ?? []).some((p) => {
    const m = /^arn:[^:]+:s3:::([^/]+)(\/.*)?$/.exec(p);
    if (!m) return false;
    return level === 'bucket' ? m[2] === undefined : true;
  });
}

/** Why a Deny-on-insecure-transport statement falls short (empty: it is complete); undefined when it is not a TLS deny at all. */
function insecureTransportGaps(stmt: NormalizedStatement, bucket: string | undefined): string[] | undefined {
  if (stmt.effect !== 'Deny') return undefined;
  const entries = Object.entries(stmt.condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys ?? {}).map(([key, values]) => ({ operator, key, values: Array.isArray(values) ? values : [] })),
  );
  const tls = entries.find((e) => e.key.toLowerCase() === 'aws:securetransport');
  if (!tls) return undefined;
  const gaps: string[] = [];
  const op = parseOperator(tls.operator);
  const denyWhenInsecure = op.base === 'Bool' && op.set === undefined && tls.values.length > 0 && tls.values.every((v) => String(v).toLowerCase() === 'false');
  if (!denyWhenInsecure) gaps.push(`its condition is ${tls.operator} aws:SecureTransport ${list(tls.values.map(String))}, not Bool aws:SecureTransport "false"`);
  const others = entries.filter((e) => e !== tls);
  if (others.length > 0) gaps.push(`it also requires ${others.map((e) => `${e.operator} ${e.key}`).join(', ')}, so it does not deny every plain-HTTP request`);
  const everyone = !stmt.notPrincipal && (stmt.principal?.['*'] !== undefined || (stmt.principal?.AWS ?? []).includes('*'));
  if (!everyone) gaps.push(`it applies to ${stmt.notPrincipal ? `everyone except ${describePrincipals(stmt.notPrincipal)}` : stmt.principal ? describePrincipals(stmt.principal) : 'no principal'} rather than to all principals ("*")`);
  const missing = GHES_ACTIONS.filter((a) => !coversAction(stmt, a));
  if (missing.length > 0) gaps.push(`it does not cover ${missing.join(', ')}`);
  const bucketCovered = bucket ? coversResource(stmt, bucket) : coversLevelWithoutBucket(stmt, 'bucket');
  const objectCovered = bucket ? coversResource(stmt, `${bucket}/preflight/object`) : coversLevelWithoutBucket(stmt, 'object');
  const name = bucket ?? 'BUCKET';
  if (!bucketCovered) gaps.push(`it does not cover the bucket itself (arn:aws:s3:::${name})`);
  if (!objectCovered) gaps.push(`it does not cover the objects (arn:aws:s3:::${name}/*)`);
  return gaps;
}

/**
 * Analyses a resource policy (bucket policy or CodeArtifact domain policy): which Allow statements
 * make it public, which broad Allows are made non-public by fixed-value conditions, which grant to
 * other accounts, and whether a Deny enforces TLS.
 */
export function analyzeResourcePolicy(policy: NormalizedPolicy, opts: AnalyzeOptions = {}): ResourcePolicyAnalysis {
  const analysis: ResourcePolicyAnalysis = {
    publicStatements: [],
    fixedStatements: [],
    crossAccountGrants: [],
    denyInsecureTransport: null,
    partialInsecureTransportDenies: [],
  };
  for (const stmt of policy.statements) {
    const verdict = isPublicStatement(stmt);
    if (verdict.public) analysis.publicStatements.push(finding(stmt, verdict.reasons));
    else if (verdict.fixedBy.length > 0) analysis.fixedStatements.push({ ...finding(stmt, verdict.reasons), fixedBy: verdict.fixedBy });
    analysis.crossAccountGrants.push(...crossAccountGrants(stmt, opts.ownerAccount));
    const gaps = insecureTransportGaps(stmt, opts.bucket);
    if (gaps === undefined) continue;
    if (gaps.length === 0) {
      analysis.denyInsecureTransport ??= finding(stmt, []);
    } else {
      analysis.partialInsecureTransportDenies.push(
        finding(
          stmt,
          gaps.map((g) => ({ code: 'incomplete-tls-deny' as const, text: `This Deny on insecure transport falls short: ${g}.` })),
        ),
      );
    }
  }
  return analysis;
}
