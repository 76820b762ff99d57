// Seed 004: "To allow creating repositories with tags, you must include codeartifact:TagResource."
// A principal of another account that may CreateRepository but not TagResource can create
// repositories only without tags: `create-repository --tags ...` fails (and tag-based policies
// or cost allocation then miss those repositories).
//
// Each grantee is evaluated with the IAM evaluator against the domain policy, its own identity
// policies assumed to allow (cross-account, the domain policy must allow both actions).
// TagResource is evaluated on a repository of the domain (the repository being created).

import { statementLabel } from '../../src/policy/document.ts';
import {
  arnParts,
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
  statementEvidence,
} from './context.ts';

export default defineCodeArtifactCheck({
  id: 'create-repository-tagging',
  title: 'Principals that may create repositories may also tag them',
  severity: 'medium',
  rationale:
    'Creating a repository with tags needs codeartifact:TagResource as well as codeartifact:CreateRepository (seed 004); without it every tagged create-repository call from that principal fails.',
  remediation:
    'Add codeartifact:TagResource to the statement that grants codeartifact:CreateRepository (note: it also lets the principal tag the domain and every repository in it, seed 004).',
  references: [DOMAIN_POLICY_DOC],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noPolicy: 'Domain {{domain}} has no resource policy: no other account may create repositories in it.',
    noCreate: 'No principal outside the owner account may create repositories in the domain.',
    both: '{{grantee}} may create repositories and tag them ({{statements}}).',
    noTag: '{{grantee}} may create repositories ({{statements}}) but not tag them: creating a repository with tags will fail for it. Add codeartifact:TagResource.',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    const state = await readPolicyOrSkip(ctx, { noPolicy: 'pass' });
    if (!state) return;
    const owner = await facts.ownerAccount();
    const parts = arnParts(target, owner, state.policy);
    let creators = 0;
    for (const g of granteesOf(state.policy)) {
      if (isOwnerGrantee(g, owner)) continue;
      const create = evaluateOnDomain(state.policy, { action: 'codeartifact:CreateRepository', caller: g.caller }, target, parts);
      if (!mayBeAllowed(create.result)) continue;
      creators += 1;
      const tag = evaluateOnDomain(state.policy, { action: 'codeartifact:TagResource', caller: g.caller }, target, parts);
      const evidence = {
        ...state.evidence,
        grantee: g.subject,
        createRepository: decisionEvidence(create),
        tagResource: decisionEvidence(tag),
        identitySide: IDENTITY_ASSUMPTION,
        ...(parts.notes.length ? { arnNotes: parts.notes } : {}),
        statements: g.statements.map(statementEvidence),
      };
      const data = { grantee: g.subject, statements: g.statements.map(statementLabel).join(', ') };
      if (tag.result.decision === 'allowed') report.pass('both', data, { subject: g.subject, evidence });
      else report.warn('noTag', data, { subject: g.subject, evidence });
    }
    if (creators === 0) report.pass('noCreate', {}, { evidence: state.evidence });
  },
});
