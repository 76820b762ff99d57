import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';
import { answerBucketPermissions, answerFor, conditionKeysOf, GHES_REQUIRED_ACTIONS, ghesSendsNoSuchHeader, resourceFor, unlessUnsupported } from './_permissions.ts';

/** The exact statement to add for one action, on the resource form that action needs. */
function statementToAdd(action: string, resource: string): string {
  return JSON.stringify({ Sid: `Ghes${action.split(':')[1]}`, Effect: 'Allow', Action: action, Resource: resource.endsWith('/preflight/object') ? resource.replace(/\/preflight\/object$/, '/*') : resource });
}

export default defineS3StorageCheck({
  id: 'iam-simulation',
  title: 'The GHES principal may perform every S3 action GHES storage needs',
  severity: 'critical',
  rationale:
    'GHES Packages and Actions storage each need exactly seven S3 actions on their bucket (ListBucket and ListBucketMultipartUploads on the bucket ARN, the five object actions on BUCKET/*); a missing one breaks uploads, downloads or cleanup at run time.',
  remediation:
    'Add the missing actions to the identity policy of the IAM user (or, for Actions with OpenID Connect, the role) GHES uses: ListBucket and ListBucketMultipartUploads on arn:aws:s3:::BUCKET, PutObject, GetObject, DeleteObject, ListMultipartUploadParts and AbortMultipartUpload on arn:aws:s3:::BUCKET/*.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'AWS IAM User Guide: Policy evaluation logic', 'AWS IAM API Reference: SimulatePrincipalPolicy', 'Amazon S3 User Guide: Policy actions for Amazon S3'],
  messages: {
    allowed: '{{principal}} may {{action}} on {{resource}} ({{engine}}).',
    dependsOnContext:
      '{{action}} on {{resource}} depends on where GHES connects from ({{keys}}): evaluated as {{decision}} without that information. Pass --source-ip (and --source-vpce) with the GHES appliance\'s address to evaluate it as GHES will see it.',
    implicitDeny: 'No policy allows {{action}} on {{resource}} for {{principal}}. Add it to the principal\'s identity policy (see the fix).',
    explicitDeny: '{{action}} on {{resource}} is explicitly denied to {{principal}} by {{denier}}. Remove or narrow that Deny.',
    explicitDenyHeader:
      '{{action}} on {{resource}} is denied to {{principal}} by {{denier}}, which refuses requests without the header(s) {{headers}}; GHES sends none of them (see required-request-headers). Use the bucket\'s default settings instead of a header-demanding Deny.',
    unsupported: 'Not evaluated: {{reason}}. The run stays incomplete until this principal can be evaluated.',
    fixAddStatement: 'Add this statement to the identity policy of {{principal}}: {{statement}}',
  },
  // One result per required action on every run, also when the principal's policies cannot be read.
  subjects: () => GHES_REQUIRED_ACTIONS.map((a) => a.action),
  async run(ctx) {
    const { report, target } = ctx;
    const questions = GHES_REQUIRED_ACTIONS.map(({ action, scope }) => ({ action, resource: resourceFor(target.bucket, scope) }));
    const result = await unlessUnsupported(ctx, () => answerBucketPermissions(ctx));
    if (!result) return;
    for (const a of questions.map((q) => answerFor(result, q)!)) {
      const evidence = {
        engine: result.engine,
        ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
        principal: result.principal.arn,
        ...(result.principal.sessionArn ? { session: result.principal.sessionArn } : {}),
        account: result.principal.accountId,
        bucketOwner: result.bucketOwner,
        action: a.action,
        resource: a.resource,
        decision: a.decision,
        allowedBy: a.allowedBy,
        deniedBy: a.deniedBy,
        policiesExamined: result.examined,
        requestContext: result.context,
        ...(a.missingContextKeys.length ? { missingContextKeys: a.missingContextKeys } : {}),
        // Both engines answered differently: the worse decision is the one above (see engine-agreement).
        ...(a.disagreement ? { engines: a.disagreement } : {}),
      };
      const data = { principal: result.principal.arn, action: a.action, resource: a.resource, engine: result.engine === 'local' ? 'local evaluator' : 'AWS policy simulator' };
      const fix = { message: 'fixAddStatement', data: { principal: result.principal.arn, statement: statementToAdd(a.action, a.resource) } };
      if (a.missingContextKeys.length) {
        report.warn('dependsOnContext', { ...data, keys: a.missingContextKeys, decision: a.decision }, { subject: a.action, evidence });
      } else if (a.decision === 'allowed') {
        report.pass('allowed', data, { subject: a.action, evidence });
      } else if (a.decision === 'explicitDeny') {
        const denier = a.deniedBy.map((d) => `${d.statement} in ${d.policy}`).join(', ') || 'a Deny statement';
        const headers = [...new Set(a.deniedBy.flatMap((d) => conditionKeysOf(d.document)).filter((k) => ghesSendsNoSuchHeader(k.toLowerCase())))];
        if (headers.length) report.fail('explicitDenyHeader', { ...data, denier, headers }, { subject: a.action, evidence: { ...evidence, headersGhesDoesNotSend: headers } });
        else report.fail('explicitDeny', { ...data, denier }, { subject: a.action, evidence });
      } else {
        report.fail('implicitDeny', data, { subject: a.action, evidence: { ...evidence, finding: 'no statement allows this action on this resource' }, remediation: fix });
      }
    }
  },
});
