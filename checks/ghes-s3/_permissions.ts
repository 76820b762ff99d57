// Answers "may the GHES principal do ACTION on RESOURCE?" for the permission checks
// (iam-simulation, least-privilege, kms-access), with either engine:
//   aws   = iam:SimulatePrincipalPolicy (AWS's own answer, incl. SCPs and boundaries),
//   local = the project's evaluator over the principal's policies and the bucket policy,
//   auto  = aws, falling back to local when the simulator is denied or unavailable (the emulator
//           answers 500), saying so in the evidence.
// Never a guess: an unreadable policy, an unknown bucket owner, or an unparseable document
// rejects, and the engine turns that into `error`.

import type { ResolvedPrincipal } from '../../src/aws/s3-facts.ts';
import type { Reporter } from '../../src/engine/check.ts';
import { FactError, isFactError } from '../../src/engine/fact-error.ts';
import { statementLabel } from '../../src/policy/document.ts';
import { evaluateRequest, type EvaluationResult, type PolicySource } from '../../src/policy/evaluate.ts';
import type { GhesS3Context } from './context.ts';

/** The seven actions GHES Packages needs (FACTS.md, seed 000) and the resource form each acts on. */
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
}

export interface DecidingStatement {
  policy: string;
  policyKind: string;
  policyArn?: string;
  group?: string;
  statement: string;
  document?: Record<string, unknown>;
}

export interface Answer extends Question {
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  allowedBy: DecidingStatement[];
  deniedBy: DecidingStatement[];
  /** Condition keys the outcome depends on that we could not supply (pass --source-ip/--source-vpce). */
  missingContextKeys: string[];
}

export interface PermissionAnswers {
  engine: 'aws-simulator' | 'local';
  fallbackReason?: string;
  principal: ResolvedPrincipal;
  bucketOwner: 'same-account' | 'other-account';
  answers: Answer[];
  examined: string[];
  context: Array<Record<string, string>>;
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
function requestContexts(ctx: GhesS3Context): Array<Record<string, string>> {
  const base: Record<string, string> = { 'aws:SecureTransport': ctx.target.serviceEndpoint.scheme === 'https' ? 'true' : 'false' };
  if (ctx.target.sourceVpce) base['aws:SourceVpce'] = ctx.target.sourceVpce;
  if (!ctx.target.sourceIps.length) return [base];
  return ctx.target.sourceIps.map((cidr) => ({ ...base, 'aws:SourceIp': cidr.split('/')[0] }));
}

/** The worst decision over all contexts: an action must work from every address GHES uses. */
function worst(a: Answer, b: Answer): Answer {
  const rank = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };
  const pick = rank[b.decision] > rank[a.decision] ? b : a;
  return { ...pick, missingContextKeys: [...new Set([...a.missingContextKeys, ...b.missingContextKeys])] };
}

function fromLocal(q: Question, r: EvaluationResult): Answer {
  const describe = (refs: EvaluationResult['allowedBy']): DecidingStatement[] =>
    refs.map((s) => ({ policy: s.source.name, policyKind: s.source.kind, policyArn: s.source.arn, group: s.source.group, statement: s.label ?? statementLabel(s), document: s.statement }));
  return { ...q, decision: r.decision, allowedBy: describe(r.allowedBy), deniedBy: describe(r.deniedBy), missingContextKeys: r.missingContextKeys };
}

/** Least-privilege probes: capabilities GHES never needs, asked together with the required actions. */
export function broadCapabilityQuestions(target: GhesS3Context['target']): Array<Question & { capability: string }> {
  const bucketArn = `arn:aws:s3:::${target.bucket}`;
  // A bucket name no one can own (bucket names cannot contain "_"): stands for "any other bucket".
  const anyOtherBucketObject = 'arn:aws:s3:::packages_preflight_any_other_bucket/object';
  return [
    { action: 's3:DeleteBucket', resource: bucketArn, capability: 'delete the Packages bucket' },
    { action: 's3:PutBucketPolicy', resource: bucketArn, capability: 'change the bucket policy' },
    { action: 's3:PutBucketAcl', resource: bucketArn, capability: 'change the bucket ACL' },
    { action: 's3:GetObject', resource: anyOtherBucketObject, capability: 'read objects in any bucket' },
    ...(target.actionsBucket
      ? [
          { action: 's3:GetObject', resource: `arn:aws:s3:::${target.actionsBucket}/object`, capability: `read the Actions bucket ${target.actionsBucket}` },
          { action: 's3:PutObject', resource: `arn:aws:s3:::${target.actionsBucket}/object`, capability: `write the Actions bucket ${target.actionsBucket}` },
        ]
      : []),
  ];
}

/**
 * iam-simulation and least-privilege ask ONE question set, so the simulator (memoized by input)
 * is called once for both; each check then reads the answers it needs.
 */
export async function answerBucketPermissions(ctx: GhesS3Context): Promise<PermissionAnswers> {
  const required = GHES_REQUIRED_ACTIONS.map(({ action, scope }) => ({ action, resource: resourceFor(ctx.target.bucket, scope) }));
  const broad = broadCapabilityQuestions(ctx.target).map(({ action, resource }) => ({ action, resource }));
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

export async function answerPermissions(ctx: GhesS3Context, questions: Question[], options: { includeBucketPolicy?: boolean } = {}): Promise<PermissionAnswers> {
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

  if (target.engine !== 'local') {
    try {
      if (bucketOwner === 'other-account') {
        throw new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', resource: principal.arn, code: 'CrossAccountBucket', message: 'the bucket is in another account than the principal: the simulator needs that account as ResourceOwner, which the checker cannot read' });
      }
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
      const answers = questions.map((q) =>
        perContext
          .map((decisions): Answer => {
            const d = decisions.find((x) => x.action.toLowerCase() === q.action.toLowerCase() && (x.resource === q.resource || x.resource === '*'));
            if (!d) throw new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', resource: q.resource, code: 'IncompleteAnswer', message: `the simulator returned no decision for ${q.action}` });
            const statements = d.matchedStatements.map((m) => ({ policy: m.sourcePolicyId ?? 'unknown policy', policyKind: m.sourcePolicyType ?? 'unknown', statement: m.startLine ? `line ${m.startLine}` : 'statement' }));
            const decision = d.decision === 'allowed' ? 'allowed' : d.decision === 'explicitDeny' ? 'explicitDeny' : 'implicitDeny';
            // The simulator evaluates an unsupplied key as absent, which is exactly GHES's request for headers it never sends.
            const missingContextKeys = d.missingContextValues.filter((k) => !ghesSendsNoSuchHeader(k.toLowerCase()));
            return { ...q, decision, allowedBy: decision === 'allowed' ? statements : [], deniedBy: decision === 'explicitDeny' ? statements : [], missingContextKeys };
          })
          .reduce(worst),
      );
      return { engine: 'aws-simulator', principal, bucketOwner, answers, examined: ['identity policies, boundaries and SCPs as AWS evaluates them', ...(policy.present ? ['bucket policy'] : [])], context: contexts };
    } catch (e) {
      const unavailable = simulatorUnavailable(e) ?? (isFactError(e) && e.info.code === 'CrossAccountBucket' ? e.info.message : undefined);
      if (target.engine === 'aws' || !unavailable) throw e;
      fallbackReason = unavailable;
    }
  }

  const policies = await facts.principalPolicies();
  const resourcePolicy: PolicySource | undefined = policy.present ? { kind: 'resource-policy', name: `bucket policy of ${target.bucket}`, document: policy.text ?? '' } : undefined;
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
  return { engine: 'local', fallbackReason, principal, bucketOwner, answers, examined, context: contexts };
}
