import { defineGhesS3Check, GHES_STORAGE_DOC } from './context.ts';
import { answerPermissions, unlessUnsupported } from './_permissions.ts';

const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

export default defineGhesS3Check({
  id: 'kms-access',
  title: 'The GHES principal may use the bucket\'s KMS key',
  severity: 'critical',
  rationale: 'With SSE-KMS default encryption every object write needs kms:GenerateDataKey and every read kms:Decrypt on the key; without them GHES uploads and downloads fail with AccessDenied.',
  remediation: 'Allow kms:GenerateDataKey and kms:Decrypt on the bucket\'s key ARN in the GHES principal\'s identity policy (and make sure the key policy lets IAM policies grant it).',
  references: [GHES_STORAGE_DOC, 'Amazon S3 User Guide: Using server-side encryption with AWS KMS keys (SSE-KMS)', 'AWS KMS Developer Guide: Key policies (default key policy)'],
  messages: {
    notKms: 'Not applicable: the bucket\'s default encryption is {{algorithm}}, not SSE-KMS.',
    noEncryption: 'Not applicable: no default encryption is configured (AWS applies SSE-S3), so no KMS key is involved.',
    allowed: '{{principal}} may {{action}} on {{key}} (identity side; the key policy was not read: the default key policy delegates to IAM).',
    denied: '{{principal}} may not {{action}} on {{key}} ({{decision}}): GHES {{consequence}} would fail. Allow it in the identity policy.',
    aliasKey: 'The default encryption names the key by alias ({{key}}); IAM grants on the key ARN cannot be matched to an alias without kms:DescribeKey. Name the key by ARN in the bucket encryption settings.',
    unsupported: 'Not evaluated: {{reason}}. The run stays incomplete until this principal can be evaluated.',
  },
  // Both actions on every run: skipped together when no KMS key is involved.
  subjects: () => KMS_ACTIONS,
  async run(ctx) {
    const { facts, report } = ctx;
    const enc = await facts.encryption();
    const encryptionEvidence = { api: 's3:GetEncryptionConfiguration', algorithm: enc.algorithm ?? null };
    if (!enc.configured) return report.skip('noEncryption', {}, { evidence: encryptionEvidence });
    if (!enc.algorithm?.startsWith('aws:kms')) return report.skip('notKms', { algorithm: enc.algorithm ?? 'unknown' }, { evidence: encryptionEvidence });
    const head = await facts.bucketHead();
    const region = head.status !== 'not-found' ? (head.region ?? 'us-east-1') : 'us-east-1';
    // A key given by ARN names its account; only a key id, an alias or no key needs the caller's
    // (a plan, checked without credentials, usually gives the ARN).
    const keyAccount = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(enc.kmsKeyId ?? '')?.[1];
    const account = keyAccount ?? (await facts.callerIdentity()).account;
    const keyId = enc.kmsKeyId ?? `arn:aws:kms:${region}:${account}:alias/aws/s3`;
    if (/(^alias\/|:alias\/)/.test(keyId) && keyId !== `arn:aws:kms:${region}:${account}:alias/aws/s3`) {
      return report.warn('aliasKey', { key: keyId }, { evidence: { api: 's3:GetEncryptionConfiguration', kmsKeyId: keyId } });
    }
    const keyArn = keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${account}:key/${keyId}`;
    const result = await unlessUnsupported(ctx, () => answerPermissions(ctx, KMS_ACTIONS.map((action) => ({ action, resource: keyArn })), { includeBucketPolicy: false }));
    if (!result) return;
    for (const a of result.answers) {
      const evidence = { engine: result.engine, principal: result.principal.arn, key: keyArn, action: a.action, decision: a.decision, allowedBy: a.allowedBy, deniedBy: a.deniedBy, policiesExamined: result.examined, keyPolicyRead: false };
      const data = { principal: result.principal.arn, action: a.action, key: keyArn, decision: a.decision, consequence: a.action === 'kms:Decrypt' ? 'downloads' : 'uploads' };
      if (a.decision === 'allowed') report.pass('allowed', data, { subject: a.action, evidence });
      else report.fail('denied', data, { subject: a.action, evidence });
    }
  },
});
