// Does any Allow let in everyone? Seed 004's organization pattern grants to Principal "*" and
// confines it with aws:PrincipalOrgID; without such a condition "*" means anyone with an AWS
// account (FACTS.md: "A `*` principal without such a condition is public").
//
// Decision: only an organization or account condition (aws:PrincipalOrgID, aws:PrincipalAccount,
// aws:PrincipalOrgPaths, with fixed values and a positive operator: the rules of
// src/policy/public.ts) makes a broad principal acceptable here. Other keys that AWS counts as
// non-public for S3 (aws:SourceVpce, aws:SourceIp, ...) limit where a request comes from, not
// whose it is, and still fail, with that said in the message.

import { statementLabel } from '../../src/policy/document.ts';
import { isPublicStatement, restrictsToOrgOrAccounts } from '../../src/policy/public.ts';
import { defineCodeArtifactCheck, DOMAIN_POLICY_DOC, POLICY_STATE_MESSAGES, readPolicyOrSkip, statementEvidence, forEachPolicy } from './context.ts';

export default defineCodeArtifactCheck({
  id: 'public-principal',
  title: 'No statement grants the domain to everyone',
  severity: 'critical',
  rationale:
    'An Allow to Principal "*" without an organization or account condition lets any AWS account fetch tokens, read packages or create repositories in the domain.',
  remediation:
    'Add "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-…"]}} (seed 004) or name the accounts in Principal; `packages-preflight codeartifact policy --org-id o-…` prints such a policy.',
  references: [DOMAIN_POLICY_DOC, 'Amazon S3 User Guide: The meaning of "public"', 'IAM User Guide: AWS global condition context keys (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalOrgPaths)'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noPolicy: 'Domain {{domain}} has no resource policy: nobody outside the owner account is let in.',
    noBroad: 'No Allow statement has a broad principal ({{count}} statement(s) examined); every grant names its principals.',
    restricted: '{{statement}} grants to {{principal}}, confined by {{keys}} = {{values}}.',
    public: '{{statement}} grants {{actions}} to {{principal}} with no organization or account condition: {{reasons}}',
    notOrgRestricted: '{{statement}} grants {{actions}} to {{principal}}, limited only by {{fixedBy}}, which restricts where requests come from, not whose they are; add aws:PrincipalOrgID or aws:PrincipalAccount.',
  },
  run: (outer) =>
    forEachPolicy(outer, async (ctx) => {
    const { report } = ctx;
    const state = await readPolicyOrSkip(ctx, { noPolicy: 'pass' });
    if (!state) return;
    let broad = 0;
    for (const stmt of state.policy.statements) {
      const verdict = isPublicStatement(stmt);
      if (verdict.reasons.length === 0) continue;
      broad += 1;
      const principal = stmt.notPrincipal ? `everyone except ${JSON.stringify(stmt.notPrincipal)}` : JSON.stringify(stmt.principal === undefined ? null : stmt.principal['*'] ? '*' : stmt.principal);
      const actions = stmt.action ?? (stmt.notAction ? [`every action except ${stmt.notAction.join(', ')}`] : []);
      const subject = statementLabel(stmt);
      const evidence = { ...state.evidence, ...statementEvidence(stmt), reasons: verdict.reasons.map((r) => r.text) };
      const restriction = stmt.notPrincipal ? { restricted: false, keys: [], values: [] } : restrictsToOrgOrAccounts(stmt);
      if (restriction.restricted) {
        report.pass('restricted', { statement: subject, principal, keys: restriction.keys, values: restriction.values }, { subject, evidence: { ...evidence, restrictedBy: restriction } });
      } else if (!verdict.public) {
        report.fail('notOrgRestricted', { statement: subject, principal, actions, fixedBy: verdict.fixedBy }, { subject, evidence: { ...evidence, fixedBy: verdict.fixedBy } });
      } else {
        report.fail('public', { statement: subject, principal, actions, reasons: verdict.reasons.map((r) => r.text).join(' ') }, { subject, evidence });
      }
    }
    if (broad === 0) report.pass('noBroad', { count: state.policy.statements.length }, { evidence: state.evidence });
    }),
});
