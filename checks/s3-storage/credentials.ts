import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

export default defineS3StorageCheck({
  id: 'credentials',
  title: 'AWS credentials resolve to an identity',
  severity: 'high',
  rationale: 'Every other finding is about what this identity (or the one given with --principal-arn or --role-arn) can see and do; it must be known and must not be the account root user.',
  remediation: 'Use an IAM user with a static access key for GHES Packages (Packages supports only static keys) and for GitHub Actions with access keys, or an IAM role trusted through OpenID Connect for Actions; never the root user.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'AWS STS API Reference: GetCallerIdentity'],
  messages: {
    ok: 'Signed in as {{arn}} in account {{account}}.',
    root: 'The credentials belong to the root user of account {{account}}. Create an IAM user for GHES and for this check instead.',
  },
  async run({ facts, report }) {
    const id = await facts.callerIdentity();
    const evidence = { api: 'sts:GetCallerIdentity', arn: id.arn, account: id.account, userId: id.userId };
    // The subject is the target (the default), not the caller's ARN: an ARN is unknown exactly when STS fails.
    if (/:root$/.test(id.arn)) return report.warn('root', { ...id }, { evidence });
    report.pass('ok', { ...id }, { evidence });
  },
});
