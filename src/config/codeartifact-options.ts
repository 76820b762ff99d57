// Options of `packages-preflight codeartifact` (and its `policy` subcommand), validated before
// anything reaches AWS: bad input is one line and exit code 3 (see ./options.ts).
//
// Naming rules (AWS CodeArtifact API Reference, e.g. GetDomainPermissionsPolicy, and the service
// model botocore/data/codeartifact/2018-09-22/service-2.json, shapes DomainName and AccountId):
//   domain name   2 to 50 characters, pattern [a-z][a-z0-9\-]{0,48}[a-z0-9]
//   domain owner  exactly 12 digits, pattern [0-9]{12}
// Organization ids (AWS Organizations API Reference, Organization.Id): o-[a-z0-9]{10,32}.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isKnownAction } from '../policy/actions.ts';
import { parsePrincipalArn } from './arn.ts';
import { awsOptionsShape, listOf, outputOptionsShape, readConfigFile, UsageError } from './options.ts';

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
    orgId: orgIdField.optional(),
    allowedAccounts: accountList.optional(),
    expect: z.string().trim().min(1, 'is empty; give the path of a YAML file of expected access').optional(),
    ...awsOptionsShape,
    ...outputOptionsShape,
  })
  .strict();
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
}

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
      throw new UsageError(
        `--expect ${file}: principal "${principal}" is a ${parsed.value.kind}, which a resource policy cannot name; use the account root, a user, a role or an assumed-role session ARN`,
      );
    }
    if (actions === null || typeof actions !== 'object' || Array.isArray(actions) || Object.keys(actions).length === 0) {
      throw new UsageError(`--expect ${file}: "${principal}" must map actions to allow or deny, e.g. "codeartifact:GetAuthorizationToken: allow"`);
    }
    for (const [action, value] of Object.entries(actions as Record<string, unknown>)) {
      if (!EXPECT_ACTION.test(action)) {
        throw new UsageError(`--expect ${file}: "${principal}" / "${action}" is not a CodeArtifact action; name one action exactly, e.g. codeartifact:ReadFromRepository (no wildcards)`);
      }
      if (!isKnownAction(action)) {
        throw new UsageError(`--expect ${file}: "${principal}" / "${action}" is not an action CodeArtifact has; check the spelling (e.g. codeartifact:GetAuthorizationToken)`);
      }
      const e = describeExpectation(value);
      if (e.problem) throw new UsageError(`--expect ${file}: "${principal}" / "${action}" ${e.problem}`);
      entries.push({ principal, account: parsed.value.account, action, expected: e.expected!, ...(e.resource ? { resource: e.resource } : {}) });
    }
  }
  if (entries.length === 0) throw new UsageError(`--expect ${file}: lists no principals; map each principal ARN to actions and allow or deny`);
  return entries;
}

/** Reads a policy file for offline checking. The text is kept verbatim (policy-document judges it). */
export function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable');
    throw new UsageError(`--policy-file ${file}: cannot read the file (${why}); check the path`);
  }
}
