// Fleet mode: many ghes-s3 targets in one run. Each target runs exactly as `check` runs it
// (runGhesS3Target); what the fleet adds is sharing and bounds:
//   - one AwsSession per credential source (profile / assumed role + external id), shared by that
//     source's targets: one credential resolution (one AssumeRole), one set of SDK clients, and so
//     one client-side adaptive-retry rate limiter per service: throttling slows the whole source
//     down instead of failing its targets one by one;
//   - one FactCache per credential source: what is the same for its targets (the caller identity,
//     account-level Block Public Access, a shared principal's policies) is fetched once;
//   - at most `concurrency` targets at a time (default 8, see README "Fleet mode");
//   - every AWS call attributed to the target whose check sent it (AsyncLocalStorage), so each
//     target's `apiCalls` lists exactly the requests made on its behalf; a fact another target had
//     already fetched costs nothing and is listed only under the target that fetched it.
// A target whose credentials fail is `incomplete` (every check that needs AWS is `error` with the
// reason); the other targets go on. Reports come back sorted by name, so a merge of shards equals
// the unsharded run.

import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import { FactCache } from '../aws/fact-cache.ts';
import { AwsSession, type SessionOptions, type StaticCredentials } from '../aws/session.ts';
import { type CredentialSource, DEFAULT_FLEET_CONCURRENCY, type FleetTarget, type Shard } from '../config/fleet-options.ts';
import type { ApiCall, Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import type { TargetReport } from '../report/report.ts';
import { serviceUrlInput } from '../config/service-url.ts';
import { runGhesActionsTarget } from './ghes-actions-s3.ts';
import { runGhesS3Target } from './ghes-s3.ts';

/**
 * The shard (1-based) a target belongs to: SHA-256 of its name, first 4 bytes, modulo N. Stable
 * when the file is reordered or targets are added or removed elsewhere (a target never moves
 * unless N changes), identical on every machine, and needs no coordination between CI jobs.
 */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function selectShard<T extends { name: string }>(targets: readonly T[], shard: Shard): T[] {
  return targets.filter((t) => shardOf(t.name, shard.count) === shard.index);
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
export const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function credentialKey(c: CredentialSource): string {
  return JSON.stringify([c.profile ?? null, c.assumeRoleArn ?? null, c.externalId ?? null]);
}

/** How a target's credentials were obtained, for the report (never a secret, nor the external id). */
export function describeCredentials(c: CredentialSource): string {
  const base = c.profile ? `profile ${c.profile}` : 'the default credential chain';
  return c.assumeRoleArn ? `role ${c.assumeRoleArn} assumed with ${base}${c.externalId ? ' (with an external id)' : ''}` : base;
}

export interface FleetRunOptions {
  concurrency?: number;
  endpointUrl?: string;
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Credentials for targets that name no profile (tests, the bench); default: the SDK's chain. */
  defaultCredentials?: StaticCredentials;
  /** Extra session settings (tests). */
  sessionOptions?: Pick<SessionOptions, 'requestTimeoutMs' | 'retryDelayMs'>;
  /** --ca-bundle / AWS_CA_BUNDLE, and the --debug line per host and proxy. */
  caBundle?: string;
  onRoute?: SessionOptions['onRoute'];
  /** Every finished AWS request, with the target it was made for (--debug). */
  onApiCall?: (target: string, call: ApiCall) => void;
  /** Warnings of the SDK's credential chain (routed to the redacting stderr). */
  onWarning?: (message: string) => void;
  /** After each target (progress on a TTY). */
  onTargetDone?: (report: TargetReport, done: number, total: number) => void;
  /** Checks of one target at once; default all of them, so every fact is asked for at the start. */
  checkConcurrency?: number;
}

interface Source {
  session: AwsSession;
  cache: FactCache;
}

interface CallSink {
  name: string;
  calls: ApiCall[];
}

/** The one region a source's targets name, else the session default (S3 follows region redirects). */
function regionOf(targets: readonly FleetTarget[]): string | undefined {
  const regions = new Set(targets.map((t) => t.options.region).filter((r): r is string => Boolean(r)));
  return regions.size === 1 ? [...regions][0] : undefined;
}

function internalError(t: FleetTarget, e: unknown, durationMs: number): Result {
  const error = e as Error;
  return {
    check: 'fleet',
    subject: t.name,
    status: 'error',
    severity: 'high',
    title: 'The target could be checked',
    message: `packages-preflight failed on this target (${error?.name ?? 'Error'}: ${error?.message ?? String(e)}); this is a bug in packages-preflight, please report it.`,
    evidence: { exception: error?.name ?? 'Error' },
    remediation: 'Run `packages-preflight check` for this target alone with --debug and report the output.',
    references: [],
    durationMs,
  };
}

/** Runs every target (bounded, sharing per credential source); reports sorted by name. */
export async function runFleet(targets: readonly FleetTarget[], options: FleetRunOptions = {}): Promise<TargetReport[]> {
  const store = new AsyncLocalStorage<CallSink>();
  const route = (call: ApiCall): void => {
    const sink = store.getStore();
    sink?.calls.push(call);
    options.onApiCall?.(sink?.name ?? '-', call);
  };

  const grouped = new Map<string, FleetTarget[]>();
  for (const t of targets) {
    const key = credentialKey(t.credentials);
    grouped.set(key, [...(grouped.get(key) ?? []), t]);
  }
  const sources = new Map<string, Source>();
  for (const [key, group] of grouped) {
    const c = group[0].credentials;
    const session = new AwsSession({
      ...options.sessionOptions,
      region: regionOf(group),
      endpointUrl: options.endpointUrl,
      caBundle: options.caBundle,
      onRoute: options.onRoute,
      profile: c.profile,
      credentials: c.profile ? undefined : options.defaultCredentials,
      assumeRole: c.assumeRoleArn ? { roleArn: c.assumeRoleArn, externalId: c.externalId } : undefined,
      maxAttempts: options.maxAttempts,
      signal: options.signal,
      onApiCall: route,
      onWarning: options.onWarning,
    });
    sources.set(key, { session, cache: new FactCache() });
  }

  const reports: TargetReport[] = new Array(targets.length);
  let next = 0;
  let done = 0;
  const runOne = async (i: number): Promise<void> => {
    const t = targets[i];
    const { session, cache } = sources.get(credentialKey(t.credentials))!;
    const sink: CallSink = { name: t.name, calls: [] };
    const started = performance.now();
    let report: TargetReport;
    try {
      const run = { name: t.name, session, cache, signal: options.signal, concurrency: options.checkConcurrency ?? ghesS3Checks.length };
      // `storage: actions`: the Actions storage pack, with the same sharing and bounds.
      report = await store.run(sink, () => (t.options.storage === 'actions' ? runGhesActionsTarget(t.options, run) : runGhesS3Target(t.options, run)));
      // runGhesS3Target slices the session's log, which interleaves concurrent targets: keep ours.
      report = { ...report, target: { ...report.target, credentials: describeCredentials(t.credentials) }, apiCalls: [...sink.calls] };
    } catch (e) {
      const results = [internalError(t, e, Math.round(performance.now() - started))];
      const summary = summarize(results);
      const target = { bucket: t.options.bucket, serviceUrl: serviceUrlInput(t.options.serviceUrl).serviceUrl ?? null, credentials: describeCredentials(t.credentials) };
      report = { name: t.name, target, ...verdictOf(results), summary, results, apiCalls: [...sink.calls], environment: session.environment() };
    }
    reports[i] = report;
    done += 1;
    options.onTargetDone?.(report, done, targets.length);
  };
  const worker = async (): Promise<void> => {
    while (next < targets.length) await runOne(next++);
  };
  const width = Math.max(1, Math.min(options.concurrency ?? DEFAULT_FLEET_CONCURRENCY, targets.length));
  await Promise.all(Array.from({ length: width }, worker));
  return reports.sort(byName);
}
