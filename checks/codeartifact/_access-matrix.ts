// Who can read, publish and administer which repository: the domain policy and each repository
// policy combined by the documented interaction, for every principal named in any of them.
//
// The interaction (seed 004, and the AWS CodeArtifact User Guide, "Repository policies" →
// "Interaction between repository and domain policies"): both policies are evaluated and an action
// is allowed if either allows it (an explicit Deny in either wins, as everywhere in IAM). A
// repository policy applies to the repository and its packages only, so GetAuthorizationToken (a
// domain action) is decided by the domain policy alone. Reading from a repository endpoint needs
// GetAuthorizationToken on the domain AND ReadFromRepository on the repository; publishing needs
// GetAuthorizationToken AND PublishPackageVersion (seed 004, "Anmerkung" under the token example).
//
// The identity side is not visible: a principal of another account also needs the action allowed
// by an identity policy in its own account, which this tool cannot read; it is assumed to allow
// (IDENTITY_ASSUMPTION), so a cell says what the resource policies permit, never more.

import type { NormalizedPolicy } from '../../src/policy/document.ts';
import { type EvaluationResult, evaluateRequest, type PolicySource } from '../../src/policy/evaluate.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import {
  ADMIN_ACTIONS,
  type ArnParts,
  arnParts,
  ASSUMED_IDENTITY,
  type CodeArtifactContext,
  type Grantee,
  granteesOf,
  IDENTITY_ASSUMPTION,
  isOwnerGrantee,
  type PolicyState,
  readPolicy,
  readRepositoryPolicy,
  resourceArnFor,
  resourceTypeOf,
} from './context.ts';

export type MatrixAction = 'read' | 'publish' | 'admin';
export const MATRIX_ACTIONS: readonly MatrixAction[] = ['read', 'publish', 'admin'];

/** allow: the resource policies allow it; deny: they do not (or deny it); depends: on a context key not known here. */
export type CellDecision = 'allow' | 'deny' | 'depends';

export interface AccessCell {
  decision: CellDecision;
  /** The statements that decided (policy name and statement label), for an allow or an explicit deny. */
  statements: string[];
  /** The actions that make up the cell and the decision of each. */
  actions: Array<{ action: string; decision: CellDecision }>;
  missingContextKeys?: string[];
}

export interface AccessRow {
  principal: string;
  kind: Grantee['kind'];
  /** false for a principal confined to the owner account. */
  crossAccount: boolean;
  accounts: string[];
  orgIds: string[];
  repository: string;
  read: AccessCell;
  publish: AccessCell;
  admin: AccessCell;
}

export interface AccessMatrix {
  domain: string;
  owner: string | null;
  principals: string[];
  repositories: string[];
  rows: AccessRow[];
  /** Repositories whose policy could not be read or evaluated: no row is given for them. */
  unreadable: Array<{ repository: string; code: string; message: string }>;
  identitySide: string;
  interaction: string;
  arnNotes?: string[];
}

export const INTERACTION =
  'Both the domain policy and the repository policy are evaluated; an action is allowed if either allows it and neither denies it. GetAuthorizationToken is a domain action, decided by the domain policy alone. read = GetAuthorizationToken (domain) + ReadFromRepository (repository); publish = GetAuthorizationToken + PublishPackageVersion; admin = any repository-administration action. Sources: seed 004 (AWS CodeArtifact User Guide, Domain policies) and the User Guide page Repository policies, "Interaction between repository and domain policies".';

/** Repository-administration actions: the administrative actions (context.ts ADMIN_ACTIONS) that act on a repository or its packages. */
export const REPOSITORY_ADMIN_ACTIONS = ADMIN_ACTIONS.filter((a) => resourceTypeOf(a) === 'repository' || resourceTypeOf(a) === 'package');

const EMPTY_POLICY: NormalizedPolicy = { version: '2012-10-17', statements: [], raw: { Version: '2012-10-17', Statement: [] } };

interface Named {
  name: string;
  policy: NormalizedPolicy;
  source: PolicySource;
}

function single(r: EvaluationResult): CellDecision {
  if (r.decision === 'allowed') return 'allow';
  if (r.decision === 'implicitDeny' && r.missingContextKeys.length > 0) return 'depends';
  return 'deny';
}

/**
 * One action on one resource, judged by the policies that apply (the domain policy, plus the
 * repository policy for repository and package resources): an explicit Deny in either denies,
 * else an Allow in either allows, else an unknown context key leaves it open.
 */
export function evaluateCombined(policies: Named[], request: { action: string; resource: string; caller: Grantee['caller'] }, parts: ArnParts): AccessCell {
  const results = policies.map((p) => {
    const r = evaluateRequest(
      { action: request.action, resource: request.resource, principal: request.caller.principal, resourceAccount: parts.account, context: request.caller.context },
      { identity: [ASSUMED_IDENTITY], resourcePolicy: p.source },
    );
    if (r.errors.length > 0) {
      throw new FactError({ fact: 'repositoryPolicy', api: 'evaluate', resource: p.source.arn ?? p.name, code: 'MalformedPolicy', message: r.errors.map((e) => `${e.source}: ${e.error}`).join('; ') });
    }
    return { p, r };
  });
  const labels = (list: typeof results) => list.flatMap(({ r }) => r.decidedBy.filter((d) => d.source.kind === 'resource-policy').map((d) => `${d.source.name} ${d.label}`));
  const denied = results.filter(({ r }) => r.decision === 'explicitDeny');
  const allowed = results.filter(({ r }) => r.decision === 'allowed');
  const open = results.filter(({ r }) => single(r) === 'depends');
  const decision: CellDecision = denied.length ? 'deny' : allowed.length ? 'allow' : open.length ? 'depends' : 'deny';
  const missing = [...new Set(open.flatMap(({ r }) => r.missingContextKeys))];
  return {
    decision,
    statements: [...new Set(labels(denied.length ? denied : allowed.length ? allowed : open))],
    actions: [{ action: request.action, decision }],
    ...(missing.length && decision === 'depends' ? { missingContextKeys: missing } : {}),
  };
}

/** All of the cells (read needs token AND ReadFromRepository): deny if any denies, depends if any depends. */
function all(cells: AccessCell[]): AccessCell {
  const decision: CellDecision = cells.some((c) => c.decision === 'deny') ? 'deny' : cells.some((c) => c.decision === 'depends') ? 'depends' : 'allow';
  const deciding = decision === 'allow' ? cells : cells.filter((c) => c.decision === decision);
  const missing = [...new Set(cells.flatMap((c) => c.missingContextKeys ?? []))];
  return { decision, statements: [...new Set(deciding.flatMap((c) => c.statements))], actions: cells.flatMap((c) => c.actions), ...(decision === 'depends' && missing.length ? { missingContextKeys: missing } : {}) };
}

/** Any of the cells (admin = any administration action): allow if any allows. */
function any(cells: AccessCell[]): AccessCell {
  const decision: CellDecision = cells.some((c) => c.decision === 'allow') ? 'allow' : cells.some((c) => c.decision === 'depends') ? 'depends' : 'deny';
  const deciding = cells.filter((c) => c.decision === decision);
  return {
    decision,
    statements: decision === 'deny' ? [] : [...new Set(deciding.flatMap((c) => c.statements))],
    actions: cells.filter((c) => c.decision !== 'deny').flatMap((c) => c.actions),
  };
}

export interface RepositoryPolicies {
  domain: Named;
  repository: Named;
  parts: ArnParts;
  repositoryName: string;
}

/** The cells of one principal on one repository. */
export function accessOn(rp: RepositoryPolicies, caller: Grantee['caller'], domainName: string): Record<MatrixAction, AccessCell> {
  const both = [rp.domain, rp.repository];
  const on = (action: string) => resourceArnFor(action, domainName, rp.parts, rp.repositoryName);
  const token = evaluateCombined([rp.domain], { action: 'codeartifact:GetAuthorizationToken', resource: on('codeartifact:GetAuthorizationToken'), caller }, rp.parts);
  const read = evaluateCombined(both, { action: 'codeartifact:ReadFromRepository', resource: on('codeartifact:ReadFromRepository'), caller }, rp.parts);
  const publish = evaluateCombined(both, { action: 'codeartifact:PublishPackageVersion', resource: on('codeartifact:PublishPackageVersion'), caller }, rp.parts);
  const admin = any(REPOSITORY_ADMIN_ACTIONS.map((action) => evaluateCombined(both, { action, resource: on(action), caller }, rp.parts)));
  return { read: all([token, read]), publish: all([token, publish]), admin };
}

/** One codeartifact action on one repository (an --expect entry): domain actions on the domain policy alone. */
export function actionOn(rp: RepositoryPolicies, caller: Grantee['caller'], domainName: string, action: string): AccessCell {
  const resource = resourceArnFor(action, domainName, rp.parts, rp.repositoryName);
  return evaluateCombined(resourceTypeOf(action) === 'domain' ? [rp.domain] : [rp.domain, rp.repository], { action, resource, caller }, rp.parts);
}

const policyOf = (state: PolicyState): NormalizedPolicy => (state.kind === 'ok' ? state.policy : EMPTY_POLICY);

export interface MatrixInputs {
  owner: string | undefined;
  domainState: PolicyState;
  parts: ArnParts;
  domain: Named;
  repositories: Array<{ name: string; state: PolicyState; policies: RepositoryPolicies } | { name: string; error: FactError }>;
}

/** Reads the domain policy, the repository list and every repository policy (memoized facts). Throws a FactError when the domain policy or the list cannot be read. */
export async function matrixInputs(ctx: CodeArtifactContext): Promise<MatrixInputs> {
  const domainState = await readPolicy({ ...ctx, target: { ...ctx.target, repository: undefined } });
  const owner = await ctx.facts.ownerAccount();
  const names = ctx.facts.repositories && domainState.kind !== 'no-domain' ? await ctx.facts.repositories() : [];
  const repoStates = await Promise.all(
    names.map(async (name) => {
      try {
        return { name, state: await readRepositoryPolicy(ctx, name), error: undefined };
      } catch (e) {
        if (e instanceof FactError) return { name, state: undefined, error: e };
        throw e;
      }
    }),
  );
  const allPolicies = [policyOf(domainState), ...repoStates.flatMap((r) => (r.state ? [policyOf(r.state)] : []))];
  const merged: NormalizedPolicy = { ...EMPTY_POLICY, statements: allPolicies.flatMap((p) => p.statements) };
  const parts = arnParts(ctx.target, owner, merged);
  const base = `arn:${parts.partition}:codeartifact:${parts.region}:${parts.account}`;
  const domain: Named = { name: 'domain policy', policy: policyOf(domainState), source: { kind: 'resource-policy', name: 'domain policy', arn: `${base}:domain/${ctx.target.domain}`, document: policyOf(domainState).raw } };
  const repositories = repoStates.map((r) => {
    if (!r.state) return { name: r.name, error: r.error! };
    const policy = policyOf(r.state);
    const repository: Named = { name: `repository policy ${r.name}`, policy, source: { kind: 'resource-policy', name: `repository policy ${r.name}`, arn: `${base}:repository/${ctx.target.domain}/${r.name}`, document: policy.raw } };
    return { name: r.name, state: r.state, policies: { domain, repository, parts, repositoryName: r.name } };
  });
  return { owner, domainState, parts, domain, repositories };
}

/** Every principal named in an Allow of any policy, merged by subject, in policy order (domain first). */
export function matrixPrincipals(inputs: MatrixInputs): Grantee[] {
  const bySubject = new Map<string, Grantee>();
  const policies = [inputs.domain.policy, ...inputs.repositories.flatMap((r) => ('policies' in r ? [r.policies.repository.policy] : []))];
  for (const p of policies) for (const g of granteesOf(p)) if (!bySubject.has(g.subject)) bySubject.set(g.subject, g);
  return [...bySubject.values()];
}

export function buildMatrix(ctx: CodeArtifactContext, inputs: MatrixInputs): AccessMatrix {
  const principals = matrixPrincipals(inputs);
  const rows: AccessRow[] = [];
  const unreadable: AccessMatrix['unreadable'] = [];
  for (const r of inputs.repositories) {
    if (!('policies' in r)) {
      unreadable.push({ repository: r.name, code: r.error.info.code ?? 'error', message: r.error.info.message });
      continue;
    }
    try {
      for (const g of principals) {
        rows.push({
          principal: g.subject,
          kind: g.kind,
          crossAccount: !isOwnerGrantee(g, inputs.owner),
          accounts: g.accounts,
          orgIds: g.orgIds,
          repository: r.name,
          ...accessOn(r.policies, g.caller, ctx.target.domain),
        });
      }
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      for (let i = rows.length - 1; i >= 0 && rows[i].repository === r.name; i--) rows.pop();
      unreadable.push({ repository: r.name, code: e.info.code ?? 'error', message: e.info.message });
    }
  }
  return {
    domain: ctx.target.domain,
    owner: inputs.owner ?? null,
    principals: principals.map((g) => g.subject),
    repositories: inputs.repositories.map((r) => r.name),
    rows,
    unreadable,
    identitySide: IDENTITY_ASSUMPTION.replace('domain policy alone', 'resource policies alone'),
    interaction: INTERACTION,
    ...(inputs.parts.notes.length ? { arnNotes: inputs.parts.notes } : {}),
  };
}

/** The matrix of a run, or undefined when its facts cannot be read (the checks report why). Reads only memoized facts after the checks ran. */
export async function accessMatrixOf(ctx: CodeArtifactContext): Promise<AccessMatrix | undefined> {
  try {
    const inputs = await matrixInputs(ctx);
    if (inputs.domainState.kind === 'no-domain' || inputs.domainState.kind === 'invalid') return undefined;
    return buildMatrix(ctx, inputs);
  } catch (e) {
    if (e instanceof FactError) return undefined;
    throw e;
  }
}
