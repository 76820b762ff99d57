// One ghes-s3 target judged from a Terraform/OpenTofu plan (check --terraform-plan): the same
// checks over the plan fact source, with no AWS client anywhere in the run. Checks that only the
// live account can answer (credentials, reachability, the simulator, the probe, drift) are not
// run: each is a neutral `skip` saying so, since a plan cannot answer them before apply. A fact the
// plan knows only after apply, or does not hold, makes the checks that need it `skip` naming the
// attribute path or the reason; those skips leave the run incomplete (exit 2), never compliant.

import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check, GhesS3Context } from '../../checks/ghes-s3/context.ts';
import { englishText, uiRef } from '../engine/check.ts';
import { runChecks } from '../engine/engine.ts';
import type { TextRef } from '../i18n/text.ts';
import type { Result } from '../model.ts';
import { summarize, verdictOf } from '../model.ts';
import type { TargetReport } from '../report/report.ts';
import { PLAN_API, PLAN_FACT_CODES, PlanFacts } from '../terraform/plan-facts.ts';
import type { PlanTarget } from '../terraform/plan-target.ts';
import { type GhesS3TargetOptions, toGhesS3Target } from './ghes-s3.ts';

/** Checks a plan cannot answer, with the reason each skip gives (texts of src/i18n/locales). */
export const LIVE_ONLY_CHECKS = {
  credentials: 'plan.reason.credentials',
  'bucket-reachable': 'plan.reason.reachable',
  'engine-agreement': 'plan.reason.simulator',
  probe: 'plan.reason.probe',
  'probe-cleanup': 'plan.reason.probe',
  'probe-leftovers': 'plan.reason.probeLeftovers',
  'storage-drift': 'plan.reason.drift',
} as const satisfies Record<string, Parameters<typeof uiRef>[0]>;
const isLiveOnly = (id: string): id is keyof typeof LIVE_ONLY_CHECKS => id in LIVE_ONLY_CHECKS;

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
  const fix = uiRef(code === PLAN_FACT_CODES.unknown ? 'plan.unknownFix' : 'plan.notInPlanFix');
  return { ...r, status: 'skip', incomplete: true, remediation: englishText(fix), remediationRefs: [fix] };
}

function liveOnlySkips(check: GhesS3Check, ctx: GhesS3Context, defaultSubject: string, planFile: string): Result[] {
  const reason = isLiveOnly(check.id) ? LIVE_ONLY_CHECKS[check.id] : undefined;
  const message: TextRef = uiRef('plan.liveOnly', { reason: reason ? uiRef(reason) : '' });
  const fix = uiRef('plan.liveOnlyFix');
  const subjects = check.subjects?.(ctx) ?? [defaultSubject];
  return subjects.map((subject) => ({
    check: check.id,
    subject,
    status: 'skip' as const,
    severity: check.severity,
    title: check.title,
    message: englishText(message),
    messageRefs: [message],
    evidence: { source: 'terraform plan', planFile, reason: reason ? englishText(uiRef(reason)) : null },
    remediation: englishText(fix),
    remediationRefs: [fix],
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
    checks.filter((c) => !isLiveOnly(c.id)),
    ctx,
    { defaultSubject, concurrency: run.concurrency, timeoutMs: run.checkTimeoutMs, signal: run.signal },
  );
  const byCheck = new Map<string, Result[]>();
  for (const r of evaluated.map(asPlanSkip)) byCheck.set(r.check, [...(byCheck.get(r.check) ?? []), r]);
  const results = checks.flatMap((c) => (isLiveOnly(c.id) ? liveOnlySkips(c, ctx, defaultSubject, run.planFile) : (byCheck.get(c.id) ?? [])));
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
