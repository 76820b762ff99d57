// With --expect FILE: does the domain policy give each listed principal exactly the access the
// file expects? Each entry (principal, action, allow|deny) is evaluated with the project's IAM
// evaluator against the domain policy, like iam-simulation does for the S3 bucket policy.
//
// The identity side is not read (another account's identity policies are not visible from here):
// it is assumed to allow, so
// - across accounts the verdict is whether the domain policy allows (both sides must; FACTS.md);
// - in the owner account the verdict is "allowed unless the domain policy denies" (the identity
//   policy can grant on its own).
// Every result says so in its evidence.
//
// Resources: an entry may name one (`resource:`); otherwise the action's resource type decides
// (context.ts resourceTypeOf): the domain ARN, or a placeholder repository/package of the domain,
// which only a grant on every repository/package covers. For a `deny` expectation every
// repository/package ARN the policy's statements name is tried as well, so a grant on one
// particular repository is not missed (never a false pass).

import { FactError } from '../../src/engine/fact-error.ts';
import { compilePattern, splitArn } from '../../src/policy/evaluate.ts';
import { accessOn, actionOn, INTERACTION, type MatrixAction, MATRIX_ACTIONS, matrixInputs } from './_access-matrix.ts';
import type { ContextValue } from '../../src/policy/evaluate.ts';
import type { NormalizedPolicy } from '../../src/policy/document.ts';
import {
  type ArnParts,
  arnParts,
  callerForPrincipal,
  decisionEvidence,
  defineCodeArtifactCheck,
  type DomainEvaluation,
  DOMAIN_POLICY_DOC,
  evaluateOnDomain,
  IDENTITY_ASSUMPTION,
  POLICY_STATE_MESSAGES,
  readPolicyOrSkip,
  resourceArnFor,
  resourceTypeOf,
} from './context.ts';

const EMPTY_POLICY: NormalizedPolicy = { version: '2012-10-17', statements: [], raw: { Version: '2012-10-17', Statement: [] } };

/** Concrete ARNs for the policy's own Resource entries of the action's type in this domain (wildcards filled in). */
function namedResources(policy: NormalizedPolicy, action: string, domain: string, parts: ArnParts): string[] {
  const type = resourceTypeOf(action);
  if (type === 'domain') return [];
  const fill = (v: string, fallback: string) => (/[*?]/.test(v) ? fallback : v);
  const out = new Set<string>();
  for (const s of policy.statements) {
    if (s.effect !== 'Allow') continue;
    for (const r of s.resource ?? []) {
      const seg = splitArn(r);
      const m = seg && /^([^/]+)\/([^/]*)(\/.*)?$/.exec(seg[5]);
      if (!seg || !m || m[1] !== type || !compilePattern(m[2], { wildcards: true }).regex?.test(domain)) continue;
      const rest = (m[3] ?? '/x').replace(/[*?]/g, 'x');
      out.add(`arn:${fill(seg[1], parts.partition)}:codeartifact:${fill(seg[3], parts.region)}:${fill(seg[4], parts.account)}:${type}/${domain}${rest}`);
    }
  }
  return [...out];
}

const expectedAccessCheck = defineCodeArtifactCheck({
  id: 'expected-access',
  title: 'The domain policy gives the expected principals exactly the expected access',
  severity: 'high',
  rationale:
    'A policy review proves little unless it is checked against what each consumer account must (and must not) be able to do; the --expect file states that, and each entry is evaluated like IAM would.',
  remediation: 'Change the domain policy (or, if the expectation is wrong, the --expect file) until every entry passes; the evidence names the statements that decided.',
  references: [DOMAIN_POLICY_DOC, 'IAM User Guide: Policy evaluation logic; Cross-account policy evaluation logic'],
  messages: {
    ...POLICY_STATE_MESSAGES,
    noExpect: 'Not checked: no --expect FILE given (YAML: principal ARN → codeartifact action → allow | deny).',
    asExpected: '{{principal}} {{action}}: {{actual}}, as expected ({{why}}).',
    notAsExpected: '{{principal}} {{action}}: {{actual}}, but {{expected}} was expected ({{why}}).',
    dependsOnContext: '{{principal}} {{action}}: the outcome depends on {{keys}}, which is not known here (pass --org-id when the principal is in that organization).',
    noSuchRepository: '{{principal}} {{action}} on repository {{repository}}: the domain has no repository of that name (listed: {{listed}}); fix the --expect file.',
    repositoryUnreadable: POLICY_STATE_MESSAGES.repositoryUnreadable,
    repositoryAsExpected: '{{principal}} {{action}} on repository {{repository}}: {{actual}}, as expected ({{why}}).',
    repositoryNotAsExpected: '{{principal}} {{action}} on repository {{repository}}: {{actual}}, but {{expected}} was expected ({{why}}).',
  },
  async run(ctx) {
    const { target, facts, report } = ctx;
    if (!target.expect || target.expect.length === 0) return report.skip('noExpect', {}, { subject: 'expect' });
    const state = await readPolicyOrSkip(ctx);
    if (!state) return;
    const owner = await facts.ownerAccount();
    if (!owner) return report.skip('ownerUnknown', {}, { evidence: state.evidence });
    const policy = state.kind === 'ok' ? state.policy : EMPTY_POLICY;
    const parts = arnParts(target, owner, state.kind === 'ok' ? state.policy : undefined);
    const context: Record<string, ContextValue> = target.orgId ? { 'aws:PrincipalOrgID': target.orgId } : {};

    const repositoryEntries = target.expect.filter((e) => e.repository !== undefined);
    if (repositoryEntries.length > 0) await judgeRepositoryEntries(ctx, repositoryEntries, context);

    for (const entry of target.expect) {
      if (entry.repository !== undefined) continue;
      const subject = `${entry.principal} ${entry.action}`;
      const principal = callerForPrincipal(entry.principal);
      if (!principal) continue; // validated in config; unreachable
      const caller = { principal, context };
      const resources = entry.resource
        ? [entry.resource]
        : [resourceArnFor(entry.action, target.domain, parts), ...(entry.expected === 'deny' ? namedResources(policy, entry.action, target.domain, parts) : [])];
      const evaluations: DomainEvaluation[] = resources.map((resource) => evaluateOnDomain(policy, { action: entry.action, caller, resource }, target, parts));
      const allowed = evaluations.find((e) => e.result.decision === 'allowed');
      const undecided = evaluations.find((e) => e.result.decision === 'implicitDeny' && e.result.missingContextKeys.length > 0);
      const decisive = allowed ?? undecided ?? evaluations.find((e) => e.result.decision === 'explicitDeny') ?? evaluations[0];
      const r = decisive.result;
      const evidence = {
        ...state.evidence,
        principal: entry.principal,
        action: entry.action,
        expected: entry.expected,
        crossAccount: entry.account !== owner,
        ...decisionEvidence(decisive),
        resourcesEvaluated: evaluations.map((e) => ({ resource: e.resource, decision: e.result.decision })),
        identitySide: IDENTITY_ASSUMPTION,
        ...(target.orgId ? { assumedContext: { 'aws:PrincipalOrgID': `${target.orgId} (from --org-id: the principal is taken to be in this organization)` } } : {}),
        ...(parts.notes.length ? { arnNotes: parts.notes } : {}),
        expectFile: target.expectFile,
      };
      if (!allowed && undecided && !evaluations.some((e) => e.result.decision === 'explicitDeny')) {
        report.error('dependsOnContext', { principal: entry.principal, action: entry.action, keys: r.missingContextKeys }, { subject, evidence });
        continue;
      }
      const actual = allowed ? 'allow' : 'deny';
      const why =
        r.decision === 'allowed'
          ? r.sameAccount
            ? 'owner account: its identity policy decides and the domain policy does not deny'
            : `allowed by ${decisionEvidence(decisive).decidedBy.join(', ')}`
          : r.decision === 'explicitDeny'
            ? `denied by ${decisionEvidence(decisive).decidedBy.join(', ')}`
            : state.kind === 'no-policy'
              ? 'the domain has no policy, and another account needs an Allow in it'
              : 'no statement of the domain policy allows it';
      const data = { principal: entry.principal, action: entry.action, actual: actual === 'allow' ? 'allowed' : 'denied', expected: entry.expected === 'allow' ? 'allow' : 'deny', why };
      if (actual === entry.expected) report.pass('asExpected', data, { subject, evidence });
      else report.fail('notAsExpected', data, { subject, evidence });
    }
  },
});

/** Repository-level entries (principal → repository → read|publish|admin|action): the domain and repository policies together (./_access-matrix.ts). */
async function judgeRepositoryEntries(
  ctx: Parameters<typeof expectedAccessCheck.run>[0],
  entries: NonNullable<Parameters<typeof expectedAccessCheck.run>[0]['target']['expect']>,
  context: Record<string, ContextValue>,
): Promise<void> {
  const { target, report } = ctx;
  const inputs = await matrixInputs(ctx); // a FactError here is the engine's error for the check
  for (const entry of entries) {
    const repository = entry.repository!;
    const subject = `${entry.principal} ${repository} ${entry.action}`;
    const r = inputs.repositories.find((x) => x.name === repository);
    const data = { principal: entry.principal, action: entry.action, repository };
    if (!r) {
      report.fail('noSuchRepository', { ...data, listed: inputs.repositories.map((x) => x.name).join(', ') || 'none' }, { subject, evidence: { expectFile: target.expectFile } });
      continue;
    }
    if (!('policies' in r)) {
      report.error('repositoryUnreadable', { repository, code: r.error.info.code ?? 'error', error: r.error.info.message }, { subject, evidence: { ...r.error.info } });
      continue;
    }
    const principal = callerForPrincipal(entry.principal);
    if (!principal) continue; // validated in config; unreachable
    const caller = { principal, context };
    let cell;
    try {
      cell = (MATRIX_ACTIONS as readonly string[]).includes(entry.action) ? accessOn(r.policies, caller, target.domain)[entry.action as MatrixAction] : actionOn(r.policies, caller, target.domain, entry.action);
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      report.error('repositoryUnreadable', { repository, code: e.info.code ?? 'error', error: e.info.message }, { subject, evidence: { ...e.info } });
      continue;
    }
    const evidence = { principal: entry.principal, repository, action: entry.action, expected: entry.expected, cell, interaction: INTERACTION, identitySide: IDENTITY_ASSUMPTION, expectFile: target.expectFile };
    if (cell.decision === 'depends') {
      report.error('dependsOnContext', { principal: entry.principal, action: `${entry.action} on ${repository}`, keys: cell.missingContextKeys ?? [] }, { subject, evidence });
      continue;
    }
    const why = cell.statements.length ? `${cell.decision === 'allow' ? 'allowed' : 'denied'} by ${cell.statements.join(', ')}` : cell.decision === 'allow' ? 'owner account: identity policies decide and no policy denies' : 'no statement of the domain or repository policy allows it';
    const out = { ...data, actual: cell.decision === 'allow' ? 'allowed' : 'denied', expected: entry.expected, why };
    if (cell.decision === entry.expected) report.pass('repositoryAsExpected', out, { subject, evidence });
    else report.fail('repositoryNotAsExpected', out, { subject, evidence });
  }
}

export default expectedAccessCheck;
