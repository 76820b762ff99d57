// One ghes-s3 target, end to end: validated options → Target → facts → checks → target report.
// Fleet mode calls the same function per target with a shared FactCache.

import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check, GhesS3Target } from '../../checks/ghes-s3/context.ts';
import { FactCache } from '../aws/fact-cache.ts';
import { S3Facts } from '../aws/s3-facts.ts';
import { AwsSession, type SessionOptions } from '../aws/session.ts';
import { normalizeBucketRef } from '../config/bucket.ts';
import type { CheckOptions } from '../config/options.ts';
import { parseServiceUrl } from '../config/service-url.ts';
import { runChecks } from '../engine/engine.ts';
import type { Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import type { TargetReport } from '../report/report.ts';

export type GhesS3TargetOptions = Pick<
  CheckOptions,
  'bucket' | 'serviceUrl' | 'region' | 'actionsBucket' | 'principalArn' | 'engine' | 'sourceIp' | 'sourceVpce' | 'maxRetentionDays'
>;

const bucketOf = (ref: string): string => {
  const parsed = normalizeBucketRef(ref);
  return 'bucket' in parsed ? parsed.bucket : ref;
};

export function toGhesS3Target(options: GhesS3TargetOptions): GhesS3Target {
  const endpoint = parseServiceUrl(options.serviceUrl);
  if (!endpoint.ok) throw new Error(endpoint.problem); // unreachable: validated before
  return {
    bucket: bucketOf(options.bucket),
    serviceUrl: options.serviceUrl,
    serviceEndpoint: endpoint.value,
    region: options.region,
    actionsBucket: options.actionsBucket ? bucketOf(options.actionsBucket) : undefined,
    principalArn: options.principalArn,
    engine: options.engine ?? 'auto',
    sourceIps: options.sourceIp ?? [],
    sourceVpce: options.sourceVpce,
    maxRetentionDays: options.maxRetentionDays,
  };
}

export interface RunTargetOptions {
  name?: string;
  session?: AwsSession;
  sessionOptions?: SessionOptions;
  cache?: FactCache;
  signal?: AbortSignal;
  checks?: readonly GhesS3Check[];
  concurrency?: number;
  checkTimeoutMs?: number;
}

export async function runGhesS3Target(options: GhesS3TargetOptions, run: RunTargetOptions = {}): Promise<TargetReport> {
  const target = toGhesS3Target(options);
  const session = run.session ?? new AwsSession(run.sessionOptions ?? {});
  const facts = new S3Facts(session, { bucket: target.bucket, principalArn: target.principalArn }, run.cache ?? new FactCache());
  const callsBefore = session.apiCalls.length;
  const results: Result[] = await runChecks(run.checks ?? ghesS3Checks, { target, facts }, {
    defaultSubject: target.bucket,
    signal: run.signal,
    concurrency: run.concurrency,
    timeoutMs: run.checkTimeoutMs,
  });
  // Only memoized facts are read here: the checks above already asked for them, so no new request.
  const identity = await facts.callerIdentity().catch(() => undefined);
  const head = await facts.bucketHead().catch(() => undefined);
  const bucketRegion = head && head.status !== 'not-found' ? head.region : null;
  const interrupted = run.signal?.aborted ?? false;
  const summary = summarize(results);
  return {
    name: run.name ?? target.bucket,
    target: {
      bucket: target.bucket,
      serviceUrl: target.serviceUrl,
      region: bucketRegion ?? target.region ?? null,
      actionsBucket: target.actionsBucket ?? null,
      principalArn: target.principalArn ?? identity?.arn ?? null,
      account: identity?.account ?? null,
    },
    ...verdictOf(summary, interrupted),
    summary,
    results,
    apiCalls: session.apiCalls.slice(callsBefore),
    ...(interrupted ? { interrupted: true } : {}),
  };
}
