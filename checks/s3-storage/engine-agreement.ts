// Where both engines can answer (auto mode, simulator answered, principal's policies readable),
// the required actions are evaluated by both; a difference is its own result naming both decisions
// and the statements each relied on. iam-simulation already uses the worse decision: a deny one
// engine sees is never resolved toward allow.

import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';
import { answerBucketPermissions, answerFor, type EngineDecision, GHES_REQUIRED_ACTIONS, resourceFor, unlessUnsupported } from './_permissions.ts';

const statements = (d: EngineDecision): string => {
  const list = d.decision === 'allowed' ? d.allowedBy : d.deniedBy;
  return list.length ? list.map((s) => `${s.statement} in ${s.policy}`).join(', ') : d.decision === 'implicitDeny' ? 'no statement allows it' : 'no statement named';
};

export default defineS3StorageCheck({
  id: 'engine-agreement',
  title: 'AWS\'s policy simulator and the local evaluator agree on every action GHES needs',
  severity: 'high',
  rationale:
    'The simulator sees what the checker cannot read (organization SCPs, resource control policies) but its answers can be wrong or incomplete on emulators and stubs; the local evaluator reads the principal\'s policies, groups, boundary and the bucket policy itself. A difference means one of them is missing something; the worse decision is the one that counts.',
  remediation:
    'Compare the statements each engine relied on. A simulator deny with a local allow usually comes from an organization policy (SCP) the checker cannot read: ask the organization administrator. A simulator allow with a local deny: check the named statement; the tool treats the action as denied until the two agree.',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'AWS IAM API Reference: SimulatePrincipalPolicy (OrganizationsDecisionDetail, MatchedStatements)', 'AWS IAM User Guide: Policy evaluation logic'],
  messages: {
    agree: 'Both engines decide {{decision}} for {{action}} on {{resource}}.',
    disagreeScp:
      'The AWS policy simulator decides {{simulator}} ({{simulatorStatements}}) but the local evaluator decides {{local}} ({{localStatements}}) for {{action}} on {{resource}}: the simulator also applies organization policies (SCPs) the checker cannot read, which is the likely reason. The deny stands (iam-simulation uses it).',
    disagree:
      'The AWS policy simulator decides {{simulator}} ({{simulatorStatements}}) but the local evaluator decides {{local}} ({{localStatements}}) for {{action}} on {{resource}}. The worse decision, {{decision}}, stands (iam-simulation uses it) until the difference is understood.',
    notCompared: 'Not compared for {{action}}: {{reason}}.',
    unsupported: 'Not evaluated: {{reason}}.',
  },
  subjects: () => GHES_REQUIRED_ACTIONS.map((a) => a.action),
  async run(ctx) {
    const { report, target } = ctx;
    const result = await unlessUnsupported(ctx, () => answerBucketPermissions(ctx));
    if (!result) return;
    for (const { action, scope } of GHES_REQUIRED_ACTIONS) {
      const a = answerFor(result, { action, resource: resourceFor(target.bucket, scope) })!;
      const base = { engine: result.engine, principal: result.principal.arn, action, resource: a.resource, decision: a.decision, requestContext: result.context };
      if (!result.comparison.compared) {
        report.skip('notCompared', { action, reason: result.comparison.reason }, { subject: action, severity: 'info', evidence: { ...base, reason: result.comparison.reason } });
        continue;
      }
      const evidence = { ...base, policiesExaminedLocally: result.comparison.examined, ...(a.disagreement ? { simulator: a.disagreement.simulator, local: a.disagreement.local } : {}) };
      if (!a.disagreement) {
        report.pass('agree', { action, resource: a.resource, decision: a.decision }, { subject: action, evidence });
        continue;
      }
      const { simulator, local } = a.disagreement;
      const data = { action, resource: a.resource, decision: a.decision, simulator: simulator.decision, local: local.decision, simulatorStatements: statements(simulator), localStatements: statements(local) };
      report.warn(simulator.decision !== 'allowed' && local.decision === 'allowed' ? 'disagreeScp' : 'disagree', data, { subject: action, evidence });
    }
  },
});
