import { ghesUserPolicy } from '../../src/policy/generate.ts';
import { defineS3StorageCheck, featureOf, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC, otherStorage } from './context.ts';

/** The AWS managed policy the GHES Actions documentation attaches to the OIDC role (policy name, or its ARN). */
const AMAZON_S3_FULL_ACCESS = /(^|:policy\/)AmazonS3FullAccess$/;
import { answerBucketPermissions, answerFor, broadCapabilityQuestions, unlessUnsupported } from './_permissions.ts';

export default defineS3StorageCheck({
  id: 'least-privilege',
  title: 'The GHES principal has no more S3 power than GHES storage needs',
  severity: 'medium',
  rationale:
    'The access key GHES stores can do whatever its policies allow. Rights beyond the seven storage actions (deleting the bucket, changing its policy, reading other buckets or the other feature\'s bucket) turn a leaked key into a larger incident.',
  remediation: 'Replace broad statements (s3:*, Resource "*") with the seven GHES actions on this bucket only (see "policy ghes-user").',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'AWS IAM User Guide: Security best practices in IAM (apply least-privilege permissions)'],
  messages: {
    minimal: '{{principal}} cannot delete or reconfigure the bucket, nor reach other buckets{{actionsNote}}.',
    broad: '{{principal}} may also {{capabilities}}. GHES needs none of this; narrow the policy.',
    fullAccess:
      '{{principal}} has the AWS managed policy AmazonS3FullAccess attached (as the GHES {{feature}} documentation shows), so it may also {{capabilities}}. Detach it and attach the policy in the fix instead: the seven actions on {{bucket}} only.',
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
    const fullAccess = allowed.some((a) => a.allowedBy.some((s) => AMAZON_S3_FULL_ACCESS.test(s.policyArn ?? s.policy)));
    if (fullAccess) {
      const policy = ghesUserPolicy(target.bucket, undefined, featureOf(target));
      return report.warn(
        'fullAccess',
        { principal: result.principal.arn, feature: featureOf(target), bucket: target.bucket, capabilities: allowed.map((a) => a.capability) },
        { evidence: { ...evidence, broadStatements: allowed.flatMap((a) => a.allowedBy), policyToUse: policy }, remediation: `Detach arn:aws:iam::aws:policy/AmazonS3FullAccess from ${result.principal.arn} and attach this identity policy (add kms:GenerateDataKey and kms:Decrypt on the key when the bucket uses SSE-KMS, see kms-access): ${JSON.stringify(policy)}` },
      );
    }
    if (allowed.length) {
      return report.warn('broad', { principal: result.principal.arn, capabilities: allowed.map((a) => a.capability) }, { evidence: { ...evidence, broadStatements: allowed.flatMap((a) => a.allowedBy) } });
    }
    const other = otherStorage(target);
    report.pass('minimal', { principal: result.principal.arn, actionsNote: other.bucket ? ` or the ${other.feature} bucket` : '' }, { evidence });
  },
});
