// ARNs of IAM principals: the identity GHES uses (or the one --principal-arn names).
//
// Problems are predicates that read after the field name ("--principal-arn must have a 12-digit
// account ID ..."): options.ts prefixes the flag or config key. Pure: no AWS, no I/O.
//
// Forms (IAM User Guide, "IAM identifiers"):
//   arn:P:iam::ACCOUNT:user/[PATH/]NAME      arn:P:iam::ACCOUNT:role/[PATH/]NAME
//   arn:P:iam::ACCOUNT:group/[PATH/]NAME     arn:P:iam::ACCOUNT:root
//   arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION
//   arn:P:sts::ACCOUNT:federated-user/NAME
//
// There is deliberately no roleArnFromAssumedRole(): an assumed-role session ARN carries the role's
// name but not its path, so `arn:P:iam::ACCOUNT:role/NAME` is only right for roles at path "/".
// The real role ARN needs iam:GetRole (see src/aws/s3-facts.ts); callers get `kind` and `name`.

import { isPartitionId, PARTITION_IDS, type PartitionId } from '../regions.ts';
import { redactThenCut } from '../redact.ts';

export type PrincipalKind = 'user' | 'role' | 'assumed-role' | 'root' | 'federated-user' | 'group';

export interface PrincipalArn {
  partition: PartitionId;
  /** 12-digit AWS account ID. */
  account: string;
  kind: PrincipalKind;
  /** User, role or group name; the role name of an assumed-role session; 'root' for the root user. */
  name: string;
  /** IAM path ('/' or '/a/b/') of a user, role or group; null where the ARN has none (root, sts ARNs). */
  path: string | null;
  /** Session name of an assumed-role ARN. */
  sessionName?: string;
  /** The ARN as given (trimmed). */
  arn: string;
}

export type PrincipalArnResult = { ok: true; value: PrincipalArn } | { ok: false; problem: string };

const EXAMPLE = 'arn:aws:iam::123456789012:user/ghes-packages';
/** Characters IAM allows in user, role, group, federated-user and session names. */
const NAME_CHARS = /^[\w+=,.@-]+$/;
/** Maximum name lengths (IAM quotas; session names 2-64, federated-user names 2-32). */
const MAX_NAME: Record<'user' | 'role' | 'group', number> = { user: 64, role: 64, group: 128 };

const fail = (problem: string): PrincipalArnResult => ({ ok: false, problem });
const show = (s: string, max = 100): string => `'${redactThenCut(s, max)}'`;

/** Parses the ARN of an IAM user, role, group, root user, assumed-role session or federated user. */
export function parsePrincipalArn(input: string): PrincipalArnResult {
  const arn = input.trim();
  if (arn === '') return fail(`is empty; give the ARN of the IAM user GHES uses, e.g. ${EXAMPLE}`);
  if (/\s/.test(arn)) return fail(`must not contain spaces (${show(arn)}); copy the ARN exactly, e.g. ${EXAMPLE}`);
  if (!arn.startsWith('arn:')) {
    if (/^(AKIA|ASIA)[A-Z0-9]{16}$/.test(arn)) {
      return fail(`is an access key ID, not an ARN (${show(arn)}); give the ARN of the key's IAM user, e.g. ${EXAMPLE} (aws iam get-access-key-last-used --access-key-id ${arn} names the user)`);
    }
    if (/^\d{12}$/.test(arn)) return fail(`is an account ID, not a principal ARN (${show(arn)}); give the user or role, e.g. arn:aws:iam::${arn}:user/ghes-packages`);
    return fail(`must be an IAM principal ARN starting with 'arn:' (${show(arn)}); e.g. ${EXAMPLE}`);
  }

  const parts = arn.split(':');
  if (parts.length !== 6) {
    return fail(`is not a well-formed ARN (${show(arn)} has ${parts.length - 1} colons, expected 5 as in arn:PARTITION:SERVICE::ACCOUNT:RESOURCE); e.g. ${EXAMPLE}`);
  }
  const [, partition, service, region, account, resource] = parts;
  if (!isPartitionId(partition)) return fail(`has an unknown partition '${partition}' (${show(arn)}); use one of ${PARTITION_IDS.join(', ')}, e.g. ${EXAMPLE}`);
  if (service !== 'iam' && service !== 'sts') {
    return fail(`is an ARN of service '${service}', not an IAM principal (${show(arn)}); give an iam user or role ARN, e.g. ${EXAMPLE}`);
  }
  if (region !== '') return fail(`must have an empty Region field, found '${region}' (${show(arn)}); IAM and STS ARNs look like arn:${partition}:${service}::ACCOUNT:...`);
  if (account === 'aws' && resource.startsWith('policy/')) {
    return fail(`is an AWS managed policy ARN, not a principal (${show(arn)}); give the user or role the policy is attached to, e.g. ${EXAMPLE}`);
  }
  if (!/^\d{12}$/.test(account)) {
    return fail(`must have a 12-digit account ID (found ${show(account)} in ${show(arn)}); copy the ARN from the IAM console or from aws sts get-caller-identity`);
  }
  if (/[*?]/.test(resource)) return fail(`must name one principal, not a wildcard pattern (${show(arn)}); give the exact user or role ARN`);

  const base = { partition, account, arn };
  const slash = resource.indexOf('/');
  const type = slash === -1 ? resource : resource.slice(0, slash);
  const rest = slash === -1 ? null : resource.slice(slash + 1);

  if (service === 'iam') {
    if (resource === 'root') return { ok: true, value: { ...base, kind: 'root', name: 'root', path: null } };
    if (type === 'user' || type === 'role' || type === 'group') return parseIamEntity(base, type, rest);
    if (type === 'assumed-role' || type === 'federated-user') {
      return fail(`must use the sts service for ${type} ARNs (${show(arn)}); write arn:${partition}:sts::${account}:${resource}`);
    }
    const why: Record<string, string> = {
      policy: `is a managed policy ARN, not a principal (${show(arn)}); give the user or role the policy is attached to`,
      'instance-profile': `is an instance profile ARN (${show(arn)}); give the ARN of the role in that instance profile, arn:${partition}:iam::${account}:role/NAME`,
      'oidc-provider': `is an identity provider ARN (${show(arn)}); give the role that federated identities assume`,
      'saml-provider': `is an identity provider ARN (${show(arn)}); give the role that federated identities assume`,
    };
    return fail(why[type] ?? `is not an IAM user, role, group or root ARN (${show(arn)}); e.g. arn:${partition}:iam::${account}:user/ghes-packages`);
  }

  // sts
  if (type === 'assumed-role') {
    const segments = rest === null ? [] : rest.split('/');
    if (segments.length !== 2 || segments[0] === '' || segments[1] === '') {
      return fail(`must have the form assumed-role/ROLE/SESSION (${show(arn)}); copy it from aws sts get-caller-identity, e.g. arn:${partition}:sts::${account}:assumed-role/ghes-packages/session`);
    }
    const [role, session] = segments;
    const nameProblem = checkName('role', role, 1, 64) ?? checkName('session', session, 2, 64);
    if (nameProblem) return fail(`${nameProblem} in ${show(arn)}; copy the exact ARN from aws sts get-caller-identity or the IAM console`);
    return { ok: true, value: { ...base, kind: 'assumed-role', name: role, path: null, sessionName: session } };
  }
  if (type === 'federated-user') {
    if (rest === null || rest === '' || rest.includes('/')) {
      return fail(`must have the form federated-user/NAME (${show(arn)}); e.g. arn:${partition}:sts::${account}:federated-user/Bob`);
    }
    const nameProblem = checkName('federated user', rest, 2, 32);
    if (nameProblem) return fail(`${nameProblem} in ${show(arn)}; copy the exact ARN from aws sts get-caller-identity or the IAM console`);
    return { ok: true, value: { ...base, kind: 'federated-user', name: rest, path: null } };
  }
  if (type === 'user' || type === 'role' || type === 'group' || resource === 'root') {
    return fail(`must use the iam service for ${resource === 'root' ? 'the root user' : `${type} ARNs`} (${show(arn)}); write arn:${partition}:iam::${account}:${resource}`);
  }
  return fail(`is not an STS assumed-role or federated-user ARN (${show(arn)}); e.g. arn:${partition}:sts::${account}:assumed-role/ROLE/SESSION`);
}

function checkName(what: string, name: string, min: number, max: number): string | null {
  if (!NAME_CHARS.test(name)) return `has a ${what} name ${show(name)} with characters IAM does not allow (only letters, digits and _+=,.@-)`;
  if (name.length < min || name.length > max) return `has a ${what} name ${show(name)} of ${name.length} character${name.length === 1 ? '' : 's'} (IAM allows ${min} to ${max})`;
  return null;
}

function parseIamEntity(base: { partition: PartitionId; account: string; arn: string }, kind: 'user' | 'role' | 'group', rest: string | null): PrincipalArnResult {
  const example = `arn:${base.partition}:iam::${base.account}:${kind}/${kind === 'role' ? 'service-role/' : ''}NAME`;
  if (rest === null || rest === '') return fail(`has no ${kind} name after '${kind}/' (${show(base.arn)}); e.g. ${example}`);
  const segments = rest.split('/');
  const name = segments[segments.length - 1];
  if (name === '') return fail(`has no ${kind} name after the path (${show(base.arn)} ends with '/'); e.g. ${example}`);
  const pathSegments = segments.slice(0, -1);
  if (pathSegments.some((s) => s === '')) return fail(`has an empty path segment ('//') (${show(base.arn)}); e.g. ${example}`);
  const path = pathSegments.length === 0 ? '/' : `/${pathSegments.join('/')}/`;
  if (path.length > 512 || !/^[\x21-\x7e]+$/.test(path)) return fail(`has an invalid IAM path ${show(path)} (${show(base.arn)}); paths are printable ASCII, at most 512 characters`);
  const nameProblem = checkName(kind, name, 1, MAX_NAME[kind]);
  if (nameProblem) return fail(`${nameProblem} in ${show(base.arn)}; copy the exact ARN from the IAM console`);
  return { ok: true, value: { ...base, kind, name, path } };
}
