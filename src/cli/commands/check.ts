import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import { readGheConfig } from '../../config/ghe-config.ts';
import { z } from 'zod';
import { checkOptionsSchema, gheImportShape, resolveOptions, validate } from '../../config/options.ts';
import { runGhesS3Target } from '../../run/ghes-s3.ts';
import { pickFlags } from '../common.ts';
import { runStorageCommand } from '../storage-command.ts';
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
  return runStorageCommand({
    pack: 'ghes-s3',
    checkIds: ghesS3Checks.map((c) => c.id),
    options,
    configFile: args.config as string | undefined,
    gheCredentials: ghe?.credentials,
    targetInfo: ghe ? { source: 'ghe-config', gheCredentials: options.useGheCredentials ? ghe.maskedAccessKeyId : null, packagesEnabled: ghe.packagesEnabled ?? null } : undefined,
    run: (run) => runGhesS3Target(options, run),
  });
}
