// Answers "may the GHES principal do ACTION on RESOURCE?" for the permission checks
// (iam-simulation, least-privilege, kms-access), with either engine:
//   aws   = iam:SimulatePrincipalPolicy (AWS's own answer, incl. SCPs and boundaries),
//   local = the project's evaluator over the principal's policies and the bucket policy,
//   auto  = aws, falling back to local when the simulator is denied or unavailable (the emulator
//           answers 500), saying so in the evidence.
// Never a guess: an unreadable policy, an unknown bucket owner, or an unparseable document
// rejects, and the engine turns that into `error`.

import type { ResolvedPrincipal, SimulatedDecision } from '../ghes-s3/facts.ts';
import type { Reporter } from '../../src/engine/check.ts';
import { FactError, isFactError } from '../../src/engine/fact-error.ts';
import { statementLabel } from '../../src/policy/document.ts';
import { evaluateRequest, type EvaluationResult, type PolicySource } from '../../src/policy/evaluate.ts';
import { featureOf, otherStorage, type S3StorageContext } from './context.ts';

/** The seven actions GHES Packages and Actions storage need (FACTS.md) and the resource form each acts on. */
export const GHES_REQUIRED_ACTIONS: ReadonlyArray<{ action: string; scope: 'bucket' | 'object' }> = [
  { action: 's3:PutObject', scope: 'object' },
  { action: 's3:GetObject', scope: 'object' },
  { action: 's3:ListBucketMultipartUploads', scope: 'bucket' },
  { action: 's3:ListMultipartUploadParts', scope: 'object' },
  { action: 's3:AbortMultipartUpload', scope: 'object' },
  { action: 's3:DeleteObject', scope: 'object' },
  { action: 's3:ListBucket', scope: 'bucket' },
];

/** A concrete key: object actions are simulated on a real object ARN, as AWS evaluates them. */
export const SAMPLE_OBJECT_KEY = 'preflight/object';

export const resourceFor = (bucket: string, scope: 'bucket' | 'object'): string =>
  scope === 'bucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${SAMPLE_OBJECT_KEY}`;

export interface Question {
  action: string;
  resource: string;
  /** `denied`: a capability the principal should NOT have (least-privilege), where the worse answer is `allowed`. */
  want?: 'allowed' | 'denied';
}

export interface DecidingStatement {
  policy: string;
  policyKind: string;
  policyArn?: string;
  group?: string;
  statement: string;
  document?: Record<string, unknown>;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface EngineDecision {
  engine: 'aws-simulator' | 'local';
  decision: Decision;
  allowedBy: DecidingStatement[];
  deniedBy: DecidingStatement[];
}

export interface Answer extends Question {
  decision: Decision;
  allowedBy: DecidingStatement[];
  deniedBy: DecidingStatement[];
  /** Condition keys the outcome depends on that we could not supply (pass --source-ip/--source-vpce). */
  missingContextKeys: string[];
  /** Both engines answered and decided differently: both decisions; `decision` is the worse one. */
  disagreement?: { simulator: EngineDecision; local: EngineDecision };
}

export interface PermissionAnswers {
  engine: 'aws-simulator' | 'local';
  fallbackReason?: string;
  principal: ResolvedPrincipal;
  bucketOwner: 'same-account' | 'other-account';
  answers: Answer[];
  examined: string[];
  context: Array<Record<string, string>>;
  /** auto mode: whether the local evaluator was asked too (both engines), or why not. */
  comparison: { compared: true; examined: string[] } | { compared: false; reason: string };
}

const SIMULATOR_UNAVAILABLE = new Set(['AccessDenied', 'AccessDeniedException', 'InternalFailure', 'InternalError', 'NotImplemented', 'UnknownOperationException', 'InvalidAction', 'MalformedResponse']);

function simulatorUnavailable(e: unknown): string | undefined {
  if (!isFactError(e)) return undefined;
  const { code, httpStatus } = e.info;
  if (SIMULATOR_UNAVAILABLE.has(code) || (httpStatus !== undefined && httpStatus >= 500)) {
    return `iam:SimulatePrincipalPolicy answered ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`;
  }
  return undefined;
}

/**
 * Request-header condition keys GHES never sends (it applies no ACLs, names no storage class,
 * relies on the bucket's default encryption, sets no Object Lock or tags): a policy demanding them
 * is judged as GHES's request will be, without them (see required-request-headers), instead of
 * "depends on the request". x-amz-content-sha256 is sent by every SigV4 client, so it is not here.
 */
export function ghesSendsNoSuchHeader(lowerCaseKey: string): boolean {
  if (lowerCaseKey === 's3:x-amz-content-sha256') return false;
  return lowerCaseKey.startsWith('s3:x-amz-') || lowerCaseKey.startsWith('s3:object-lock-') || lowerCaseKey.startsWith('s3:requestobjecttag');
}

/** One request context per source address (GHES may connect from each); none when not given. */
function requestContexts(ctx: S3StorageContext): Array<Record<string, string>> {
  // A missing or unusable service URL is evaluated as its fix (https), unless it plainly says http.
  const http = ctx.target.serviceEndpoint ? ctx.target.serviceEndpoint.scheme === 'http' : /^\s*http:/i.test(ctx.target.serviceUrl ?? '');
  const base: Record<string, string> = { 'aws:SecureTransport': http ? 'false' : 'true' };
  if (ctx.target.sourceVpce) base['aws:SourceVpce'] = ctx.target.sourceVpce;
  if (!ctx.target.sourceIps.length) return [base];
  return ctx.target.sourceIps.map((cidr) => ({ ...base, 'aws:SourceIp': cidr.split('/')[0] }));
}

/**
 * The worse of two answers to one question: for an action GHES needs, the more denying one (it
 * must work from every address, and a deny one engine sees is never resolved toward allow); for a
 * capability the principal should not have, the more allowing one.
 */
function worst(a: Answer, b: Answer): Answer {
  const rank = a.want === 'denied' ? { allowed: 2, implicitDeny: 1, explicitDeny: 0 } : { allowed: 0, implicitDeny: 1, explicitDeny: 2 };
  const pick = rank[b.decision] > rank[a.decision] ? b : a;
  return { ...pick, missingContextKeys: [...new Set([...a.missingContextKeys, ...b.missingContextKeys])] };
}

const unusable = (resource: string, message: string): FactError =>
  new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', resource, code: 'UnusableAnswer', message: `the simulator's answer is unusable: ${message}` });

/**
 * One question's answer from the simulator, refused when the answer contradicts itself: a
 * resource asked about is missing, `allowed` names no statement that allows, `explicitDeny` names
 * no statement that denies (and neither an SCP nor the boundary is said to have denied). The
 * LocalStack stub answers `explicitDeny` with no statement by default (FACTS.md).
 */
function simulatorAnswer(q: Question, decisions: SimulatedDecision[]): Answer {
  const d = decisions.find((x) => x.action.toLowerCase() === q.action.toLowerCase() && (x.resource === q.resource || x.resource === '*'));
  if (!d) throw unusable(q.resource, `it has no decision for ${q.action} on ${q.resource}, which was asked about`);
  const decision: Decision = d.decision === 'allowed' ? 'allowed' : d.decision === 'explicitDeny' ? 'explicitDeny' : 'implicitDeny';
  if (decision === 'allowed' && d.matchedStatements.length === 0) throw unusable(q.resource, `${q.action} on ${q.resource} is "allowed" without any matched statement that allows it`);
  if (decision === 'explicitDeny' && d.matchedStatements.length === 0 && !d.deniedByOrganizations && !d.deniedByBoundary) {
    throw unusable(q.resource, `${q.action} on ${q.resource} is "explicitDeny" without any matched Deny statement, SCP or boundary`);
  }
  const statements = d.matchedStatements.map((m) => ({ policy: m.sourcePolicyId ?? 'unknown policy', policyKind: m.sourcePolicyType ?? 'unknown', statement: m.startLine ? `line ${m.startLine}` : 'statement' }));
  if (decision !== 'allowed' && d.deniedByOrganizations) statements.push({ policy: 'the organization\'s policies', policyKind: 'SCP', statement: 'a service control policy' });
  if (decision !== 'allowed' && d.deniedByBoundary) statements.push({ policy: 'the permissions boundary', policyKind: 'boundary', statement: 'the boundary' });
  // The simulator evaluates an unsupplied key as absent, which is exactly GHES's request for headers it never sends.
  const missingContextKeys = d.missingContextValues.filter((k) => !ghesSendsNoSuchHeader(k.toLowerCase()));
  return { ...q, decision, allowedBy: decision === 'allowed' ? statements : [], deniedBy: decision === 'explicitDeny' ? statements : [], missingContextKeys };
}

const engineDecision = (engine: EngineDecision['engine'], a: Answer): EngineDecision => ({ engine, decision: a.decision, allowedBy: a.allowedBy, deniedBy: a.deniedBy });

/** Both engines' answers to the same questions: the worse decision wins, a difference is kept for the report. */
function combine(simulated: Answer[], local: Answer[]): Answer[] {
  return simulated.map((sim, i) => {
    const loc = local[i];
    if (sim.decision === loc.decision) return sim;
    const picked = worst(sim, loc);
    return { ...picked, disagreement: { simulator: engineDecision('aws-simulator', sim), local: engineDecision('local', loc) } };
  });
}

function fromLocal(q: Question, r: EvaluationResult): Answer {
  const describe = (refs: EvaluationResult['allowedBy']): DecidingStatement[] =>
    refs.map((s) => ({ policy: s.source.name, policyKind: s.source.kind, policyArn: s.source.arn, group: s.source.group, statement: s.label ?? statementLabel(s), document: s.statement }));
  return { ...q, decision: r.decision, allowedBy: describe(r.allowedBy), deniedBy: describe(r.deniedBy), missingContextKeys: r.missingContextKeys };
}

/** Least-privilege probes: capabilities GHES never needs, asked together with the required actions. */
export function broadCapabilityQuestions(target: S3StorageContext['target']): Array<Question & { capability: string; want: 'denied' }> {
  const bucketArn = `arn:aws:s3:::${target.bucket}`;
  // A bucket name no one can own (bucket names cannot contain "_"): stands for "any other bucket".
  const anyOtherBucketObject = 'arn:aws:s3:::packages_preflight_any_other_bucket/object';
  const other = otherStorage(target);
  const questions: Array<Question & { capability: string }> = [
    { action: 's3:DeleteBucket', resource: bucketArn, capability: `delete the ${featureOf(target)} bucket` },
    { action: 's3:PutBucketPolicy', resource: bucketArn, capability: 'change the bucket policy' },
    { action: 's3:PutBucketAcl', resource: bucketArn, capability: 'change the bucket ACL' },
    { action: 's3:GetObject', resource: anyOtherBucketObject, capability: 'read objects in any bucket' },
    ...(other.bucket
      ? [
          { action: 's3:GetObject', resource: `arn:aws:s3:::${other.bucket}/object`, capability: `read the ${other.feature} bucket ${other.bucket}` },
          { action: 's3:PutObject', resource: `arn:aws:s3:::${other.bucket}/object`, capability: `write the ${other.feature} bucket ${other.bucket}` },
        ]
      : []),
  ];
  return questions.map((q) => ({ ...q, want: 'denied' as const }));
}

/**
 * iam-simulation and least-privilege ask ONE question set, so the simulator (memoized by input)
 * is called once for both; each check then reads the answers it needs.
 */
export async function answerBucketPermissions(ctx: S3StorageContext): Promise<PermissionAnswers> {
  const required = GHES_REQUIRED_ACTIONS.map(({ action, scope }) => ({ action, resource: resourceFor(ctx.target.bucket, scope) }));
  const broad = broadCapabilityQuestions(ctx.target).map(({ action, resource, want }) => ({ action, resource, want }));
  return answerPermissions(ctx, [...required, ...broad]);
}

/**
 * Runs a permission question for a check; a principal that IAM policies do not govern (root, a
 * federated user) is reported as `skip` with the reason (message id `unsupported`) and gives
 * undefined. That skip leaves the permissions unproven, so the run cannot be compliant.
 */
export async function unlessUnsupported<T>(ctx: { report: Reporter }, ask: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ask();
  } catch (e) {
    if (isFactError(e) && e.info.code === 'UnsupportedPrincipal') return void ctx.report.skip('unsupported', { reason: e.info.message }, { evidence: { ...e.info }, incomplete: true });
    throw e;
  }
}

export const answerFor = (answers: PermissionAnswers, q: Question): Answer | undefined => answers.answers.find((a) => a.action === q.action && a.resource === q.resource);

export async function answerPermissions(ctx: S3StorageContext, questions: Question[], options: { includeBucketPolicy?: boolean } = {}): Promise<PermissionAnswers> {
  const { facts, target } = ctx;
  const includeBucketPolicy = options.includeBucketPolicy ?? true;
  // Independent facts in parallel: each wave of dependent requests costs a round trip.
  const [principal, policy] = await Promise.all([facts.principal(), includeBucketPolicy ? facts.bucketPolicy() : Promise.resolve({ present: false as const, text: undefined, parsed: undefined })]);
  if (principal.unsupported) throw new FactError({ fact: 'principal', api: 'sts:GetCallerIdentity', resource: principal.arn, code: 'UnsupportedPrincipal', message: principal.unsupported });
  if (policy.present && policy.parsed && !policy.parsed.ok) {
    throw new FactError({ fact: 'bucketPolicy', api: 's3:GetBucketPolicy', resource: `arn:aws:s3:::${target.bucket}`, code: 'MalformedPolicy', message: `the bucket policy could not be parsed: ${policy.parsed.error}` });
  }
  const owner = await facts.bucketOwnedBy(principal.accountId);
  if (owner === 'unknown') {
    throw new FactError({ fact: 'bucketOwner', api: 's3:HeadBucket', resource: `arn:aws:s3:::${target.bucket}`, code: 'BucketOwnerUnknown', message: 'the bucket owner could not be determined (HeadBucket was refused or the bucket is missing), so same- vs cross-account evaluation cannot be decided' });
  }
  const bucketOwner = owner === 'yes' ? 'same-account' : 'other-account';
  const contexts = requestContexts(ctx);
  let fallbackReason: string | undefined;

  const local = async () => localAnswers(ctx, questions, principal, policy.present ? (policy.text ?? '') : undefined, bucketOwner, contexts);

  if (target.engine !== 'local') {
    try {
      if (bucketOwner === 'other-account') {
        throw new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', resource: principal.arn, code: 'CrossAccountBucket', message: 'the bucket is in another account than the principal: the simulator needs that account as ResourceOwner, which the checker cannot read' });
      }
      // auto: the principal's policies are read alongside (no extra wave), for the second opinion.
      const localPromise = target.engine === 'auto' ? local() : undefined;
      localPromise?.catch(() => undefined);
      const perContext = await Promise.all(
        contexts.map((context) =>
          facts.simulatePrincipalPolicy({
            policySourceArn: principal.arn,
            actions: [...new Set(questions.map((q) => q.action))],
            resourceArns: [...new Set(questions.map((q) => q.resource))],
            resourcePolicy: policy.present ? policy.text : undefined,
            resourceOwnerAccount: principal.accountId,
            context: Object.fromEntries(Object.entries(context).map(([k, v]) => [k, [v]])),
          }),
        ),
      );
      const simulated = questions.map((q) => perContext.map((decisions) => simulatorAnswer(q, decisions)).reduce(worst));
      const examined = ['identity policies, boundaries and SCPs as AWS evaluates them', ...(policy.present ? ['bucket policy'] : [])];
      if (!localPromise) return { engine: 'aws-simulator', principal, bucketOwner, answers: simulated, examined, context: contexts, comparison: { compared: false, reason: '--engine aws: the simulator only' } };
      let second: Awaited<ReturnType<typeof local>>;
      try {
        second = await localPromise;
      } catch (e) {
        const reason = isFactError(e) ? `the local evaluator could not answer (${e.info.api}: ${e.info.code})` : `the local evaluator could not answer (${(e as Error)?.message ?? String(e)})`;
        return { engine: 'aws-simulator', principal, bucketOwner, answers: simulated, examined, context: contexts, comparison: { compared: false, reason } };
      }
      return { engine: 'aws-simulator', principal, bucketOwner, answers: combine(simulated, second.answers), examined, context: contexts, comparison: { compared: true, examined: second.examined } };
    } catch (e) {
      const unavailable =
        simulatorUnavailable(e) ?? (isFactError(e) && (e.info.code === 'CrossAccountBucket' || e.info.code === 'UnusableAnswer') ? e.info.message : undefined);
      if (target.engine === 'aws' || !unavailable) throw e;
      fallbackReason = unavailable;
    }
  }

  const { answers, examined } = await local();
  return { engine: 'local', fallbackReason, principal, bucketOwner, answers, examined, context: contexts, comparison: { compared: false, reason: fallbackReason ?? '--engine local: the local evaluator only' } };
}

/** The local evaluator over the principal's policies (and the bucket policy), worst over the request contexts. */
async function localAnswers(
  ctx: S3StorageContext,
  questions: Question[],
  principal: ResolvedPrincipal,
  bucketPolicyText: string | undefined,
  bucketOwner: PermissionAnswers['bucketOwner'],
  contexts: Array<Record<string, string>>,
): Promise<{ answers: Answer[]; examined: string[] }> {
  const { facts, target } = ctx;
  const policies = await facts.principalPolicies();
  const resourcePolicy: PolicySource | undefined = bucketPolicyText !== undefined ? { kind: 'resource-policy', name: `bucket policy of ${target.bucket}`, document: bucketPolicyText } : undefined;
  const answers = questions.map((q) =>
    contexts
      .map((context) => {
        const result = evaluateRequest(
          {
            action: q.action,
            resource: q.resource,
            principal: { arn: principal.arn, accountId: principal.accountId, sessionArn: principal.sessionArn, username: principal.kind === 'user' ? principal.name : undefined },
            resourceAccount: bucketOwner === 'same-account' ? principal.accountId : 'other-account',
            context,
            isAbsent: ghesSendsNoSuchHeader,
          },
          { identity: policies.identity, permissionsBoundary: policies.permissionsBoundary, resourcePolicy },
        );
        if (result.errors.length) {
          throw new FactError({ fact: 'principalPolicies', api: 'iam:GetAccountAuthorizationDetails', resource: principal.arn, code: 'MalformedPolicy', message: result.errors.map((x) => `${x.source}: ${x.error}`).join('; ') });
        }
        return fromLocal(q, result);
      })
      .reduce(worst),
  );
  const examined = [
    ...policies.identity.map((p) => `${p.kind} ${p.name}${p.group ? ` (group ${p.group})` : ''}`),
    ...(policies.permissionsBoundary ? [`permissions boundary ${policies.permissionsBoundary.name}`] : []),
    ...(resourcePolicy ? [resourcePolicy.name] : []),
  ];
  return { answers, examined };
}


/** Condition keys that say where a request comes from: the machine running the probe may not be GHES's. */
const NETWORK_KEYS = new Set(['aws:sourceip', 'aws:sourcevpce', 'aws:sourcevpc', 'aws:vpcsourceip', 'aws:sourcevpcarn']);

/** Condition keys a statement (as written) tests, lower-case. */
export function conditionKeysOf(statement: Record<string, unknown> | undefined): string[] {
  const condition = statement?.Condition;
  if (!condition || typeof condition !== 'object') return [];
  return Object.values(condition as Record<string, Record<string, unknown>>).flatMap((keys) => (keys && typeof keys === 'object' ? Object.keys(keys) : []));
}

export type RefusalExplanation =
  /** An explicit Deny testing aws:SecureTransport, and the request went over plain http. */
  | { kind: 'tls'; answer: Answer; examined: string[] }
  | { kind: 'deny'; answer: Answer; examined: string[] }
  /** The decision depends on where the request comes from (aws:SourceIp, VPC keys), which this machine evidently does not meet. */
  | { kind: 'network'; answer: Answer; keys: string[]; examined: string[] }
  | { kind: 'noAllow'; answer: Answer; examined: string[] }
  /** The readable policies allow it: the refusal comes from what the checker cannot read. */
  | { kind: 'allowedByReadable'; answer: Answer; examined: string[] };

/**
 * Why S3 refused a probe request, by the same local evaluator iam-simulation uses, over the same
 * facts (principal policies, boundary, bucket policy), for the request as the probe sent it: its
 * action, its key, and TLS as the probe's endpoint used it. The checking machine's own address is
 * unknown, so a decision that depends on it is named as such. Rejects when the facts cannot be read.
 */
export async function explainRefusal(ctx: S3StorageContext, q: Question, request: { secureTransport: boolean }): Promise<RefusalExplanation> {
  const [principal, policy] = await Promise.all([ctx.facts.principal(), ctx.facts.bucketPolicy()]);
  if (principal.unsupported) throw new Error(principal.unsupported);
  if (policy.present && policy.parsed && !policy.parsed.ok) throw new Error(`the bucket policy could not be parsed: ${policy.parsed.error}`);
  const owner = await ctx.facts.bucketOwnedBy(principal.accountId);
  if (owner === 'unknown') throw new Error('the bucket owner is unknown');
  const context = { 'aws:SecureTransport': request.secureTransport ? 'true' : 'false' };
  const { answers, examined } = await localAnswers(ctx, [q], principal, policy.present ? (policy.text ?? '') : undefined, owner === 'yes' ? 'same-account' : 'other-account', [context]);
  const answer = answers[0];
  const keysOf = (list: DecidingStatement[]) => list.flatMap((s) => conditionKeysOf(s.document).map((k) => k.toLowerCase()));
  if (answer.decision === 'explicitDeny') {
    const keys = keysOf(answer.deniedBy);
    if (!request.secureTransport && keys.includes('aws:securetransport')) return { kind: 'tls', answer, examined };
    // The machine's own address is not in the context: a Deny on it (NotIpAddress, a VPC key) is where the request came from.
    const network = [...new Set(answer.deniedBy.flatMap((d) => conditionKeysOf(d.document)).filter((k) => NETWORK_KEYS.has(k.toLowerCase())))];
    return network.length ? { kind: 'network', answer, keys: network, examined } : { kind: 'deny', answer, examined };
  }
  const network = answer.missingContextKeys.filter((k) => NETWORK_KEYS.has(k.toLowerCase()));
  if (network.length) return { kind: 'network', answer, keys: network, examined };
  return answer.decision === 'allowed' ? { kind: 'allowedByReadable', answer, examined } : { kind: 'noAllow', answer, examined };
}
