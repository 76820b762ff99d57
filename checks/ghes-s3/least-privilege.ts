import { defineGhesS3Check, GHES_STORAGE_DOC } from './context.ts';
import { answerPermissions } from './_permissions.ts';

// A bucket name no one can own (bucket names cannot contain "_"): stands for "any other bucket".
const ANY_OTHER_BUCKET_OBJECT = 'arn:aws:s3:::packages_preflight_any_other_bucket/object';

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
    unsupported: 'Not evaluated: {{reason}}.',
  },
  async run(ctx) {
    const { target, report } = ctx;
    const bucketArn = `arn:aws:s3:::${target.bucket}`;
    const probes = [
      { action: 's3:DeleteBucket', resource: bucketArn, capability: 'delete the Packages bucket' },
      { action: 's3:PutBucketPolicy', resource: bucketArn, capability: 'change the bucket policy' },
      { action: 's3:PutBucketAcl', resource: bucketArn, capability: 'change the bucket ACL' },
      { action: 's3:GetObject', resource: ANY_OTHER_BUCKET_OBJECT, capability: 'read objects in any bucket' },
      ...(target.actionsBucket
        ? [
            { action: 's3:GetObject', resource: `arn:aws:s3:::${target.actionsBucket}/object`, capability: `read the Actions bucket ${target.actionsBucket}` },
            { action: 's3:PutObject', resource: `arn:aws:s3:::${target.actionsBucket}/object`, capability: `write the Actions bucket ${target.actionsBucket}` },
          ]
        : []),
    ];
    let result;
    try {
      // Identity side only: broad grants in the principal's own policies are the finding.
      result = await answerPermissions(ctx, probes.map(({ action, resource }) => ({ action, resource })), { includeBucketPolicy: false });
    } catch (e) {
      const info = (e as { info?: { code?: string; message?: string } }).info;
      if (info?.code === 'UnsupportedPrincipal') return report.skip('unsupported', { reason: info.message }, { evidence: { ...info } });
      throw e;
    }
    const allowed = result.answers.map((a, i) => ({ ...a, capability: probes[i].capability })).filter((a) => a.decision === 'allowed');
    const evidence = { engine: result.engine, principal: result.principal.arn, account: result.principal.accountId, policiesExamined: result.examined, probes: result.answers.map((a) => ({ action: a.action, resource: a.resource, decision: a.decision })) };
    if (allowed.length) {
      return report.warn('broad', { principal: result.principal.arn, capabilities: allowed.map((a) => a.capability) }, { evidence: { ...evidence, broadStatements: allowed.flatMap((a) => a.allowedBy) } });
    }
    report.pass('minimal', { principal: result.principal.arn, actionsNote: target.actionsBucket ? ' or the Actions bucket' : '' }, { evidence });
  },
});
