// The bucket ACL (src/s3/acl.ts analyzeAclGrants).
//
// - fail: a grant to AllUsers or AuthenticatedUsers, unless IgnorePublicAcls is effectively on or
//   Object Ownership is BucketOwnerEnforced. IgnorePublicAcls unknown (a level unreadable) or
//   Object Ownership unreadable keep it `fail` (a neutraliser is never assumed).
// - warn: such a grant neutralised (by IgnorePublicAcls or by ACLs being disabled): it is still
//   stored and comes back into force when the setting changes, so remove it; grants to other
//   canonical users / email grantees, and grantees this tool cannot identify.
// - pass: owner only (S3 log delivery named when present).
// - On an S3-compatible store there is no Block Public Access or Object Ownership: a public grant fails.

import { analyzeAclGrants } from '../../src/s3/acl.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';
import { describeSetting, isAws, readBpaLevels, readOr, settingEvidence, whereabouts } from './_exposure.ts';

export default defineS3StorageCheck({
  id: 'bucket-acl',
  title: 'The bucket ACL grants nothing to the public or to other accounts',
  severity: 'critical',
  rationale:
    'An ACL grant to AllUsers (anyone) or AuthenticatedUsers (any AWS account) makes the storage bucket public; GHES applies no ACLs itself, so every grant beyond the owner was added by someone and must go.',
  remediation:
    'Reset the bucket ACL to owner-only (aws s3api put-bucket-acl --bucket BUCKET --acl private), then disable ACLs with Object Ownership BucketOwnerEnforced and keep IgnorePublicAcls on.',
  references: [
    "Amazon S3 User Guide: The meaning of 'public'",
    'Amazon S3 User Guide: Access control list (ACL) overview',
    'Amazon S3 User Guide: Blocking public access to your Amazon S3 storage',
    'Amazon S3 User Guide: Controlling ownership of objects and disabling ACLs',
    GHES_STORAGE_DOC,
  ],
  messages: {
    ownerOnly: 'The ACL of bucket {{bucket}} grants access to the bucket owner only.',
    ownerOnlyNotable: 'The ACL of bucket {{bucket}} grants nothing to the public or to other accounts; it also grants: {{notable}}.',
    public: '{{text}} IgnorePublicAcls is {{ipa}} and ACLs are enabled (Object Ownership {{ownership}}), so the grant is in effect. Reset the ACL to private.',
    publicUnknown:
      '{{text}} Whether S3 ignores it could not be established (IgnorePublicAcls {{ipa}}; Object Ownership {{ownership}}), so it counts as in effect. Reset the ACL to private.',
    publicIgnored:
      '{{text}} IgnorePublicAcls is {{ipa}}, so S3 ignores the grant today; remove it anyway (reset the ACL to private): it takes effect again the moment that setting is turned off.',
    publicAclsDisabled:
      '{{text}} Object Ownership is BucketOwnerEnforced, so ACLs are disabled and the grant has no effect today; remove it anyway: it takes effect again if ACLs are re-enabled.',
    otherAccounts:
      'The ACL of bucket {{bucket}} grants access to other AWS accounts: {{grantees}}. GHES needs no cross-account access; remove these grants (reset the ACL to private).{{disabled}}',
    notPublic: 'The ACL of bucket {{bucket}} grants nothing to AllUsers or AuthenticatedUsers.',
    noOtherAccounts: 'The ACL of bucket {{bucket}} grants nothing to other AWS accounts.',
    unknownGrantees: 'The ACL of bucket {{bucket}} grants to grantees this tool does not recognise: {{grantees}}. Check them and remove any that is not intended.',
    fixResetAcl: 'Reset the ACL to owner-only: {{resetCommand}}; then disable ACLs: {{disableCommand}}.',
  },
  // Two aspects on every run; grants are named in the messages (several combine into one result).
  // Grantees this tool cannot identify count under `public` (they might be).
  subjects: () => ['public', 'other-accounts'],
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    const acl = await facts.bucketAcl();
    const where = await whereabouts(ctx);
    const analysis = analyzeAclGrants(acl.grants, acl.ownerId);
    const base = { api: 's3:GetBucketAcl', resource: bucketArn(bucket), account: where.account, region: where.region, owner: { id: acl.ownerId, displayName: acl.ownerDisplayName }, grants: acl.grants };
    const remediation = {
      message: 'fixResetAcl',
      data: { resetCommand: `aws s3api put-bucket-acl --bucket ${bucket} --acl private`, disableCommand: `aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'` },
    };

    let ownership: string | null | 'unreadable' | 'not applicable' = 'not applicable';
    let ownershipWhy = '';
    if (isAws(ctx) && (analysis.publicGrants.length > 0 || analysis.otherAccountGrants.length > 0)) {
      ownership = await readOr(() => facts.ownershipControls(), 'unreadable' as const, (e) => (ownershipWhy = `${e.api}: ${e.code}`));
    }
    const ownershipText = ownership === 'unreadable' ? `unreadable (${ownershipWhy})` : ownership === null ? 'not configured (ACLs enabled)' : ownership;
    const aclsDisabled = ownership === 'BucketOwnerEnforced';

    if (analysis.publicGrants.length > 0) {
      const levels = isAws(ctx) ? await readBpaLevels(ctx) : undefined;
      const ipa = levels?.effective.effective.IgnorePublicAcls ?? false;
      const ipaText = levels ? describeSetting(levels, 'IgnorePublicAcls') : 'not available (S3-compatible store)';
      for (const g of analysis.publicGrants) {
        const data = { bucket, text: g.text, ipa: ipaText, ownership: ownershipText };
        const evidence = {
          ...base,
          grant: g.grant,
          grantee: g.grantee,
          permission: g.permission,
          ignorePublicAcls: levels ? settingEvidence(levels, 'IgnorePublicAcls') : { effective: false, why: 'S3-compatible store: no Block Public Access' },
          objectOwnership: { api: 's3:GetBucketOwnershipControls', value: ownership },
        };
        const opts = { subject: 'public', evidence, remediation };
        if (ipa === true) report.warn('publicIgnored', data, { ...opts, severity: 'medium' });
        else if (aclsDisabled) report.warn('publicAclsDisabled', data, { ...opts, severity: 'medium' });
        else if (ipa === 'unknown' || ownership === 'unreadable') report.fail('publicUnknown', data, opts);
        else report.fail('public', data, opts);
      }
    }

    const others = analysis.otherAccountGrants;
    if (others.length > 0) {
      report.warn(
        'otherAccounts',
        { bucket, grantees: others.map((g) => `${g.grantee} (${g.permission})`).join(', '), disabled: aclsDisabled ? ' ACLs are disabled (BucketOwnerEnforced), so they have no effect today.' : '' },
        { subject: 'other-accounts', evidence: { ...base, otherAccountGrants: others.map((g) => ({ grantee: g.grantee, kind: g.kind, permission: g.permission, grant: g.grant })), objectOwnership: ownership }, remediation, severity: 'medium' },
      );
    }
    const unknownGroups = analysis.notableGrants.filter((g) => g.kind === 'UnknownGroup');
    if (unknownGroups.length > 0) {
      report.warn('unknownGrantees', { bucket, grantees: unknownGroups.map((g) => `${g.grantee} (${g.permission})`).join(', ') }, { subject: 'public', evidence: { ...base, unknownGrantees: unknownGroups.map((g) => g.grant) }, remediation, severity: 'medium' });
    }
    if (analysis.publicGrants.length === 0 && unknownGroups.length === 0) {
      const notable = analysis.notableGrants.map((g) => g.text);
      if (others.length > 0) report.pass('notPublic', { bucket }, { subject: 'public', evidence: base });
      else if (notable.length === 0) report.pass('ownerOnly', { bucket }, { subject: 'public', evidence: base });
      else report.pass('ownerOnlyNotable', { bucket, notable: notable.join(' ') }, { subject: 'public', evidence: { ...base, notableGrants: analysis.notableGrants.map((g) => g.grant) } });
    }
    if (others.length === 0) report.pass('noOtherAccounts', { bucket }, { subject: 'other-accounts', evidence: base });
  },
});
