// Default encryption of the storage bucket (Packages or Actions): SSE-S3, SSE-KMS (with the key), DSSE-KMS, or none.
// Since January 2023 AWS encrypts every new object with SSE-S3 when nothing else is configured and
// GetBucketEncryption reports it; "none" therefore usually means an S3-compatible store or an
// emulator, and packages would be stored unencrypted unless the store encrypts on its own.
// With SSE-KMS, GHES also needs kms:GenerateDataKey and kms:Decrypt: the kms-access check tests that.

import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';
import { whereabouts } from './_exposure.ts';

export default defineS3StorageCheck({
  id: 'bucket-encryption',
  title: 'The storage bucket has default encryption',
  severity: 'medium',
  rationale:
    'Packages and Actions artifacts often hold proprietary code. Default encryption makes S3 encrypt every object GHES writes at rest; SSE-KMS additionally puts reads behind a key policy and CloudTrail records of key use.',
  remediation:
    'Set default encryption on the bucket: SSE-S3 (aws s3api put-bucket-encryption --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}\') or SSE-KMS with a key GHES may use.',
  references: [
    'Amazon S3 User Guide: Setting default server-side encryption behavior for Amazon S3 buckets',
    'Amazon S3 User Guide: Using server-side encryption with AWS KMS keys (SSE-KMS)',
    'Amazon S3 User Guide: Using dual-layer server-side encryption with AWS KMS keys (DSSE-KMS)',
    GHES_STORAGE_DOC,
  ],
  messages: {
    sseS3: 'Bucket {{bucket}} encrypts new objects by default with SSE-S3 (AES256, keys managed by S3).',
    sseKms: 'Bucket {{bucket}} encrypts new objects by default with SSE-KMS, key {{key}}{{bucketKey}}. GHES needs kms:GenerateDataKey and kms:Decrypt on it (see kms-access).',
    dsseKms: 'Bucket {{bucket}} encrypts new objects by default with DSSE-KMS (two layers), key {{key}}. GHES needs kms:GenerateDataKey and kms:Decrypt on it (see kms-access).',
    other: 'Bucket {{bucket}} reports default encryption {{algorithm}}, which this tool does not recognise; check that it is SSE-S3, SSE-KMS or DSSE-KMS.',
    none: 'Bucket {{bucket}} has no default encryption configured, so packages may be stored unencrypted (AWS applies SSE-S3 to every bucket since 2023; an S3-compatible store may not). Set default encryption (see the fix).',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    const enc = await facts.encryption();
    const where = await whereabouts(ctx);
    const evidence = {
      api: 's3:GetEncryptionConfiguration',
      resource: bucketArn(bucket),
      account: where.account,
      region: where.region,
      configured: enc.configured,
      algorithm: enc.algorithm ?? null,
      kmsKeyId: enc.kmsKeyId ?? null,
      bucketKeyEnabled: enc.bucketKeyEnabled ?? null,
      rules: enc.rules,
    };
    if (!enc.configured || !enc.algorithm) return report.warn('none', { bucket }, { evidence });
    const key = enc.kmsKeyId ?? 'the AWS managed key aws/s3 (no key named)';
    switch (enc.algorithm) {
      case 'AES256':
        return report.pass('sseS3', { bucket }, { evidence });
      case 'aws:kms':
        return report.pass('sseKms', { bucket, key, bucketKey: enc.bucketKeyEnabled ? ', with an S3 Bucket Key' : '' }, { evidence });
      case 'aws:kms:dsse':
        return report.pass('dsseKms', { bucket, key }, { evidence });
      default:
        return report.warn('other', { bucket, algorithm: enc.algorithm }, { evidence });
    }
  },
});
