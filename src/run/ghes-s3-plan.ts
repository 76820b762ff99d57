// One ghes-s3 target judged from a Terraform/OpenTofu plan (check --terraform-plan): the same
// checks over the plan fact source, with no AWS client anywhere in the run. Checks that only the
// live account can answer (credentials, reachability, the simulator, the probe, drift) are not
// run: each is a neutral `skip` saying so, since a plan cannot answer them before apply. A fact the
// plan knows only after apply, or does not hold, makes the checks that need it `skip` naming the
// attribute path or the reason; those skips leave the run incomplete (exit 2), never compliant.

import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check, GhesS3Context } from '../../checks/ghes-s3/context.ts';
import { runChecks } from '../engine/engine.ts';
import type { Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import type { TargetReport } from '../report/report.ts';
import { PLAN_API, PLAN_FACT_CODES, PlanFacts } from '../terraform/plan-facts.ts';
import type { PlanTarget } from '../terraform/plan-target.ts';
import { type GhesS3TargetOptions, toGhesS3Target } from './ghes-s3.ts';

const AFTER_APPLY = 'a run against AWS after apply checks it (packages-preflight check --bucket NAME --service-url URL)';

/** Checks a plan cannot answer, with the reason each skip gives. */
export const LIVE_ONLY_CHECKS: Readonly<Record<string, string>> = {
  credentials: 'a plan is checked with no AWS credentials, so there is no identity to check',
  'bucket-reachable': 'whether S3 answers for the bucket is known only once the bucket exists',
  'engine-agreement': "AWS's policy simulator needs credentials; from a plan only the local evaluator answers, so there is nothing to compare",
  probe: 'the probe writes to the existing bucket, which a plan does not touch',
  'probe-cleanup': 'the probe writes to the existing bucket, which a plan does not touch',
  'probe-leftovers': 'earlier probe runs are objects in the existing bucket, which a plan does not show',
  'storage-drift': 'a baseline records the identity of the storage GHES already uses, read from AWS',
};

const PLAN_CODES = new Set<unknown>(Object.values(PLAN_FACT_CODES));

/** The plan fact error a result carries in its evidence (at the top, or nested: regionError, levels.account), if any. */
function planFactCode(evidence: Record<string, unknown>): string | undefined {
  const todo: Array<[unknown, number]> = [[evidence, 0]];
  while (todo.length) {
    const [e, depth] = todo.pop()!;
    if (e === null || typeof e !== 'object' || depth > 4) continue;
    const o = e as Record<string, unknown>;
    if (o.api === PLAN_API && PLAN_CODES.has(o.code)) return o.code as string;
    for (const v of Object.values(o)) todo.push([v, depth + 1]);
  }
  return undefined;
}

/** An `error` that only says "the plan does not know this" is a `skip` naming what it waits for. */
function asPlanSkip(r: Result): Result {
  if (r.status !== 'error') return r;
  const code = planFactCode(r.evidence);
  if (!code) return r;
  const remediation =
    code === PLAN_FACT_CODES.unknown
      ? `Make the value known in the configuration (a constant or a variable the plan resolves), or check after apply: ${AFTER_APPLY}.`
      : `Manage the setting in the same Terraform configuration, or check after apply: ${AFTER_APPLY}.`;
  return { ...r, status: 'skip', incomplete: true, remediation };
}

function liveOnlySkips(check: GhesS3Check, ctx: GhesS3Context, defaultSubject: string, planFile: string): Result[] {
  const reason = LIVE_ONLY_CHECKS[check.id];
  const subjects = check.subjects?.(ctx) ?? [defaultSubject];
  return subjects.map((subject) => ({
    check: check.id,
    subject,
    status: 'skip' as const,
    severity: check.severity,
    title: check.title,
    message: `Not evaluated from a Terraform plan: ${reason}; ${AFTER_APPLY}.`,
    evidence: { source: 'terraform plan', planFile, reason },
    remediation: `After apply: ${AFTER_APPLY}.`,
    references: check.references,
    durationMs: 0,
  }));
}

export interface RunPlanOptions {
  name?: string;
  planFile: string;
  signal?: AbortSignal;
  checks?: readonly GhesS3Check[];
  concurrency?: number;
  checkTimeoutMs?: number;
}

export async function runGhesS3Plan(options: Omit<GhesS3TargetOptions, 'bucket'>, plan: PlanTarget, run: RunPlanOptions): Promise<TargetReport> {
  // The simulator needs credentials: from a plan the local evaluator is the engine.
  const target = { ...toGhesS3Target({ ...options, bucket: plan.bucketName }), engine: 'local' as const };
  const facts = new PlanFacts(plan);
  const ctx: GhesS3Context = { target, facts };
  const checks = run.checks ?? ghesS3Checks;
  const defaultSubject = target.bucket;
  const evaluated = await runChecks(
    checks.filter((c) => !(c.id in LIVE_ONLY_CHECKS)),
    ctx,
    { defaultSubject, concurrency: run.concurrency, timeoutMs: run.checkTimeoutMs, signal: run.signal },
  );
  const byCheck = new Map<string, Result[]>();
  for (const r of evaluated.map(asPlanSkip)) byCheck.set(r.check, [...(byCheck.get(r.check) ?? []), r]);
  const results = checks.flatMap((c) => (c.id in LIVE_ONLY_CHECKS ? liveOnlySkips(c, ctx, defaultSubject, run.planFile) : (byCheck.get(c.id) ?? [])));
  const region = plan.bucket.region();
  const principal = 'unavailable' in plan.principal ? undefined : plan.principal.principal();
  const interrupted = run.signal?.aborted ?? false;
  const account = await facts.callerIdentity().then((id) => id.account, () => null);
  return {
    name: run.name ?? target.bucket,
    target: {
      bucket: target.bucket,
      serviceUrl: target.serviceUrl ?? null,
      region: region.state === 'known' ? region.value : null,
      actionsBucket: target.actionsBucket ?? null,
      principalArn: principal?.state === 'known' ? principal.value.arn : (options.principalArn ?? null),
      account,
    },
    ...verdictOf(results, interrupted),
    summary: summarize(results),
    results,
    apiCalls: [],
    ...(interrupted ? { interrupted: true } : {}),
  };
}
