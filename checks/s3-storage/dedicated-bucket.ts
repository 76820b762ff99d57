// GHES needs separate buckets for Packages and for Actions: checked from either side (ghes-s3 with
// --actions-bucket, ghes-actions-s3 with --packages-bucket), with the same id and messages.

import { sameBucket } from '../../src/config/bucket.ts';
import { defineS3StorageCheck, featureOf, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC, otherStorage } from './context.ts';

export default defineS3StorageCheck({
  id: 'dedicated-bucket',
  title: 'Packages and Actions do not share a bucket',
  severity: 'high',
  rationale: 'GHES requires separate buckets for Packages and for GitHub Actions storage; sharing one mixes lifecycles and permissions.',
  remediation: 'Create a dedicated bucket for each feature and point the GHES Packages and Actions storage settings at different buckets.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC],
  messages: {
    same: 'Packages and Actions both use bucket {{bucket}}. Use a dedicated bucket for {{feature}}.',
    different: 'Packages ({{packages}}) and Actions ({{actions}}) use different buckets.',
    noActions: 'Not checked: no Actions bucket given (pass --actions-bucket, or use --from-ghe-config).',
    noPackages: 'Not checked: no Packages bucket given (pass --packages-bucket, or use --from-ghe-config).',
  },
  run({ target, report }) {
    const other = otherStorage(target);
    if (!other.bucket) return report.skip(other.feature === 'Actions' ? 'noActions' : 'noPackages');
    const [packages, actions] = other.feature === 'Actions' ? [target.bucket, other.bucket] : [other.bucket, target.bucket];
    const evidence = { packagesBucket: packages, actionsBucket: actions };
    if (sameBucket(packages, actions)) return report.fail('same', { bucket: target.bucket, feature: featureOf(target) }, { evidence });
    report.pass('different', { packages, actions }, { evidence });
  },
});
