import { headerDemandingDenies, type HeaderDemandingDeny } from '../../src/policy/request-headers.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';

const demandsText = (d: HeaderDemandingDeny): string[] => d.conditions.map((c) => `${c.header}: ${c.demand} (${c.operator} ${c.key})`);
const scopeText = (d: HeaderDemandingDeny): string =>
  d.appliesToEveryone ? 'every principal' : `only ${d.principals.join(', ')} (so GHES only if its IAM user is one of them or in that account)`;
const extraText = (d: HeaderDemandingDeny): string => (d.otherConditionKeys.length > 0 ? ` when ${d.otherConditionKeys.join(', ')} also match` : '');

export default defineS3StorageCheck({
  id: 'required-request-headers',
  title: 'The bucket policy does not demand upload headers GHES does not send',
  severity: 'high',
  rationale:
    'A Deny statement that refuses s3:PutObject unless the request carries a header (x-amz-server-side-encryption, x-amz-storage-class, x-amz-acl, x-amz-object-lock-*, x-amz-tagging) refuses every GHES upload that lacks it, even when the bucket\'s default settings would give the same result. GHES applies no ACLs, so a Deny demanding an ACL header refuses all its uploads.',
  remediation:
    'Replace header-enforcing Deny statements with bucket defaults: default encryption (SSE-S3 or SSE-KMS) instead of a Deny on s3:x-amz-server-side-encryption, Object Ownership "Bucket owner enforced" instead of a Deny on s3:x-amz-acl, lifecycle transitions instead of a demanded storage class; or exclude the GHES principal from the statement.',
  references: [
    GHES_STORAGE_DOC,
    'Amazon S3 User Guide: Setting default server-side encryption behavior for Amazon S3 buckets',
    'Amazon S3 User Guide: Controlling ownership of objects and disabling ACLs for your bucket',
    'Service Authorization Reference: Condition keys for Amazon S3',
    'IAM User Guide: IAM JSON policy elements: Condition operators (...IfExists, Null, negated operators on missing keys)',
  ],
  messages: {
    noPolicy: 'Bucket {{bucket}} has no bucket policy: no statement demands upload headers.',
    unparsable: 'The bucket policy could not be parsed ({{problem}}), so its Deny statements were not analysed.',
    none: 'No Deny statement in the bucket policy of {{bucket}} refuses an upload for lacking a request header ({{denies}} Deny statement(s) examined).',
    aclDemanded:
      '{{statement}} denies s3:PutObject unless the request sends {{demands}}. GHES applies no ACLs and sends no ACL header, so S3 would refuse every package upload. Remove the statement and use Object Ownership "Bucket owner enforced".',
    aclDemandedScoped:
      '{{statement}} denies s3:PutObject unless the request sends {{demands}}{{extra}}; it applies to {{scope}}. GHES sends no ACL header: wherever this statement applies to GHES\'s requests, package uploads are refused.',
    encryptionDemanded:
      '{{statement}} denies s3:PutObject unless the request sends {{demands}}{{extra}}; it applies to {{scope}}. GHES must send this header on every upload. Prefer default bucket encryption: it encrypts GHES uploads without any header.',
    headersDemanded: '{{statement}} denies s3:PutObject unless the request sends {{demands}}{{extra}}; it applies to {{scope}}. GHES must send these headers on every upload, or S3 refuses it.',
  },
  async run({ target, facts, report }) {
    const arn = bucketArn(target.bucket);
    const policy = await facts.bucketPolicy();
    const api = 's3:GetBucketPolicy';
    if (!policy.present) return report.pass('noPolicy', { bucket: target.bucket }, { evidence: { api, resource: arn, bucketPolicy: null } });
    if (!policy.parsed?.ok) {
      return report.error('unparsable', { problem: policy.parsed && !policy.parsed.ok ? policy.parsed.error : 'no policy text' }, { evidence: { api, resource: arn, policyText: policy.text } });
    }
    const parsed = policy.parsed.policy;
    const found = headerDemandingDenies(parsed, { bucket: target.bucket });
    if (found.length === 0) {
      const denies = parsed.statements.filter((s) => s.effect === 'Deny').length;
      return report.pass('none', { bucket: target.bucket, denies }, { evidence: { api, resource: arn, denyStatements: denies } });
    }
    for (const d of found) {
      const data = { statement: d.label, demands: demandsText(d).join('; '), scope: scopeText(d), extra: extraText(d) };
      const evidence = {
        api,
        resource: arn,
        statement: d.statement.raw,
        conditions: d.conditions.map(({ operator, key, values, header, demand }) => ({ operator, key, values, header, demand })),
        headers: d.headers,
        appliesToEveryone: d.appliesToEveryone,
        principals: d.principals,
        otherConditionKeys: d.otherConditionKeys,
      };
      // One subject (the bucket) on every run: the statements combine into one result (engine onePerSubject), named in its messages.
      if (d.demandsAcl && d.appliesToEveryone && d.otherConditionKeys.length === 0) report.fail('aclDemanded', data, { evidence, severity: 'critical' });
      else if (d.demandsAcl) report.warn('aclDemandedScoped', data, { evidence });
      else if (d.conditions.every((c) => c.kind === 'encryption' || c.kind === 'kms-key')) report.warn('encryptionDemanded', data, { evidence });
      else report.warn('headersDemanded', data, { evidence });
    }
  },
});
