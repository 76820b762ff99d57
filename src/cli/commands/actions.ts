// `packages-preflight actions`: the GitHub Actions storage bucket, with the shape of `check`.

import { z } from 'zod';
import { ghesActionsChecks } from '../../../checks/ghes-actions-s3/index.ts';
import { actionsOptionsSchema } from '../../config/actions-options.ts';
import { readGheActionsConfig } from '../../config/ghe-config.ts';
import { gheImportShape, resolveOptions, validate } from '../../config/options.ts';
import { usageError } from '../../i18n/usage.ts';
import { runGhesActionsTarget } from '../../run/ghes-actions-s3.ts';
import { pickFlags } from '../common.ts';
import { runStorageCommand } from '../storage-command.ts';

export async function runActionsCommand(args: Record<string, unknown>): Promise<number> {
  let flags = pickFlags(args, Object.keys(actionsOptionsSchema.shape));
  validate(z.object({ fromGheConfig: gheImportShape.fromGheConfig }), { fromGheConfig: flags.fromGheConfig }, 'flag');
  // The appliance's Actions storage settings fill what the flags do not say.
  const ghe = typeof flags.fromGheConfig === 'string' ? readGheActionsConfig(flags.fromGheConfig) : undefined;
  if (ghe) flags = { bucket: ghe.bucket, ...(ghe.serviceUrl ? { serviceUrl: ghe.serviceUrl } : {}), ...(ghe.packagesBucket ? { packagesBucket: ghe.packagesBucket } : {}), ...flags };
  const options = resolveOptions(actionsOptionsSchema, flags, args.config as string | undefined);
  if (options.useGheCredentials && !ghe) throw usageError('cli.gheCredentialsNeedFile');
  if (options.useGheCredentials && !ghe?.credentials) throw usageError('cli.gheActionsCredentialsMissing');
  return runStorageCommand({
    pack: 'ghes-actions-s3',
    checkIds: ghesActionsChecks.map((c) => c.id),
    options,
    configFile: args.config as string | undefined,
    gheCredentials: ghe?.credentials,
    targetInfo: ghe ? { source: 'ghe-config', gheCredentials: options.useGheCredentials ? ghe.maskedAccessKeyId : null, actionsEnabled: ghe.actionsEnabled ?? null } : undefined,
    run: (run) => runGhesActionsTarget(options, run),
  });
}
