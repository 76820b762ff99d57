// Differential test: the project's evaluator (src/policy/evaluate.ts) against
// @cloud-copilot/iam-simulate (AGPL-3.0, devDependency, imported ONLY here as a test oracle).
//
// Thousands of generated cases: random identity policies, permissions boundaries and bucket
// policies built from the statement shapes AWS documents (Action/NotAction with wildcards,
// Resource/NotResource with wildcards and policy variables, every Principal form, NotPrincipal,
// every condition operator with IfExists and set operators) and random request contexts. The
// decisions (allowed / explicitDeny / implicitDeny) must agree.
//
// Where the oracle departs from AWS's documentation, the generator is NOT narrowed. Instead a
// NAMED EXCEPTION rewrites the case into a documented-equivalent form the oracle handles right,
// and the oracle's answer on the rewritten case must equal ours on the original. Each exception
// cites its documentation and is counted in the output.
//
// Seed: fixed by default, override with PREFLIGHT_DIFF_SEED=<int>; runs with PREFLIGHT_DIFF_RUNS.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { derivedContext, evaluateRequest, splitArn, type EvaluationRequest, type PolicySource, type RequestPrincipal } from '../../src/policy/evaluate.ts';
import { parseOperator } from '../../src/policy/conditions.ts';

const SEED = Number(process.env.PREFLIGHT_DIFF_SEED ?? 20240611);
const RUNS = Number(process.env.PREFLIGHT_DIFF_RUNS ?? 3000);

const A = '111111111111';
const B = '222222222222';

// ------------------------------------------------------------------------------------------
// Building blocks.

const PRINCIPALS: RequestPrincipal[] = [
  { arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userId: 'AIDAALICE' },
  { arn: `arn:aws:iam::${A}:user/eng/bob`, accountId: A, userId: 'AIDABOB' },
  { arn: `arn:aws:iam::${A}:role/ghes`, accountId: A, sessionArn: `arn:aws:sts::${A}:assumed-role/ghes/preflight`, userId: 'AROAGHES:preflight' },
  { arn: `arn:aws:iam::${A}:role/svc/deployer`, accountId: A, sessionArn: `arn:aws:sts::${A}:assumed-role/deployer/s2`, userId: 'AROADEPLOYER:s2' },
];

const BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:GetBucketPolicy'];
const OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject'];
const BUCKETS = ['arn:aws:s3:::pkgs', 'arn:aws:s3:::other'];
const OBJECTS = ['arn:aws:s3:::pkgs/preflight/object', 'arn:aws:s3:::pkgs/alice/notes.txt', 'arn:aws:s3:::pkgs/Preflight/x', 'arn:aws:s3:::other/preflight/object', 'arn:aws:s3:::pkgs/pkg/a?b$c', 'arn:aws:s3:::pkgs/AIDAALICE/k'];

// Broad patterns repeat so that statements often apply (repeats = weights).
const ACTION_PATTERNS = [
  '*', 's3:*', 's3:*', 's3:*Object', 's3:List*', 's3:Get*', 's3:put*', 'S3:*', 's3:*',
  '*', 's3:*', 's3:Get*', 's3:PutObject', 's3:put*', 's3:List*', 's3:ListBucket', 's3:ListBucket*', 's3:?etObject', 's3:DeleteObject',
  's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 'S3:GETOBJECT', 'iam:*', 's3:*Object', 's3:GetBucketPolicy',
];
const RESOURCE_PATTERNS = [
  '*', '*', 'arn:aws:s3:::pkgs/*', 'arn:aws:s3:::pkgs', 'arn:aws:s3:::pkgs*', 'arn:aws:s3:::*',
  '*', 'arn:aws:s3:::pkgs', 'arn:aws:s3:::pkgs/*', 'arn:aws:s3:::pkgs*', 'arn:aws:s3:::pkgs/preflight/*', 'arn:aws:s3:::pkgs/${aws:username}/*',
  'arn:aws:s3:::other/*', 'arn:aws:s3:::PKGS/*', 'arn:aws:s3:::pkgs/?reflight/*', "arn:aws:s3:::pkgs/${aws:PrincipalTag/team, 'preflight'}/*",
  'arn:aws:s3:::pkgs/${aws:PrincipalTag/team}/*', 'arn:aws:s3:::pkgs/pkg/a${?}b${$}c', 'arn:aws:s3:::pkgs/pkg/a${*}b*', 'arn:aws:s3:*:*:pkgs/*',
  'arn:aws:s3:::*', 'arn:aws:s3:::pkgs/alice/*', 'arn:aws:s3:::p?gs', 'arn:aws:s3:::pkgs/${aws:userid}/*',
  // Short patterns (issue 22 item 1): trailing `*` expands beyond the colons; without it the docs say nothing.
  'arn:aws:s3:*', 'arn:aws:sqs:*', 'arn:aws:s3', 'arn:aws:s3:::pkgs/*',
];
const PRINCIPAL_VALUES: unknown[] = [
  '*', { AWS: PRINCIPALS[0].arn }, { AWS: PRINCIPALS[2].sessionArn }, { AWS: PRINCIPALS[2].arn }, { AWS: `arn:aws:iam::${A}:root` },
  '*',
  { AWS: '*' },
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:root` },
  { AWS: `arn:aws:iam::${B}:root` },
  { AWS: B },
  { AWS: PRINCIPALS[0].arn },
  { AWS: PRINCIPALS[1].arn },
  { AWS: PRINCIPALS[2].arn },
  { AWS: PRINCIPALS[2].sessionArn },
  { AWS: PRINCIPALS[3].arn },
  { AWS: PRINCIPALS[3].sessionArn },
  { AWS: `arn:aws:iam::${B}:user/mallory` },
  { Service: 's3.amazonaws.com' },
  { Federated: 'cognito-identity.amazonaws.com' },
  { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
  { AWS: [PRINCIPALS[0].arn, `arn:aws:iam::${A}:root`] },
  { AWS: [PRINCIPALS[2].arn, PRINCIPALS[2].sessionArn, `arn:aws:iam::${A}:root`] },
  { AWS: [PRINCIPALS[3].arn, PRINCIPALS[3].sessionArn, A] },
  { AWS: [PRINCIPALS[1].arn, A], Service: 'ec2.amazonaws.com' },
];

interface ConditionFamily {
  operators: string[];
  keys: string[];
  values: string[];
}
const STRING_VALUES = [
  'private', 'PRIVATE', 'public-*', 'vpce-1a2b3c', 'vpce-*', 'alice', 'bob', 'pkg', '${aws:username}', '${aws:PrincipalTag/team}', 'AIDA*',
  'AROAGHES:*', 'User', 'AssumedRole', A, B, '${aws:PrincipalAccount}', 'priv?te', "${aws:PrincipalTag/team, 'pkg'}", 'team', 'env', 't*',
];
const FAMILIES: ConditionFamily[] = [
  {
    operators: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    keys: ['s3:x-amz-acl', 'aws:SourceVpce', 'aws:username', 'aws:PrincipalTag/team', 'aws:userid', 'aws:PrincipalType', 'aws:PrincipalAccount', 'aws:ResourceAccount', 'aws:TagKeys'],
    values: STRING_VALUES,
  },
  {
    operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
    keys: ['aws:PrincipalArn', 'aws:SourceArn'],
    values: [
      PRINCIPALS[0].arn, PRINCIPALS[2].arn, `arn:aws:iam::${A}:role/*`, `arn:aws:iam::${A}:user/*`, 'arn:aws:iam::*:user/alice', `arn:aws:sns:*:${A}:*`,
      'arn:aws:iam::${aws:PrincipalAccount}:*', 'arn:aws:lambda:us-west-2:222222222222:function:f', `arn:aws:iam::${A}:role/svc/*`,
    ],
  },
  { operators: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'], keys: ['s3:max-keys'], values: ['10', '100', '1000', '1.5'] },
  {
    operators: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    keys: ['aws:CurrentTime', 'aws:EpochTime'],
    values: ['2024-06-01T12:00:00Z', '2025-01-01T00:00:00Z', '2024-12-31T00:00:00Z', '1717243200', '1735689600'],
  },
  { operators: ['Bool'], keys: ['aws:SecureTransport', 'aws:MultiFactorAuthPresent'], values: ['true', 'false'] },
  {
    operators: ['IpAddress', 'NotIpAddress'],
    keys: ['aws:SourceIp'],
    values: ['10.0.0.0/8', '192.168.0.0/16', '203.0.113.7', '203.0.113.0/24', '2001:db8::/32', '2001:db8::1', '0.0.0.0/0', '::/0', '10.1.2.3/32'],
  },
  { operators: ['BinaryEquals'], keys: ['custom:Bin'], values: ['aGVsbG8=', 'd29ybGQ='] },
  {
    operators: ['Null'],
    keys: ['aws:SourceIp', 'aws:SourceVpce', 's3:x-amz-acl', 'aws:username', 'aws:PrincipalTag/team', 'aws:TagKeys', 'aws:userid'],
    values: ['true', 'false'],
  },
];

const CONTEXT_POOLS: Record<string, fc.Arbitrary<string | string[]>> = {
  'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.168.0.10', '203.0.113.7', '2001:db8::1', '2001:db8:1::5'),
  'aws:SecureTransport': fc.constantFrom('true', 'false', 'TRUE'),
  'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
  's3:x-amz-acl': fc.constantFrom('private', 'public-read', 'bucket-owner-full-control', 'PRIVATE'),
  'aws:SourceVpce': fc.constantFrom('vpce-1a2b3c', 'vpce-ffff'),
  'aws:CurrentTime': fc.constantFrom('2024-06-01T12:00:00Z', '2025-01-01T00:00:00Z', '2024-03-01T00:00:00Z'),
  'aws:EpochTime': fc.constantFrom('1717243200', '1735689600', '1709251200'),
  's3:max-keys': fc.constantFrom('10', '1000', '1.5', '100'),
  'aws:TagKeys': fc.subarray(['team', 'env', 'cost']),
  'aws:SourceArn': fc.constantFrom(`arn:aws:sns:us-east-1:${A}:topic`, 'arn:aws:lambda:us-west-2:222222222222:function:f'),
  'custom:Bin': fc.constantFrom('aGVsbG8=', 'd29ybGQ='),
};

// ------------------------------------------------------------------------------------------
// Arbitraries.

type Json = Record<string, unknown>;

const oneOrMany = <T>(arb: fc.Arbitrary<T>, max: number): fc.Arbitrary<T | T[]> => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: max }));

const conditionEntryArb: fc.Arbitrary<[string, string, string[]]> = fc
  .constantFrom(...FAMILIES)
  .chain((f) =>
    fc.tuple(
      fc.constantFrom(...f.operators),
      fc.constantFrom(...f.keys),
      fc.subarray(f.values, { minLength: 1, maxLength: Math.min(3, f.values.length) }),
      f.operators[0] === 'Null' ? fc.constant('') : fc.constantFrom('', '', '', 'ForAnyValue:', 'ForAllValues:'),
      f.operators[0] === 'Null' ? fc.constant(false) : fc.boolean(),
    ),
  )
  .map(([op, key, values, set, ifExists]) => [`${set}${op}${ifExists ? 'IfExists' : ''}`, key, values]);

const conditionArb: fc.Arbitrary<Json | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.array(conditionEntryArb, { minLength: 1, maxLength: 3 }).map((entries) => {
      const block: Record<string, Record<string, string[]>> = {};
      for (const [op, key, values] of entries) (block[op] ??= {})[key] = values;
      return block;
    }),
  },
);

const statementArb = (kind: 'identity' | 'resource'): fc.Arbitrary<Json> =>
  fc
    .record({
      sid: fc.option(fc.constantFrom('S1', 'AllowPackages', 'DenyOther'), { nil: undefined }),
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, false, true),
      actions: oneOrMany(fc.constantFrom(...ACTION_PATTERNS), 3),
      notResource: fc.constantFrom(false, false, false, false, true),
      resources: oneOrMany(fc.constantFrom(...RESOURCE_PATTERNS), 3),
      notPrincipal: fc.constantFrom(false, false, false, false, false, true),
      principal: fc.constantFrom(...PRINCIPAL_VALUES),
      condition: conditionArb,
    })
    .map((s) => {
      const st: Json = {};
      if (s.sid) st.Sid = s.sid;
      st.Effect = s.effect;
      if (kind === 'resource') st[s.notPrincipal ? 'NotPrincipal' : 'Principal'] = s.principal;
      st[s.notAction ? 'NotAction' : 'Action'] = s.actions;
      st[s.notResource ? 'NotResource' : 'Resource'] = s.resources;
      if (s.condition) st.Condition = s.condition;
      return st;
    });

const policyArb = (kind: 'identity' | 'resource', max: number): fc.Arbitrary<Json> =>
  fc.array(statementArb(kind), { minLength: 1, maxLength: max }).map((Statement) => ({ Version: '2012-10-17', Statement }));

interface Case {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  resourceAccount: string;
  context: Record<string, string | string[]>;
  identity: Json[];
  boundary?: Json;
  resourcePolicy?: Json;
}

const contextArb: fc.Arbitrary<Record<string, string | string[]>> = fc.record(CONTEXT_POOLS, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string | string[]>>;

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    principalIndex: fc.integer({ min: 0, max: PRINCIPALS.length - 1 }),
    withUserId: fc.boolean(),
    tags: fc.constantFrom<Record<string, string> | undefined>(undefined, { team: 'pkg' }, { team: 'preflight' }, {}),
    bucketAction: fc.boolean(),
    actionIndex: fc.nat(),
    resourceIndex: fc.nat(),
    crossAccount: fc.constantFrom(false, false, true),
    context: contextArb,
    identity: fc.oneof({ weight: 1, arbitrary: fc.constant<Json[]>([]) }, { weight: 6, arbitrary: fc.array(policyArb('identity', 3), { minLength: 1, maxLength: 3 }) }),
    boundary: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: policyArb('identity', 2) }),
    resourcePolicy: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: policyArb('resource', 3) }),
  })
  .map((r) => {
    const base = PRINCIPALS[r.principalIndex];
    const principal: RequestPrincipal = { ...base, ...(r.withUserId ? {} : { userId: undefined }), ...(r.tags ? { tags: r.tags } : {}) };
    if (!r.withUserId) delete principal.userId;
    const actions = r.bucketAction ? BUCKET_ACTIONS : OBJECT_ACTIONS;
    const resources = r.bucketAction ? BUCKETS : OBJECTS;
    return {
      principal,
      action: actions[r.actionIndex % actions.length],
      resource: resources[r.resourceIndex % resources.length],
      resourceAccount: r.crossAccount ? B : A,
      context: r.context,
      identity: r.identity,
      ...(r.boundary ? { boundary: r.boundary } : {}),
      ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy } : {}),
    };
  });

// ------------------------------------------------------------------------------------------
// The two engines.

type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const requestOf = (c: Case): EvaluationRequest => ({ action: c.action, resource: c.resource, principal: c.principal, resourceAccount: c.resourceAccount, context: c.context });

function ours(c: Case) {
  const identity: PolicySource[] = c.identity.map((document, i) => ({ kind: i % 2 ? 'group-managed' : 'user-inline', name: `p${i}`, ...(i % 2 ? { group: 'devs' } : {}), document }));
  return evaluateRequest(requestOf(c), {
    identity,
    ...(c.boundary ? { permissionsBoundary: { kind: 'permissions-boundary', name: 'boundary', document: c.boundary } } : {}),
    ...(c.resourcePolicy ? { resourcePolicy: { kind: 'resource-policy', name: 'bucket policy', document: c.resourcePolicy } } : {}),
  });
}

function oracle(c: Case): Decision {
  // iam-simulate does not derive principal context keys itself: give it the same ones we derive.
  const contextVariables = { ...derivedContext(requestOf(c)), ...c.context };
  const result = runUnsafeSimulation(
    {
      request: { principal: c.principal.sessionArn ?? c.principal.arn, action: c.action, resource: { resource: c.resource, accountId: c.resourceAccount }, contextVariables },
      identityPolicies: c.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // runUnsafeSimulation loads the resource policy without a name and then reads the name: hand
      // it iam-policy's "validated policy" envelope, which carries the name (metadata).
      ...(c.resourcePolicy ? { resourcePolicy: { __validated: true, policyDocument: c.resourcePolicy, metadata: { name: 'bucket policy' }, errors: [] } } : {}),
      ...(c.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: c.boundary }] } : {}),
    },
    {},
  );
  return result === 'Allowed' ? 'allowed' : result === 'ExplicitlyDenied' ? 'explicitDeny' : 'implicitDeny';
}

// ------------------------------------------------------------------------------------------
// Named exceptions: where the oracle departs from AWS's documentation. Each rewrites the case
// into a form whose documented meaning is the same but which the oracle evaluates correctly;
// returns undefined when the case does not contain the construct.

const mapConditions = (c: Case, f: (op: string, key: string, values: string[]) => [string, string, string[]] | undefined): Case => {
  const mapPolicy = (p: Json): Json => ({
    ...p,
    Statement: (p.Statement as Json[]).map((s) => {
      if (!s.Condition) return s;
      const block: Record<string, Record<string, string[]>> = {};
      for (const [op, keys] of Object.entries(s.Condition as Record<string, Record<string, string[]>>)) {
        for (const [key, values] of Object.entries(keys)) {
          const out = f(op, key, values);
          if (out) (block[out[0]] ??= {})[out[1]] = out[2];
        }
      }
      const { Condition: _drop, ...rest } = s;
      return Object.keys(block).length ? { ...rest, Condition: block } : rest;
    }),
  });
  return { ...c, identity: c.identity.map(mapPolicy), ...(c.boundary ? { boundary: mapPolicy(c.boundary) } : {}), ...(c.resourcePolicy ? { resourcePolicy: mapPolicy(c.resourcePolicy) } : {}) };
};
const hasContextKey = (c: Case, key: string) => {
  const k = key.toLowerCase();
  return Object.keys({ ...derivedContext(requestOf(c)), ...c.context }).some((x) => x.toLowerCase() === k);
};

interface NamedException {
  name: string;
  doc: string;
  reason: string;
  rewrite(c: Case): Case | undefined;
}

/** A Resource/NotResource entry with fewer than six segments and no trailing `*` (`arn:aws:s3`). */
const isShortWithoutTrailingWildcard = (v: string) => v.startsWith('arn:') && v.split(':').length < 6 && !v.endsWith('*');

/** Pads a short ARN pattern to six segments with `*` (arn:aws:sqs:* → arn:aws:sqs:*:*:*). */
const padArn = (v: string) => [...v.split(':'), '*', '*', '*', '*', '*'].slice(0, 6).join(':');

const EXCEPTIONS: NamedException[] = [
  {
    name: 'shortArnTrailingWildcardInNotResource',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards',
    reason:
      '"If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries": arn:aws:sqs:* names exactly the SQS ARNs, so an S3 object is outside it and an Allow with NotResource arn:aws:sqs:* applies to it. iam-simulate expands the pattern but then refuses to treat its mismatch as "outside" in NotResource ("conservative behavior"), so the Allow never applies. Rewrite: the short pattern becomes its six-segment form (arn:aws:sqs:*:*:*), the same set of ARNs.',
    rewrite(c) {
      let touched = false;
      const mapPolicy = (p: Json): Json => ({
        ...p,
        Statement: (p.Statement as Json[]).map((st) => {
          if (st.NotResource === undefined) return st;
          const list = Array.isArray(st.NotResource) ? (st.NotResource as string[]) : [st.NotResource as string];
          const isShortTrailing = (v: string) => v.startsWith('arn:') && v.split(':').length < 6 && v.endsWith('*');
          if (!list.some(isShortTrailing)) return st;
          touched = true;
          return { ...st, NotResource: list.map((v) => (isShortTrailing(v) ? padArn(v) : v)) };
        }),
      });
      const out = { ...c, identity: c.identity.map(mapPolicy), ...(c.boundary ? { boundary: mapPolicy(c.boundary) } : {}), ...(c.resourcePolicy ? { resourcePolicy: mapPolicy(c.resourcePolicy) } : {}) };
      return touched ? out : undefined;
    },
  },
  {
    name: 'shortArnWithoutTrailingWildcard',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards',
    reason:
      'The IAM User Guide documents only that a `*` at the end of an ARN segment "can expand to match beyond the colon boundaries"; it says nothing about a pattern with fewer than six segments and no trailing `*` (arn:aws:s3). iam-simulate pads such a pattern with `*` segments in identity policies and matches nothing with it in resource policies. The project takes the reading that can never produce a false pass: it may match in a Deny (and may exclude in an Allow NotResource), it never matches in an Allow (nor excludes in a Deny NotResource). Rewrite: the entry becomes its padded form (arn:aws:s3:*:*:*) where it may match, and an ARN that matches nothing where it may not.',
    rewrite(c) {
      let touched = false;
      const mapPolicy = (p: Json): Json => ({
        ...p,
        Statement: (p.Statement as Json[]).map((st) => {
          const field = st.Resource !== undefined ? 'Resource' : 'NotResource';
          const raw = st[field];
          const list = Array.isArray(raw) ? (raw as string[]) : [raw as string];
          if (!list.some(isShortWithoutTrailingWildcard)) return st;
          touched = true;
          const widest = (st.Effect === 'Deny') === (field === 'Resource');
          const mapped = list.map((v) => (isShortWithoutTrailingWildcard(v) ? (widest ? padArn(v) : 'arn:aws:s3:::preflight-matches-nothing') : v));
          return { ...st, [field]: mapped };
        }),
      });
      const out = { ...c, identity: c.identity.map(mapPolicy), ...(c.boundary ? { boundary: mapPolicy(c.boundary) } : {}), ...(c.resourcePolicy ? { resourcePolicy: mapPolicy(c.resourcePolicy) } : {}) };
      return touched ? out : undefined;
    },
  },
  {
    name: 'ifExistsOnForAnyValueWithMissingKey',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists',
    reason:
      '"...IfExists: if the key is not present, evaluate the condition element as true" applies to any operator except Null; iam-simulate ignores IfExists under ForAnyValue and answers false. Rewrite: drop such conditions (true is neutral in an AND).',
    rewrite(c) {
      let touched = false;
      const out = mapConditions(c, (op, key, values) => {
        const parsed = parseOperator(op);
        if (parsed?.set === 'ForAnyValue' && parsed.ifExists && !hasContextKey(c, key)) {
          touched = true;
          return undefined;
        }
        return [op, key, values];
      });
      return touched ? out : undefined;
    },
  },
  {
    name: 'dateEpochSecondsVersusIso',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date',
    reason:
      'Date values may be ISO 8601 or epoch (UNIX) seconds and denote instants; iam-simulate compares epoch SECONDS with Date.parse MILLISECONDS when the two forms meet. Rewrite: express every epoch value (policy and context) as the same instant in ISO 8601.',
    rewrite(c) {
      const toIso = (v: string) => (/^\d+$/.test(v) ? new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z') : v);
      let touched = false;
      const out = mapConditions(c, (op, key, values) => {
        const parsed = parseOperator(op);
        if (parsed && parsed.base.startsWith('Date') && values.some((v) => /^\d+$/.test(v))) {
          touched = true;
          return [op, key, values.map(toIso)];
        }
        return [op, key, values];
      });
      const context = Object.fromEntries(Object.entries(out.context).map(([k, v]) => {
        if (typeof v === 'string' && /^\d+$/.test(v) && /time$/i.test(k)) {
          touched = true;
          return [k, toIso(v)];
        }
        return [k, v];
      }));
      return touched ? { ...out, context } : undefined;
    },
  },
  {
    name: 'ipWithoutPrefixLengthIsSingleHostCidr',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    reason:
      'IpAddress/NotIpAddress take CIDR ranges; an address without a prefix length is the single-host range (/32, /128). iam-simulate compares it as a string and makes NotIpAddress false when the request address is of the other IP family. Rewrite: add the explicit prefix length.',
    rewrite(c) {
      let touched = false;
      const out = mapConditions(c, (op, key, values) => {
        const parsed = parseOperator(op);
        if (parsed && (parsed.base === 'IpAddress' || parsed.base === 'NotIpAddress') && values.some((v) => !v.includes('/'))) {
          touched = true;
          return [op, key, values.map((v) => (v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`))];
        }
        return [op, key, values];
      });
      return touched ? out : undefined;
    },
  },
  {
    name: 'policyVariableInsideAnArnSegment',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    reason:
      'Policy variables may be used with the ARN condition operators, e.g. arn:aws:iam::${aws:PrincipalAccount}:*. iam-simulate splits the ARN on every colon first, including the one inside the variable name, so the segments shift and nothing matches. Rewrite: substitute the variable with the request\'s value before handing the policy over (the documented meaning of a variable).',
    rewrite(c) {
      const ctx = { ...derivedContext(requestOf(c)), ...c.context };
      const lookup = (name: string) => Object.entries(ctx).find(([k]) => k.toLowerCase() === name.trim().toLowerCase())?.[1];
      // The colon-split and the variable-aware split (ours) disagree on the five fixed segments.
      const fixedSegmentsHaveVariable = (v: string) => splitArn(v)?.slice(0, 5).join(':') !== v.split(':').slice(0, 5).join(':');
      let touched = false;
      const out = mapConditions(c, (op, key, values) => {
        const parsed = parseOperator(op);
        if (!parsed || !parsed.base.startsWith('Arn') || !values.some(fixedSegmentsHaveVariable)) return [op, key, values];
        touched = true;
        return [op, key, values.map((v) => v.replace(/\$\{([^}]+)\}/g, (m, name: string) => { const x = lookup(name); return typeof x === 'string' ? x : m; }))];
      });
      return touched ? out : undefined;
    },
  },
  {
    name: 'ipv4ZeroLengthPrefix',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
    reason:
      'IpAddress takes standard CIDR notation, in which 0.0.0.0/0 is every IPv4 address. iam-simulate builds the mask with a 32-bit shift (-1 << 32 === -1 in JavaScript) and so matches only 0.0.0.0 itself. Rewrite: 0.0.0.0/0 becomes the two halves 0.0.0.0/1 and 128.0.0.0/1 (the same set).',
    rewrite(c) {
      let touched = false;
      const out = mapConditions(c, (op, key, values) => {
        const parsed = parseOperator(op);
        if (parsed && (parsed.base === 'IpAddress' || parsed.base === 'NotIpAddress') && values.some((v) => /^[\d.]+\/0$/.test(v))) {
          touched = true;
          return [op, key, values.flatMap((v) => (/^[\d.]+\/0$/.test(v) ? ['0.0.0.0/1', '128.0.0.0/1'] : [v]))];
        }
        return [op, key, values];
      });
      return touched ? out : undefined;
    },
  },
  {
    name: 'notPrincipalDenyNeedsEveryIdentity',
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
    reason:
      'With "Effect": "Deny", AWS "might validate the account first, then the role, and then the assumed-role user": a principal escapes the Deny only if its account, its user/role and its session are ALL listed; otherwise "the policy might deny access". We take that worst case (never a false pass); iam-simulate exempts the caller when any one of them is listed. Rewrite: a Deny NotPrincipal that lists only some of the caller\'s identities becomes one that lists none of them.',
    rewrite(c) {
      if (!c.resourcePolicy || c.boundary) return undefined; // with a boundary both deny anyway
      const p = c.principal;
      const layers = [(v: string) => v === p.accountId || v === `arn:aws:iam::${p.accountId}:root`, (v: string) => v === p.arn, ...(p.sessionArn ? [(v: string) => v === p.sessionArn] : [])];
      let touched = false;
      const Statement = (c.resourcePolicy.Statement as Json[]).map((s) => {
        if (s.Effect !== 'Deny' || s.NotPrincipal === undefined) return s;
        const np = s.NotPrincipal;
        if (np === '*') return s;
        const aws = (np as Record<string, unknown>).AWS;
        const values = aws === undefined ? [] : Array.isArray(aws) ? (aws as string[]) : [aws as string];
        if (values.includes('*')) return s;
        const named = layers.map((l) => values.some(l));
        if (named.every(Boolean) || !named.some(Boolean)) return s;
        touched = true;
        return { ...s, NotPrincipal: { AWS: 'arn:aws:iam::999999999999:root' } };
      });
      return touched ? { ...c, resourcePolicy: { ...c.resourcePolicy, Statement } } : undefined;
    },
  },
];

// ------------------------------------------------------------------------------------------

test(`our evaluator agrees with iam-simulate on ${RUNS} generated cases (seed ${SEED})`, () => {
  const counts: Record<string, number> = { allowed: 0, explicitDeny: 0, implicitDeny: 0 };
  const exceptionHits: Record<string, number> = Object.fromEntries(EXCEPTIONS.map((e) => [e.name, 0]));
  const reasons: Record<string, number> = {};
  let crossAccount = 0;
  let withBoundary = 0;
  let withMissing = 0;

  const property = fc.property(caseArb, (c) => {
    const mine = ours(c);
    assert.deepEqual(mine.errors, [], 'generated policies are valid');
    let rewritten = c;
    const applied: string[] = [];
    for (const e of EXCEPTIONS) {
      const r = e.rewrite(rewritten);
      if (r) {
        rewritten = r;
        applied.push(e.name);
      }
    }
    const theirs = oracle(rewritten);
    if (mine.decision !== theirs) {
      throw new Error(`ours=${mine.decision} (${mine.reason}) oracle=${theirs}${applied.length ? ` after named exceptions ${applied.join(', ')}` : ''}`);
    }
    counts[mine.decision] += 1;
    reasons[mine.reason] = (reasons[mine.reason] ?? 0) + 1;
    if (applied.length && oracle(c) !== theirs) for (const n of applied) exceptionHits[n] += 1;
    if (c.resourceAccount !== c.principal.accountId) crossAccount += 1;
    if (c.boundary) withBoundary += 1;
    if (mine.missingContextKeys.length) withMissing += 1;
  });

  const details = fc.check(property, { seed: SEED, numRuns: RUNS });
  if (details.failed) {
    const example = details.counterexample?.[0];
    console.error(`differential test FAILED with seed ${SEED} (rerun: PREFLIGHT_DIFF_SEED=${SEED}), after ${details.numRuns} runs and ${details.numShrinks} shrinks`);
    console.error(`error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    console.error(`minimal differing case:\n${JSON.stringify(example, null, 2)}`);
    assert.fail(`our evaluator and iam-simulate disagree (seed ${SEED}); minimal case printed above`);
  }
  console.log(
    `differential: ${RUNS} cases, seed ${SEED}: allowed ${counts.allowed}, explicitDeny ${counts.explicitDeny}, implicitDeny ${counts.implicitDeny}; cross-account ${crossAccount}, with boundary ${withBoundary}, with missing context keys ${withMissing}`,
  );
  console.log(`reasons: ${Object.entries(reasons).map(([n, k]) => `${n}=${k}`).join(', ')}`);
  console.log(`named exceptions that changed the oracle's answer: ${Object.entries(exceptionHits).map(([n, k]) => `${n}=${k}`).join(', ')}`);
  // The generator must exercise every outcome.
  for (const d of ['allowed', 'explicitDeny', 'implicitDeny']) assert.ok(counts[d] > RUNS / 20, `too few ${d} cases (${counts[d]}): the generator is skewed`);
});
