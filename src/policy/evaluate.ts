// The project's own IAM policy evaluator: decides one request (principal, action, resource,
// context) against the principal's identity policies, its permissions boundary and the
// resource's policy. It is used when AWS's iam:SimulatePrincipalPolicy cannot be (the emulator
// lacks it, or the caller is denied it). Organizations SCPs/RCPs, session policies, VPC endpoint
// policies, ACLs and Block Public Access are outside its scope: callers say so in evidence.
//
// Sources (AWS IAM User Guide) for the decision logic:
// - "Policy evaluation logic"
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//   An explicit Deny in any applicable policy wins. Otherwise, within one account, the request is
//   allowed when an identity-based policy allows it (and the permissions boundary, if any, allows
//   it too) or when the resource-based policy allows it.
// - "Cross-account policy evaluation logic"
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
//   Across accounts BOTH the principal's identity side (within its boundary) AND the resource
//   policy must allow.
// - "Permissions boundaries for IAM entities" (section "Resource-based policies") and
//   "Identity-based policies and resource-based policies"
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
//   Within the same account, a resource-policy Allow that names an IAM USER ARN (or the role
//   SESSION ARN, `arn:aws:sts::ACCT:assumed-role/NAME/SESSION`) grants to that principal directly
//   and is NOT limited by an implicit deny in its permissions boundary. An Allow naming the IAM
//   ROLE ARN is granted to the role's sessions through the role and IS limited by the role's
//   permissions boundary. An explicit Deny in the boundary still wins in every case. We treat
//   `Principal: "*"` like a direct grant (it names every principal, the session included).
// - "AWS JSON policy elements: Principal" (AWS account principals)
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
//   Naming an account (`123456789012` or `arn:aws:iam::123456789012:root`) delegates to that
//   account: its principals still need an identity-policy Allow. Within the same account such a
//   statement therefore grants nothing by itself; across accounts it satisfies the resource side.
//   A Deny naming the account applies to every principal in it.
// - "AWS JSON policy elements: NotPrincipal"
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
//   With Deny, AWS "might validate the account first, then the role, then the assumed-role user":
//   a principal escapes the Deny only if EVERY one of its identities is listed (account + user;
//   account + role + session). We apply that worst case (never a false pass).
//   "Permissions boundaries": a Deny with NotPrincipal always denies a principal that has a
//   permissions boundary, whatever NotPrincipal lists.
//
// Element matching (Action/Resource/policy variables) is in ./match.ts, conditions in
// ./conditions.ts, action metadata in ./actions.ts.

import type { NormalizedStatement, PrincipalMap } from './document.ts';
import { parsePolicyDocument, statementLabel } from './document.ts';
import type { AmbiguityLean, ContextLookup, ContextValue } from './match.ts';
import { actionMatches, arnPatternMatch, counts } from './match.ts';
import { evaluateCondition } from './conditions.ts';

export { actionMatches, resourceMatches, arnPatternMatch, contextLookup, compilePattern, splitArn } from './match.ts';
export type { AmbiguityLean, ContextLookup, ContextValue } from './match.ts';
export { evaluateCondition, evaluateSingleCondition, parseOperator, parseCidr, parseDate } from './conditions.ts';
export type { ConditionOptions, ConditionResult, SingleConditionResult, ParsedOperator } from './conditions.ts';
export { isKnownAction, isKnownService, expandActionPattern } from './actions.ts';

export type PolicySourceKind =
  | 'user-inline'
  | 'user-managed'
  | 'group-inline'
  | 'group-managed'
  | 'role-inline'
  | 'role-managed'
  | 'permissions-boundary'
  | 'resource-policy';

export interface PolicySource {
  kind: PolicySourceKind;
  name: string;
  arn?: string;
  /** For group policies: the group the principal inherits them from. */
  group?: string;
  /** The policy: JSON text (maybe URL-encoded, as IAM returns it) or an already-parsed object. */
  document: unknown;
}

export interface RequestPrincipal {
  /** The IAM user or role ARN (for an assumed role: the role ARN, with its path). */
  arn: string;
  accountId: string;
  /** The sts assumed-role session ARN, if the caller is a role session. */
  sessionArn?: string;
  /** Unique id: `AIDA...` for a user, `AROA...:session` for a role session (aws:userid). */
  userId?: string;
  /** aws:username (IAM users only); defaults to the last segment of a user ARN. */
  username?: string;
  /** Principal tags (aws:PrincipalTag/*). `undefined` = not known; `{}` = known to have none. */
  tags?: Record<string, string>;
}

export interface EvaluationRequest {
  action: string;
  resource: string;
  principal: RequestPrincipal;
  /** The account owning the resource (for S3: the bucket owner); defaults to principal.accountId. */
  resourceAccount?: string;
  /** Condition keys of the request (case-insensitive names): aws:SourceIp, aws:SecureTransport, s3:x-amz-acl, ... */
  context?: Record<string, ContextValue>;
  /**
   * Condition keys the request is known NOT to carry (lower-case name in; e.g. request headers the
   * client never sends): evaluated as absent, and not reported in missingContextKeys.
   */
  isAbsent?: (lowerCaseKey: string) => boolean;
}

export interface StatementRef {
  source: { kind: PolicySourceKind; name: string; arn?: string; group?: string };
  index: number;
  sid?: string;
  /** The statement's name within its policy (`Sid "x"` or `statement #2`), as `statementLabel` gives it. */
  label: string;
  /** The statement and its policy in words: `user-inline policy "x", Sid "y"`. */
  where: string;
  effect: 'Allow' | 'Deny';
  /** The statement verbatim, as written in the policy. */
  statement: Record<string, unknown>;
}

/** Why the decision came out as it did (stable ids for messages). */
export type DecisionReason =
  | 'explicitDeny'
  | 'identityAllow'
  | 'resourcePolicyAllow'
  | 'crossAccountAllow'
  | 'noMatchingAllow'
  | 'boundaryCapsIdentityAllow'
  | 'crossAccountNeedsIdentityAllow'
  | 'crossAccountNeedsResourcePolicyAllow';

export interface EvaluationResult {
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** Why, as a stable id. */
  reason: DecisionReason;
  /** Every Allow statement that applied to the request (identity, boundary, resource policy), even when it did not suffice. */
  allowedBy: StatementRef[];
  /** Every Deny statement that applied. Non-empty exactly when decision is explicitDeny. */
  deniedBy: StatementRef[];
  /** The statements that made the decision: the Denies, or the Allows on the path that granted; empty for implicitDeny. */
  decidedBy: StatementRef[];
  /** An identity-based policy (user, group or role) allows, before the boundary is applied. */
  identityAllows: boolean;
  /**
   * The resource policy allows this principal by itself: same account, a statement naming the
   * principal (user, role, session or `*`); across accounts, also one naming its account.
   */
  resourcePolicyAllows: boolean;
  /** The permissions boundary allows; `null` = no boundary. */
  boundaryAllows: boolean | null;
  sameAccount: boolean;
  /** Condition keys that a statement matching on action/resource/principal referenced but the request context lacked: the outcome depends on where the request comes from. */
  missingContextKeys: string[];
  /** Policies (or statements) that could not be parsed: the caller must treat the result as unknown (never a pass). */
  errors: Array<{ source: string; error: string }>;
  examined: Array<{ kind: PolicySourceKind; name: string; arn?: string }>;
}

// ---------------------------------------------------------------------------------------------
// The request context: what AWS derives from the caller itself, plus what the caller gave.

const principalKind = (arn: string): 'user' | 'role' | 'other' => {
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('user/') ? 'user' : resource.startsWith('role/') ? 'role' : 'other';
};

/**
 * The context keys AWS sets from the principal and resource (global condition keys, "AWS global
 * condition context keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * aws:PrincipalArn (for a role session: the role ARN), aws:PrincipalAccount, aws:PrincipalType
 * (`User` / `AssumedRole`), aws:username (IAM users only), aws:userid (when known),
 * aws:ResourceAccount, aws:PrincipalTag/* (when the tags are known), aws:PrincipalIsAWSService.
 * Keys given in `req.context` take precedence.
 */
export function derivedContext(req: EvaluationRequest): Record<string, ContextValue> {
  const p = req.principal;
  const kind = principalKind(p.arn);
  const out: Record<string, ContextValue> = {
    'aws:PrincipalArn': p.arn,
    'aws:PrincipalAccount': p.accountId,
    'aws:ResourceAccount': req.resourceAccount ?? p.accountId,
    'aws:PrincipalIsAWSService': 'false',
  };
  if (kind === 'user') {
    out['aws:PrincipalType'] = 'User';
    out['aws:username'] = p.username ?? p.arn.slice(p.arn.lastIndexOf('/') + 1);
  } else if (kind === 'role') {
    out['aws:PrincipalType'] = 'AssumedRole';
  }
  if (p.userId !== undefined) out['aws:userid'] = p.userId;
  for (const [k, v] of Object.entries(p.tags ?? {})) out[`aws:PrincipalTag/${k}`] = v;
  return out;
}

/** The lookup the evaluator uses: derived keys + req.context; knows which absences are facts. */
export function requestContext(req: EvaluationRequest): ContextLookup {
  const map = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(derivedContext(req))) map.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(req.context ?? {})) map.set(k.toLowerCase(), v);
  const kind = principalKind(req.principal.arn);
  const knownAbsent = (key: string): boolean => {
    if (key === 'aws:username') return kind !== 'user'; // only IAM users have one
    if (key.startsWith('aws:principaltag/')) return req.principal.tags !== undefined;
    if (key === 'aws:principalservicename' || key === 'aws:principalservicenameslist') return true; // not an AWS service
    return req.isAbsent?.(key) ?? false;
  };
  return {
    get: (key) => map.get(key.toLowerCase()),
    isKnownAbsent: (key) => !map.has(key.toLowerCase()) && knownAbsent(key.toLowerCase()),
  };
}

// ---------------------------------------------------------------------------------------------
// Principal matching (resource policies).

/**
 * How a Principal element names the caller:
 * - `direct`: the user ARN, the session ARN, `*`, or (NotPrincipal Allow) everyone but others;
 * - `role`: the role ARN of the caller's session (capped by the role's boundary);
 * - `account`: the caller's account (delegation to identity policies);
 * - `null`: not named.
 */
export type PrincipalMatch = 'direct' | 'role' | 'account' | null;

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;
const isWildcard = (v: string) => /^\*+$/.test(v);

function awsValues(map: PrincipalMap): { wildcard: boolean; values: string[] } {
  let wildcard = false;
  const values: string[] = [];
  for (const [type, list] of Object.entries(map)) {
    if (type === '*') {
      if (list.some(isWildcard)) wildcard = true;
      continue;
    }
    if (type !== 'AWS') continue; // Service, Federated, CanonicalUser never name an IAM user or role.
    for (const v of list) {
      if (isWildcard(v)) wildcard = true;
      else values.push(v);
    }
  }
  return { wildcard, values };
}

const namesAccount = (v: string, accountId: string) => (ACCOUNT_ID.test(v) && v === accountId) || ACCOUNT_ROOT.exec(v)?.[1] === accountId;

/** Matches a `Principal` element against the caller (strongest match wins). */
export function principalMatches(map: PrincipalMap, p: RequestPrincipal): PrincipalMatch {
  const { wildcard, values } = awsValues(map);
  if (wildcard) return 'direct';
  const kind = principalKind(p.arn);
  let best: PrincipalMatch = null;
  for (const v of values) {
    if ((kind === 'user' && v === p.arn) || (p.sessionArn !== undefined && v === p.sessionArn)) return 'direct';
    if (kind === 'role' && v === p.arn) best = 'role';
    else if (best === null && namesAccount(v, p.accountId)) best = 'account';
  }
  return best;
}

/** The identities AWS may check a NotPrincipal against, outermost first. */
function principalLayers(p: RequestPrincipal): Array<(v: string) => boolean> {
  const layers: Array<(v: string) => boolean> = [(v) => namesAccount(v, p.accountId), (v) => v === p.arn];
  if (p.sessionArn !== undefined) layers.push((v) => v === p.sessionArn);
  return layers;
}

/** How many of the caller's layers a NotPrincipal lists: `none`, `some` or `all`. */
function notPrincipalCoverage(map: PrincipalMap, p: RequestPrincipal): 'none' | 'some' | 'all' {
  const { wildcard, values } = awsValues(map);
  if (wildcard) return 'all';
  const named = principalLayers(p).map((layer) => values.some(layer));
  if (named.every(Boolean)) return 'all';
  return named.some(Boolean) ? 'some' : 'none';
}

// ---------------------------------------------------------------------------------------------
// Statement matching.

type PolicyRole = 'identity' | 'boundary' | 'resource';

interface StatementOutcome {
  applies: boolean;
  actionMatch: boolean;
  resourceMatch: boolean;
  principalMatch: PrincipalMatch;
  conditionMatch: boolean;
  missingKeys: string[];
  errors: string[];
}

function elementMatches(list: string[], test: (entry: string) => { match: boolean; unresolved: string[]; invalid?: boolean }, negated: boolean): { match: boolean; unresolved: string[] } {
  const results = list.map(test);
  const unresolved = results.flatMap((r) => r.unresolved);
  if (!negated) return { match: results.some((r) => r.match), unresolved };
  // NotResource: an entry that cannot be evaluated (unresolved variable) does not prove the
  // resource is outside the set, so the element does not match.
  if (results.some((r) => r.invalid)) return { match: false, unresolved };
  return { match: !results.some((r) => r.match), unresolved };
}

/**
 * Resource / NotResource. An ARN pattern that matches only under a wider reading of AWS's wildcard
 * rule (match.ts, arnPatternMatch: `ambiguous`) is resolved so that it can never produce a false
 * pass: it makes a Deny apply and never makes an Allow apply. For Resource that means it counts
 * as a match in a Deny; for NotResource (the statement applies to what the list does NOT name) it
 * counts as a match in an Allow.
 */
function matchResourceElement(stmt: NormalizedStatement, req: EvaluationRequest, lookup: ContextLookup, role: PolicyRole): { match: boolean; unresolved: string[] } {
  const lean: AmbiguityLean = stmt.effect === 'Deny' ? 'apply' : 'skip';
  const test = (negated: boolean) => (pattern: string) => {
    const m = arnPatternMatch(pattern, req.resource, lookup);
    return { match: counts(m.status, negated ? (lean === 'apply' ? 'skip' : 'apply') : lean), unresolved: m.unresolved, invalid: m.status === 'invalid' };
  };
  if (stmt.resource) return elementMatches(stmt.resource, test(false), false);
  if (stmt.notResource) return elementMatches(stmt.notResource, test(true), true);
  // No Resource: in a resource-based policy the resource is the one the policy is attached to.
  return { match: role === 'resource', unresolved: [] };
}

function analyse(stmt: NormalizedStatement, req: EvaluationRequest, lookup: ContextLookup, role: PolicyRole, hasBoundary: boolean): StatementOutcome {
  const actionMatch = stmt.action
    ? stmt.action.some((a) => actionMatches(a, req.action))
    : !(stmt.notAction ?? []).some((a) => actionMatches(a, req.action));
  const resource = matchResourceElement(stmt, req, lookup, role);
  let principalMatch: PrincipalMatch = 'direct';
  if (role === 'resource') {
    if (stmt.principal) principalMatch = principalMatches(stmt.principal, req.principal);
    else if (stmt.notPrincipal) {
      const coverage = notPrincipalCoverage(stmt.notPrincipal, req.principal);
      if (stmt.effect === 'Deny') principalMatch = hasBoundary || coverage !== 'all' ? 'direct' : null;
      else principalMatch = coverage === 'none' ? 'direct' : null;
    } else principalMatch = null;
  }
  // Conditions resolve ambiguous ARN values the same way: a Deny's condition holds when it may.
  const cond = evaluateCondition(stmt.condition, lookup, { lean: stmt.effect === 'Deny' ? 'apply' : 'skip' });
  const applies = actionMatch && resource.match && principalMatch !== null && cond.result;
  let missingKeys: string[] = [];
  if (actionMatch && principalMatch !== null) {
    if (resource.match) missingKeys = cond.missingKeys;
    else if (resource.unresolved.length > 0 && (cond.result || cond.missingKeys.length > 0)) {
      missingKeys = [...resource.unresolved.filter((k) => !lookup.isKnownAbsent(k)), ...cond.missingKeys];
    }
  }
  return { applies, actionMatch, resourceMatch: resource.match, principalMatch, conditionMatch: cond.result, missingKeys, errors: cond.errors };
}

/** Structural problems IAM would reject; such a statement is skipped and reported as an error. */
function statementProblem(stmt: NormalizedStatement, role: PolicyRole): string | undefined {
  if (role === 'resource') {
    if (!stmt.principal && !stmt.notPrincipal) return 'a resource-based policy statement needs Principal or NotPrincipal';
  } else {
    if (stmt.principal || stmt.notPrincipal) return 'an identity-based policy statement cannot have Principal or NotPrincipal';
    if (!stmt.resource && !stmt.notResource) return 'an identity-based policy statement needs Resource or NotResource';
  }
  return undefined;
}

/**
 * Does the statement apply to the request: action, resource, principal (for statements with a
 * Principal/NotPrincipal element, i.e. resource policies) and conditions? Context keys are taken
 * from the request (derived + `req.context`).
 */
export function statementApplies(stmt: NormalizedStatement, req: EvaluationRequest): boolean {
  const role: PolicyRole = stmt.principal || stmt.notPrincipal ? 'resource' : 'identity';
  return analyse(stmt, req, requestContext(req), role, false).applies;
}

// ---------------------------------------------------------------------------------------------
// The decision.

const sourceRef = (s: PolicySource) => ({ kind: s.kind, name: s.name, ...(s.arn ? { arn: s.arn } : {}), ...(s.group ? { group: s.group } : {}) });

/** `group-managed policy "S3Access" (via group "devs")`. */
export function describeSource(s: { kind: PolicySourceKind; name: string; group?: string }): string {
  return `${s.kind} policy "${s.name}"${s.group ? ` (via group "${s.group}")` : ''}`;
}

interface Matched {
  ref: StatementRef;
  principalMatch: PrincipalMatch;
}

export function evaluateRequest(
  req: EvaluationRequest,
  policies: { identity: PolicySource[]; permissionsBoundary?: PolicySource; resourcePolicy?: PolicySource },
): EvaluationResult {
  const lookup = requestContext(req);
  const errors: EvaluationResult['errors'] = [];
  const examined: EvaluationResult['examined'] = [];
  const missing = new Set<string>();
  const hasBoundary = policies.permissionsBoundary !== undefined;

  const run = (source: PolicySource, role: PolicyRole): { allows: Matched[]; denies: Matched[]; parsed: boolean } => {
    examined.push({ kind: source.kind, name: source.name, ...(source.arn ? { arn: source.arn } : {}) });
    const allows: Matched[] = [];
    const denies: Matched[] = [];
    const parsed = parsePolicyDocument(source.document);
    if (!parsed.ok) {
      errors.push({ source: describeSource(source), error: parsed.error });
      return { allows, denies, parsed: false };
    }
    for (const stmt of parsed.policy.statements) {
      const problem = statementProblem(stmt, role);
      if (problem) {
        errors.push({ source: describeSource(source), error: `${statementLabel(stmt)}: ${problem}` });
        continue;
      }
      const outcome = analyse(stmt, req, lookup, role, hasBoundary);
      for (const e of outcome.errors) errors.push({ source: describeSource(source), error: `${statementLabel(stmt)}: ${e}` });
      for (const k of outcome.missingKeys) missing.add(k);
      if (!outcome.applies) continue;
      const ref: StatementRef = {
        source: sourceRef(source),
        index: stmt.index,
        ...(stmt.sid !== undefined ? { sid: stmt.sid } : {}),
        label: statementLabel(stmt),
        where: `${describeSource(source)}, ${statementLabel(stmt)}`,
        effect: stmt.effect,
        statement: stmt.raw,
      };
      (stmt.effect === 'Deny' ? denies : allows).push({ ref, principalMatch: outcome.principalMatch });
    }
    return { allows, denies, parsed: true };
  };

  const identity = policies.identity.map((s) => run(s, 'identity'));
  const boundary = policies.permissionsBoundary ? run(policies.permissionsBoundary, 'boundary') : undefined;
  const resource = policies.resourcePolicy ? run(policies.resourcePolicy, 'resource') : undefined;

  const identityAllowRefs = identity.flatMap((r) => r.allows.map((m) => m.ref));
  const boundaryAllowRefs = boundary ? boundary.allows.map((m) => m.ref) : [];
  const resourceAllows = resource ? resource.allows : [];
  const deniedBy = [...identity.flatMap((r) => r.denies), ...(boundary?.denies ?? []), ...(resource?.denies ?? [])].map((m) => m.ref);
  const allowedBy = [...identityAllowRefs, ...boundaryAllowRefs, ...resourceAllows.map((m) => m.ref)];

  const resourceAccount = req.resourceAccount ?? req.principal.accountId;
  const sameAccount = resourceAccount === req.principal.accountId;
  const identityAllows = identityAllowRefs.length > 0;
  // A boundary that could not be read allows nothing (never a false pass; `errors` says why).
  const boundaryAllows = boundary ? boundaryAllowRefs.length > 0 : null;
  const withinBoundary = boundaryAllows !== false;
  const direct = resourceAllows.filter((m) => m.principalMatch === 'direct').map((m) => m.ref);
  const viaRole = resourceAllows.filter((m) => m.principalMatch === 'role').map((m) => m.ref);
  const viaAccount = resourceAllows.filter((m) => m.principalMatch === 'account').map((m) => m.ref);
  const resourcePolicyAllows = sameAccount ? direct.length + viaRole.length > 0 : resourceAllows.length > 0;

  const base = {
    allowedBy,
    deniedBy,
    identityAllows,
    resourcePolicyAllows,
    boundaryAllows,
    sameAccount,
    missingContextKeys: [...missing].sort(),
    errors,
    examined,
  };

  if (deniedBy.length > 0) return { decision: 'explicitDeny', reason: 'explicitDeny', decidedBy: deniedBy, ...base };

  const identitySide = identityAllows && withinBoundary;
  const identityPath = identitySide ? [...identityAllowRefs, ...boundaryAllowRefs] : [];
  if (sameAccount) {
    // Resource-policy grants to the user/session ARN (or `*`) are not capped by the boundary;
    // grants to the role ARN are (access_policies_boundaries.html, "Resource-based policies").
    const resourcePath = [...direct, ...(withinBoundary ? viaRole : [])];
    if (identitySide || resourcePath.length > 0) {
      const reason: DecisionReason = identitySide ? 'identityAllow' : 'resourcePolicyAllow';
      return { decision: 'allowed', reason, decidedBy: [...identityPath, ...(resourcePath.length > 0 ? [...resourcePath] : [])], ...base };
    }
    const reason: DecisionReason = identityAllows || viaRole.length > 0 ? 'boundaryCapsIdentityAllow' : 'noMatchingAllow';
    return { decision: 'implicitDeny', reason, decidedBy: [], ...base };
  }
  // Cross account: both sides (reference_policies_evaluation-logic-cross-account.html).
  const resourceSide = [...direct, ...viaRole, ...viaAccount];
  if (identitySide && resourceSide.length > 0) {
    return { decision: 'allowed', reason: 'crossAccountAllow', decidedBy: [...identityPath, ...resourceSide], ...base };
  }
  const reason: DecisionReason = !identitySide
    ? identityAllows
      ? 'boundaryCapsIdentityAllow'
      : resourceSide.length > 0
        ? 'crossAccountNeedsIdentityAllow'
        : 'noMatchingAllow'
    : 'crossAccountNeedsResourcePolicyAllow';
  return { decision: 'implicitDeny', reason, decidedBy: [], ...base };
}
