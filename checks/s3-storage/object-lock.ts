import { bucketArn, defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

/** The default retention period in days (S3 takes either Days or Years; a year counts as 365 days here). */
function retentionDays(lock: { days?: number; years?: number }): number | undefined {
  if (lock.days) return lock.days;
  if (lock.years) return lock.years * 365;
  return undefined;
}

export default defineS3StorageCheck({
  id: 'object-lock',
  title: 'Object Lock does not keep GHES from deleting or uploading packages',
  severity: 'medium',
  rationale:
    'With Object Lock, a DeleteObject without a version id only adds a delete marker: the package version stays, and while it is under retention nobody can remove it (in COMPLIANCE mode not even the root user), so storage GHES "deleted" is billed until the retention ends. Uploads to a bucket with Object Lock must also carry a Content-MD5 or x-amz-checksum-* header.',
  remediation:
    'Use a bucket without Object Lock for GHES storage, or keep the default retention short (GOVERNANCE mode, or COMPLIANCE no longer than your retention policy, see --max-retention-days) and confirm that your GHES version sends Content-MD5 or a checksum header on uploads.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'Amazon S3 User Guide: Locking objects with Object Lock', 'Amazon S3 API Reference: GetObjectLockConfiguration'],
  messages: {
    off: 'Object Lock is not enabled on {{bucket}}: GHES deletions remove package objects.',
    on:
      'Object Lock is enabled on {{bucket}} ({{retention}}). GHES deletions only add delete markers; locked versions cannot be removed before their retention ends and stay billed; and every upload needs a Content-MD5 or x-amz-checksum-* header, or S3 refuses it.',
    complianceTooLong:
      'The default retention is COMPLIANCE for {{days}} days, longer than --max-retention-days {{max}}: every package version GHES writes stays, undeletable by anyone, for {{days}} days.',
    complianceWithin: 'The default retention is COMPLIANCE for {{days}} days, within --max-retention-days {{max}}.',
    governanceTooLong:
      'The default retention is GOVERNANCE for {{days}} days, longer than --max-retention-days {{max}}; only a principal with s3:BypassGovernanceRetention (which GHES does not have) can delete earlier.',
    governanceWithin: 'The default retention is GOVERNANCE for {{days}} days, within --max-retention-days {{max}}.',
    noMax: 'The default retention ({{mode}}, {{days}} days) was not compared with a limit: pass --max-retention-days to check it.',
    noDefaultRetention: 'No default retention applies to new objects ({{why}}).',
  },
  subjects: () => ['object-lock', 'default-retention'],
  async run({ target, facts, report }) {
    const lock = await facts.objectLock();
    const evidence = { api: 's3:GetBucketObjectLockConfiguration', resource: bucketArn(target.bucket), objectLockEnabled: lock.enabled, mode: lock.mode ?? null, days: lock.days ?? null, years: lock.years ?? null };
    if (!lock.enabled) {
      report.pass('off', { bucket: target.bucket }, { subject: 'object-lock', evidence });
      return report.skip('noDefaultRetention', { why: 'Object Lock is off' }, { subject: 'default-retention', evidence, severity: 'info' });
    }
    const days = retentionDays(lock);
    const retention = lock.mode && days !== undefined ? `default retention ${lock.mode} for ${days} days` : 'no default retention';
    report.warn('on', { bucket: target.bucket, retention }, { subject: 'object-lock', evidence });
    if (!lock.mode || days === undefined) return report.skip('noDefaultRetention', { why: 'Object Lock is on without a default retention' }, { subject: 'default-retention', evidence, severity: 'info' });

    const max = target.maxRetentionDays;
    const retentionEvidence = { ...evidence, retentionDays: days, maxRetentionDays: max ?? null };
    if (max === undefined) return report.skip('noMax', { mode: lock.mode, days }, { subject: 'default-retention', evidence: retentionEvidence });
    const data = { days, max };
    if (lock.mode === 'COMPLIANCE') {
      if (days > max) return report.fail('complianceTooLong', data, { subject: 'default-retention', evidence: retentionEvidence, severity: 'high' });
      return report.pass('complianceWithin', data, { subject: 'default-retention', evidence: retentionEvidence });
    }
    if (days > max) return report.warn('governanceTooLong', data, { subject: 'default-retention', evidence: retentionEvidence });
    report.pass('governanceWithin', data, { subject: 'default-retention', evidence: retentionEvidence });
  },
});
