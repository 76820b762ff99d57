// With SSE-KMS, every write needs kms:GenerateDataKey and every read kms:Decrypt on the bucket's
// key, for the principal GHES uses (the Packages user, the Actions key user or the Actions OIDC
// role). Two sides decide (AWS KMS Developer Guide, "Key policies"): the identity side, by the
// same engines as iam-simulation, and the key policy, which must either name the principal or
// delegate to the account's IAM policies (the default key policy does). The key policy is read
// where the checker may (kms:GetKeyPolicy); where it may not, the result says so and rests on the
// identity side alone.

import { isFactError } from '../../src/engine/fact-error.ts';
import { evaluateRequest, type EvaluationResult } from '../../src/policy/evaluate.ts';
import { answerPermissions, type Answer, unlessUnsupported } from './_permissions.ts';
import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

type KeySide =
  | { read: false; reason: string }
  | { read: true; grant: 'direct' | 'delegated' | 'none' | 'denied'; statements: string[] };

/**
 * What the key policy says about one action for the principal. KMS, unlike S3, lets no IAM policy
 * grant anything on its own: a key policy statement naming the principal grants directly, one
 * naming the account (`arn:aws:iam::ACCOUNT:root`) hands the decision to IAM policies. The local
 * evaluator answers both, by asking once as the key's own account (only a direct grant counts
 * then) and once as if across accounts (where naming the account counts too). S3 calls KMS on
 * GHES's behalf, so kms:ViaService and kms:CallerAccount take the values of that call.
 */
function keyPolicySays(policy: string, action: string, keyArn: string, principal: { arn: string; accountId: string; sessionArn?: string }, region: string): KeySide & { read: true } {
  const context = { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': principal.accountId };
  const ask = (resourceAccount: string): EvaluationResult =>
    evaluateRequest({ action, resource: keyArn, principal, resourceAccount, context }, { identity: [], resourcePolicy: { kind: 'resource-policy', name: `key policy of ${keyArn}`, document: policy } });
  const own = ask(principal.accountId);
  if (own.errors.length) throw new Error(`the key policy could not be evaluated: ${own.errors.map((e) => e.error).join('; ')}`);
  const labels = (refs: EvaluationResult['allowedBy']): string[] => refs.map((s) => s.where);
  if (own.deniedBy.length) return { read: true, grant: 'denied', statements: labels(own.deniedBy) };
  if (own.resourcePolicyAllows) return { read: true, grant: 'direct', statements: labels(own.allowedBy) };
  const delegation = ask('000000000000');
  if (delegation.resourcePolicyAllows) return { read: true, grant: 'delegated', statements: labels(delegation.allowedBy) };
  return { read: true, grant: 'none', statements: [] };
}

export default defineS3StorageCheck({
  id: 'kms-access',
  title: 'The GHES principal may use the bucket\'s KMS key',
  severity: 'critical',
  rationale:
    'With SSE-KMS default encryption every object write needs kms:GenerateDataKey and every read kms:Decrypt on the key; without them GHES uploads and downloads fail with AccessDenied. Both the principal\'s identity policies and the key policy must allow it (the key policy either naming the principal or delegating to IAM).',
  remediation: 'Allow kms:GenerateDataKey and kms:Decrypt on the bucket\'s key ARN in the GHES principal\'s identity policy, and make sure the key policy lets IAM policies grant it (the default key policy does) or names the principal.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'Amazon S3 User Guide: Using server-side encryption with AWS KMS keys (SSE-KMS)', 'AWS KMS Developer Guide: Key policies (default key policy)', 'AWS KMS API Reference: GetKeyPolicy'],
  messages: {
    notKms: 'Not applicable: the bucket\'s default encryption is {{algorithm}}, not SSE-KMS.',
    noEncryption: 'Not applicable: no default encryption is configured (AWS applies SSE-S3), so no KMS key is involved.',
    allowed: '{{principal}} may {{action}} on {{key}} ({{keySide}}).',
    denied: '{{principal}} may not {{action}} on {{key}} ({{decision}}): GHES {{consequence}} would fail. Allow it in the identity policy.',
    keyPolicyDenies: 'The key policy of {{key}} denies {{action}} to {{principal}} ({{statements}}): GHES {{consequence}} would fail. Remove or narrow that Deny.',
    keyPolicyNoGrant:
      'The key policy of {{key}} neither names {{principal}} nor delegates to the account\'s IAM policies for {{action}}: GHES {{consequence}} would fail whatever the identity policy says. Add the default key policy statement "Enable IAM User Permissions" (Principal arn:aws:iam::{{account}}:root, Action kms:*) or a statement allowing {{action}} to {{principal}}.',
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
    // (a fact source without credentials, such as a Terraform plan, usually gives the ARN).
    const keyAccount = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(enc.kmsKeyId ?? '')?.[1];
    const account = keyAccount ?? (await facts.callerIdentity()).account;
    const awsManagedKey = `arn:aws:kms:${region}:${account}:alias/aws/s3`;
    const keyId = enc.kmsKeyId ?? awsManagedKey;
    if (/(^alias\/|:alias\/)/.test(keyId) && keyId !== awsManagedKey) {
      return report.warn('aliasKey', { key: keyId }, { evidence: { api: 's3:GetEncryptionConfiguration', kmsKeyId: keyId } });
    }
    const keyArn = keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${account}:key/${keyId}`;
    const result = await unlessUnsupported(ctx, () => answerPermissions(ctx, KMS_ACTIONS.map((action) => ({ action, resource: keyArn })), { includeBucketPolicy: false }));
    if (!result) return;
    // The AWS managed key aws/s3 has a key policy no one may change and that delegates to the account.
    const keyPolicy: { text: string } | { unread: string } =
      keyArn === awsManagedKey
        ? { unread: 'the AWS managed key aws/s3, whose fixed key policy delegates to the account\'s IAM policies' }
        : !facts.kmsKeyPolicy
          ? { unread: 'this fact source does not read key policies; only the identity side was evaluated, and the default key policy delegates to IAM' }
          : await facts.kmsKeyPolicy(keyArn).then(
            (k) => ({ text: k.policy }),
            (e: unknown) => {
              if (!isFactError(e)) throw e;
              return { unread: `the checker may not read the key policy (kms:GetKeyPolicy answered ${e.info.code}); only the identity side was evaluated, and the default key policy delegates to IAM` };
            },
          );
    const principal = { arn: result.principal.arn, accountId: result.principal.accountId, ...(result.principal.sessionArn ? { sessionArn: result.principal.sessionArn } : {}) };
    for (const a of result.answers as Answer[]) {
      const side: KeySide = 'text' in keyPolicy ? keyPolicySays(keyPolicy.text, a.action, keyArn, principal, region) : { read: false, reason: keyPolicy.unread };
      const evidence = {
        engine: result.engine,
        principal: result.principal.arn,
        key: keyArn,
        action: a.action,
        decision: a.decision,
        allowedBy: a.allowedBy,
        deniedBy: a.deniedBy,
        policiesExamined: result.examined,
        keyPolicyRead: side.read,
        ...(side.read ? { keyPolicyGrant: side.grant, keyPolicyStatements: side.statements } : { keyPolicyNotRead: side.reason }),
      };
      const data = { principal: result.principal.arn, account: result.principal.accountId, action: a.action, key: keyArn, decision: a.decision, consequence: a.action === 'kms:Decrypt' ? 'downloads' : 'uploads' };
      if (side.read && side.grant === 'denied') report.fail('keyPolicyDenies', { ...data, statements: side.statements }, { subject: a.action, evidence });
      else if (side.read && side.grant === 'direct' && a.decision !== 'explicitDeny') report.pass('allowed', { ...data, keySide: `the key policy grants it directly: ${side.statements.join(', ')}` }, { subject: a.action, evidence });
      else if (side.read && side.grant === 'none') report.fail('keyPolicyNoGrant', data, { subject: a.action, evidence });
      else if (a.decision === 'allowed') {
        const keySide = side.read ? `the key policy delegates to IAM (${side.statements.join(', ')}) and the identity policy allows it` : `identity side; the key policy was not read: ${side.reason}`;
        report.pass('allowed', { ...data, keySide }, { subject: a.action, evidence });
      } else report.fail('denied', data, { subject: a.action, evidence });
    }
  },
});
