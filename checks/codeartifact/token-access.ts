// codeartifact:GetAuthorizationToken is the door to every repository of a domain owned by another
// account (seed 004: the domain owner controls with it which accounts can read the domain). Two
// findings:
// - another account may get tokens: a reminder (warn, severity info) that its callers also need
//   sts:GetServiceBearerToken in their own identity policy (FACTS.md), which the domain policy
//   cannot grant;
// - a principal listed in --expect as using the domain is refused a token by the domain policy
//   (an explicit Deny, or, across accounts, no Allow): fail, it can reach no repository.

import { type NormalizedPolicy, statementLabel } from '../../src/policy/document.ts';
import type { ContextValue } from '../../src/policy/evaluate.ts';
import {
  arnParts,
  callerForPrincipal,
  decisionEvidence,
  defineCodeArtifactCheck,
  DOMAIN_POLICY_DOC,
  evaluateOnDomain,
  granteesOf,
  IDENTITY_ASSUMPTION,
  isOwnerGrantee,
  mayBeAllowed,
  POLICY_STATE_MESSAGES,
  readPolicyOrSkip,
} from './context.ts';

const TOKEN = 'codeartifact:GetAuthorizationToken';
const EMPTY_POLICY: NormalizedPolicy = { version: '2012-10-17', statements: [], raw: { Version: '2012-10-17', Statement: [] } };

export default defineCodeArtifactCheck({
  id: 'token-access',
  title: 'Principals that must use the domain can get an authorization token',
  severity: 'high',
  rationale:
    'Every package read or publish from another account starts with codeartifact:GetAuthorizationToken on the domain (seed 004) and sts:GetServiceBearerToken in the caller\'s own identity policy; without both, package managers get 401/403.',
  remediation:
    'Grant codeartifact:GetAuthorizationToken in the domain policy to the accounts that use the domain, and give their callers sts:GetServiceBearerToken (Condition "sts:AWSServiceName": "codeartifact.amazonaws.com") in their identity policies.',
  references: [DOMAIN_POLICY_DOC, 'AWS CodeArtifact User Guide: AWS CodeArtifact authentication and tokens (sts:GetServiceBearerToken)'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noPolicy: 'Domain {{domain}} has no resource policy: no other account may get a token.',
    noCrossAccountToken: 'No principal outside the owner account may get an authorization token.',
    reminder:
      '{{grantees}} may get authorization tokens for this domain; their callers also need sts:GetServiceBearerToken in their own identity policies, which this policy cannot grant.',
    expectOk: '{{principal}} may get an authorization token ({{how}}).',
    expectDenied: '{{principal}} is expected to use the domain but the domain policy refuses it codeartifact:GetAuthorizationToken ({{why}}), so it can reach no repository.',
    dependsOnContext: 'Whether {{principal}} may get a token depends on {{keys}}, which is not known here; pass --org-id if it is in that organization.',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const state = await readPolicyOrSkip(ctx);
    if (!state) return;
    const owner = await facts.ownerAccount();
    if (!owner && (state.kind === 'ok' || (target.expect ?? []).length > 0)) return report.skip('ownerUnknown', {}, { evidence: state.evidence });
    const policy = state.kind === 'ok' ? state.policy : EMPTY_POLICY;
    const parts = arnParts(target, owner, state.kind === 'ok' ? state.policy : undefined);
    let reported = 0;

    // Cross-account token grants: the reminder.
    if (state.kind === 'ok') {
      const holders = granteesOf(state.policy)
        .filter((g) => !isOwnerGrantee(g, owner))
        .map((g) => ({ g, e: evaluateOnDomain(state.policy, { action: TOKEN, caller: g.caller }, target, parts) }))
        .filter(({ e }) => mayBeAllowed(e.result));
      if (holders.length > 0) {
        reported += 1;
        report.warn(
          'reminder',
          { grantees: holders.map(({ g }) => g.subject).join('; ') },
          {
            subject: 'sts:GetServiceBearerToken',
            severity: 'info',
            evidence: {
              ...state.evidence,
              grantees: holders.map(({ g, e }) => ({ grantee: g.subject, statements: g.statements.map(statementLabel), ...decisionEvidence(e) })),
              identitySide: IDENTITY_ASSUMPTION,
            },
          },
        );
      }
    }

    // Principals the --expect file says use the domain: each must be able to get a token.
    const users = new Map<string, string>();
    for (const e of target.expect ?? []) if (e.expected === 'allow') users.set(e.principal, e.account);
    for (const e of target.expect ?? []) if (e.action.toLowerCase() === TOKEN.toLowerCase() && e.expected === 'deny') users.delete(e.principal);
    for (const [principal, account] of users) {
      const caller = callerForPrincipal(principal);
      if (!caller) continue; // validated in config; unreachable
      const context: Record<string, ContextValue> = target.orgId ? { 'aws:PrincipalOrgID': target.orgId } : {};
      const e = evaluateOnDomain(policy, { action: TOKEN, caller: { principal: caller, context } }, target, parts);
      const r = e.result;
      reported += 1;
      const evidence = {
        ...state.evidence,
        principal,
        account,
        crossAccount: account !== owner,
        ...decisionEvidence(e),
        identitySide: IDENTITY_ASSUMPTION,
        ...(target.orgId ? { assumedContext: { 'aws:PrincipalOrgID': `${target.orgId} (from --org-id: the principal is taken to be in this organization)` } } : {}),
        expectFile: target.expectFile,
      };
      if (r.decision === 'allowed') {
        report.pass('expectOk', { principal, how: r.sameAccount ? 'same account: its identity policy decides, and the domain policy does not deny' : `allowed by ${evidence.decidedBy.join(', ')}` }, { subject: principal, evidence });
      } else if (r.decision === 'implicitDeny' && r.missingContextKeys.length > 0) {
        report.error('dependsOnContext', { principal, keys: r.missingContextKeys }, { subject: principal, evidence });
      } else {
        const why = r.decision === 'explicitDeny' ? `explicit Deny in ${evidence.decidedBy.join(', ')}` : state.kind === 'no-policy' ? 'the domain has no policy, and another account needs an Allow in it' : 'no statement allows it for this principal';
        report.fail('expectDenied', { principal, why }, { subject: principal, evidence });
      }
    }
    if (reported === 0) {
      if (state.kind === 'no-policy') report.pass('noPolicy', { domain: target.domain }, { evidence: state.evidence });
      else report.pass('noCrossAccountToken', {}, { evidence: state.evidence });
    }
  },
});
