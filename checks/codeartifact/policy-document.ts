// Is the domain policy a document CodeArtifact accepts and that means what it seems to say?
//
// Decisions (see README "CodeArtifact"):
// - Size: at most 7,168 characters. Source: the CodeArtifact API Reference,
//   PutDomainPermissionsPolicy, policyDocument "Length Constraints: Minimum length of 1. Maximum
//   length of 7168", pattern [\P{C}\s]+ (same in the service model, shape PolicyDocument). Seed 004
//   states no size. Smithy string lengths count Unicode code points, so we count code points.
// - Actions: only `codeartifact:` actions act on a domain; each must exist (iam-data), so a typo
//   such as GetAuthorisationToken, which IAM would accept and which would grant nothing, fails.
// - Resources: `*` (seed 004: "*" means every resource in the domain), this domain's ARN
//   arn:PARTITION:codeartifact:REGION:OWNER:domain/NAME, or a repository/package/package-group
//   ARN under this domain (seed 004: the domain policy can target specific resources in the
//   domain). Anything else (another domain, account, region or service) fails. A statement whose
//   resources can never match the resource type of any of its actions (e.g. only repository ARNs
//   for GetAuthorizationToken, a domain action) warns: it is valid but grants nothing.

import { nearest } from '../../src/suggest.ts';
import { isKnownAction, compilePattern, splitArn } from '../../src/policy/evaluate.ts';
import type { NormalizedStatement } from '../../src/policy/document.ts';
import { statementLabel } from '../../src/policy/document.ts';
import { partitionOf } from '../../src/regions.ts';
import {
  CODEARTIFACT_ACTIONS,
  type CodeArtifactTarget,
  codeArtifactActionsOf,
  defineCodeArtifactCheck,
  DOMAIN_POLICY_DOC,
  readPolicy,
  statementActions,
  statementEvidence,
  forEachPolicy,
  POLICY_STATE_MESSAGES,
} from './context.ts';

/** PutDomainPermissionsPolicy, policyDocument: maximum length 7168 (CodeArtifact API Reference). */
export const MAX_POLICY_CHARACTERS = 7168;
const SIZE_SOURCE = 'AWS CodeArtifact API Reference: PutDomainPermissionsPolicy, policyDocument length 1 to 7168';

const glob = (pattern: string, text: string): boolean => compilePattern(pattern, { wildcards: true }).regex?.test(text) ?? false;

function suggestion(name: string): string {
  const known = nearest(name, Object.keys(CODEARTIFACT_ACTIONS));
  return known ? ` (did you mean codeartifact:${known}?)` : '';
}

/** Why an Action entry is not acceptable in a domain policy, or null. */
export function actionProblem(entry: string): string | null {
  if (/^\*+$/.test(entry)) return null;
  const colon = entry.indexOf(':');
  if (colon <= 0 || colon === entry.length - 1) return `"${entry}" is not an action; write codeartifact:ActionName`;
  const service = entry.slice(0, colon);
  const name = entry.slice(colon + 1);
  const wildcard = /[*?]/.test(entry);
  if (!wildcard && service.toLowerCase() !== 'codeartifact') return `"${entry}" is an action of ${service}, not of CodeArtifact; a domain policy only governs codeartifact: actions`;
  if (!wildcard) return isKnownAction(entry) ? null : `"${entry}" is not a CodeArtifact action, so it grants nothing${suggestion(name)}`;
  if (codeArtifactActionsOf(entry).length === 0) return `"${entry}" matches no CodeArtifact action, so it grants nothing`;
  return null;
}

type ResourceType = 'domain' | 'repository' | 'package' | 'package-group' | 'any';
const TYPED = /^(domain|repository|package|package-group)\/([^/]*)(\/.*)?$/;

/** Why a Resource entry does not belong to this domain (null: it does), and which resource type it names. */
export function judgeResource(pattern: string, target: CodeArtifactTarget, owner: string | undefined): { problem: string | null; type: ResourceType } {
  if (/^\*+$/.test(pattern)) return { problem: null, type: 'any' };
  if (!pattern.startsWith('arn:')) return { problem: `"${pattern}" is neither "*" nor an ARN`, type: 'any' };
  const parts = splitArn(pattern);
  if (!parts) {
    // Fewer than six segments. IAM User Guide, "IAM JSON policy elements: Resource": a trailing *
    // "can expand to match beyond the colon boundaries", so such a pattern reaches every resource
    // its leading segments name (other domains, accounts or regions); without one, AWS documents
    // no meaning for it (src/policy/match.ts).
    const problem = pattern.endsWith('*')
      ? `"${pattern}" has fewer than six ARN segments and ends in *, which expands beyond the colons to every resource starting with "${pattern.slice(0, -1)}", not only those of domain ${target.domain}`
      : `"${pattern}" is not a well-formed ARN (arn:PARTITION:codeartifact:REGION:ACCOUNT:domain/NAME)`;
    return { problem, type: 'any' };
  }
  const [, partition, service, region, account, resource] = parts;
  if (!glob(service, 'codeartifact')) return { problem: `"${pattern}" is an ARN of service ${service}, not of CodeArtifact`, type: 'any' };
  const expectedPartition = target.region ? (partitionOf(target.region) ?? 'aws') : undefined;
  if (expectedPartition ? !glob(partition, expectedPartition) : !/^aws(-[a-z-]+)?$|[*?]/.test(partition)) {
    return { problem: `"${pattern}" is in partition ${partition}${expectedPartition ? `, the domain is in ${expectedPartition}` : ''}`, type: 'any' };
  }
  if (target.region && !glob(region, target.region)) return { problem: `"${pattern}" names region ${region}, but the domain is in ${target.region}`, type: 'any' };
  if (owner && !glob(account, owner)) return { problem: `"${pattern}" names account ${account}, but the domain is owned by ${owner}`, type: 'any' };
  if (!owner && !/^\d{12}$|[*?]/.test(account)) return { problem: `"${pattern}" has no 12-digit account id`, type: 'any' };
  const typed = TYPED.exec(resource);
  if (typed) {
    const [, type, domain, rest] = typed;
    if (!glob(domain, target.domain)) return { problem: `"${pattern}" belongs to domain ${domain}, not to ${target.domain}`, type: type as ResourceType };
    if (type === 'domain' && rest !== undefined) return { problem: `"${pattern}" has a path after the domain name; a domain ARN ends with domain/${target.domain}`, type: 'domain' };
    // A repository policy governs its own repository and packages only (User Guide, Repository policies).
    const repo = rest?.split('/')[1];
    if (target.repository !== undefined && (type === 'repository' || type === 'package') && repo !== undefined && !glob(repo, target.repository)) {
      return { problem: `"${pattern}" names repository ${repo}, but this is the policy of repository ${target.repository}`, type: type as ResourceType };
    }
    return { problem: null, type: type as ResourceType };
  }
  const d = target.domain;
  const candidates = [`domain/${d}`, `repository/${d}/r`, `package/${d}/r/npm/n/p`, `package-group/${d}/g`];
  if (candidates.some((c) => glob(resource, c))) return { problem: null, type: 'any' };
  return { problem: `"${pattern}" is not a domain, repository, package or package-group ARN of domain ${d}`, type: 'any' };
}

/** Statements whose Resource list can never match a resource type of any of their actions. */
function deadStatement(stmt: NormalizedStatement, types: ResourceType[]): boolean {
  if (!stmt.resource || types.includes('any')) return false;
  const actions = statementActions(stmt);
  if (actions.length === 0) return false;
  return actions.every((a) => {
    const meta = CODEARTIFACT_ACTIONS[a.slice('codeartifact:'.length)];
    const acceptable = meta && meta.types.length > 0 ? meta.types : ['domain'];
    return !acceptable.some((t) => types.includes(t as ResourceType));
  });
}

export default defineCodeArtifactCheck({
  id: 'policy-document',
  title: 'The domain policy is a valid CodeArtifact policy document',
  severity: 'high',
  rationale:
    'A policy CodeArtifact rejects cannot be applied, and a policy with a misspelt action or a resource of another domain is accepted by IAM syntax yet silently grants nothing; catch both before the policy is applied.',
  remediation: 'Fix the document as the finding says, then check it again with --policy-file before running put-domain-permissions-policy.',
  references: [DOMAIN_POLICY_DOC, SIZE_SOURCE, 'IAM User Guide: IAM JSON policy element reference (Version, Sid, Action, Resource)'],
  messages: {
    domainMissing: 'Domain {{domain}} does not exist (DescribeDomain: ResourceNotFoundException{{where}}). Check --domain, --domain-owner and --region.',
    noPolicy: 'Domain {{domain}} has no resource policy: only its owner account can use it (seed 004); there is no document to validate.',
    invalidJson: 'The policy is not valid JSON: {{error}}.',
    invalidShape: 'The policy is not a valid policy document: {{error}}.',
    sizeOk: 'The policy has {{length}} of at most {{max}} characters.',
    tooLarge: 'The policy has {{length}} characters; CodeArtifact accepts at most {{max}}. Merge statements or drop unneeded ones.',
    controlCharacters: 'The policy contains control characters other than whitespace ({{codes}}); CodeArtifact rejects such documents.',
    versionOk: 'Version is 2012-10-17.',
    versionMissing: 'The policy has no Version; write "Version": "2012-10-17" (without it IAM assumes the old 2008-10-17 language).',
    versionWrong: 'Version is "{{version}}"; use "2012-10-17".',
    sidsUnique: 'Every Sid is unique ({{count}} statement(s)).',
    duplicateSid: 'Sid "{{sid}}" is used by {{count}} statements ({{statements}}); give each statement its own Sid.',
    principalOk: 'Every statement names a Principal.',
    noPrincipal: '{{statement}} has no Principal; a resource policy statement must say whom it applies to.',
    actionsOk: 'Every action is a known CodeArtifact action (entries checked: {{count}}).',
    badAction: '{{statement}}: {{problem}}.',
    resourcesOk: 'Every resource is "*" or belongs to domain {{domain}}{{notes}}.',
    badResource: '{{statement}}: {{problem}}; a domain policy applies only to domain {{domain}} and the resources in it.',
    noRepositoryPolicy: POLICY_STATE_MESSAGES.noRepositoryPolicy,
    repositoryUnreadable: POLICY_STATE_MESSAGES.repositoryUnreadable,
    repositoriesUnreadable: POLICY_STATE_MESSAGES.repositoriesUnreadable,
    resourceTypeMismatch: '{{statement}} grants {{actions}} only on {{resources}}, which never match the resource type of those actions, so it grants nothing.',
  },
  run: (outer) =>
    forEachPolicy(outer, async (ctx) => {
    const { target, report } = ctx;
    const state = await readPolicy(ctx);
    const base = state.evidence;
    if (state.kind === 'no-domain') {
      const where = [base.domainOwner ? `owner ${base.domainOwner}` : '', base.region ? `region ${base.region}` : ''].filter(Boolean).join(', ');
      return report.fail('domainMissing', { domain: target.domain, where: where ? `; ${where}` : '' }, { subject: 'domain', severity: 'critical', evidence: base });
    }
    if (state.kind === 'no-policy') return report.skip('noPolicy', { domain: target.domain }, { evidence: base });

    // Size and characters apply to the text whether or not it parses.
    const text = state.text;
    const length = [...text].length;
    const sizeEvidence = { ...base, characters: length, limit: MAX_POLICY_CHARACTERS, limitSource: SIZE_SOURCE };
    const controls = [...new Set([...text].filter((c) => /[^\P{C}\s]/u.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))];
    if (length > MAX_POLICY_CHARACTERS) report.fail('tooLarge', { length, max: MAX_POLICY_CHARACTERS }, { subject: 'size', evidence: sizeEvidence });
    else if (controls.length > 0) report.fail('controlCharacters', { codes: controls.join(', ') }, { subject: 'size', evidence: sizeEvidence });
    else report.pass('sizeOk', { length, max: MAX_POLICY_CHARACTERS }, { subject: 'size', evidence: sizeEvidence });

    if (state.kind === 'invalid') {
      const json = /^not valid JSON/.test(state.error);
      return report.fail(json ? 'invalidJson' : 'invalidShape', { error: state.error.replace(/^not valid JSON \((.*)\)$/, '$1') }, { subject: json ? 'json' : 'structure', evidence: base });
    }
    const policy = state.policy;
    const owner = base.domainOwner;

    // Version
    if (policy.version === '2012-10-17') report.pass('versionOk', {}, { subject: 'version', evidence: { ...base, version: policy.version } });
    else if (policy.version === undefined) report.fail('versionMissing', {}, { subject: 'version', evidence: base });
    else report.fail('versionWrong', { version: policy.version }, { subject: 'version', evidence: { ...base, version: policy.version } });

    // Sids
    const bySid = new Map<string, NormalizedStatement[]>();
    for (const s of policy.statements) if (s.sid !== undefined) bySid.set(s.sid, [...(bySid.get(s.sid) ?? []), s]);
    const duplicates = [...bySid].filter(([, list]) => list.length > 1);
    for (const [sid, list] of duplicates) {
      report.fail('duplicateSid', { sid, count: list.length, statements: list.map((s) => `#${s.index + 1}`) }, { subject: 'sids', evidence: { ...base, sid, statements: list.map((s) => s.raw) } });
    }
    if (duplicates.length === 0) report.pass('sidsUnique', { count: policy.statements.length }, { subject: 'sids', evidence: base });

    // Principal
    const withoutPrincipal = policy.statements.filter((s) => !s.principal && !s.notPrincipal);
    for (const s of withoutPrincipal) report.fail('noPrincipal', { statement: statementLabel(s) }, { subject: 'principal', evidence: { ...base, ...statementEvidence(s) } });
    if (withoutPrincipal.length === 0) report.pass('principalOk', {}, { subject: 'principal', evidence: base });

    // Actions
    let entries = 0;
    let actionProblems = 0;
    for (const s of policy.statements) {
      for (const entry of [...(s.action ?? []), ...(s.notAction ?? [])]) {
        entries += 1;
        const problem = actionProblem(entry);
        if (!problem) continue;
        actionProblems += 1;
        report.fail('badAction', { statement: statementLabel(s), problem }, { subject: 'actions', evidence: { ...base, action: entry, ...statementEvidence(s) } });
      }
    }
    if (actionProblems === 0) report.pass('actionsOk', { count: entries }, { subject: 'actions', evidence: base });

    // Resources
    let resourceProblems = 0;
    const notes: string[] = [];
    if (!target.region) notes.push('region not compared: no --region given');
    if (!owner) notes.push('account not compared: no --domain-owner given');
    for (const s of policy.statements) {
      const types: ResourceType[] = [];
      for (const entry of [...(s.resource ?? []), ...(s.notResource ?? [])]) {
        const judged = judgeResource(entry, target, owner);
        types.push(judged.type);
        if (!judged.problem) continue;
        resourceProblems += 1;
        report.fail('badResource', { statement: statementLabel(s), problem: judged.problem, domain: target.domain }, { subject: 'resources', evidence: { ...base, resourceEntry: entry, ...statementEvidence(s) } });
      }
      if (deadStatement(s, types)) {
        report.warn(
          'resourceTypeMismatch',
          { statement: statementLabel(s), actions: statementActions(s).map((a) => a.replace(/^codeartifact:/, '')), resources: s.resource ?? [] },
          { subject: 'resources', severity: 'medium', evidence: { ...base, ...statementEvidence(s) } },
        );
      }
    }
    if (resourceProblems === 0) report.pass('resourcesOk', { domain: target.domain, notes: notes.length ? ` (${notes.join('; ')})` : '' }, { subject: 'resources', evidence: { ...base, notes } });
    }),
});
