// Which principals can read, publish or administer which repository, from the domain policy and
// every repository policy together (./_access-matrix.ts has the documented interaction and its
// sources). Every cross-account principal that any cell opens is judged against --allowed-accounts
// / --org-id: outside → fail, naming the statements that open it; inside → pass; neither flag →
// warn (review). A cell that depends on a context key not known here counts as open (a missing key
// never hides a grant). The full matrix is in the report (JSON `accessMatrix`, a Markdown table).

import { FactError } from '../../src/engine/fact-error.ts';
import { type AccessRow, buildMatrix, INTERACTION, MATRIX_ACTIONS, matrixInputs } from './_access-matrix.ts';
import { defineCodeArtifactCheck, DOMAIN_POLICY_DOC, IDENTITY_ASSUMPTION, POLICY_STATE_MESSAGES, REPOSITORY_POLICY_DOC, repositorySubject } from './context.ts';

const opened = (row: AccessRow) => MATRIX_ACTIONS.filter((a) => row[a].decision !== 'deny');

export default defineCodeArtifactCheck({
  id: 'effective-access',
  title: 'Who can read, publish and administer each repository is intended',
  severity: 'high',
  rationale:
    'Access to a repository is decided by the domain policy and the repository policy together: either can open it. Only the combination answers "which accounts can read or publish what"; a repository policy can open a repository to an account the domain policy never names.',
  remediation:
    'Remove or narrow the statements named in the finding (domain or repository policy), or, if the access is intended, add the account to --allowed-accounts (or confine "*" with aws:PrincipalOrgID of --org-id).',
  references: [DOMAIN_POLICY_DOC, REPOSITORY_POLICY_DOC, 'IAM User Guide: Cross-account policy evaluation logic'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    unreadable: 'Not checked: the access of domain {{domain}} cannot be combined ({{code}}: {{error}}).',
    noRepositories: 'Domain {{domain}} has no repositories: nobody can read or publish anything yet.',
    noCrossAccount: 'No principal outside the owner account can read, publish or administer any repository of the domain (repositories checked: {{count}}).',
    within: '{{principal}} can {{actions}} repository {{repository}} ({{statements}}); within {{within}}.',
    outside: '{{principal}} can {{actions}} repository {{repository}}, opened by {{statements}}, but it is outside {{within}}.',
    review: '{{principal}} can {{actions}} repository {{repository}} ({{statements}}). Review that this is intended, or pass --allowed-accounts/--org-id to judge it. Its own account must also allow it in an identity policy, which this tool cannot see.',
  },
  async run(ctx) {
    const { target, report } = ctx;
    let inputs;
    try {
      inputs = await matrixInputs(ctx);
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      return report.error('unreadable', { domain: target.domain, code: e.info.code ?? 'error', error: e.info.message }, { evidence: { ...e.info } });
    }
    const { domainState } = inputs;
    if (domainState.kind === 'no-domain') return report.skip('noDomain', { domain: target.domain }, { evidence: domainState.evidence });
    if (domainState.kind === 'invalid') return report.skip('invalidPolicy', { error: domainState.error }, { evidence: domainState.evidence });
    const matrix = buildMatrix(ctx, inputs);
    for (const u of matrix.unreadable) report.error('repositoryUnreadable', { repository: u.repository, code: u.code, error: u.message }, { subject: repositorySubject(u.repository), evidence: u });
    if (matrix.repositories.length === 0) return report.pass('noRepositories', { domain: target.domain }, { evidence: domainState.evidence });
    if (!inputs.owner && matrix.rows.some((r) => r.accounts.length > 0)) return report.skip('ownerUnknown', {}, { evidence: domainState.evidence });

    const allowed = new Set([inputs.owner, ...target.allowedAccounts]);
    const judged = target.allowedAccounts.length > 0 || target.orgId !== undefined;
    const within = [target.allowedAccounts.length ? `--allowed-accounts ${target.allowedAccounts.join(',')}` : '', target.orgId ? `--org-id ${target.orgId}` : ''].filter(Boolean).join(' / ');
    let crossAccount = 0;
    for (const row of matrix.rows) {
      if (!row.crossAccount) continue;
      const actions = opened(row);
      if (actions.length === 0) continue;
      crossAccount += 1;
      const statements = [...new Set(actions.flatMap((a) => row[a].statements))];
      const data = {
        principal: row.principal,
        repository: row.repository,
        actions: actions.map((a) => (row[a].decision === 'depends' ? `${a} (depending on ${row[a].missingContextKeys?.join(', ') ?? 'context'})` : a)).join(', '),
        statements: statements.join(', ') || 'no single statement',
        within,
      };
      const evidence = {
        ...domainState.evidence,
        principal: row.principal,
        principalKind: row.kind,
        accounts: row.accounts,
        organizations: row.orgIds,
        repository: row.repository,
        read: row.read,
        publish: row.publish,
        admin: row.admin,
        interaction: INTERACTION,
        identitySide: matrix.identitySide ?? IDENTITY_ASSUMPTION,
        ...(judged ? { allowedAccounts: target.allowedAccounts, orgId: target.orgId ?? null } : {}),
      };
      const subject = repositorySubject(row.repository, row.principal);
      if (!judged) {
        report.warn('review', data, { subject, evidence });
        continue;
      }
      const byAccount = row.accounts.length > 0 && row.accounts.every((a) => allowed.has(a));
      const byOrg = target.orgId !== undefined && row.orgIds.length > 0 && row.orgIds.every((o) => o === target.orgId);
      if (byAccount || byOrg) report.pass('within', data, { subject, evidence });
      else report.fail('outside', data, { subject, evidence });
    }
    // With a repository unreadable, "nobody else" is not known: its error stands alone.
    if (crossAccount === 0 && matrix.unreadable.length === 0) report.pass('noCrossAccount', { count: matrix.repositories.length }, { evidence: domainState.evidence });
  },
});
