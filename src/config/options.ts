// Everything the user told us, validated before anything reaches AWS. Bad input stops here with
// one line naming the field and the fix (exit 3). The same schema serves flags, --config files
// and fleet target files, so a key means the same thing everywhere.

import { resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isKnownRegion } from '../regions.ts';
import { parseCidr } from '../policy/conditions.ts';
import { parsePrincipalArn } from './arn.ts';
import { normalizeBucketRef, validateBucketName } from './bucket.ts';
import { FORMATS, type Format } from '../report/formats.ts';

import { checkParsedInput, parseJsonInput, readCaBundle, readUserFile } from './input-file.ts';
import { UsageError } from './usage-error.ts';
import { usageError } from '../i18n/usage.ts';

export { UsageError };

// The format names come from the one table of formats (src/report/formats.ts).
export { FORMATS, type Format };
export const ENGINES = ['auto', 'aws', 'local'] as const;

/**
 * The one rule for list options (--format, --source-ip, --allowed-accounts), on the command line
 * and in files: comma-separated, repeated, or both (`--format json,junit --format markdown`); a
 * YAML list works too. `numbers`: a bare number is one item (account ids written unquoted in YAML).
 */
export function listOf<T extends z.ZodType>(item: T, options: { numbers?: boolean } = {}) {
  const split = (x: unknown): unknown[] => (typeof x === 'string' ? x.split(',') : typeof x === 'number' ? [String(x)] : [x]);
  return z.preprocess(
    (v) => (typeof v === 'string' || (options.numbers && typeof v === 'number') ? split(v) : Array.isArray(v) ? v.flatMap(split) : v),
    z.array(item),
  );
}

const commaList = listOf(z.string().trim().min(1));

const formatList = commaList.pipe(
  z.array(z.string()).superRefine((list, ctx) => {
    for (const f of list) {
      if (!(FORMATS as readonly string[]).includes(f)) ctx.addIssue({ code: 'custom', message: `unknown format "${f}"; use one or more of ${FORMATS.join(', ')}` });
    }
  }),
) as unknown as z.ZodType<Format[]>;

const bucketField = z.string().trim().min(1, 'is empty; give the S3 bucket name GHES uses for Packages').superRefine((value, ctx) => {
  const ref = normalizeBucketRef(value);
  if ('problem' in ref) return ctx.addIssue({ code: 'custom', message: ref.problem });
  const problem = validateBucketName(ref.bucket);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const regionField = z.string().trim().refine(isKnownRegion, { message: 'is not a known AWS region; use a region code such as us-east-1 or eu-west-1' });

const cidr = z.string().refine((v) => isCidr(v), { message: 'must be an IP address or CIDR such as 203.0.113.10/32' });

export function isCidr(value: string): boolean {
  return parseCidr(value) !== undefined;
}

const endpointField = z.string().trim().superRefine((v, ctx) => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return ctx.addIssue({ code: 'custom', message: 'is not a URL; use e.g. http://127.0.0.1:5000 for an emulator' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must start with http:// or https://' });
  if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
});

/** Options shared by every command that talks to AWS. */
// A proxy URL may carry a user and password (basic auth): they are registered as secrets, never printed.
const proxyField = z.string().trim().superRefine((v, ctx) => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return ctx.addIssue({ code: 'custom', message: 'is not a URL; use e.g. http://proxy.example.com:3128 (or http://user:password@host:port)' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must start with http:// or https:// (the proxy itself; SOCKS is not supported)' });
});

/** A PEM file of certificate authorities (a TLS-inspecting proxy's CA), read up front: bad input is exit 3. */
const caBundleField = z.string().trim().superRefine((v, ctx) => {
  let text: string;
  try {
    // Capped like every user-given file: `--ca-bundle /dev/zero` is refused after 4 MiB, not read forever.
    text = readCaBundle(v);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return ctx.addIssue({ code: 'custom', message: e.message.replace(/^CA bundle: (cannot read the file)?/, (_, unreadable: string | undefined) => (unreadable ? 'cannot be read' : '')) });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) ctx.addIssue({ code: 'custom', message: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' });
});

export const awsOptionsShape = {
  region: regionField.optional(),
  profile: z.string().trim().min(1).optional(),
  endpointUrl: endpointField.optional(),
  timeout: z.coerce.number().positive('must be a positive number of seconds').max(3600, 'must be at most 3600 seconds').optional(),
  maxAttempts: z.coerce.number().int('must be a whole number of attempts from 1 to 10').min(1, 'must be a whole number of attempts from 1 to 10').max(10, 'must be a whole number of attempts from 1 to 10').optional(),
  proxy: proxyField.optional(),
  caBundle: caBundleField.optional(),
};

export const outputOptionsShape = {
  format: formatList.optional(),
  outputDir: z.string().trim().min(1).optional(),
  /** --stdout, or --output -: the one report format on standard output (src/cli/common.ts planOutput). */
  stdout: z.boolean().optional(),
  output: z.literal('-', { message: 'takes only "-" (standard output, the same as --stdout); to write files use --output-dir' }).optional(),
  debug: z.boolean().optional(),
  quiet: z.boolean().optional(),
  color: z.boolean().optional(),
  waivers: z.string().trim().min(1).optional(),
  sarifAnchor: z.string().trim().min(1).optional(),
};

/** The per-target keys of the GHES S3 check (also the keys of a fleet target). */
export const s3TargetShape = {
  bucket: bucketField,
  // The value under test, not input to validate: an unusable or missing one is a `service-url`
  // fail (src/config/service-url.ts serviceUrlInput), so only its type is checked here.
  serviceUrl: z.string().optional(),
  actionsBucket: bucketField.optional(),
  principalArn: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const parsed = parsePrincipalArn(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
    })
    .optional(),
  engine: z.enum(ENGINES, { message: `must be one of ${ENGINES.join(', ')}` }).optional(),
  sourceIp: listOf(z.string().trim().pipe(cidr)).optional(),
  sourceVpce: z.string().regex(/^vpce-[0-9a-f]{8,17}$/, 'must look like vpce-0a1b2c3d4e5f67890').optional(),
  probe: z.boolean().optional(),
  baseline: z.string().min(1).optional(),
  writeBaseline: z.string().min(1).optional(),
  maxRetentionDays: z.coerce.number().int('must be a whole number of days, 0 or more').nonnegative('must be a whole number of days, 0 or more').optional(),
};

/** Where the target can come from besides flags: the appliance's own `ghe-config -l` output. */
export const gheImportShape = {
  fromGheConfig: z.string().min(1).optional(),
  useGheCredentials: z.boolean().optional(),
};

/**
 * Options that contradict each other: one line naming both and the fix, exit 3, before any AWS
 * call. Checked on the merged options (flags over --config), so a file and a flag can conflict too.
 */
export function rejectConflicts(options: { quiet?: boolean; debug?: boolean; baseline?: string; writeBaseline?: string; useGheCredentials?: boolean; profile?: string }, ctx: z.RefinementCtx): void {
  if (options.quiet && options.debug) {
    ctx.addIssue({ code: 'custom', path: ['debug'], message: 'cannot be combined with --quiet (one prints every AWS request, the other only findings); drop one of them' });
  }
  if (options.baseline && options.writeBaseline && resolvePath(options.baseline) === resolvePath(options.writeBaseline)) {
    ctx.addIssue({ code: 'custom', path: ['writeBaseline'], message: `names the same file as --baseline (${options.baseline}): the run would compare against the file it overwrites; write the new baseline to another file` });
  }
  if (options.useGheCredentials && options.profile) {
    ctx.addIssue({ code: 'custom', path: ['profile'], message: 'cannot be combined with --use-ghe-credentials (both say which credentials to use); drop one of them' });
  }
}

export const checkOptionsSchema = z.object({ ...s3TargetShape, ...awsOptionsShape, ...outputOptionsShape, ...gheImportShape }).strict().superRefine(rejectConflicts);
export type CheckOptions = z.infer<typeof checkOptionsSchema>;

/**
 * check --terraform-plan (issue 20): the same target keys, judged from a plan. The bucket is named
 * by --bucket or --bucket-address (or is the plan's only one), the user by --principal-arn or
 * --user-address. Options that only make sense with AWS are refused: nothing is sent to AWS.
 */
export const terraformPlanShape = {
  terraformPlan: z.string().trim().min(1, 'is empty; give the file "terraform show -json PLANFILE" wrote, e.g. plan.json'),
  bucketAddress: z.string().trim().min(1, 'is empty; give the resource address of the bucket, e.g. aws_s3_bucket.packages').optional(),
  userAddress: z.string().trim().min(1, 'is empty; give the resource address of the IAM user, e.g. aws_iam_user.ghes').optional(),
};
const LIVE_ONLY_OPTIONS = ['probe', 'baseline', 'writeBaseline', 'profile', 'endpointUrl', 'fromGheConfig', 'useGheCredentials'] as const;
export const checkPlanOptionsSchema = z
  .object({ ...s3TargetShape, bucket: bucketField.optional(), ...terraformPlanShape, ...awsOptionsShape, ...outputOptionsShape, ...gheImportShape })
  .strict()
  .superRefine((o, ctx) => {
    rejectConflicts(o, ctx);
    for (const key of LIVE_ONLY_OPTIONS) {
      if (o[key] !== undefined && o[key] !== false) ctx.addIssue({ code: 'custom', path: [key], message: 'cannot be combined with --terraform-plan (a plan is checked with no AWS call); run it against AWS after apply, or drop it' });
    }
    if (o.engine === 'aws') ctx.addIssue({ code: 'custom', path: ['engine'], message: 'aws cannot be used with --terraform-plan (the simulator needs credentials; the plan is judged by the local evaluator); drop it' });
    if (o.bucket && o.bucketAddress) ctx.addIssue({ code: 'custom', path: ['bucketAddress'], message: 'cannot be combined with --bucket (both name the bucket); give one of them' });
  });
export type CheckPlanOptions = z.infer<typeof checkPlanOptionsSchema>;

function describePath(path: PropertyKey[], source: 'flag' | 'config', file?: string): string {
  const key = path.map(String).join('.');
  if (source === 'config') return `${file ?? 'config'}: "${key}"`;
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/\.\d+$/, '')}`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** Validates with `schema`, turning the first zod issue into a one-line UsageError. */
export function validate<T>(schema: z.ZodType<T>, input: unknown, source: 'flag' | 'config', file?: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw usageError(keys.length > 1 ? 'config.unknownKeys' : 'config.unknownKey', { file: file ?? 'config', keys: keys.map((k) => `"${k}"`).join(', '), known });
  }
  const where = describePath(issue.path as PropertyKey[], source, file);
  // A flag given twice arrives as an array; "must be a string" would not say why.
  const given = valueAt(input, issue.path as PropertyKey[]);
  if (issue.code === 'invalid_type' && source === 'flag' && Array.isArray(given) && (issue as { expected: string }).expected !== 'array') {
    throw new UsageError(`${where} was given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(', ')}); give it once`);
  }
  const field = String(issue.path[0] ?? '');
  // zod 4 does not keep the input in issues; its message says what it received.
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    const what = field === 'bucket' ? ' (the S3 bucket GHES uses for Packages)' : '';
    throw new UsageError(`${where} is required${what}; ${fixFor(field, source, 'add')}`);
  }
  // zod's own wording ("Invalid input: expected number, received NaN", "Too small: ...") is replaced;
  // messages written in this file are kept.
  const expected = (issue as { expected?: string }).expected;
  const message =
    issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)
      ? `must be ${expected === 'int' ? 'a whole number' : expected === 'array' ? 'a list' : `a ${expected}`}`
      : issue.code === 'too_small' && (issue as { origin?: string }).origin === 'string' && /^Too small/.test(issue.message)
        ? 'is empty'
        : issue.message;
  const text = `${where} ${message.startsWith('--') ? `is invalid: ${message}` : message}`;
  // Every line says how to fix it: messages without their own fix get an example of a valid value.
  throw new UsageError(message.includes('; ') ? text : `${text}; ${fixFor(field, source, 'e.g.')}`);
}

/** A valid value per option, for "how to fix it" in error messages. */
const EXAMPLES: Record<string, string> = {
  bucket: 'ghes-packages',
  serviceUrl: 'https://s3.us-west-2.amazonaws.com',
  actionsBucket: 'ghes-actions',
  principalArn: 'arn:aws:iam::123456789012:user/ghes-packages',
  engine: 'auto',
  sourceIp: '203.0.113.10/32',
  sourceVpce: 'vpce-0a1b2c3d4e5f67890',
  maxRetentionDays: '365',
  region: 'us-east-1',
  profile: 'auditor',
  endpointUrl: 'http://127.0.0.1:5000',
  timeout: '600',
  maxAttempts: '4',
  format: 'json,junit,markdown',
  outputDir: 'reports',
  waivers: 'waivers.yml',
  baseline: 'baseline.json',
  writeBaseline: 'baseline.json',
  fromGheConfig: 'ghe-config.txt',
  sarifAnchor: 'packages-preflight.yml',
  packagesBucket: 'ghes-packages',
  roleArn: 'arn:aws:iam::123456789012:role/ghes-actions',
  ghesHost: 'ghes.example.com',
  ghesUrl: 'https://ghes.example.com',
  ghesCertificate: 'ghes-certificate.pem',
};

function fixFor(field: string, source: 'flag' | 'config', verb: 'add' | 'e.g.'): string {
  const example = EXAMPLES[field];
  if (!example) return verb === 'add' ? 'add it' : 'correct the value';
  if (source === 'config') return `${verb} ${field}: ${field === 'sourceIp' || field === 'format' ? `[${example}]` : example}`;
  return `${verb} ${describePath([field], 'flag')} ${example}`;
}

/** Reads a YAML or JSON file into an object; any problem is a one-line UsageError naming the file. */
export function readConfigFile(file: string, label = '--config'): Record<string, unknown> {
  const where = `${label} ${file}`;
  const text = readUserFile(file, where, 'check the path');
  let data: unknown;
  // YAML would accept JSON with trailing commas; a .json file must be JSON (and, like YAML, name each key once).
  if (/\.json$/i.test(file)) data = parseJsonInput(text, where, 'fix the syntax', 'not valid YAML or JSON');
  else {
    try {
      data = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
    } catch (e) {
      const first = String((e as Error).message).split('\n')[0];
      throw usageError('config.syntax', { where, error: first });
    }
    checkParsedInput(data, where, 'fix the file');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw usageError('config.notMapping', { label, file });
  }
  return data as Record<string, unknown>;
}

/** Flags override the config file; both are validated by the same schema. */
export function resolveOptions<T>(schema: z.ZodType<T>, flags: Record<string, unknown>, configFile?: string): T {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  if (!configFile) return validate(schema, defined, 'flag');
  const fromFile = readConfigFile(configFile);
  // The file alone may lack required keys (flags give them); conflicts are checked on the merge.
  // zod refuses .partial() on a refined object, so rebuild it from its shape.
  const catchall = schema instanceof z.ZodObject ? schema.def.catchall : undefined;
  const partial = schema instanceof z.ZodObject ? ((catchall ? z.object(schema.shape).catchall(catchall) : z.object(schema.shape)).partial() as unknown as z.ZodType<unknown>) : schema;
  validate(partial, fromFile, 'config', configFile);
  return validate(schema, { ...fromFile, ...defined }, 'flag');
}
