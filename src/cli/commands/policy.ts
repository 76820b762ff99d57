import { z } from 'zod';
import { s3TargetShape, validate, awsOptionsShape } from '../../config/options.ts';
import { bucketPolicy, checkerPolicy, ghesUserPolicy } from '../../policy/generate.ts';
import { ghesHostField } from '../../config/actions-options.ts';
import { actionsPermissionPolicy, actionsTrustPolicy } from '../../oidc/policies.ts';
import { out } from '../output.ts';

const kmsKey = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-…');

const schemas = {
  'ghes-user': z.object({ bucket: s3TargetShape.bucket, kmsKey: kmsKey.optional() }).strict(),
  bucket: z.object({ bucket: s3TargetShape.bucket, principalArn: s3TargetShape.principalArn.unwrap(), sourceIp: s3TargetShape.sourceIp }).strict(),
  'actions-role': z
    .object({
      bucket: s3TargetShape.bucket,
      ghesHost: ghesHostField,
      account: z.string().regex(/^\d{12}$/, 'must be the 12-digit ID of the account that holds the OIDC provider and the role').optional(),
      kmsKey: kmsKey.optional(),
    })
    .strict(),
  checker: z.object({ bucket: s3TargetShape.bucket.optional(), region: awsOptionsShape.region, securityHub: z.boolean().optional() }).strict(),
};

export type PolicyKind = keyof typeof schemas;

export function runPolicyCommand(kind: PolicyKind, args: Record<string, unknown>): number {
  const schema = schemas[kind];
  const flags = Object.fromEntries(Object.keys(schema.shape).filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
  const o = validate(schema as z.ZodType<Record<string, unknown>>, flags, 'flag');
  if (kind === 'actions-role') {
    // Both documents of the role GHES Actions assumes with OpenID Connect: jq .trustPolicy / .permissionPolicy.
    const account = (o.account as string | undefined) ?? 'ACCOUNT_ID';
    const host = (o.ghesHost as string).trim();
    out(JSON.stringify({ trustPolicy: actionsTrustPolicy('aws', account, host), permissionPolicy: actionsPermissionPolicy(o.bucket as string, o.kmsKey as string | undefined) }, null, 2) + '\n');
    return 0;
  }
  const doc =
    kind === 'ghes-user'
      ? ghesUserPolicy(o.bucket as string, o.kmsKey as string | undefined)
      : kind === 'bucket'
        ? bucketPolicy(o.bucket as string, o.principalArn as string, (o.sourceIp as string[] | undefined) ?? [])
        : checkerPolicy(o.bucket as string | undefined, { securityHub: o.securityHub as boolean | undefined, region: o.region as string | undefined });
  out(JSON.stringify(doc, null, 2) + '\n');
  return 0;
}
