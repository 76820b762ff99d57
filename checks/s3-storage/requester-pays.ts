import { bucketArn, defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

export default defineS3StorageCheck({
  id: 'requester-pays',
  title: 'The bucket is not a Requester Pays bucket',
  severity: 'high',
  rationale:
    'S3 refuses every request to a Requester Pays bucket that lacks the x-amz-request-payer header (403 AccessDenied), and the GHES storage settings have no way to send it: package uploads and downloads would fail.',
  remediation: 'Set the bucket\'s request payment to the bucket owner (aws s3api put-bucket-request-payment --request-payment-configuration Payer=BucketOwner).',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'Amazon S3 User Guide: Using Requester Pays buckets for storage transfers and usage', 'Amazon S3 API Reference: GetBucketRequestPayment'],
  messages: {
    owner: 'Bucket {{bucket}} is paid by its owner (Payer=BucketOwner): GHES requests need no x-amz-request-payer header.',
    requester: 'Bucket {{bucket}} is a Requester Pays bucket (Payer=Requester): S3 refuses GHES requests, which carry no x-amz-request-payer header.',
    notReported: 'Not evaluated: the endpoint answered GetBucketRequestPayment without naming a payer (AWS always names one; S3-compatible stores and emulators may not implement Requester Pays).',
    unknown: 'GetBucketRequestPayment answered Payer="{{payer}}", which is neither BucketOwner nor Requester; the setting could not be verified.',
  },
  async run({ target, facts, report }) {
    const { payer } = await facts.requestPayment();
    const evidence = { api: 's3:GetBucketRequestPayment', resource: bucketArn(target.bucket), payer };
    // Never read a missing answer as "owner pays" (that would be a pass without evidence).
    if (payer === null) return report.skip('notReported', {}, { evidence });
    if (payer === 'BucketOwner') return report.pass('owner', { bucket: target.bucket }, { evidence });
    if (payer === 'Requester') return report.fail('requester', { bucket: target.bucket }, { evidence });
    report.error('unknown', { payer: String(payer) }, { evidence });
  },
});
