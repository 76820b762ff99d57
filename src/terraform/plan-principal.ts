// The IAM user GHES signs with, and the policies the plan gives it: inline (aws_iam_user_policy),
// attached (aws_iam_user_policy_attachment, aws_iam_policy_attachment), through groups
// (aws_iam_group_membership, aws_iam_user_group_membership, aws_iam_group_policy,
// aws_iam_group_policy_attachment) and its permissions boundary. A customer-managed policy the plan
// creates is read from its aws_iam_policy; a policy referenced by ARN that the plan does not hold
// (AWS-managed, or created elsewhere) is named as not evaluated, so the permissions are not judged.

import type { PrincipalPolicies, ResolvedPrincipal } from '../../checks/ghes-s3/facts.ts';
import type { PolicySource } from '../policy/evaluate.ts';
import type { PlanIndex, PlanResource } from './plan-index.ts';
import { known, type PlanFact, str, unavailable, unknown } from './plan-values.ts';

/** Stand-in account when neither the user's ARN nor the provider's allowed_account_ids name it. */
export const PLAN_ACCOUNT_UNKNOWN = '000000000000';

type Link = 'ours' | 'other' | { maybe: string };

export class PlanPrincipal {
  readonly index: PlanIndex;
  readonly user: PlanResource;
  private readonly accountHint?: string;

  constructor(index: PlanIndex, user: PlanResource, accountHint?: string) {
    this.index = index;
    this.user = user;
    this.accountHint = accountHint;
  }

  get name(): string | undefined {
    return this.index.unknownAt(this.user, ['name']) ? undefined : str(this.user.values.name);
  }

  get path(): string {
    return str(this.user.values.path) ?? '/';
  }

  /** The account: from the user's ARN (an existing user), the ARN given, or the provider's single allowed account. */
  account(): { id: string; from: string } {
    const arn = str(this.user.values.arn);
    const fromArn = arn && !this.index.unknownAt(this.user, ['arn']) ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
    if (fromArn) return { id: fromArn, from: `${this.user.address}.arn` };
    if (this.accountHint) return { id: this.accountHint, from: '--principal-arn' };
    const allowed = this.index.allowedAccount(this.user);
    if (allowed) return { id: allowed, from: 'the provider\'s allowed_account_ids' };
    return { id: PLAN_ACCOUNT_UNKNOWN, from: 'not in the plan (the account is known only after apply)' };
  }

  principal(): PlanFact<ResolvedPrincipal> {
    const name = this.name;
    if (!name) return unknown(`${this.user.address}.name`);
    const account = this.account().id;
    return known({ arn: `arn:aws:iam::${account}:user${this.path}${name}`, kind: 'user', name, accountId: account }, this.user.address);
  }

  /** Whether `r`'s `attribute` (a name, or a list of names with `list`) names `target`. */
  private linksTo(r: PlanResource, attribute: string, target: PlanResource, targetName: string | undefined, list = false): Link {
    const path = this.index.unknownAt(r, [attribute]);
    const value = r.values[attribute];
    if (!path && targetName) {
      const names = list ? (Array.isArray(value) ? value : []) : [value];
      return names.some((n) => n === targetName) ? 'ours' : 'other';
    }
    const resolved = this.index.resolve(r, attribute);
    if (resolved.resources.some((x) => x.address === target.address)) return 'ours';
    if (!path && !targetName && typeof value === 'string') return 'other';
    if (resolved.resources.length > 0 && resolved.unresolved.length === 0) return 'other';
    if (!path) return 'other';
    return { maybe: path };
  }

  /** The groups the user is in: the group resources (by name) the plan gives it, or the paths that make membership unknown. */
  private groups(): { groups: PlanResource[]; names: string[]; maybe: string[] } {
    const groups: PlanResource[] = [];
    const names = new Set<string>();
    const maybe: string[] = [];
    const addGroupByRef = (r: PlanResource, attribute: string, list: boolean) => {
      const path = this.index.unknownAt(r, [attribute]);
      const value = r.values[attribute];
      if (!path) {
        for (const n of list ? (Array.isArray(value) ? value : []) : [value]) if (typeof n === 'string') names.add(n);
      } else {
        const resolved = this.index.resolve(r, attribute);
        groups.push(...resolved.resources.filter((x) => x.type === 'aws_iam_group'));
        if (resolved.unresolved.length || resolved.resources.length === 0) maybe.push(path);
      }
    };
    for (const r of this.index.ofType('aws_iam_group_membership')) {
      const link = this.linksTo(r, 'users', this.user, this.name, true);
      if (link === 'ours') addGroupByRef(r, 'group', false);
      else if (link !== 'other') maybe.push(link.maybe);
    }
    for (const r of this.index.ofType('aws_iam_user_group_membership')) {
      const link = this.linksTo(r, 'user', this.user, this.name);
      if (link === 'ours') addGroupByRef(r, 'groups', true);
      else if (link !== 'other') maybe.push(link.maybe);
    }
    for (const g of this.index.ofType('aws_iam_group')) if (names.has(str(g.values.name) ?? '\0')) groups.push(g);
    for (const g of groups) if (str(g.values.name)) names.add(str(g.values.name)!);
    return { groups: [...new Set(groups)], names: [...names], maybe };
  }

  /** A policy ARN (attachment, boundary) to its document: from the plan's aws_iam_policy, or named as not evaluated. */
  private policyByArn(r: PlanResource, attribute: string): { document?: string; arn?: string; unknownPath?: string; notInPlan?: string } {
    const path = this.index.unknownAt(r, [attribute]);
    const arn = str(r.values[attribute]);
    if (!path && arn) {
      const policy = this.index.ofType('aws_iam_policy').find((p) => str(p.values.arn) === arn && !this.index.unknownAt(p, ['arn']));
      if (!policy) return { arn, notInPlan: arn };
      const docPath = this.index.unknownAt(policy, ['policy']);
      return docPath ? { unknownPath: docPath } : { arn, document: str(policy.values.policy) ?? '' };
    }
    const resolved = this.index.resolve(r, attribute).resources.filter((x) => x.type === 'aws_iam_policy');
    if (resolved.length !== 1) return { unknownPath: path ?? `${r.address}.${attribute}` };
    const docPath = this.index.unknownAt(resolved[0], ['policy']);
    return docPath ? { unknownPath: docPath } : { arn: `${resolved[0].address}.arn`, document: str(resolved[0].values.policy) ?? '' };
  }

  policies(): PlanFact<PrincipalPolicies> {
    const identity: PolicySource[] = [];
    const unknownPaths: string[] = [];
    const notInPlan: string[] = [];
    const from: string[] = [this.user.address];
    const userName = this.name;
    const addDocument = (r: PlanResource, kind: PolicySource['kind'], name: string, group?: string) => {
      const path = this.index.unknownAt(r, ['policy']);
      if (path) return void unknownPaths.push(path);
      identity.push({ kind, name, document: str(r.values.policy) ?? '', ...(group ? { group } : {}) });
      from.push(r.address);
    };
    const addAttachment = (r: PlanResource, kind: PolicySource['kind'], group?: string) => {
      const p = this.policyByArn(r, 'policy_arn');
      if (p.unknownPath) return void unknownPaths.push(p.unknownPath);
      if (p.notInPlan) return void notInPlan.push(p.notInPlan);
      identity.push({ kind, name: (p.arn ?? r.address).split('/').pop() ?? r.address, arn: p.arn, document: p.document ?? '', ...(group ? { group } : {}) });
      from.push(r.address);
    };
    const consider = (link: Link, then: () => void) => {
      if (link === 'ours') then();
      else if (link !== 'other') unknownPaths.push(link.maybe);
    };
    for (const r of this.index.ofType('aws_iam_user_policy')) consider(this.linksTo(r, 'user', this.user, userName), () => addDocument(r, 'user-inline', str(r.values.name) ?? r.address));
    for (const r of this.index.ofType('aws_iam_user_policy_attachment')) consider(this.linksTo(r, 'user', this.user, userName), () => addAttachment(r, 'user-managed'));
    const { groups, names, maybe } = this.groups();
    unknownPaths.push(...maybe);
    const groupLink = (r: PlanResource, attribute: string, list = false): { link: Link; group?: string } => {
      for (const g of groups) {
        const link = this.linksTo(r, attribute, g, str(g.values.name), list);
        if (link !== 'other') return { link, group: str(g.values.name) ?? g.address };
      }
      const value = r.values[attribute];
      const named = (list ? (Array.isArray(value) ? value : []) : [value]).find((n) => typeof n === 'string' && names.includes(n));
      if (named) return { link: 'ours', group: named as string };
      const path = this.index.unknownAt(r, [attribute]);
      return { link: path && this.index.resolve(r, attribute).resources.length === 0 ? { maybe: path } : 'other' };
    };
    for (const r of this.index.ofType('aws_iam_group_policy')) {
      const { link, group } = groupLink(r, 'group');
      consider(link, () => addDocument(r, 'group-inline', str(r.values.name) ?? r.address, group));
    }
    for (const r of this.index.ofType('aws_iam_group_policy_attachment')) {
      const { link, group } = groupLink(r, 'group');
      consider(link, () => addAttachment(r, 'group-managed', group));
    }
    for (const r of this.index.ofType('aws_iam_policy_attachment')) {
      const user = this.linksTo(r, 'users', this.user, userName, true);
      if (user === 'ours') addAttachment(r, 'user-managed');
      else {
        const { link, group } = groupLink(r, 'groups', true);
        if (link === 'ours') addAttachment(r, 'group-managed', group);
        else if (link !== 'other') unknownPaths.push(link.maybe);
        else if (user !== 'other') unknownPaths.push(user.maybe);
      }
    }
    let permissionsBoundary: PolicySource | undefined;
    const boundaryPath = this.index.unknownAt(this.user, ['permissions_boundary']);
    if (boundaryPath || str(this.user.values.permissions_boundary)) {
      const p = this.policyByArn(this.user, 'permissions_boundary');
      if (p.unknownPath) unknownPaths.push(p.unknownPath);
      else if (p.notInPlan) notInPlan.push(p.notInPlan);
      else permissionsBoundary = { kind: 'permissions-boundary', name: (p.arn ?? 'boundary').split('/').pop() ?? 'boundary', arn: p.arn, document: p.document ?? '' };
    }
    if (unknownPaths.length) return unknown(...new Set(unknownPaths));
    if (notInPlan.length) {
      return unavailable(
        `the plan attaches ${notInPlan.map((a) => `${a}${a.includes(':aws:policy/') ? ' (AWS-managed)' : ''}`).join(', ')} to ${this.user.address}, and the plan does not hold ${notInPlan.length === 1 ? 'its document' : 'their documents'}: not evaluated, so the permissions are not judged from the plan; a run against AWS reads ${notInPlan.length === 1 ? 'it' : 'them'}`,
      );
    }
    return known({ identity, permissionsBoundary, via: 'terraform plan' }, ...from);
  }
}
