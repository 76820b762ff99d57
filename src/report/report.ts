// The JSON report is the canonical, versioned record of a run (DESIGN.md "Reports"): JUnit,
// Markdown and the console are renderings of it, so `report --from` re-renders without AWS.

import { type ApiCall, type Result, type Summary, type Verdict, VERDICT_RANK, summarize, verdictOf } from '../model.ts';

export const SCHEMA_VERSION = 1;

export interface TargetReport {
  name: string;
  target: Record<string, unknown>;
  verdict: Verdict;
  exitCode: number;
  summary: Summary;
  results: Result[];
  apiCalls: ApiCall[];
  interrupted?: boolean;
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
    targets,
  };
}

/** Targets of a report: a fleet's, or the single run as one target. */
export function targetsOf(report: Report): TargetReport[] {
  if (report.targets) return report.targets;
  const name = String(report.target.bucket ?? report.target.domain ?? report.pack);
  return [{ name, target: report.target, verdict: report.verdict, exitCode: report.exitCode, summary: report.summary, results: report.results, apiCalls: report.apiCalls, interrupted: report.interrupted }];
}
