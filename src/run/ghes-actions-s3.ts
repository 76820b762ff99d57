// One GitHub Actions storage target, end to end: validated options → GhesActionsTarget → the same
// run as a Packages target (src/run/ghes-s3.ts runStorageTarget) with the ghes-actions-s3 checks.

import type { GhesActionsCheck, GhesActionsTarget } from '../../checks/ghes-actions-s3/context.ts';
import { ghesActionsChecks } from '../../checks/ghes-actions-s3/index.ts';
import { ghesHostOf, type ActionsOptions } from '../config/actions-options.ts';
import { normalizeBucketRef } from '../config/bucket.ts';
import { serviceUrlInput } from '../config/service-url.ts';
import { LiveOidcFacts, withOidcFacts } from '../aws/oidc-facts.ts';
import type { S3Facts } from '../aws/s3-facts.ts';
import type { AwsSession } from '../aws/session.ts';
import type { TargetReport } from '../report/report.ts';
import { type RunTargetOptions, runStorageTarget } from './ghes-s3.ts';

export type GhesActionsTargetOptions = Pick<
  ActionsOptions,
  | 'bucket'
  | 'serviceUrl'
  | 'region'
  | 'packagesBucket'
  | 'principalArn'
  | 'roleArn'
  | 'ghesHost'
  | 'ghesUrl'
  | 'ghesCertificate'
  | 'engine'
  | 'sourceIp'
  | 'sourceVpce'
  | 'maxRetentionDays'
  | 'probe'
  | 'baseline'
  | 'writeBaseline'
>;

const bucketOf = (ref: string): string => {
  const parsed = normalizeBucketRef(ref);
  return 'bucket' in parsed ? parsed.bucket : ref;
};

/**
 * The OpenID Connect form of the console asks for a region, not a service URL: GHES then talks
 * to the region's S3 endpoint, which is what the service-url check judges.
 */
export const regionalServiceUrl = (region: string): string => `https://s3.${region}.amazonaws.com`;

export function toGhesActionsTarget(options: GhesActionsTargetOptions): GhesActionsTarget {
  const serviceUrl = options.serviceUrl ?? (options.region ? regionalServiceUrl(options.region) : undefined);
  const ghesHost = ghesHostOf(options);
  return {
    storage: 'actions',
    bucket: bucketOf(options.bucket),
    ...serviceUrlInput(serviceUrl),
    region: options.region,
    packagesBucket: options.packagesBucket ? bucketOf(options.packagesBucket) : undefined,
    // With OpenID Connect the role is the principal whose policies GHES's requests are judged by.
    principalArn: options.roleArn ?? options.principalArn,
    roleArn: options.roleArn,
    ...(ghesHost ? { ghesHost } : {}),
    // As given: the OIDC checks read https://HOST when no --ghes-url says otherwise.
    ...(options.ghesUrl ? { ghesUrl: options.ghesUrl } : {}),
    ...(options.ghesCertificate ? { ghesCertificate: options.ghesCertificate } : {}),
    engine: options.engine ?? 'auto',
    sourceIps: options.sourceIp ?? [],
    sourceVpce: options.sourceVpce,
    maxRetentionDays: options.maxRetentionDays,
  };
}

export async function runGhesActionsTarget(options: GhesActionsTargetOptions, run: Omit<RunTargetOptions, 'checks'> & { checks?: readonly GhesActionsCheck[] } = {}): Promise<TargetReport> {
  const target = toGhesActionsTarget(options);
  // The OpenID Connect facts (IAM provider, role trust, the appliance's certificate and discovery) beside the S3 ones.
  // In the run's cache (a fleet's credential shares one), keyed by appliance and issuer.
  const withFacts = (s3: S3Facts, session: AwsSession) => withOidcFacts(s3, new LiveOidcFacts(session, target, { caBundle: session.caBundle, cache: run.cache }));
  return runStorageTarget(target, options, { ...run, checks: run.checks ?? ghesActionsChecks, withFacts }, (found) => ({
    storage: 'actions',
    bucket: target.bucket,
    serviceUrl: target.serviceUrl ?? null,
    region: found.bucketRegion ?? target.region ?? null,
    packagesBucket: target.packagesBucket ?? null,
    authentication: target.roleArn ? 'oidc' : 'access-key',
    principalArn: target.principalArn ?? found.identity?.arn ?? null,
    ...(target.roleArn ? { roleArn: target.roleArn, ghesHost: target.ghesHost ?? null } : {}),
    account: found.identity?.account ?? null,
  }));
}
