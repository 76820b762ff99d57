// Effective S3 Block Public Access for the storage bucket: account level (S3 Control) combined
// with bucket level, the most restrictive wins (src/s3/acl.ts effectiveBlockPublicAccess).
//
// Decisions (see the reply of the exposure work and README):
// - pass: all four settings effectively on.
// - warn: some off at both levels, nothing in the bucket public: name them; GHES needs none off.
// - fail: some off AND the bucket is public in a way an off setting would neutralise
//   (a public policy statement with RestrictPublicBuckets off, a public ACL grant with
//   IgnorePublicAcls off and ACLs enabled). The public finding itself is reported by bucket-policy /
//   bucket-acl; this result says which BPA setting would stop it at once. `fail`, not `warn`: the
//   control exists to stop exactly this, it is not stopping it, and its result must stand on its
//   own in a filtered report or next to a waiver of the other finding.
// - error: neither level readable; or one level unreadable and a setting is not on at the readable
//   level (the verdict would be pass, warn or fail depending on the unreadable level: never assumed
//   on); or settings off and whether anything is public could not be read.
// - skip: an S3-compatible store (no Block Public Access there).

import type { BpaSetting } from '../../src/s3/acl.ts';
import { analyzeAclGrants, BPA_SETTINGS } from '../../src/s3/acl.ts';
import { analyzeResourcePolicy } from '../../src/policy/public.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC, type S3StorageContext } from './context.ts';
import { describeSetting, isAws, readBpaLevels, readOr, unreadableLevels, unreadableWhy, whereabouts } from './_exposure.ts';

const enableAll = (bucket: string) => ({
  message: 'fixEnableAll',
  data: { command: `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`, accountCommand: 'aws s3control put-public-access-block' },
});

const joinList = (items: string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

interface Exposure {
  check: 'bucket-policy' | 'bucket-acl';
  what: string;
  neutralisedBy: BpaSetting;
}

/** What is public today that an off setting would neutralise, and what could not be read. Only reads what an off setting makes relevant. */
async function exposuresFor(ctx: S3StorageContext, off: BpaSetting[]): Promise<{ exposed: Exposure[]; unknown: string[] }> {
  const { facts, target } = ctx;
  const exposed: Exposure[] = [];
  const unknown: string[] = [];
  if (off.includes('RestrictPublicBuckets')) {
    let why = '';
    const policy = await readOr(() => facts.bucketPolicy(), null, (e) => (why = `s3:GetBucketPolicy: ${e.code}`));
    if (policy === null) unknown.push(`the bucket policy could not be read (${why})`);
    else if (policy.present && !policy.parsed?.ok) unknown.push(`the bucket policy could not be parsed (${policy.parsed?.ok === false ? policy.parsed.error : 'no parse result'})`);
    else if (policy.present && policy.parsed?.ok) {
      for (const s of analyzeResourcePolicy(policy.parsed.policy, { bucket: target.bucket }).publicStatements) {
        exposed.push({ check: 'bucket-policy', what: `bucket policy ${s.label} is public`, neutralisedBy: 'RestrictPublicBuckets' });
      }
    }
  }
  if (off.includes('IgnorePublicAcls')) {
    let why = '';
    const acl = await readOr(() => facts.bucketAcl(), null, (e) => (why = `s3:GetBucketAcl: ${e.code}`));
    if (acl === null) unknown.push(`the bucket ACL could not be read (${why})`);
    else {
      const publicGrants = analyzeAclGrants(acl.grants, acl.ownerId).publicGrants;
      if (publicGrants.length > 0) {
        let whyOwnership = '';
        const ownership = await readOr(() => facts.ownershipControls(), 'unreadable' as const, (e) => (whyOwnership = `s3:GetBucketOwnershipControls: ${e.code}`));
        if (ownership === 'unreadable') unknown.push(`the bucket ACL grants to ${joinList(publicGrants.map((g) => g.grantee))} and Object Ownership could not be read (${whyOwnership}) to tell whether ACLs are disabled`);
        else if (ownership !== 'BucketOwnerEnforced') {
          for (const g of publicGrants) exposed.push({ check: 'bucket-acl', what: `the bucket ACL grants ${g.permission} to ${g.grantee}`, neutralisedBy: 'IgnorePublicAcls' });
        }
      }
    }
  }
  return { exposed, unknown };
}

export default defineS3StorageCheck({
  id: 'public-access-block',
  title: 'S3 Block Public Access is on for the storage bucket',
  severity: 'high',
  rationale:
    'GHES applies no ACLs to what it writes and the bucket must stay private; Block Public Access is the guard that keeps a later policy or ACL mistake from exposing every package. Account and bucket settings combine, the most restrictive wins, and GHES needs none of the four off.',
  remediation:
    'Turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets for the bucket (aws s3api put-public-access-block) or for the whole account (aws s3control put-public-access-block).',
  references: [
    'Amazon S3 User Guide: Blocking public access to your Amazon S3 storage',
    "Amazon S3 User Guide: The meaning of 'public'",
    'Amazon S3 Control API Reference: GetPublicAccessBlock (account level)',
    'Amazon S3 API Reference: GetPublicAccessBlock (bucket level)',
    GHES_STORAGE_DOC,
  ],
  messages: {
    allOn: 'All four Block Public Access settings are effectively on for bucket {{bucket}}: {{detail}}.',
    someOff:
      'Block Public Access is not fully on for bucket {{bucket}}; off at both the account and the bucket level: {{off}}. Nothing in the bucket is public today, but nothing would stop a later public policy or ACL. GHES needs none of these settings off: turn them on.',
    exposed:
      'Bucket {{bucket}} is public and Block Public Access does not stop it: {{exposures}}. Turning on {{neutralisers}} (bucket or account level) neutralises this at once; off now: {{off}}, and GHES needs none of the four off. The public grant itself is reported by {{checks}}: remove it too.',
    exposureUnknown:
      'Block Public Access is not fully on for bucket {{bucket}} ({{off}} off at both levels) and whether anything is public could not be determined: {{why}}. Turn the settings on (GHES needs none of them off) and grant the checker the missing read permission.',
    dependsOnUnreadable:
      'Block Public Access for bucket {{bucket}} could not be established: not on at the {{readable}} level: {{unknown}}; and the {{unreadable}} level could not be read ({{why}}). The verdict depends on it; no setting is assumed on. Grant the checker s3:GetAccountPublicAccessBlock and s3:GetBucketPublicAccessBlock (and run it from the bucket owner\'s account), or turn all four on at the {{readable}} level.',
    unreadable:
      'Neither level of Block Public Access could be read for bucket {{bucket}} ({{why}}). Grant the checker s3:GetAccountPublicAccessBlock and s3:GetBucketPublicAccessBlock, and run it from the bucket owner\'s account.',
    notAws: 'Not applicable: {{url}} is an S3-compatible store, which has no S3 Block Public Access; keep the bucket private with the store\'s own access settings.',
    fixEnableAll: 'Turn on all four Block Public Access settings for the bucket: {{command}} (or at the account level with {{accountCommand}}). GHES storage (Packages and Actions) needs none of them off.',
  },
  async run(ctx) {
    const { target, report } = ctx;
    const bucket = target.bucket;
    if (!isAws(ctx)) return report.skip('notAws', { url: target.serviceEndpoint?.url }, { evidence: { serviceUrl: target.serviceUrl, kind: target.serviceEndpoint?.kind } });
    const levels = await readBpaLevels(ctx);
    const where = await whereabouts(ctx);
    const evidence = {
      api: ['s3:GetAccountPublicAccessBlock', 's3:GetBucketPublicAccessBlock'],
      resource: bucketArn(bucket),
      account: levels.accountId ?? where.account,
      region: where.region,
      bucketOwnedByChecker: levels.ownedByCaller,
      levels: levels.evidence,
      effective: levels.effective.effective,
      sources: levels.effective.sources,
    };
    const remediation = enableAll(bucket);
    const unreadable = unreadableLevels(levels);
    if (unreadable.length === 2) return report.error('unreadable', { bucket, why: unreadableWhy(levels) }, { evidence });

    const off = BPA_SETTINGS.filter((k) => levels.effective.effective[k] === false);
    const unknown = BPA_SETTINGS.filter((k) => levels.effective.effective[k] === 'unknown');
    if (off.length === 0 && unknown.length === 0) {
      const detail = BPA_SETTINGS.map((k) => `${k} ${describeSetting(levels, k)}`).join(', ');
      return report.pass('allOn', { bucket, detail }, { evidence });
    }
    if (unknown.length > 0) {
      // Only possible with one level unreadable: a setting is then on (at the readable level) or unknown, never off.
      return report.error(
        'dependsOnUnreadable',
        { bucket, unknown: joinList(unknown), readable: levels.account === 'unreadable' ? 'bucket' : 'account', unreadable: unreadable.join(' and '), why: unreadableWhy(levels) },
        { evidence: { ...evidence, unknownSettings: unknown } },
      );
    }
    const { exposed, unknown: unassessed } = await exposuresFor(ctx, off);
    if (exposed.length > 0) {
      const neutralisers = [...new Set(exposed.map((e) => e.neutralisedBy))];
      const checks = [...new Set(exposed.map((e) => e.check))];
      return report.fail(
        'exposed',
        { bucket, exposures: exposed.map((e) => e.what).join('; '), neutralisers: joinList(neutralisers), off: joinList(off), checks: joinList(checks) },
        { evidence: { ...evidence, offSettings: off, exposures: exposed }, remediation },
      );
    }
    if (unassessed.length > 0) {
      return report.error('exposureUnknown', { bucket, off: joinList(off), why: unassessed.join('; ') }, { evidence: { ...evidence, offSettings: off, notAssessed: unassessed } });
    }
    report.warn('someOff', { bucket, off: joinList(off) }, { evidence: { ...evidence, offSettings: off }, remediation });
  },
});
