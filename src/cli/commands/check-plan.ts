// check --terraform-plan: the ghes-s3 checks over the JSON of a Terraform/OpenTofu plan. No AWS
// session is created in this mode (this file imports nothing that talks to AWS): the plan, the
// flags and the report folder are all it reads, and a bad one of them is exit 3 with one line.

import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import { checkPlanOptionsSchema, resolveOptions } from '../../config/options.ts';
import { buildReport } from '../../report/report.ts';
import { runGhesS3Plan } from '../../run/ghes-s3-plan.ts';
import { readPlanFile } from '../../terraform/plan-file.ts';
import { selectPlanTarget } from '../../terraform/plan-target.ts';
import { TOOL } from '../../version.ts';
import { finish, loadWaivers, pickFlags, planOutput, runControl, sourcePath } from '../common.ts';

export async function runCheckPlanCommand(args: Record<string, unknown>): Promise<number> {
  const flags = pickFlags(args, Object.keys(checkPlanOptionsSchema.shape));
  const options = resolveOptions(checkPlanOptionsSchema, flags, args.config as string | undefined);
  const planFile = options.terraformPlan;
  const plan = selectPlanTarget(readPlanFile(planFile), { bucket: options.bucket, bucketAddress: options.bucketAddress, principalArn: options.principalArn, userAddress: options.userAddress }, `--terraform-plan ${planFile}`);
  const output = planOutput(options);
  const waivers = loadWaivers(options.waivers, ghesS3Checks.map((c) => c.id));
  const control = runControl(options.timeout);
  try {
    const startedAt = new Date();
    const target = await runGhesS3Plan(options, plan, { planFile: sourcePath(planFile), signal: control.signal });
    const configFile = args.config as string | undefined;
    const targetInfo = {
      ...target.target,
      source: 'terraform-plan',
      terraformPlan: sourcePath(planFile),
      bucketAddress: plan.bucket.resource.address,
      userAddress: 'unavailable' in plan.principal ? null : plan.principal.user.address,
      ...(configFile ? { definedIn: sourcePath(configFile) } : {}),
    };
    const report = buildReport({ tool: TOOL, pack: 'ghes-s3', target: targetInfo, startedAt, finishedAt: new Date(), results: target.results, apiCalls: [], interrupted: target.interrupted });
    return finish(report, { output, quiet: options.quiet, color: options.color, waivers, sarifAnchor: options.sarifAnchor });
  } finally {
    control.dispose();
  }
}
