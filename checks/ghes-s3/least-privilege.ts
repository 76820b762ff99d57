import { defineGhesS3Check, GHES_STORAGE_DOC } from './context.ts';
import { answerBucketPermissions, answerFor, broadCapabilityQuestions, unlessUnsupported } from './_permissions.ts';

export default defineGhesS3Check({
  id: 'least-privilege',
  title: 'The GHES principal has no more S3 power than Packages needs',
  severity: 'medium',
  rationale:
    'The access key GHES stores can do whatever its policies allow. Rights beyond the seven Packages actions (deleting the bucket, changing its policy, reading other buckets or the Actions bucket) turn a leaked key into a larger incident.',
  remediation: 'Replace broad statements (s3:*, Resource "*") with the seven GHES actions on the Packages bucket only (see "policy ghes-user").',
  references: [GHES_STORAGE_DOC, 'AWS IAM User Guide: Security best practices in IAM (apply least-privilege permissions)'],
  messages: {
    minimal: '{{principal}} cannot delete or reconfigure the bucket, nor reach other buckets{{actionsNote}}.',
    broad: '{{principal}} may also {{capabilities}}. GHES needs none of this; narrow the policy.',
    unsupported: 'Not evaluated: {{reason}}. The run stays incomplete until this principal can be evaluated.',
  },
  async run(ctx) {
    const { target, report } = ctx;
    const probes = broadCapabilityQuestions(target);
    const result = await unlessUnsupported(ctx, () => answerBucketPermissions(ctx));
    if (!result) return;
    const answers = probes.map((p) => ({ ...answerFor(result, p)!, capability: p.capability }));
    const allowed = answers.filter((a) => a.decision === 'allowed');
    const evidence = { engine: result.engine, principal: result.principal.arn, account: result.principal.accountId, policiesExamined: result.examined, probes: answers.map((a) => ({ action: a.action, resource: a.resource, decision: a.decision })) };
    if (allowed.length) {
      return report.warn('broad', { principal: result.principal.arn, capabilities: allowed.map((a) => a.capability) }, { evidence: { ...evidence, broadStatements: allowed.flatMap((a) => a.allowedBy) } });
    }
    report.pass('minimal', { principal: result.principal.arn, actionsNote: target.actionsBucket ? ' or the Actions bucket' : '' }, { evidence });
  },
});
