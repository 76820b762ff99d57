// The fleet file (`fleet --targets FILE`) and the fleet command's own flags, validated before any
// AWS call. A target takes the per-target keys of --config (bucket, serviceUrl, region,
// actionsBucket, principalArn, engine, sourceIp, sourceVpce, maxRetentionDays) plus where its
// credentials come from (profile; or assumeRoleArn with an optional externalId, so one auditor
// credential can check many accounts). `storage: actions` makes a target a GitHub Actions storage
// target (the keys of the actions command: packagesBucket, roleArn, ghesHost, ghesUrl, ghesCertificate). `defaults` apply to every target; a target's own value wins.
// Every problem is one line naming the target: `fleet.yml: targets[3] (name "prod-eu"): "bucket" ...`.

import { z } from 'zod';
import { normalizeBucketRef } from './bucket.ts';
import { parsePrincipalArn } from './arn.ts';
import { actionsTargetShape } from './actions-options.ts';
import { awsOptionsShape, outputOptionsShape, readConfigFile, s3TargetShape, validate } from './options.ts';
import { usageError } from '../i18n/usage.ts';

/** Targets checked at once unless --concurrency says otherwise (README "Fleet mode" says why 8). */
export const DEFAULT_FLEET_CONCURRENCY = 8;
export const MAX_FLEET_CONCURRENCY = 64;

const roleArnField = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const parsed = parsePrincipalArn(v);
    if (!parsed.ok) return ctx.addIssue({ code: 'custom', message: parsed.problem });
    if (parsed.value.kind !== 'role') ctx.addIssue({ code: 'custom', message: `must be the ARN of an IAM role to assume, e.g. arn:aws:iam::111122223333:role/preflight-auditor (got a ${parsed.value.kind} ARN)` });
  });

/** Where a target's credentials come from; targets with the same source share one session and one fact cache. */
export const credentialShape = {
  profile: awsOptionsShape.profile,
  assumeRoleArn: roleArnField.optional(),
  // STS: 2-1224 characters of [\w+=,.@:/-]. Not a secret, but never logged either.
  externalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2 to 1224 characters of letters, digits and +=,.@:/- (the ExternalId the role\'s trust policy expects)')
    .optional(),
};

const nameField = z
  .string()
  .trim()
  .min(1, 'is empty; give the target a short name such as "prod-eu"')
  .max(128, 'is longer than 128 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** The keys one target may set (and `defaults`, except name and bucket). */
export const fleetTargetShape = {
  name: nameField,
  bucket: s3TargetShape.bucket,
  serviceUrl: s3TargetShape.serviceUrl,
  region: awsOptionsShape.region,
  actionsBucket: s3TargetShape.actionsBucket,
  principalArn: s3TargetShape.principalArn,
  engine: s3TargetShape.engine,
  sourceIp: s3TargetShape.sourceIp,
  sourceVpce: s3TargetShape.sourceVpce,
  maxRetentionDays: s3TargetShape.maxRetentionDays,
  /** packages (the default): the ghes-s3 checks; actions: the ghes-actions-s3 checks. */
  storage: z.enum(['packages', 'actions'], { message: 'must be packages (the default) or actions' }).optional(),
  packagesBucket: actionsTargetShape.packagesBucket,
  roleArn: actionsTargetShape.roleArn,
  ghesHost: actionsTargetShape.ghesHost,
  ghesUrl: actionsTargetShape.ghesUrl,
  ghesCertificate: actionsTargetShape.ghesCertificate,
  ...credentialShape,
};

/** Keys that belong to one kind of storage target only: given to the other, they would be silently ignored. */
const ACTIONS_ONLY = ['packagesBucket', 'roleArn', 'ghesHost', 'ghesUrl', 'ghesCertificate'] as const;

const targetSchema = z
  .object({ ...fleetTargetShape, name: nameField.optional() })
  .strict()
  .superRefine((t, ctx) => {
    if (t.externalId && !t.assumeRoleArn) ctx.addIssue({ code: 'custom', path: ['externalId'], message: 'needs "assumeRoleArn" (the role whose trust policy checks the external id)' });
    if (t.storage === 'actions') {
      if (t.actionsBucket) ctx.addIssue({ code: 'custom', path: ['actionsBucket'], message: 'is for Packages targets; an Actions target (storage: actions) names the other bucket with "packagesBucket"' });
      if (t.roleArn && t.principalArn) ctx.addIssue({ code: 'custom', path: ['principalArn'], message: 'cannot be combined with "roleArn" (with OpenID Connect the role is the principal GHES uses); drop one of them' });
      if (t.roleArn && !t.ghesHost && !t.ghesUrl) ctx.addIssue({ code: 'custom', path: ['ghesHost'], message: 'is required with "roleArn" (the OIDC issuer is https://HOST/_services/token), e.g. ghesHost: ghes.example.com' });
    } else {
      for (const key of ACTIONS_ONLY) if (t[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is for Actions storage targets; add "storage: actions" to this target' });
    }
  });
const partialTargetSchema = z.object(fleetTargetShape).partial().strict();
const { name: _name, bucket: _bucket, ...defaultKeys } = fleetTargetShape;
const defaultsSchema = z.object(defaultKeys).partial().strict();
const fileSchema = z
  .object({
    defaults: z.record(z.string(), z.unknown()).optional(),
    targets: z.array(z.unknown()).min(1, 'is empty; list at least one target ({ name, bucket, serviceUrl })'),
  })
  .strict();

export interface CredentialSource {
  profile?: string;
  assumeRoleArn?: string;
  externalId?: string;
}

export interface FleetTarget {
  /** Unique in the file; names the target's report section and JUnit suite (default: the bucket). */
  name: string;
  /** Position in the file (0-based), for messages. */
  index: number;
  options: {
    bucket: string;
    serviceUrl?: string;
    region?: string;
    actionsBucket?: string;
    principalArn?: string;
    engine?: 'auto' | 'aws' | 'local';
    sourceIp?: string[];
    sourceVpce?: string;
    maxRetentionDays?: number;
    storage?: 'packages' | 'actions';
    packagesBucket?: string;
    roleArn?: string;
    ghesHost?: string;
    ghesUrl?: string;
    ghesCertificate?: string;
  };
  credentials: CredentialSource;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function labelOf(file: string, index: number, raw: unknown): string {
  const r = isMapping(raw) ? raw : {};
  const named = typeof r.name === 'string' && r.name.trim() ? `name "${r.name.trim()}"` : typeof r.bucket === 'string' ? `bucket "${r.bucket}"` : '';
  return `${file}: targets[${index}]${named ? ` (${named})` : ''}`;
}

const bucketName = (ref: string): string => {
  const parsed = normalizeBucketRef(ref);
  return 'bucket' in parsed ? parsed.bucket : ref;
};

/** Validates a parsed fleet file (YAML/JSON object); `file` names it in messages. */
export function parseFleet(data: unknown, file: string): FleetTarget[] {
  if (!isMapping(data)) throw usageError('fleet.notMapping', { file });
  const top = validate(fileSchema, data, 'config', file);
  if (top.defaults !== undefined && !isMapping(data.defaults)) throw usageError('fleet.defaults', { file });
  const defaults = validate(defaultsSchema, top.defaults ?? {}, 'config', `${file}: defaults`);
  const seen = new Map<string, number>();
  return top.targets.map((raw, index) => {
    const label = labelOf(file, index, raw);
    if (!isMapping(raw)) throw usageError('fleet.targetNotMapping', { label });
    // The target's own keys first (so a typo is named as the target's), then with the defaults.
    validate(partialTargetSchema, raw, 'config', label);
    const t = validate(targetSchema, { ...defaults, ...raw }, 'config', label);
    const name = t.name ?? bucketName(t.bucket);
    const first = seen.get(name);
    if (first !== undefined) {
      throw usageError('fleet.duplicateName', { label, name, first });
    }
    seen.set(name, index);
    const { name: _n, profile, assumeRoleArn, externalId, ...options } = t;
    return { name, index, options, credentials: { profile, assumeRoleArn, externalId } };
  });
}

/** Reads and validates `--targets FILE`. */
export function loadFleetFile(file: string): FleetTarget[] {
  return parseFleet(readConfigFile(file, '--targets'), file);
}

export interface Shard {
  /** 1-based, as CI matrices and GitLab's CI_NODE_INDEX count. */
  index: number;
  count: number;
}

/** `--shard I/N`, 1 ≤ I ≤ N. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(value);
  if (!m) throw usageError('fleet.shardForm', { value });
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw usageError('fleet.shardRange', { value });
  return { index, count };
}

/** The fleet command's flags (run-wide; per-target settings live in the file). */
export const fleetCommandSchema = z
  .object({
    targets: z.string().trim().min(1, 'is empty; give the YAML or JSON file listing the targets'),
    concurrency: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_FLEET_CONCURRENCY, `must be at most ${MAX_FLEET_CONCURRENCY} (AWS throttles larger bursts; see README "Fleet mode")`)
      .optional(),
    shard: z.string().optional(),
    endpointUrl: awsOptionsShape.endpointUrl,
    timeout: awsOptionsShape.timeout,
    maxAttempts: awsOptionsShape.maxAttempts,
    proxy: awsOptionsShape.proxy,
    caBundle: awsOptionsShape.caBundle,
    ...outputOptionsShape,
  })
  .strict();
export type FleetCommandOptions = z.infer<typeof fleetCommandSchema>;
