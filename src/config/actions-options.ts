// The options of `packages-preflight actions` (GitHub Actions storage on S3): the target keys of
// `check` with --packages-bucket instead of --actions-bucket, plus OpenID Connect (--role-arn with
// --ghes-host, --ghes-url, --ghes-certificate). Validated before any AWS call; the same keys serve
// flags, --config files and fleet targets with `storage: actions`.

import { z } from 'zod';
import { parsePrincipalArn } from './arn.ts';
import { readUserFile } from './input-file.ts';
import { awsOptionsShape, gheImportShape, outputOptionsShape, rejectConflicts, s3TargetShape } from './options.ts';

const roleArnField = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const parsed = parsePrincipalArn(v);
    if (!parsed.ok) return ctx.addIssue({ code: 'custom', message: parsed.problem.replace('the IAM user GHES uses', 'the IAM role GHES assumes with OpenID Connect') });
    if (parsed.value.kind !== 'role') ctx.addIssue({ code: 'custom', message: `must be the ARN of the IAM role GHES assumes with OpenID Connect (got a ${parsed.value.kind} ARN)` });
  });

/** A host name as typed into the browser: no scheme, no path, no port (the OIDC issuer is https://HOST/_services/token). */
const ghesHostField = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (/^[a-z]+:\/\//i.test(v) || /[/:?#@\s]/.test(v)) return ctx.addIssue({ code: 'custom', message: `must be the appliance's host name only, without scheme, port or path (got "${v}")` });
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(v)) ctx.addIssue({ code: 'custom', message: `is not a valid host name (got "${v}")` });
  });

const ghesUrlField = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return ctx.addIssue({ code: 'custom', message: 'is not a URL' });
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must start with https:// (AWS reads the OIDC issuer over TLS only)' });
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
  });

/** A PEM file holding the appliance's certificate, read up front: a missing or non-PEM file is exit 3. */
const ghesCertificateField = z
  .string()
  .trim()
  .min(1)
  .superRefine((v, ctx) => {
    let text: string;
    try {
      text = readUserFile(v, `--ghes-certificate ${v}`, 'give the PEM file of the appliance\'s TLS certificate', { maxBytes: 1024 * 1024 });
    } catch (e) {
      return ctx.addIssue({ code: 'custom', message: `cannot be read (${(e as Error).message.replace(/^--ghes-certificate \S+: /, '')})` });
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) ctx.addIssue({ code: 'custom', message: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----); export the appliance\'s certificate in PEM form' });
  });

const { actionsBucket: _actionsBucket, ...sharedTargetShape } = s3TargetShape;

/** The per-target keys of the Actions storage check (also the keys of a fleet target with `storage: actions`). */
export const actionsTargetShape = {
  ...sharedTargetShape,
  packagesBucket: s3TargetShape.actionsBucket,
  roleArn: roleArnField.optional(),
  ghesHost: ghesHostField.optional(),
  ghesUrl: ghesUrlField.optional(),
  ghesCertificate: ghesCertificateField.optional(),
};

type ActionsConflictInput = Parameters<typeof rejectConflicts>[0] & { roleArn?: string; principalArn?: string; ghesHost?: string; ghesUrl?: string; serviceUrl?: string; region?: string };

/** Contradictions and missing companions of the OIDC options: one line each, exit 3. */
export function rejectActionsConflicts(options: ActionsConflictInput, ctx: z.RefinementCtx): void {
  rejectConflicts(options, ctx);
  if (options.roleArn && options.principalArn) {
    ctx.addIssue({ code: 'custom', path: ['principalArn'], message: 'cannot be combined with --role-arn (with OpenID Connect the role is the principal GHES uses); drop one of them' });
  }
  if (options.roleArn && !options.ghesHost && !options.ghesUrl) {
    ctx.addIssue({ code: 'custom', path: ['ghesHost'], message: 'is required with --role-arn (the OIDC issuer is https://HOST/_services/token); add --ghes-host ghes.example.com' });
  }
  if (options.roleArn && options.useGheCredentials) {
    ctx.addIssue({ code: 'custom', path: ['useGheCredentials'], message: 'cannot be combined with --role-arn (with OpenID Connect GHES has no access key to use); drop one of them' });
  }
  if (options.serviceUrl === undefined && !options.region) {
    ctx.addIssue({ code: 'custom', path: ['serviceUrl'], message: 'or --region is required; give the "AWS Service URL" of the access-key form (e.g. --service-url https://s3.us-west-2.amazonaws.com) or the "AWS Region" of the OpenID Connect form (e.g. --region us-west-2)' });
  }
}

export const actionsOptionsSchema = z.object({ ...actionsTargetShape, ...awsOptionsShape, ...outputOptionsShape, ...gheImportShape }).strict().superRefine(rejectActionsConflicts);
export type ActionsOptions = z.infer<typeof actionsOptionsSchema>;

/** The host name of --ghes-host, or of --ghes-url when only that is given. */
export function ghesHostOf(options: { ghesHost?: string; ghesUrl?: string }): string | undefined {
  if (options.ghesHost) return options.ghesHost.toLowerCase();
  return options.ghesUrl ? new URL(options.ghesUrl).hostname.toLowerCase() : undefined;
}
