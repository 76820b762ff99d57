// The bucket policy, analysed by the project itself with AWS's meaning of "public"
// (src/policy/public.ts). GetBucketPolicyStatus is not used: it is AWS's verdict at best, the
// emulator answers {} for it, and an empty status must never read as "private".
//
// - pass: no bucket policy, or no statement makes it public and none grants to another account.
// - fail: a public Allow, unless RestrictPublicBuckets is effectively on. RestrictPublicBuckets
//   unknown (a level unreadable) keeps the statement `fail` (never assumed on).
// - warn: a public Allow neutralised by an effective RestrictPublicBuckets (still remove it); grants
//   to other AWS accounts (named).
// - error: the policy cannot be read or parsed (never a crash, never a pass).

import { analyzeResourcePolicy } from '../../src/policy/public.ts';
import { bucketArn, defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';
import { describeSetting, isAws, readBpaLevels, readOr, settingEvidence, whereabouts } from './_exposure.ts';

export default defineS3StorageCheck({
  id: 'bucket-policy',
  title: 'The bucket policy does not make the storage bucket public',
  severity: 'critical',
  rationale:
    'GHES requires its storage bucket (Packages or Actions) to stay private: a bucket policy that grants to everyone (Principal "*" without a fixed-value condition such as aws:SourceVpce or aws:PrincipalOrgID, a Federated principal, a broad aws:SourceIp) exposes every package to the internet.',
  remediation:
    'Remove the public statement from the bucket policy (aws s3api put-bucket-policy / delete-bucket-policy), or restrict it with a fixed-value condition (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, a narrow aws:SourceIp); keep RestrictPublicBuckets on.',
  references: [
    "Amazon S3 User Guide: The meaning of 'public'",
    'Amazon S3 User Guide: Blocking public access to your Amazon S3 storage',
    'Amazon S3 User Guide: Bucket policy examples',
    GHES_STORAGE_DOC,
  ],
  messages: {
    none: 'Bucket {{bucket}} has no bucket policy: access is governed by IAM policies (and the ACL) only.',
    private: 'The bucket policy of {{bucket}} is not public: {{count}} statement(s), every Allow names fixed principals or fixed-value conditions{{fixed}}.',
    public:
      'The bucket policy of {{bucket}} is public: {{label}}: {{reasons}} RestrictPublicBuckets is {{rpb}}, so the statement is in effect. Remove it or restrict it to fixed values (e.g. aws:SourceVpce of the GHES VPC endpoint).',
    publicUnknown:
      'The bucket policy of {{bucket}} is public: {{label}}: {{reasons}} RestrictPublicBuckets is {{rpb}}, so whether S3 neutralises the statement could not be established and it counts as in effect. Remove it or restrict it to fixed values.',
    publicNeutralised:
      'The bucket policy of {{bucket}} has a public statement, {{label}}: {{reasons}} RestrictPublicBuckets is {{rpb}}, so S3 limits it to AWS service principals and the owner account today; remove it anyway, it becomes public the moment that setting is turned off.',
    crossAccount:
      'The bucket policy of {{bucket}} grants access to other AWS accounts: {{accounts}}. GHES needs no cross-account access; remove these grants unless each one is intended.{{restricted}}',
    crossAccountOwnerUnknown:
      'The bucket policy of {{bucket}} names AWS accounts {{accounts}}; the bucket owner\'s account could not be confirmed ({{why}}), so some may be the owner itself. GHES needs no cross-account access; check that each is intended.',
    noCrossAccount: 'The bucket policy of {{bucket}} grants nothing to other AWS accounts.',
    unparseable: 'The bucket policy of {{bucket}} could not be parsed ({{error}}), so it could not be checked for public access. Fix the policy document (S3 normally rejects such a policy, so check what wrote it).',
  },
  // Two aspects on every run; public statements are named in the messages (several combine into one result).
  subjects: () => ['public', 'cross-account'],
  async run(ctx) {
    const { target, facts, report } = ctx;
    const bucket = target.bucket;
    const resource = bucketArn(bucket);
    const policy = await facts.bucketPolicy();
    const where = await whereabouts(ctx);
    const base = { api: 's3:GetBucketPolicy', resource, account: where.account, region: where.region, analysis: "packages-preflight's own analysis (AWS \"The meaning of 'public'\"); GetBucketPolicyStatus is not relied on" };
    if (!policy.present) return report.pass('none', { bucket }, { evidence: { ...base, policy: null } });
    if (!policy.parsed?.ok) {
      const error = policy.parsed?.ok === false ? policy.parsed.error : 'no parse result';
      return report.error('unparseable', { bucket, error }, { evidence: { ...base, code: 'MalformedPolicy', error, policyText: policy.text } });
    }

    // Whose account counts as "other": the checker's, once HeadBucket with ExpectedBucketOwner confirms it owns the bucket.
    let ownerWhy = '';
    const owned = where.account ? await readOr(() => facts.bucketOwnedBy(where.account!), 'unknown' as const, (e) => (ownerWhy = `${e.api}: ${e.code}`)) : 'unknown';
    if (!where.account) ownerWhy = 'sts:GetCallerIdentity could not be read';
    else if (owned === 'no') ownerWhy = `the bucket is not owned by the checker's account ${where.account}`;
    else if (owned === 'unknown' && !ownerWhy) ownerWhy = 'HeadBucket with ExpectedBucketOwner was not possible';
    const ownerAccount = owned === 'yes' ? (where.account ?? undefined) : undefined;

    const analysis = analyzeResourcePolicy(policy.parsed.policy, { ownerAccount, bucket });
    const levels = analysis.publicStatements.length > 0 && isAws(ctx) ? await readBpaLevels(ctx) : undefined;
    const rpb = levels?.effective.effective.RestrictPublicBuckets ?? false;
    const rpbText = levels ? describeSetting(levels, 'RestrictPublicBuckets') : 'not available (S3-compatible store without Block Public Access)';

    for (const s of analysis.publicStatements) {
      const data = { bucket, label: s.label, reasons: s.reasons.map((r) => r.text).join(' '), rpb: rpbText };
      const evidence = {
        ...base,
        statementLabel: s.label,
        statement: s.statement,
        reasons: s.reasons,
        restrictPublicBuckets: levels ? settingEvidence(levels, 'RestrictPublicBuckets') : { effective: false, why: 'S3-compatible store: no Block Public Access' },
      };
      const opts = { subject: 'public', evidence };
      if (rpb === true) report.warn('publicNeutralised', data, { ...opts, severity: 'medium' });
      else if (rpb === 'unknown') report.fail('publicUnknown', data, opts);
      else report.fail('public', data, opts);
    }

    if (analysis.crossAccountGrants.length > 0) {
      const accounts = [...new Set(analysis.crossAccountGrants.map((g) => g.account))];
      const grants = analysis.crossAccountGrants.map((g) => ({ account: g.account, principals: g.principals, via: g.via, statementLabel: g.label, actions: g.actions, notActions: g.notActions, statement: g.statement }));
      const evidence = { ...base, ownerAccount: ownerAccount ?? null, otherAccounts: accounts, grants };
      const opts = { subject: 'cross-account', evidence, severity: 'medium' as const };
      const named = accounts.map((a) => `${a} (${analysis.crossAccountGrants.filter((g) => g.account === a).map((g) => g.label).join(', ')})`).join(', ');
      if (!ownerAccount) report.warn('crossAccountOwnerUnknown', { bucket, accounts: named, why: ownerWhy }, opts);
      else {
        const restricted = analysis.publicStatements.length > 0 && rpb === true ? ' While RestrictPublicBuckets is on and the policy is public, these grants do not work either.' : '';
        report.warn('crossAccount', { bucket, accounts: named, restricted }, opts);
      }
    }

    if (analysis.publicStatements.length === 0) {
      const fixed = analysis.fixedStatements.length ? ` (${analysis.fixedStatements.map((f) => `${f.label} limited by ${f.fixedBy.join(', ')}`).join('; ')})` : '';
      report.pass('private', { bucket, count: policy.parsed.policy.statements.length, fixed }, {
        subject: 'public',
        evidence: { ...base, policy: policy.parsed.policy.raw, fixedStatements: analysis.fixedStatements.map((f) => ({ statementLabel: f.label, fixedBy: f.fixedBy, statement: f.statement })) },
      });
    }
    if (analysis.crossAccountGrants.length === 0) report.pass('noCrossAccount', { bucket }, { subject: 'cross-account', evidence: { ...base, ownerAccount: ownerAccount ?? null } });
  },
});
