// One ghes-s3 target, end to end: validated options → Target → facts → checks → target report.
// Fleet mode calls the same function per target with a shared FactCache.

import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check, GhesS3Target } from '../../checks/ghes-s3/context.ts';
import type { S3StorageTarget } from '../../checks/s3-storage/context.ts';
import type { CheckDefinition } from '../engine/check.ts';
import { PROBE_CLEANUP_ID } from '../../checks/s3-storage/probe-cleanup.ts';
import { PROBE_LEFTOVERS_ID } from '../../checks/s3-storage/probe-leftovers.ts';
import { FactCache } from '../aws/fact-cache.ts';
import { PROBE_ROOT, S3Probe } from '../aws/probe.ts';
import { S3Facts } from '../aws/s3-facts.ts';
import { AwsSession, type SessionOptions } from '../aws/session.ts';
import { normalizeBucketRef } from '../config/bucket.ts';
import type { CheckOptions } from '../config/options.ts';
import { serviceUrlInput } from '../config/service-url.ts';
import type { DriftContext } from '../drift/baseline.ts';
import { checkBaselineWritable, readBaselineFile, writeBaselineFile } from '../drift/file.ts';
import { runChecks } from '../engine/engine.ts';
import type { Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import { redact } from '../redact.ts';
import { terminalSafe } from '../report/terminal.ts';
import type { TargetReport } from '../report/report.ts';
import { TOOL } from '../version.ts';

export type GhesS3TargetOptions = Pick<
  CheckOptions,
  'bucket' | 'serviceUrl' | 'region' | 'actionsBucket' | 'principalArn' | 'engine' | 'sourceIp' | 'sourceVpce' | 'maxRetentionDays' | 'probe' | 'baseline' | 'writeBaseline'
>;

const bucketOf = (ref: string): string => {
  const parsed = normalizeBucketRef(ref);
  return 'bucket' in parsed ? parsed.bucket : ref;
};

export function toGhesS3Target(options: GhesS3TargetOptions): GhesS3Target {
  return {
    bucket: bucketOf(options.bucket),
    ...serviceUrlInput(options.serviceUrl),
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
  /** --probe: a session NOT bound to the run's abort signal, for the cleanup (default: derived from `session`). */
  cleanupSession?: AwsSession;
  /** --probe: the cleanup's own time budget (default 30 s). */
  probeCleanupTimeoutMs?: number;
}

/**
 * --baseline / --write-baseline, settled before any AWS call: an unreadable or invalid baseline,
 * or a --write-baseline path that cannot be written, is a UsageError (exit 3).
 */
export function prepareDrift(options: Pick<GhesS3TargetOptions, 'baseline' | 'writeBaseline'>): DriftContext | undefined {
  if (!options.baseline && !options.writeBaseline) return undefined;
  const compare = options.baseline ? { file: options.baseline, baseline: readBaselineFile(options.baseline) } : undefined;
  if (options.writeBaseline) checkBaselineWritable(options.writeBaseline);
  const write = options.writeBaseline ? { file: options.writeBaseline, write: (b: Parameters<typeof writeBaselineFile>[1]) => writeBaselineFile(options.writeBaseline as string, b) } : undefined;
  return { compare, write, tool: { name: TOOL.name, version: TOOL.version } };
}

/** Last words if the process exits while the probe's cleanup has not finished (e.g. a second Ctrl-C). */
function warnIfCleanupUnfinished(probe: S3Probe): () => void {
  const onExit = () => {
    if (probe.cleanupFinished) return;
    const items = probe.outstanding();
    process.stderr.write(
      terminalSafe(redact(
        `packages-preflight: exiting before the probe's cleanup finished: ${items.length ? `what remains under s3://${probe.bucket}/${PROBE_ROOT}: ${items.join(', ')}` : `nothing is known to remain, but s3://${probe.bucket}/${probe.prefix} was not listed to confirm it`}\n`,
      )),
    );
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

/** Results in registry order (the engine keeps order within a phase; the cleanup phase runs last). */
function inRegistryOrder(checks: ReadonlyArray<{ id: string }>, results: Result[]): Result[] {
  const rank = new Map(checks.map((c, i) => [c.id, i]));
  return results.map((r, i) => ({ r, i })).sort((a, b) => (rank.get(a.r.check) ?? 0) - (rank.get(b.r.check) ?? 0) || a.i - b.i).map((x) => x.r);
}

export async function runGhesS3Target(options: GhesS3TargetOptions, run: RunTargetOptions = {}): Promise<TargetReport> {
  const target = toGhesS3Target(options);
  return runStorageTarget(target, options, { ...run, checks: run.checks ?? ghesS3Checks }, (found) => ({
    bucket: target.bucket,
    serviceUrl: target.serviceUrl ?? null,
    region: found.bucketRegion ?? target.region ?? null,
    actionsBucket: target.actionsBucket ?? null,
    principalArn: target.principalArn ?? found.identity?.arn ?? null,
    account: found.identity?.account ?? null,
  }));
}

/**
 * One storage target of either GHES pack (Packages: ghes-s3, Actions: ghes-actions-s3), end to
 * end: facts, the optional probe, the checks in two phases, and the target report. `describe`
 * gives the report's target block from what the run found (the caller's identity, the bucket's region).
 */
export async function runStorageTarget<Target extends S3StorageTarget, Facts extends S3Facts = S3Facts>(
  target: Target,
  options: Pick<GhesS3TargetOptions, 'probe' | 'baseline' | 'writeBaseline'>,
  // The context the live sources make: each pack's checks take it as their own (narrower) context.
  // `withFacts`: a pack whose checks read more than the S3 facts (the Actions pack's OpenID Connect
  // facts) adds them to the run's S3Facts here.
  run: Omit<RunTargetOptions, 'checks'> & {
    checks: ReadonlyArray<CheckDefinition<{ target: Target; facts: Facts; probe?: S3Probe; drift?: DriftContext }>>;
    withFacts?: (facts: S3Facts, session: AwsSession) => Facts;
  },
  describe: (found: { identity?: { arn: string; account: string }; bucketRegion: string | null | undefined }) => TargetReport['target'],
): Promise<TargetReport> {
  const drift = prepareDrift(options);
  const session = run.session ?? new AwsSession(run.sessionOptions ?? {});
  const s3Facts = new S3Facts(session, { bucket: target.bucket, principalArn: target.principalArn }, run.cache ?? new FactCache());
  const facts = run.withFacts ? run.withFacts(s3Facts, session) : (s3Facts as Facts);
  const callsBefore = session.apiCalls.length;
  const checks = run.checks;
  // Read-only unless --probe: without it the context has no probe, so no check can write.
  const probe = options.probe
    ? await S3Probe.start(session, { bucket: target.bucket, signal: run.signal, cleanupSession: run.cleanupSession, cleanupTimeoutMs: run.probeCleanupTimeoutMs })
    : undefined;
  const ctx = { target, facts, ...(probe ? { probe } : {}), ...(drift ? { drift } : {}) };
  const engine = { defaultSubject: target.bucket, concurrency: run.concurrency, timeoutMs: run.checkTimeoutMs };
  // Two phases: every check but probe-cleanup (concurrently, under the run's signal), then the
  // probe's cleanup (awaited here on success, failure, exception and abort: S3Probe also starts it
  // itself the moment the signal fires), then probe-cleanup, which reports the finished cleanup.
  // That phase runs without the run's signal: after Ctrl-C it must still report what was removed.
  const stopWarning = probe ? warnIfCleanupUnfinished(probe) : undefined;
  // probe-leftovers reports what the cleanup did about earlier runs' leftovers, so with --probe it
  // waits for the cleanup too; read-only, it is a listing like any other read.
  const afterCleanup = new Set([PROBE_CLEANUP_ID, ...(probe ? [PROBE_LEFTOVERS_ID] : [])]);
  let results: Result[];
  try {
    results = await runChecks(checks.filter((c) => !afterCleanup.has(c.id)), ctx, { ...engine, signal: run.signal });
  } catch (e) {
    // No report will be written: say here what the probe could not remove.
    const left = (await probe?.cleanup())?.leftovers ?? [];
    if (probe && left.length) process.stderr.write(terminalSafe(redact(`packages-preflight: the probe left ${left.map((l) => `${l.key}${l.versionId ? ` (version ${l.versionId})` : ''}${l.uploadId ? ` (upload ${l.uploadId})` : ''}`).join(', ')} in s3://${probe.bucket}\n`)));
    throw e;
  } finally {
    await probe?.cleanup();
    stopWarning?.();
  }
  results = inRegistryOrder(checks, [...results, ...(await runChecks(checks.filter((c) => afterCleanup.has(c.id)), ctx, engine))]);
  // Only memoized facts are read here: the checks above already asked for them, so no new request.
  const identity = await facts.callerIdentity().catch(() => undefined);
  const head = await facts.bucketHead().catch(() => undefined);
  const bucketRegion = head && head.status !== 'not-found' ? head.region : null;
  const interrupted = run.signal?.aborted ?? false;
  const summary = summarize(results);
  return {
    name: run.name ?? target.bucket,
    target: describe({ identity, bucketRegion }),
    ...verdictOf(results, interrupted),
    summary,
    results,
    apiCalls: session.apiCalls.slice(callsBefore),
    ...(interrupted ? { interrupted: true } : {}),
    environment: session.environment(identity?.arn),
  };
}
