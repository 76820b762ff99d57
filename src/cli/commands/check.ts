import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import { readGheConfig } from '../../config/ghe-config.ts';
import { endpointFromEnv } from '../../config/endpoint-env.ts';
import { z } from 'zod';
import { checkOptionsSchema, gheImportShape, resolveOptions, validate } from '../../config/options.ts';
import { buildReport } from '../../report/report.ts';
import { runGhesS3Target } from '../../run/ghes-s3.ts';
import { TOOL } from '../../version.ts';
import { finish, loadWaivers, pickFlags, planOutput, runControl, sourcePath } from '../common.ts';
import { commandSession } from '../session.ts';
import { usageError } from '../../i18n/usage.ts';

export { endpointFromEnv } from '../../config/endpoint-env.ts';

export async function runCheckCommand(args: Record<string, unknown>): Promise<number> {
  // --terraform-plan: judged from the plan, with no AWS session at all (issue 20).
  if (args.terraformPlan !== undefined) return (await import('./check-plan.ts')).runCheckPlanCommand(args);
  let flags = pickFlags(args, Object.keys(checkOptionsSchema.shape));
  // Given twice, it would be neither file: say so instead of "--bucket is required".
  validate(z.object({ fromGheConfig: gheImportShape.fromGheConfig }), { fromGheConfig: flags.fromGheConfig }, 'flag');
  // The appliance's settings fill what the flags do not say.
  const ghe = typeof flags.fromGheConfig === 'string' ? readGheConfig(flags.fromGheConfig) : undefined;
  if (ghe) flags = { bucket: ghe.bucket, serviceUrl: ghe.serviceUrl, ...(ghe.actionsBucket ? { actionsBucket: ghe.actionsBucket } : {}), ...flags };
  const options = resolveOptions(checkOptionsSchema, flags, args.config as string | undefined);
  if (options.useGheCredentials && !ghe) throw usageError('cli.gheCredentialsNeedFile');
  if (options.useGheCredentials && !ghe?.credentials) {
    throw usageError('cli.gheCredentialsMissing');
  }
  const endpointUrl = endpointFromEnv(options.endpointUrl);
  const output = planOutput(options);
  const waivers = loadWaivers(options.waivers, ghesS3Checks.map((c) => c.id));
  const control = runControl(options.timeout);
  try {
    const session = await commandSession(options, { endpointUrl, signal: control.signal, credentials: options.useGheCredentials ? ghe?.credentials : undefined, credentialsSource: 'ghes-credentials' });
    const startedAt = new Date();
    const target = await runGhesS3Target(options, { session, signal: control.signal });
    const configFile = args.config as string | undefined;
    const targetInfo = { ...target.target, ...(configFile ? { definedIn: sourcePath(configFile) } : {}), ...(ghe ? { source: 'ghe-config', gheCredentials: options.useGheCredentials ? ghe.maskedAccessKeyId : null, packagesEnabled: ghe.packagesEnabled ?? null } : {}) };
    const report = buildReport({ tool: TOOL, pack: 'ghes-s3', target: targetInfo, startedAt, finishedAt: new Date(), results: target.results, apiCalls: target.apiCalls, interrupted: target.interrupted, environment: target.environment });
    return finish(report, { output, quiet: options.quiet, color: options.color, waivers, sarifAnchor: options.sarifAnchor });
  } finally {
    control.dispose();
  }
}
