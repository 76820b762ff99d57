import type { IntelligentTieringConfig, LifecycleRule, Tag } from '../ghes-s3/facts.ts';
import { explainFactError, isFactError } from '../../src/engine/fact-error.ts';
import type { Severity } from '../../src/model.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';

// Which objects a lifecycle rule (or Intelligent-Tiering configuration) touches, as far as GHES is
// concerned. GHES does not document its key layout and may change it between versions, and the
// bucket is dedicated to it, so:
// - no prefix (empty filter, or a size range only)  → `all`: it certainly matches package objects
//   (packages come in every size, from a few bytes of metadata to multi-GB container layers);
// - a non-empty prefix                               → `prefix`: it may or may not match GHES keys;
//   the tool cannot tell, so it warns and asks for a check of the prefix (never a pass);
// - any tag in the filter                            → `tagged`: GHES writes untagged objects (its
//   documented permissions lack s3:PutObjectTagging, which a tagged upload needs), so the rule
//   reaches packages only if something else tags them.
type Reach = 'all' | 'prefix' | 'tagged';

interface Scope {
  prefix: string;
  tags: Tag[];
  minSize?: number;
  maxSize?: number;
}

function lifecycleScope(rule: LifecycleRule): Scope {
  const f = rule.Filter;
  if (!f) return { prefix: rule.Prefix ?? '', tags: [] };
  if (f.And) return { prefix: f.And.Prefix ?? '', tags: f.And.Tags ?? [], minSize: f.And.ObjectSizeGreaterThan, maxSize: f.And.ObjectSizeLessThan };
  return { prefix: f.Prefix ?? '', tags: f.Tag ? [f.Tag] : [], minSize: f.ObjectSizeGreaterThan, maxSize: f.ObjectSizeLessThan };
}

function tieringScope(c: IntelligentTieringConfig): Scope {
  const f = c.filter;
  if (!f) return { prefix: '', tags: [] };
  if (f.And) return { prefix: f.And.Prefix ?? '', tags: f.And.Tags ?? [] };
  return { prefix: f.Prefix ?? '', tags: f.Tag ? [f.Tag] : [] };
}

const reachOf = (s: Scope): Reach => (s.tags.length > 0 ? 'tagged' : s.prefix !== '' ? 'prefix' : 'all');
const tagsText = (tags: Tag[]): string => tags.map((t) => `${t.Key}=${t.Value}`).join(' and ');

function scopeText(s: Scope): string {
  const parts = [s.prefix ? `objects under "${s.prefix}"` : 'every object'];
  if (s.tags.length > 0) parts.push(`tagged ${tagsText(s.tags)}`);
  if (s.minSize !== undefined) parts.push(`larger than ${s.minSize} bytes`);
  if (s.maxSize !== undefined) parts.push(`smaller than ${s.maxSize} bytes`);
  return parts.join(', ');
}

const daysText = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;
const whenText = (t: { Days?: number; Date?: Date }): string => (t.Date ? `on ${new Date(t.Date).toISOString().slice(0, 10)}` : `after ${daysText(t.Days ?? 0)}`);

// Storage classes a lifecycle transition can name (Amazon S3 User Guide, "Transitioning objects
// using Amazon S3 Lifecycle"). GLACIER (Flexible Retrieval) and DEEP_ARCHIVE objects must be
// restored before GetObject works (InvalidObjectState); the others are read directly.
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
const READABLE_CLASSES: Record<string, string> = {
  STANDARD_IA: 'Standard-IA bills a per-GB retrieval fee on every download and a 30-day minimum storage duration.',
  ONEZONE_IA: 'One Zone-IA bills a per-GB retrieval fee and a 30-day minimum, and keeps the data in a single Availability Zone (lost if that zone is).',
  GLACIER_IR: 'Glacier Instant Retrieval bills a higher per-GB retrieval fee and a 90-day minimum storage duration.',
  INTELLIGENT_TIERING: 'Intelligent-Tiering has no retrieval fee (a small monitoring fee per object); its optional archive tiers are checked separately.',
};
const INTELLIGENT_TIERING_ARCHIVE_TIERS = new Set(['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']);

interface Finding {
  status: 'pass' | 'warn' | 'fail';
  messageId: string;
  data: Record<string, unknown>;
  action: Record<string, unknown>;
  severity?: Severity;
}

const RISK_IDS = { expires: { all: 'expiresAll', prefix: 'expiresPrefix', tagged: 'expiresTagged' }, archives: { all: 'archivesAll', prefix: 'archivesPrefix', tagged: 'archivesTagged' } } as const;

/** How a rule whose effect reaches `reach` of the bucket is judged: certain → fail, possible → warn, only via someone else's tags → low warn. */
function risk(kind: 'expires' | 'archives', reach: Reach, data: Record<string, unknown>, action: Record<string, unknown>): Finding {
  const messageId = RISK_IDS[kind][reach];
  if (reach === 'all') return { status: 'fail', messageId, data, action };
  return { status: 'warn', messageId, data, action, severity: reach === 'tagged' ? 'low' : 'high' };
}

/** What one rule does to objects GHES reads (current versions), one finding per action that matters. */
function judgeRule(rule: LifecycleRule, scope: Scope): Finding[] {
  const reach = reachOf(scope);
  const base = { rule: rule.ID ?? '(no id)', scope: scopeText(scope), prefix: scope.prefix, tags: tagsText(scope.tags) };
  const findings: Finding[] = [];
  const exp = rule.Expiration;
  if (exp && (exp.Days !== undefined || exp.Date !== undefined)) {
    findings.push(risk('expires', reach, { ...base, when: whenText(exp) }, { Expiration: exp }));
  }
  for (const t of rule.Transitions ?? []) {
    const storageClass = t.StorageClass ?? 'unknown';
    const data = { ...base, when: whenText(t), storageClass };
    if (ARCHIVE_CLASSES.has(storageClass)) findings.push(risk('archives', reach, data, { Transition: t }));
    else if (storageClass in READABLE_CLASSES) findings.push({ status: 'pass', messageId: 'readableTransition', data: { ...data, costNote: READABLE_CLASSES[storageClass] }, action: { Transition: t } });
    else findings.push({ status: 'warn', messageId: 'unknownClass', data, action: { Transition: t } });
  }
  if (findings.length > 0) return findings;
  const other: string[] = [];
  if (rule.NoncurrentVersionExpiration) other.push('expiring noncurrent versions');
  if (rule.NoncurrentVersionTransitions?.length) other.push('transitioning noncurrent versions');
  if (exp?.ExpiredObjectDeleteMarker) other.push('removing expired delete markers');
  if (rule.AbortIncompleteMultipartUpload) other.push('aborting incomplete multipart uploads');
  const action = { NoncurrentVersionExpiration: rule.NoncurrentVersionExpiration, NoncurrentVersionTransitions: rule.NoncurrentVersionTransitions, Expiration: exp, AbortIncompleteMultipartUpload: rule.AbortIncompleteMultipartUpload };
  return [{ status: 'pass', messageId: 'currentUntouched', data: { ...base, what: other.length > 0 ? other.join(', ') : 'nothing S3 acts on' }, action }];
}

const verdictText = (f: Finding): string => `${f.status} (${f.messageId})`;

export default defineS3StorageCheck({
  id: 'lifecycle-rules',
  title: 'Lifecycle rules neither delete nor archive package objects',
  severity: 'critical',
  rationale:
    'GHES keeps every package version in the bucket and deletes objects itself. A lifecycle rule that expires current objects deletes packages from under GHES; one that moves them to S3 Glacier Flexible Retrieval or Deep Archive (or an Intelligent-Tiering archive tier) makes GetObject fail with InvalidObjectState until someone restores them.',
  remediation:
    'Remove Expiration (Days/Date) and GLACIER/DEEP_ARCHIVE transitions of current objects from rules that cover the GHES bucket; keep only noncurrent-version, expired-delete-marker and AbortIncompleteMultipartUpload actions, or transition to a directly readable class (Standard-IA, Glacier Instant Retrieval, Intelligent-Tiering without archive tiers).',
  references: [
    GHES_STORAGE_DOC,
    'Amazon S3 User Guide: Managing your storage lifecycle',
    'Amazon S3 User Guide: Transitioning objects using Amazon S3 Lifecycle',
    'Amazon S3 User Guide: Configuring a bucket lifecycle configuration to delete incomplete multipart uploads',
    'Amazon S3 User Guide: Managing storage costs with Amazon S3 Intelligent-Tiering (archive access tiers)',
    'Amazon S3 API Reference: GetBucketLifecycleConfiguration, ListBucketIntelligentTieringConfigurations',
  ],
  messages: {
    none: 'No lifecycle configuration on {{bucket}}: no rule expires or archives package objects.',
    expiresAll: 'Rule "{{rule}}" expires current objects ({{scope}}) {{when}}: S3 would delete GHES packages from under it.',
    expiresPrefix:
      'Rule "{{rule}}" expires current objects under "{{prefix}}" {{when}}. GHES does not document its key layout, so packages may be stored there: confirm that GHES writes nothing under "{{prefix}}" (aws s3 ls s3://{{bucket}}/{{prefix}}) or remove the expiration.',
    expiresTagged:
      'Rule "{{rule}}" expires current objects tagged {{tags}} ({{scope}}) {{when}}. GHES uploads untagged objects, so it deletes packages only if something else tags them.',
    archivesAll:
      'Rule "{{rule}}" moves current objects ({{scope}}) to {{storageClass}} {{when}}: GHES cannot read archived objects (GetObject answers InvalidObjectState until restored), so package downloads would fail.',
    archivesPrefix:
      'Rule "{{rule}}" moves current objects under "{{prefix}}" to {{storageClass}} {{when}}. GHES does not document its key layout: if it stores packages there, their downloads fail with InvalidObjectState. Confirm the prefix holds no GHES objects or transition to a readable class.',
    archivesTagged:
      'Rule "{{rule}}" moves current objects tagged {{tags}} to {{storageClass}} {{when}}. GHES uploads untagged objects, so this reaches packages only if something else tags them.',
    readableTransition: 'Rule "{{rule}}" moves current objects ({{scope}}) to {{storageClass}} {{when}}; they stay directly readable by GHES. Cost note: {{costNote}}',
    unknownClass: 'Rule "{{rule}}" moves current objects ({{scope}}) to {{storageClass}} {{when}}, a storage class this tool does not know; confirm that GetObject reads it without a restore.',
    currentUntouched: 'Rule "{{rule}}" ({{scope}}) leaves current objects alone: it only does {{what}}.',
    disabled: 'Rule "{{rule}}" ({{scope}}) is disabled, so it does nothing now and is not judged; enabled, it would be: {{verdicts}}.',
    abortPresent: 'Rule "{{rule}}" aborts incomplete multipart uploads after {{days}} for the whole bucket.',
    abortMissing:
      'No enabled rule aborts incomplete multipart uploads for the whole bucket. GHES uploads large packages in parts; the parts of uploads that never complete are stored and billed until aborted. Add a rule with an empty filter and AbortIncompleteMultipartUpload (e.g. 7 days).',
    abortPartial:
      'Incomplete multipart uploads are aborted only under {{prefixes}} (rule {{rules}}); GHES uploads elsewhere are not cleaned up. Add a rule with an empty filter and AbortIncompleteMultipartUpload (e.g. 7 days).',
    itNone: 'No S3 Intelligent-Tiering configuration on {{bucket}}: no object can move to an archive access tier.',
    itArchive:
      'Intelligent-Tiering configuration "{{config}}" moves objects ({{scope}}) not read for {{days}} to {{tier}}: archived objects need a restore before GetObject works, so GHES downloads of rarely used packages would fail with InvalidObjectState. It applies to objects in the INTELLIGENT_TIERING storage class{{via}}.',
    itDisabled: 'Intelligent-Tiering configuration "{{config}}" is disabled; enabled, it would move objects ({{scope}}) to {{tiers}}.',
    itNoArchive: 'Intelligent-Tiering configuration "{{config}}" names no archive access tier; objects stay directly readable.',
    itUnreadable: 'The Intelligent-Tiering configurations could not be read, so archive tiers were not checked: {{why}}',
  },
  // Three aspects on every run; each rule and each Intelligent-Tiering configuration is named in the
  // messages of its aspect (several combine into one result), never a subject of its own.
  subjects: () => ['rules', 'abort-incomplete-multipart', 'intelligent-tiering'],
  async run({ target, facts, report }) {
    const arn = bucketArn(target.bucket);
    const api = 's3:GetLifecycleConfiguration';
    const rules = await facts.lifecycleRules();

    if (rules === null || rules.length === 0) {
      report.pass('none', { bucket: target.bucket }, { subject: 'rules', evidence: { api, resource: arn, lifecycleConfiguration: null } });
    }
    const abortRules: Array<{ rule: string; prefix: string; days: number }> = [];
    for (const [i, rule] of (rules ?? []).entries()) {
      const scope = lifecycleScope(rule);
      const ruleId = rule.ID ?? `#${i + 1}`;
      const subject = 'rules';
      const evidence = { api, resource: arn, ruleId: rule.ID ?? null, status: rule.Status, filter: rule.Filter ?? (rule.Prefix !== undefined ? { Prefix: rule.Prefix } : {}) };
      const findings = judgeRule(rule, scope);
      if (rule.Status !== 'Enabled') {
        report.pass('disabled', { rule: ruleId, scope: scopeText(scope), verdicts: findings.map(verdictText) }, { subject, evidence: { ...evidence, wouldDo: findings.map((f) => ({ status: f.status, messageId: f.messageId, ...f.action })) }, severity: 'info' });
        continue;
      }
      if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
        abortRules.push({ rule: ruleId, prefix: scope.prefix, days: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation });
      }
      for (const f of findings) {
        report[f.status](f.messageId, { bucket: target.bucket, ...f.data, rule: ruleId }, { subject, evidence: { ...evidence, action: f.action }, ...(f.severity ? { severity: f.severity } : {}) });
      }
    }

    const abortEvidence = { api, resource: arn, abortRules };
    const whole = abortRules.find((r) => r.prefix === '');
    if (whole) report.pass('abortPresent', { rule: whole.rule, days: daysText(whole.days) }, { subject: 'abort-incomplete-multipart', evidence: abortEvidence, severity: 'info' });
    else if (abortRules.length > 0) {
      report.warn('abortPartial', { prefixes: abortRules.map((r) => `"${r.prefix}"`), rules: abortRules.map((r) => r.rule) }, { subject: 'abort-incomplete-multipart', evidence: abortEvidence, severity: 'low' });
    } else report.warn('abortMissing', {}, { subject: 'abort-incomplete-multipart', evidence: abortEvidence, severity: 'low' });

    // Intelligent-Tiering archive tiers: a separate S3 API (and fact). A failure to read them is an
    // error for that part only; the lifecycle verdicts above stand.
    let configs: IntelligentTieringConfig[];
    const itApi = 's3:GetIntelligentTieringConfiguration';
    try {
      configs = await facts.intelligentTiering();
    } catch (e) {
      if (!isFactError(e)) throw e;
      return report.error('itUnreadable', { why: explainFactError(e.info) }, { subject: 'intelligent-tiering', evidence: { ...e.info } });
    }
    if (configs.length === 0) {
      return report.pass('itNone', { bucket: target.bucket }, { subject: 'intelligent-tiering', evidence: { api: itApi, resource: arn, configurations: [] } });
    }
    const feedingRules = (rules ?? []).flatMap((r, i) => (r.Status === 'Enabled' && (r.Transitions ?? []).some((t) => t.StorageClass === 'INTELLIGENT_TIERING') ? [r.ID ?? `#${i + 1}`] : []));
    const via = feedingRules.length > 0 ? `; lifecycle rule ${feedingRules.map((r) => `"${r}"`).join(', ')} moves objects there` : '; no lifecycle rule moves objects there today, but any later transition or upload in that class would be archived';
    for (const c of configs) {
      const scope = tieringScope(c);
      const subject = 'intelligent-tiering';
      const archive = c.tierings.filter((t) => INTELLIGENT_TIERING_ARCHIVE_TIERS.has(t.accessTier)).sort((a, b) => a.days - b.days);
      const evidence = { api: itApi, resource: arn, configurationId: c.id, status: c.status, filter: c.filter ?? {}, tierings: c.tierings, reach: reachOf(scope) };
      if (archive.length === 0) {
        report.pass('itNoArchive', { config: c.id }, { subject, evidence });
      } else if (c.status !== 'Enabled') {
        report.pass('itDisabled', { config: c.id, scope: scopeText(scope), tiers: archive.map((t) => `${t.accessTier} after ${daysText(t.days)}`) }, { subject, evidence, severity: 'info' });
      } else {
        report.warn('itArchive', { config: c.id, scope: scopeText(scope), days: daysText(archive[0].days), tier: archive.map((t) => `${t.accessTier} (${daysText(t.days)})`).join(', then '), via }, { subject, evidence: { ...evidence, feedingRules }, severity: 'high' });
      }
    }
  },
});
