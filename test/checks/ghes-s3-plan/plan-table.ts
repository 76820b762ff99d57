// Table tests of the ghes-s3 checks over the plan fact source: each row is a plan (written with
// plan-builder.ts), the run goes through the real plan run (src/run/ghes-s3-plan.ts) with only
// the check under test, and the results are compared like the live tables compare theirs.

import { test } from 'vitest';
import type { GhesS3Check } from '../../../checks/ghes-s3/context.ts';
import { runGhesS3Plan } from '../../../src/run/ghes-s3-plan.ts';
import { toPlanJson } from '../../../src/terraform/plan-file.ts';
import { type PlanSelection, selectPlanTarget } from '../../../src/terraform/plan-target.ts';
import { assertResults, type Expected } from '../check-table.ts';
import { type PlanOptions, type PlanRow, planOf } from './plan-builder.ts';

export interface PlanTableRow {
  name: string;
  plan: PlanRow[];
  planOptions?: PlanOptions;
  selection?: PlanSelection;
  serviceUrl?: string;
  actionsBucket?: string;
  expect: Expected | Expected[];
}

export async function runPlanRow(check: GhesS3Check, row: Omit<PlanTableRow, 'name' | 'expect'>) {
  const plan = selectPlanTarget(toPlanJson(planOf(row.plan, { region: 'us-west-2', ...row.planOptions }), 'plan.json'), { userAddress: row.plan.some((r) => r.address === 'aws_iam_user.ghes') ? 'aws_iam_user.ghes' : undefined, ...row.selection });
  const report = await runGhesS3Plan({ serviceUrl: row.serviceUrl ?? 'https://s3.us-west-2.amazonaws.com', actionsBucket: row.actionsBucket }, plan, { planFile: 'plan.json', checks: [check] });
  return report.results;
}

export function planTable(check: GhesS3Check, rows: PlanTableRow[]): void {
  for (const row of rows) {
    test(`${check.id} over a plan: ${row.name}`, async () => {
      assertResults(await runPlanRow(check, row), row.expect, row.name);
    });
  }
}
