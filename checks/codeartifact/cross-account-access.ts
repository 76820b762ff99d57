// Who outside the owner account may do what in the domain: every grantee of every Allow, with the
// actions it may perform (patterns expanded to the CodeArtifact actions they cover), as evidence
// an auditor can read. With --allowed-accounts / --org-id the list is judged: anything outside
// fails; without them each cross-account grant is a warning to review.
//
// Decision: a grant to a named account that is not in --allowed-accounts fails even when --org-id
// is given, because membership of an account in the organization cannot be verified from the
// policy; list the account in --allowed-accounts to accept it.

import { CODEARTIFACT_ACTIONS, defineCodeArtifactCheck, DOMAIN_POLICY_DOC, type Grantee, granteesOf, isOwnerGrantee, POLICY_STATE_MESSAGES, readPolicyOrSkip, shortActions, statementActions, statementEvidence, forEachPolicy } from './context.ts';
import { statementLabel } from '../../src/policy/document.ts';

const TOTAL = Object.keys(CODEARTIFACT_ACTIONS).length;

function grantedActions(g: Grantee): string[] {
  return [...new Set(g.statements.flatMap(statementActions))].sort();
}

function describeActions(actions: string[]): string {
  if (actions.length >= TOTAL) return `every CodeArtifact action (${actions.length})`;
  if (actions.length === 0) return 'no CodeArtifact action';
  return shortActions(actions).join(', ');
}

export default defineCodeArtifactCheck({
  id: 'cross-account-access',
  title: 'Other accounts get only the access they are meant to',
  severity: 'high',
  rationale:
    'The domain policy is how other accounts reach the domain (seed 004): every account, organization or principal it lets in, and what it lets them do, must be known and intended.',
  remediation:
    'Remove or narrow the statements that let in accounts outside the allowed set, or, if the access is intended, add the account to --allowed-accounts (or confine "*" with aws:PrincipalOrgID of --org-id).',
  references: [DOMAIN_POLICY_DOC, 'IAM User Guide: Cross-account policy evaluation logic'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noPolicy: 'Domain {{domain}} has no resource policy: no other account has access (only the owner {{owner}}).',
    none: 'No Allow statement grants anything to a principal ({{count}} statement(s) examined).',
    owner: '{{grantee}} (the owner account) may: {{actions}} ({{statements}}).',
    allowed: '{{grantee}} may: {{actions}} ({{statements}}); within {{within}}.',
    outside: '{{grantee}} may: {{actions}} ({{statements}}), but it is outside {{within}}.',
    granted: '{{grantee}} may: {{actions}} ({{statements}}). Review that this access is intended, or pass --allowed-accounts/--org-id to judge it.',
  },
  run: (outer) =>
    forEachPolicy(outer, async (ctx) => {
    const { target, facts, report } = ctx;
    const state = await readPolicyOrSkip(ctx);
    if (!state) return;
    const owner = await facts.ownerAccount();
    if (state.kind === 'no-policy') return report.pass('noPolicy', { domain: target.domain, owner: owner ?? 'account' }, { evidence: state.evidence });
    if (!owner) return report.skip('ownerUnknown', {}, { evidence: state.evidence });

    const grantees = granteesOf(state.policy);
    if (grantees.length === 0) return report.pass('none', { count: state.policy.statements.length }, { evidence: state.evidence });
    const allowed = new Set([owner, ...target.allowedAccounts]);
    const judged = target.allowedAccounts.length > 0 || target.orgId !== undefined;
    const within = [target.allowedAccounts.length ? `--allowed-accounts ${target.allowedAccounts.join(',')}` : '', target.orgId ? `--org-id ${target.orgId}` : ''].filter(Boolean).join(' / ');

    for (const g of grantees) {
      const actions = grantedActions(g);
      const data = { grantee: g.subject, actions: describeActions(actions), statements: g.statements.map(statementLabel).join(', '), within };
      const evidence = {
        ...state.evidence,
        grantee: g.subject,
        granteeKind: g.kind,
        accounts: g.accounts,
        organizations: g.orgIds,
        restrictions: g.restrictions,
        actions,
        actionsAsWritten: [...new Set(g.statements.flatMap((s) => s.action ?? (s.notAction ? s.notAction.map((a) => `NotAction ${a}`) : [])))],
        statements: g.statements.map(statementEvidence),
        ...(judged ? { allowedAccounts: target.allowedAccounts, orgId: target.orgId ?? null } : {}),
      };
      if (isOwnerGrantee(g, owner)) {
        report.pass('owner', data, { subject: g.subject, severity: 'info', evidence });
        continue;
      }
      if (!judged) {
        report.warn('granted', data, { subject: g.subject, evidence });
        continue;
      }
      const byAccount = g.accounts.length > 0 && g.accounts.every((a) => allowed.has(a));
      const byOrg = target.orgId !== undefined && g.orgIds.length > 0 && g.orgIds.every((o) => o === target.orgId);
      if (byAccount || byOrg) report.pass('allowed', data, { subject: g.subject, evidence: { ...evidence, within: byAccount ? 'allowed accounts' : 'organization' } });
      else report.fail('outside', data, { subject: g.subject, evidence });
    }
    }),
});
