import { sameBucket } from '../../src/config/bucket.ts';
import { defineGhesS3Check, GHES_STORAGE_DOC } from './context.ts';

export default defineGhesS3Check({
  id: 'dedicated-bucket',
  title: 'Packages bucket is not the Actions bucket',
  severity: 'high',
  rationale: 'GHES requires separate buckets for Packages and for GitHub Actions storage; sharing one mixes lifecycles and permissions.',
  remediation: 'Create a dedicated bucket for Packages and point the GHES Packages storage settings at it.',
  references: [GHES_STORAGE_DOC],
  messages: {
    same: 'Packages and Actions both use bucket {{bucket}}. Use a dedicated bucket for Packages.',
    different: 'Packages ({{bucket}}) and Actions ({{actions}}) use different buckets.',
    noActions: 'Not checked: no Actions bucket given (pass --actions-bucket, or use --from-ghe-config).',
  },
  run({ target, report }) {
    if (!target.actionsBucket) return report.skip('noActions');
    const evidence = { packagesBucket: target.bucket, actionsBucket: target.actionsBucket };
    if (sameBucket(target.bucket, target.actionsBucket)) return report.fail('same', { bucket: target.bucket }, { evidence });
    report.pass('different', { bucket: target.bucket, actions: target.actionsBucket }, { evidence });
  },
});
