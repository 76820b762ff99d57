// Object Ownership: BucketOwnerEnforced disables ACLs, so no ACL (on the bucket or on an object
// someone uploads) can make a package public or leave it owned by another account. AWS's default
// for new buckets since April 2023; GHES applies no ACLs, so it works unchanged with ACLs disabled.

import { bucketArn, defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';
import { isAws, whereabouts } from './_exposure.ts';

export default defineS3StorageCheck({
  id: 'object-ownership',
  title: 'ACLs are disabled on the storage bucket (Object Ownership: BucketOwnerEnforced)',
  severity: 'medium',
  rationale:
    'With Object Ownership BucketOwnerEnforced S3 disables ACLs: the bucket owner owns every object and only policies decide access, so no ACL can expose a package. It is AWS\'s default for new buckets since 2023, and GHES, which applies no ACLs, needs nothing else.',
  remediation: 'Set Object Ownership to BucketOwnerEnforced (aws s3api put-bucket-ownership-controls --ownership-controls \'Rules=[{ObjectOwnership=BucketOwnerEnforced}]\') after resetting the bucket ACL to private.',
  references: ['Amazon S3 User Guide: Controlling ownership of objects and disabling ACLs', 'Amazon S3 User Guide: Access control list (ACL) overview', GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC],
  messages: {
    enforced: 'Bucket {{bucket}} has Object Ownership BucketOwnerEnforced: ACLs are disabled and the bucket owner owns every object.',
    aclsEnabled:
      'Bucket {{bucket}} has Object Ownership {{ownership}}: ACLs are still in force, so an ACL on the bucket or on an object can grant access outside the bucket policy. GHES needs no ACLs: set BucketOwnerEnforced (AWS\'s default for new buckets since 2023).',
    notConfigured:
      'Bucket {{bucket}} has no Object Ownership setting, which means ObjectWriter: ACLs are in force and objects uploaded by another account belong to that account. GHES needs no ACLs: set BucketOwnerEnforced (AWS\'s default for new buckets since 2023).',
    notAws: 'Not applicable: {{url}} is an S3-compatible store, which has no S3 Object Ownership setting.',
    fixEnforceOwner: 'Reset the ACL ({{resetCommand}}), then: {{ownershipCommand}}.',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    if (!isAws(ctx)) return report.skip('notAws', { url: target.serviceEndpoint?.url }, { evidence: { serviceUrl: target.serviceUrl, kind: target.serviceEndpoint?.kind } });
    const ownership = await facts.ownershipControls();
    const where = await whereabouts(ctx);
    const evidence = { api: 's3:GetBucketOwnershipControls', resource: bucketArn(bucket), account: where.account, region: where.region, objectOwnership: ownership ?? 'not configured (OwnershipControlsNotFoundError)' };
    const remediation = {
      message: 'fixEnforceOwner',
      data: { resetCommand: `aws s3api put-bucket-acl --bucket ${bucket} --acl private`, ownershipCommand: `aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'` },
    };
    if (ownership === 'BucketOwnerEnforced') return report.pass('enforced', { bucket }, { evidence });
    if (ownership === null) return report.warn('notConfigured', { bucket }, { evidence, remediation });
    report.warn('aclsEnabled', { bucket, ownership }, { evidence, remediation });
  },
});
