// The JSON report is the canonical, versioned record of a run (DESIGN.md "Reports"): JUnit,
// Markdown and the console are renderings of it, so `report --from` re-renders without AWS.

import type { AccessMatrix } from '../../checks/codeartifact/_access-matrix.ts';
import type { Lang } from '../i18n/lang.ts';
import { type UiId, uiText } from '../i18n/ui.ts';
import { type ApiCall, type Result, type Summary, type Verdict, VERDICT_RANK, summarize, verdictOf } from '../model.ts';

export const SCHEMA_VERSION = 1;

/**
 * Where a run was run against, so that a report from an emulator or an S3-compatible store can
 * never be taken for one about AWS: the endpoint every request went to, the partition, and the
 * kind of credentials (never a secret).
 */
export interface RunEnvironment {
  /** `AWS` (the SDK's own endpoints), the --endpoint-url/AWS_ENDPOINT_URL, or null: no AWS request (a policy file). */
  endpoint: string | null;
  /** True only when every request went to AWS itself. */
  aws: boolean;
  /** From the caller's ARN, else from the region; null when unknown. */
  partition: string | null;
  credentials: CredentialsInfo;
}

export interface CredentialsInfo {
  /** env, profile, sso, web-identity, process, container, instance, ghes-credentials, static, assumed-role, none, unknown. */
  source: string;
  profile?: string;
  roleArn?: string;
  /** For an assumed role: the credentials it was assumed with. */
  via?: CredentialsInfo;
}

// Credential sources with a text of their own in the shared catalog (src/i18n/locales: credentials.*).
const SOURCES_WITH_TEXT = new Set(['env', 'sso', 'web-identity', 'process', 'container', 'instance', 'ghes-credentials', 'static', 'none', 'per-target', 'unknown']);

export function describeCredentials(c: CredentialsInfo, lang: Lang = 'en'): string {
  if (c.source === 'assumed-role') {
    const role = uiText('credentials.role', { role: c.roleArn ?? '?' }, lang);
    return c.via ? uiText('credentials.assumedWith', { role, via: describeCredentials(c.via, lang) }, lang) : role;
  }
  if (c.source === 'profile') return uiText('credentials.profile', { profile: c.profile ?? '?' }, lang);
  return SOURCES_WITH_TEXT.has(c.source) ? uiText(`credentials.${c.source}` as UiId, {}, lang) : c.source;
}

/** One line for report headers: where the run went and with which credentials. */
export function describeEnvironment(e: RunEnvironment, lang: Lang = 'en'): string {
  const where = e.endpoint === null ? uiText('environment.offline', {}, lang) : e.aws ? 'AWS' : uiText('environment.notAws', { endpoint: e.endpoint }, lang);
  return uiText('environment.line', { where, partition: e.partition ?? uiText('credentials.unknown', {}, lang), credentials: describeCredentials(e.credentials, lang) }, lang);
}

export interface TargetReport {
  name: string;
  target: Record<string, unknown>;
  verdict: Verdict;
  exitCode: number;
  summary: Summary;
  results: Result[];
  apiCalls: ApiCall[];
  interrupted?: boolean;
  environment?: RunEnvironment;
  /** codeartifact: principal × repository × read/publish/admin (checks/codeartifact/_access-matrix.ts). */
  accessMatrix?: AccessMatrix;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  pack: string;
  target: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
  verdict: Verdict;
  exitCode: number;
  summary: Summary;
  results: Result[];
  apiCalls: ApiCall[];
  /** True when SIGINT/SIGTERM or --timeout stopped the run: the report holds what was gathered. */
  interrupted?: boolean;
  /** Fleet runs: one entry per target; top-level results/apiCalls then hold all targets' together. */
  targets?: TargetReport[];
  /** Where the run went (a fleet: the endpoint all targets shared; each target has its own too). */
  environment?: RunEnvironment;
  /** codeartifact: principal × repository × read/publish/admin, as data. */
  accessMatrix?: AccessMatrix;
}

export interface BuildInput {
  tool: { name: string; version: string };
  pack: string;
  target: Record<string, unknown>;
  startedAt: Date;
  finishedAt: Date;
  results: Result[];
  apiCalls: ApiCall[];
  interrupted?: boolean;
  environment?: RunEnvironment;
  accessMatrix?: AccessMatrix;
}

export function buildReport(input: BuildInput): Report {
  const summary = summarize(input.results);
  const { verdict, exitCode } = verdictOf(input.results, input.interrupted);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: input.tool,
    pack: input.pack,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    verdict,
    exitCode,
    summary,
    results: input.results,
    apiCalls: input.apiCalls,
    ...(input.interrupted ? { interrupted: true } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    ...(input.accessMatrix ? { accessMatrix: input.accessMatrix } : {}),
  };
}

/** Combines target reports (a fleet run, or shards merged later) into one report: verdict and exit code are the worst target's. */
export function combineTargets(base: Omit<BuildInput, 'results' | 'apiCalls' | 'target'>, targets: TargetReport[]): Report {
  const results = targets.flatMap((t) => t.results);
  const worst = targets.reduce<TargetReport | undefined>((w, t) => (!w || VERDICT_RANK[t.verdict] > VERDICT_RANK[w.verdict] ? t : w), undefined);
  const summary = summarize(results);
  const interrupted = base.interrupted || targets.some((t) => t.interrupted);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: base.tool,
    pack: base.pack,
    target: { fleet: true, targets: targets.length },
    startedAt: base.startedAt.toISOString(),
    finishedAt: base.finishedAt.toISOString(),
    verdict: worst?.verdict ?? 'compliant',
    exitCode: worst?.exitCode ?? 0,
    summary,
    results,
    apiCalls: targets.flatMap((t) => t.apiCalls),
    ...(interrupted ? { interrupted: true } : {}),
    ...fleetEnvironment(targets),
    targets,
  };
}

/** A fleet's environment: the endpoint and partition when every target shares them; credentials are per target. */
function fleetEnvironment(targets: TargetReport[]): { environment?: RunEnvironment } {
  const envs = targets.map((t) => t.environment);
  if (!envs.length || envs.some((e) => !e)) return {};
  const one = <T>(values: T[]): T | null => (values.every((v) => v === values[0]) ? values[0] : null);
  const endpoint = one(envs.map((e) => e!.endpoint));
  return {
    environment: {
      endpoint: endpoint ?? envs.map((e) => e!.endpoint).join(', '),
      aws: envs.every((e) => e!.aws),
      partition: one(envs.map((e) => e!.partition)),
      credentials: { source: 'per-target' },
    },
  };
}

/** Targets of a report: a fleet's, or the single run as one target. */
export function targetsOf(report: Report): TargetReport[] {
  if (report.targets) return report.targets;
  const name = String(report.target.bucket ?? report.target.domain ?? report.pack);
  return [{ name, target: report.target, verdict: report.verdict, exitCode: report.exitCode, summary: report.summary, results: report.results, apiCalls: report.apiCalls, interrupted: report.interrupted, ...(report.environment ? { environment: report.environment } : {}), ...(report.accessMatrix ? { accessMatrix: report.accessMatrix } : {}) }];
}
