// Versioning and the lifecycle rules that keep it bounded (informational: pass or warn).
// GHES deletes package objects when packages or versions are deleted; on a versioned bucket a
// delete only adds a delete marker and keeps the old object as a noncurrent version, billed
// forever unless a lifecycle rule expires noncurrent versions.

import { bucketArn, defineS3StorageCheck } from './context.ts';
import type { GhesS3Facts } from '../ghes-s3/facts.ts';
import { whereabouts } from './_exposure.ts';

type LifecycleRule = NonNullable<Awaited<ReturnType<GhesS3Facts['lifecycleRules']>>>[number];

/** null when the rule applies to the whole bucket; otherwise what limits it, in words. */
function scopeOf(rule: LifecycleRule): string | null {
  const parts: string[] = [];
  const f = rule.Filter;
  if (rule.Prefix) parts.push(`prefix "${rule.Prefix}"`);
  if (f?.Prefix) parts.push(`prefix "${f.Prefix}"`);
  if (f?.Tag) parts.push(`tag ${f.Tag.Key}=${f.Tag.Value}`);
  if (f?.ObjectSizeGreaterThan !== undefined) parts.push(`objects larger than ${f.ObjectSizeGreaterThan} bytes`);
  if (f?.ObjectSizeLessThan !== undefined) parts.push(`objects smaller than ${f.ObjectSizeLessThan} bytes`);
  const and = f?.And;
  if (and?.Prefix) parts.push(`prefix "${and.Prefix}"`);
  for (const t of and?.Tags ?? []) parts.push(`tag ${t.Key}=${t.Value}`);
  if (and?.ObjectSizeGreaterThan !== undefined) parts.push(`objects larger than ${and.ObjectSizeGreaterThan} bytes`);
  if (and?.ObjectSizeLessThan !== undefined) parts.push(`objects smaller than ${and.ObjectSizeLessThan} bytes`);
  return parts.length ? parts.join(' and ') : null;
}

const expiresNoncurrent = (rule: LifecycleRule): boolean => rule.Status === 'Enabled' && rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined;
const ruleName = (rule: LifecycleRule, i: number): string => (rule.ID ? `rule "${rule.ID}"` : `rule #${i + 1}`);

export default defineS3StorageCheck({
  id: 'bucket-versioning',
  title: 'Versioning does not keep deleted packages (and their cost) forever',
  severity: 'low',
  rationale:
    'GHES deletes objects when packages are deleted. With versioning on, S3 keeps each deleted or overwritten object as a noncurrent version, so storage (and cost) only grows unless a lifecycle rule expires noncurrent versions. Versioning is not needed by GHES; it is fine on or off when bounded.',
  remediation:
    'Either leave versioning off, or add a lifecycle rule for the whole bucket that expires noncurrent versions (NoncurrentVersionExpiration, e.g. after 30 days) and removes expired delete markers (Expiration.ExpiredObjectDeleteMarker).',
  references: [
    'Amazon S3 User Guide: Retaining multiple versions of objects with S3 Versioning',
    'Amazon S3 User Guide: Managing the lifecycle of objects (NoncurrentVersionExpiration)',
    'Amazon S3 User Guide: Deleting object versions from a versioning-enabled bucket (delete markers)',
  ],
  messages: {
    off: 'Versioning has never been enabled on bucket {{bucket}}: objects GHES deletes are removed, nothing accumulates.',
    bounded: 'Versioning is {{status}} on bucket {{bucket}} and {{rule}} expires noncurrent versions after {{days}} day(s) for the whole bucket, so deleted packages do not accumulate.',
    unbounded: 'Versioning is enabled on bucket {{bucket}} and no lifecycle rule expires noncurrent versions: every package GHES deletes or overwrites stays stored (and billed) forever. Add a NoncurrentVersionExpiration rule (see the fix).',
    suspendedUnbounded:
      'Versioning is suspended on bucket {{bucket}} and no lifecycle rule expires noncurrent versions: versions kept while it was enabled stay stored (and billed) forever. Add a NoncurrentVersionExpiration rule (see the fix).',
    scoped: 'Versioning is {{status}} on bucket {{bucket}}, but the rules that expire noncurrent versions cover only part of it ({{scopes}}): noncurrent versions elsewhere stay forever. Add a rule for the whole bucket (see the fix).',
    fixLifecycle: '{{command}} (merge with the bucket\'s existing rules: this call replaces them all).',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    const versioning = await facts.versioning();
    const where = await whereabouts(ctx);
    const base = { api: ['s3:GetBucketVersioning', 's3:GetLifecycleConfiguration'], resource: bucketArn(bucket), account: where.account, region: where.region, versioning: versioning.status, mfaDelete: versioning.mfaDelete ?? null };
    if (versioning.status === 'Never') return report.pass('off', { bucket }, { evidence: { ...base, api: 's3:GetBucketVersioning' } });
    const rules = await facts.lifecycleRules();
    const status = versioning.status === 'Enabled' ? 'enabled' : 'suspended';
    const expiring = (rules ?? []).map((r, i) => ({ rule: r, name: ruleName(r, i), scope: scopeOf(r) })).filter((x) => expiresNoncurrent(x.rule));
    const evidence = { ...base, lifecycleRules: rules ?? 'not configured (NoSuchLifecycleConfiguration)', noncurrentExpiringRules: expiring.map((x) => ({ rule: x.name, scope: x.scope ?? 'whole bucket', noncurrentDays: x.rule.NoncurrentVersionExpiration?.NoncurrentDays })) };
    const remediation = {
      message: 'fixLifecycle',
      data: { command: `aws s3api put-bucket-lifecycle-configuration --bucket ${bucket} --lifecycle-configuration '{"Rules":[{"ID":"expire-noncurrent-versions","Status":"Enabled","Filter":{},"NoncurrentVersionExpiration":{"NoncurrentDays":30},"Expiration":{"ExpiredObjectDeleteMarker":true}}]}'` },
    };
    const whole = expiring.find((x) => x.scope === null);
    if (whole) return report.pass('bounded', { bucket, status, rule: whole.name, days: whole.rule.NoncurrentVersionExpiration?.NoncurrentDays }, { evidence });
    if (expiring.length > 0) return report.warn('scoped', { bucket, status, scopes: expiring.map((x) => `${x.name}: ${x.scope}`).join('; ') }, { evidence, remediation });
    report.warn(versioning.status === 'Enabled' ? 'unbounded' : 'suspendedUnbounded', { bucket }, { evidence, remediation });
  },
});
