// TLS enforced by the bucket policy: a Deny for every principal when aws:SecureTransport is
// "false", covering the bucket and its objects (src/policy/public.ts denyInsecureTransport).
// GHES itself uses whatever scheme its service URL names (the service-url check); this Deny makes
// S3 refuse plain HTTP from anyone, whatever a client is configured with.

import { analyzeResourcePolicy } from '../../src/policy/public.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';
import { whereabouts } from './_exposure.ts';

export const denyInsecureTransportStatement = (bucket: string): Record<string, unknown> => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

export default defineS3StorageCheck({
  id: 'secure-transport',
  title: 'The bucket policy refuses requests without TLS',
  severity: 'medium',
  rationale:
    'Package contents and signed requests must not cross the network in clear text. A bucket-policy Deny on aws:SecureTransport = "false" makes S3 itself refuse plain HTTP, whatever any client (or a mistyped http:// service URL) does.',
  remediation: 'Add to the bucket policy: a Deny for Principal "*", Action "s3:*", on the bucket ARN and BUCKET/*, with Condition {"Bool": {"aws:SecureTransport": "false"}}.',
  references: [
    'Amazon S3 User Guide: Security best practices for Amazon S3 (enforce encryption of data in transit)',
    'AWS IAM User Guide: AWS global condition context keys (aws:SecureTransport)',
    'Amazon S3 User Guide: Bucket policy examples',
    GHES_STORAGE_DOC,
  ],
  messages: {
    enforced: 'The bucket policy of {{bucket}} denies every request made without TLS ({{label}}).',
    noPolicy: 'Bucket {{bucket}} has no bucket policy, so nothing makes S3 refuse plain-HTTP requests. Add a Deny on aws:SecureTransport = "false" (see the fix).',
    missing: 'No statement in the bucket policy of {{bucket}} denies requests with aws:SecureTransport = "false", so S3 accepts plain HTTP. Add the Deny statement (see the fix).',
    partial: 'The bucket policy of {{bucket}} has a Deny on insecure transport that falls short: {{gaps}} Replace it with the statement in the fix.',
    unparseable: 'The bucket policy of {{bucket}} could not be parsed ({{error}}), so whether it enforces TLS could not be checked.',
    fixAddStatement: 'Add this statement to the bucket policy of {{bucket}}: {{statement}}',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    const policy = await facts.bucketPolicy();
    const where = await whereabouts(ctx);
    const statement = denyInsecureTransportStatement(bucket);
    const base = { api: 's3:GetBucketPolicy', resource: bucketArn(bucket), account: where.account, region: where.region, conditionKey: 'aws:SecureTransport' };
    const remediation = { message: 'fixAddStatement', data: { bucket, statement: JSON.stringify(statement) } };
    if (!policy.present) return report.warn('noPolicy', { bucket }, { evidence: { ...base, policy: null, suggestedStatement: statement }, remediation });
    if (!policy.parsed?.ok) {
      const error = policy.parsed?.ok === false ? policy.parsed.error : 'no parse result';
      return report.error('unparseable', { bucket, error }, { evidence: { ...base, code: 'MalformedPolicy', error, policyText: policy.text } });
    }
    const analysis = analyzeResourcePolicy(policy.parsed.policy, { bucket });
    const deny = analysis.denyInsecureTransport;
    if (deny) return report.pass('enforced', { bucket, label: deny.label }, { evidence: { ...base, statementLabel: deny.label, statement: deny.statement } });
    const partial = analysis.partialInsecureTransportDenies;
    if (partial.length > 0) {
      const gaps = partial.map((p) => `${p.label}: ${p.reasons.map((r) => r.text).join(' ')}`).join(' ');
      return report.warn('partial', { bucket, gaps }, { evidence: { ...base, partialStatements: partial.map((p) => ({ statementLabel: p.label, statement: p.statement, gaps: p.reasons.map((r) => r.text) })), suggestedStatement: statement }, remediation });
    }
    report.warn('missing', { bucket }, { evidence: { ...base, statements: policy.parsed.policy.statements.length, suggestedStatement: statement }, remediation });
  },
});
