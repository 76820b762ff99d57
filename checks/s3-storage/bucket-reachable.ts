import { explainFactError } from '../../src/engine/fact-error.ts';
import { bucketArn, defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

export default defineS3StorageCheck({
  id: 'bucket-reachable',
  title: 'The storage bucket exists and answers',
  severity: 'critical',
  rationale: 'GHES stores every package (or Actions artifact, log and cache) in this bucket; a missing or unreachable bucket makes Packages (or Actions) fail at the first upload.',
  remediation: 'Create the bucket (in the region of the service URL) or correct the bucket name in the GHES storage settings.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'Amazon S3 API Reference: HeadBucket (x-amz-bucket-region)', 'Amazon S3 API Reference: GetBucketLocation'],
  messages: {
    found: 'Bucket {{bucket}} exists in {{region}}.',
    missing: 'Bucket {{bucket}} does not exist. Create it or fix the bucket name.',
    forbiddenRegion: 'Bucket {{bucket}} exists in {{region}}, but HeadBucket is denied to the checker, so reachability was not verified with these credentials.',
    forbidden: 'Bucket {{bucket}} exists, but HeadBucket is denied to the checker and AWS did not say its region; grant s3:ListBucket on {{arn}} to the checker.',
    unconfirmed:
      'HeadBucket answered 200 for {{bucket}} without the x-amz-bucket-region header S3 always sends, and GetBucketLocation could not confirm the bucket ({{why}}): the answer may not come from S3 (e.g. a proxy). Check the network path to the endpoint.',
  },
  async run({ target, facts, report }) {
    const head = await facts.bucketHead();
    const arn = bucketArn(target.bucket);
    const base = { api: 's3:HeadBucket', resource: arn };
    if (head.status === 'not-found') return report.fail('missing', { bucket: target.bucket }, { evidence: { ...base, httpStatus: 404 } });
    if (head.status === 'forbidden') {
      const evidence = { ...base, httpStatus: 403, region: head.region, requestId: head.requestId };
      if (head.region) return report.warn('forbiddenRegion', { bucket: target.bucket, region: head.region }, { evidence });
      return report.error('forbidden', { bucket: target.bucket, arn }, { evidence });
    }
    // A 200 to HEAD proves little by itself (any web server answers it): the region, from the header or GetBucketLocation, confirms S3 answered.
    if (!head.region) return report.error('unconfirmed', { bucket: target.bucket, why: head.regionError ? explainFactError(head.regionError) : 'no region' }, { evidence: { ...base, httpStatus: 200, regionError: head.regionError } });
    report.pass('found', { bucket: target.bucket, region: head.region }, { evidence: { ...base, region: head.region, regionFrom: head.regionFrom } });
  },
});
