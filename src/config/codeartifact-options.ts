// Options of `packages-preflight codeartifact` (and its `policy` subcommand), validated before
// anything reaches AWS: bad input is one line and exit code 3 (see ./options.ts).
//
// Naming rules (AWS CodeArtifact API Reference, e.g. GetDomainPermissionsPolicy, and the service
// model botocore/data/codeartifact/2018-09-22/service-2.json, shapes DomainName and AccountId):
//   domain name   2 to 50 characters, pattern [a-z][a-z0-9\-]{0,48}[a-z0-9]
//   domain owner  exactly 12 digits, pattern [0-9]{12}
// Organization ids (AWS Organizations API Reference, Organization.Id): o-[a-z0-9]{10,32}.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readUserFile } from './input-file.ts';
import { z } from 'zod';
import { isKnownAction } from '../policy/actions.ts';
import { parsePrincipalArn } from './arn.ts';
import { awsOptionsShape, listOf, outputOptionsShape, readConfigFile, UsageError } from './options.ts';
import { usageError } from '../i18n/usage.ts';

export const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const ORG_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** null when `name` is a valid CodeArtifact domain name, else a predicate naming the problem and the fix. */
export function validateDomainName(name: string): string | null {
  if (name.length < 2 || name.length > 50) return `must be 2 to 50 characters long ('${name}' has ${name.length}); use the domain name exactly as CodeArtifact lists it`;
  if (/[A-Z]/.test(name) && DOMAIN_NAME_PATTERN.test(name.toLowerCase())) return `must be lower-case (CodeArtifact domain names are); use '${name.toLowerCase()}'`;
  if (!/^[a-z0-9-]+$/.test(name)) return `may contain only lower-case letters, digits and hyphens ('${name}'); use the domain name exactly as CodeArtifact lists it`;
  if (!/^[a-z]/.test(name)) return `must start with a lower-case letter ('${name}')`;
  if (name.endsWith('-')) return `must end with a letter or digit ('${name}')`;
  return null;
}

// yargs or a YAML file may hand a 12-digit id over as a number: keep the digits.
const asString = (v: unknown) => (typeof v === 'number' ? String(v) : v);

const domainField = z.preprocess(
  asString,
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = validateDomainName(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
);

const accountField = z.preprocess(asString, z.string().trim().regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id such as 111122223333 (no dashes or spaces)'));

const orgIdField = z.string().trim().regex(ORG_ID_PATTERN, 'must be an AWS Organizations id such as o-a1b2c3d4e5 ("o-" and 10 to 32 lower-case letters or digits)');

const accountList = listOf(z.string().trim().regex(ACCOUNT_ID_PATTERN, 'must list 12-digit AWS account ids separated by commas, e.g. 111122223333,444455556666'), { numbers: true }).pipe(
  z.array(z.string()).min(1, 'must list at least one account id'),
);

export const codeArtifactOptionsSchema = z
  .object({
    domain: domainField,
    domainOwner: accountField.optional(),
    policyFile: z.string().trim().min(1, 'is empty; give the path of a domain policy JSON file').optional(),
    policyDir: z.string().trim().min(1, 'is empty; give a directory holding domain.json and repositories/NAME.json').optional(),
    maxPackages: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100000, 'must be at most 100000').optional(),
    orgId: orgIdField.optional(),
    allowedAccounts: accountList.optional(),
    expect: z.string().trim().min(1, 'is empty; give the path of a YAML file of expected access').optional(),
    ...awsOptionsShape,
    ...outputOptionsShape,
  })
  .strict()
  .refine((v) => !(v.policyFile !== undefined && v.policyDir !== undefined), { path: ['policyDir'], message: 'cannot be combined with --policy-file; put the domain policy in DIR/domain.json' });
export type CodeArtifactOptions = z.infer<typeof codeArtifactOptionsSchema>;

export const codeArtifactPolicyOptionsSchema = z
  .object({
    orgId: orgIdField,
    readOnly: z.boolean().optional(),
    domain: domainField.optional(),
    domainOwner: accountField.optional(),
    region: awsOptionsShape.region,
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = [v.domain, v.domainOwner, v.region].filter((x) => x !== undefined).length;
    if (given > 0 && given < 3) {
      const missing = [v.domain ? '' : 'domain', v.domainOwner ? '' : 'domainOwner', v.region ? '' : 'region'].find(Boolean) ?? 'domain';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is needed too: give --domain, --domain-owner and --region together to scope the policy to the domain\'s ARNs, or none of them for Resource "*"' });
    }
  });
export type CodeArtifactPolicyOptions = z.infer<typeof codeArtifactPolicyOptionsSchema>;

// ---------------------------------------------------------------------------------------------
// --expect FILE: principal ARN -> action -> allow | deny (or { expect: allow|deny, resource: ARN })

export type Expectation = 'allow' | 'deny';

export interface ExpectEntry {
  /** The IAM principal as written in the file (account root, user, role or assumed-role session ARN). */
  principal: string;
  /** The 12-digit account of the principal. */
  account: string;
  /** `codeartifact:Name` as written. */
  action: string;
  expected: Expectation;
  /** A specific resource ARN to evaluate (default: chosen by the action's resource type, see checks/codeartifact/context.ts). */
  resource?: string;
  /** Repository-level expectation: evaluated on this repository with the domain and repository policies together. */
  repository?: string;
}

/** Matrix actions a repository-level expectation may name besides single codeartifact: actions. */
export const MATRIX_ACTIONS = ['read', 'publish', 'admin'] as const;

/** CodeArtifact repository names (CreateRepository, repository: 2 to 100 characters, [A-Za-z0-9][A-Za-z0-9._\-]{1,99}). */
export const REPOSITORY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;

const EXPECT_ACTION = /^codeartifact:[A-Za-z]+$/;

function describeExpectation(value: unknown): { expected?: Expectation; resource?: string; problem?: string } {
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
  if (norm(value) === 'allow' || norm(value) === 'deny') return { expected: norm(value) as Expectation };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => k !== 'expect' && k !== 'resource');
    if (unknown.length > 0) return { problem: `has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; use "expect" and optionally "resource"` };
    const expected = norm(o.expect);
    if (expected !== 'allow' && expected !== 'deny') return { problem: 'needs "expect: allow" or "expect: deny"' };
    if (o.resource !== undefined && (typeof o.resource !== 'string' || !/^arn:[^:]+:codeartifact:[^:]*:[^:]*:.+/.test(o.resource))) {
      return { problem: 'has a "resource" that is not a CodeArtifact ARN (arn:aws:codeartifact:REGION:ACCOUNT:repository/DOMAIN/REPO)' };
    }
    return { expected: expected as Expectation, resource: o.resource as string | undefined };
  }
  return { problem: 'must be allow or deny (or a mapping with "expect" and "resource")' };
}

/**
 * Reads and validates the --expect file:
 *
 *     arn:aws:iam::444455556666:role/ci-publisher:
 *       codeartifact:GetAuthorizationToken: allow
 *       codeartifact:PublishPackageVersion: allow
 *       codeartifact:DeleteRepository: deny
 *
 * Any problem is a one-line UsageError naming the file and the entry.
 */
export function loadExpectFile(file: string): ExpectEntry[] {
  const data = readConfigFile(file, '--expect');
  const entries: ExpectEntry[] = [];
  for (const [principal, actions] of Object.entries(data)) {
    const parsed = parsePrincipalArn(principal);
    if (!parsed.ok) throw new UsageError(`--expect ${file}: principal "${principal}" ${parsed.problem}`);
    if (parsed.value.kind === 'group' || parsed.value.kind === 'federated-user') {
      throw usageError('expect.principalKind', { file, principal, kind: parsed.value.kind });
    }
    if (actions === null || typeof actions !== 'object' || Array.isArray(actions) || Object.keys(actions).length === 0) {
      throw usageError('expect.mapActions', { file, principal });
    }
    for (const [action, value] of Object.entries(actions as Record<string, unknown>)) {
      if (!action.includes(':')) {
        entries.push(...repositoryExpectations(file, principal, parsed.value.account, action, value));
        continue;
      }
      if (!EXPECT_ACTION.test(action)) {
        throw usageError('expect.notAction', { file, principal, action });
      }
      if (!isKnownAction(action)) {
        throw usageError('expect.unknownAction', { file, principal, action });
      }
      const e = describeExpectation(value);
      if (e.problem) throw new UsageError(`--expect ${file}: "${principal}" / "${action}" ${e.problem}`);
      entries.push({ principal, account: parsed.value.account, action, expected: e.expected!, ...(e.resource ? { resource: e.resource } : {}) });
    }
  }
  if (entries.length === 0) throw usageError('expect.empty', { file });
  return entries;
}

/** `principal: { REPOSITORY: { read|publish|admin|codeartifact:Action: allow|deny } }`. */
function repositoryExpectations(file: string, principal: string, account: string, repository: string, actions: unknown): ExpectEntry[] {
  const where = `--expect ${file}: "${principal}" / "${repository}"`;
  if (!REPOSITORY_NAME_PATTERN.test(repository)) {
    throw usageError('expect.notRepository', { where });
  }
  if (actions === null || typeof actions !== 'object' || Array.isArray(actions) || Object.keys(actions).length === 0) {
    throw usageError('expect.mapAccess', { where });
  }
  const out: ExpectEntry[] = [];
  for (const [action, value] of Object.entries(actions as Record<string, unknown>)) {
    const matrix = (MATRIX_ACTIONS as readonly string[]).includes(action);
    if (!matrix && !(EXPECT_ACTION.test(action) && isKnownAction(action))) {
      throw usageError('expect.notAccess', { where, action });
    }
    const norm = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (norm !== 'allow' && norm !== 'deny') throw usageError('expect.allowOrDeny', { where, action });
    out.push({ principal, account, action, expected: norm, repository });
  }
  return out;
}

/** A repository's files in --policy-dir (see OfflineRepositoryFiles in src/aws/codeartifact-facts.ts). */
export interface PolicyDirRepository {
  name: string;
  policy?: { text: string; file: string };
  description?: { answer: unknown; file: string };
  packages?: { answer: unknown; file: string };
}

/**
 * Reads --policy-dir DIR: DIR/domain.json (the domain policy; absent = the domain has no policy),
 * DIR/repositories/NAME.json (a repository policy; absent = no policy), NAME.repository.json (a
 * DescribeRepository answer) and NAME.packages.json (a ListPackages answer). Any other file, a
 * name CodeArtifact would refuse, or a description that is not JSON is a one-line UsageError.
 * Policy texts are kept verbatim (policy-document judges them).
 */
export function readPolicyDir(dir: string): { domain?: { text: string; file: string }; repositories: PolicyDirRepository[] } {
  const flag = `--policy-dir ${dir}`;
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (!isDir(dir)) throw usageError('policyDir.notDirectory', { flag });
  const domainFile = path.join(dir, 'domain.json');
  const domain = existsFile(domainFile) ? { text: readPolicyFile(domainFile, '--policy-dir'), file: domainFile } : undefined;
  const repoDir = path.join(dir, 'repositories');
  const repositories = new Map<string, PolicyDirRepository>();
  if (isDir(repoDir)) {
    for (const entry of readdirSync(repoDir).sort()) {
      const m = /^(.+?)(\.repository|\.packages)?\.json$/.exec(entry);
      const file = path.join(repoDir, entry);
      if (!m) throw usageError('policyDir.fileName', { flag, entry });
      const [, name, kind] = m;
      if (!REPOSITORY_NAME_PATTERN.test(name)) throw usageError('policyDir.repositoryName', { flag, entry, name });
      const repo = repositories.get(name) ?? { name };
      const text = readPolicyFile(file, '--policy-dir');
      if (kind === undefined) repo.policy = { text, file };
      else {
        let answer: unknown;
        try {
          answer = JSON.parse(text);
        } catch (e) {
          throw new UsageError(`${flag}: repositories/${entry} is not valid JSON (${(e as Error).message}); save the ${kind === '.repository' ? 'DescribeRepository' : 'ListPackages'} answer as JSON`);
        }
        if (kind === '.repository') repo.description = { answer, file };
        else repo.packages = { answer, file };
      }
      repositories.set(name, repo);
    }
  } else if (existsFile(repoDir)) {
    throw usageError('policyDir.repositoriesNotDirectory', { flag });
  }
  if (!domain && repositories.size === 0) throw usageError('policyDir.empty', { flag });
  return { ...(domain ? { domain } : {}), repositories: [...repositories.values()] };
}

function existsFile(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Reads a policy file for offline checking. The text is kept verbatim (policy-document judges it). */
export function readPolicyFile(file: string, flag = '--policy-file'): string {
  return readUserFile(file, `${flag} ${file}`, 'check the path');
}
