import type { ReplicationRule } from '../ghes-s3/facts.ts';
import { bucketArn, defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

const accountOfRole = (role: string | undefined): string | undefined => /^arn:[^:]+:iam::(\d{12}):/.exec(role ?? '')?.[1];

function scopeText(rule: ReplicationRule): string {
  const f = rule.Filter;
  const prefix = f?.Prefix ?? f?.And?.Prefix ?? rule.Prefix ?? '';
  const tags = [...(f?.Tag ? [f.Tag] : []), ...(f?.And?.Tags ?? [])];
  const parts = [prefix ? `objects under "${prefix}"` : 'every object'];
  if (tags.length > 0) parts.push(`tagged ${tags.map((t) => `${t.Key}=${t.Value}`).join(' and ')}`);
  return parts.join(', ');
}

export default defineS3StorageCheck({
  id: 'replication',
  title: 'Replication of package objects (informational)',
  severity: 'info',
  rationale:
    'Replication copies every package GHES writes to another bucket. For a copy in another account to be usable by that account (e.g. as a disaster-recovery copy), the replicas must be owned by the destination account; otherwise they stay owned by the source account and the destination cannot read or manage them through its own policies.',
  remediation:
    'For cross-account replication set AccessControlTranslation Owner=Destination (with the destination Account) in the rule, or enable Object Ownership "Bucket owner enforced" on the destination bucket.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'Amazon S3 User Guide: Replicating objects', 'Amazon S3 User Guide: Changing the replica owner', 'Amazon S3 API Reference: GetBucketReplication'],
  messages: {
    none: 'No replication configuration on {{bucket}}: package objects are not copied to another bucket.',
    sameAccount: 'Rule "{{rule}}" replicates {{scope}} to {{destination}} in the same account ({{account}}); storage class {{storageClass}}, delete markers {{deleteMarkers}}.',
    accountUnstated:
      'Rule "{{rule}}" replicates {{scope}} to {{destination}}; the rule names no destination account, so it is treated as the same account (replicas stay owned by {{source}}); storage class {{storageClass}}, delete markers {{deleteMarkers}}.',
    crossAccount: 'Rule "{{rule}}" replicates {{scope}} to {{destination}} in account {{account}} and makes that account the replicas\' owner (AccessControlTranslation Owner=Destination); storage class {{storageClass}}, delete markers {{deleteMarkers}}.',
    crossAccountNoOverride:
      'Rule "{{rule}}" replicates {{scope}} to {{destination}} in account {{account}} without AccessControlTranslation Owner=Destination: the replicas stay owned by {{source}}, so account {{account}} cannot use them through its own policies unless its bucket enforces bucket-owner ownership.',
    disabled: 'Rule "{{rule}}" (to {{destination}}) is disabled: nothing is replicated by it.',
  },
  async run({ target, facts, report }) {
    const config = await facts.replication();
    const resource = bucketArn(target.bucket);
    const api = 's3:GetReplicationConfiguration';
    if (!config || (config.Rules ?? []).length === 0) return report.pass('none', { bucket: target.bucket }, { evidence: { api, resource, replicationConfiguration: null } });
    const source = accountOfRole(config.Role);
    for (const [i, rule] of (config.Rules ?? []).entries()) {
      const ruleId = rule.ID ?? `#${i + 1}`;
      const dest = rule.Destination;
      const account = dest?.Account;
      const data = {
        rule: ruleId,
        scope: scopeText(rule),
        destination: dest?.Bucket ?? '(no destination)',
        account: account ?? source ?? 'unknown',
        source: source ? `account ${source}` : 'the source account',
        storageClass: dest?.StorageClass ?? 'as the source',
        deleteMarkers: rule.DeleteMarkerReplication?.Status === 'Enabled' ? 'replicated' : 'not replicated',
      };
      const evidence = { api, resource, role: config.Role, sourceAccount: source ?? null, rule };
      // One subject (the bucket) on every run: the rules combine into one result (engine onePerSubject), named in its messages.
      if (rule.Status !== 'Enabled') report.pass('disabled', data, { evidence });
      else if (!account) report.pass('accountUnstated', data, { evidence });
      else if (source && account === source) report.pass('sameAccount', data, { evidence });
      else if (dest?.AccessControlTranslation?.Owner === 'Destination') report.pass('crossAccount', data, { evidence });
      else report.warn('crossAccountNoOverride', data, { evidence, severity: 'medium' });
    }
  },
});
