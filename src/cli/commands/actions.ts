// `packages-preflight actions`: the GitHub Actions storage bucket, with the shape of `check`.

import { z } from 'zod';
import { ghesActionsChecks } from '../../../checks/ghes-actions-s3/index.ts';
import { actionsOptionsSchema } from '../../config/actions-options.ts';
import { endpointFromEnv } from '../../config/endpoint-env.ts';
import { GHE_ACTIONS_KEYS, readGheActionsConfig } from '../../config/ghe-config.ts';
import { gheImportShape, resolveOptions, UsageError, validate } from '../../config/options.ts';
import { buildReport } from '../../report/report.ts';
import { runGhesActionsTarget } from '../../run/ghes-actions-s3.ts';
import { TOOL } from '../../version.ts';
import { finish, loadWaivers, pickFlags, planOutput, runControl, sourcePath } from '../common.ts';
import { commandSession } from '../session.ts';

export async function runActionsCommand(args: Record<string, unknown>): Promise<number> {
  let flags = pickFlags(args, Object.keys(actionsOptionsSchema.shape));
  validate(z.object({ fromGheConfig: gheImportShape.fromGheConfig }), { fromGheConfig: flags.fromGheConfig }, 'flag');
  // The appliance's Actions storage settings fill what the flags do not say.
  const ghe = typeof flags.fromGheConfig === 'string' ? readGheActionsConfig(flags.fromGheConfig) : undefined;
  if (ghe) flags = { bucket: ghe.bucket, ...(ghe.serviceUrl ? { serviceUrl: ghe.serviceUrl } : {}), ...(ghe.packagesBucket ? { packagesBucket: ghe.packagesBucket } : {}), ...flags };
  const options = resolveOptions(actionsOptionsSchema, flags, args.config as string | undefined);
  if (options.useGheCredentials && !ghe) throw new UsageError('--use-ghe-credentials needs --from-ghe-config FILE (the credentials come from the appliance settings)');
  if (options.useGheCredentials && !ghe?.credentials) {
    throw new UsageError(`--use-ghe-credentials: the ghe-config output has no ${GHE_ACTIONS_KEYS.accessKey}/${GHE_ACTIONS_KEYS.secretKey} (Actions storage may use OpenID Connect: then pass --role-arn and --ghes-host instead)`);
  }
  const endpointUrl = endpointFromEnv(options.endpointUrl);
  const output = planOutput(options);
  const waivers = loadWaivers(options.waivers, ghesActionsChecks.map((c) => c.id));
  const control = runControl(options.timeout);
  try {
    const session = await commandSession(options, { endpointUrl, signal: control.signal, credentials: options.useGheCredentials ? ghe?.credentials : undefined, credentialsSource: 'ghes-credentials' });
    const startedAt = new Date();
    const target = await runGhesActionsTarget(options, { session, signal: control.signal });
    const configFile = args.config as string | undefined;
    const targetInfo = { ...target.target, ...(configFile ? { definedIn: sourcePath(configFile) } : {}), ...(ghe ? { source: 'ghe-config', gheCredentials: options.useGheCredentials ? ghe.maskedAccessKeyId : null, actionsEnabled: ghe.actionsEnabled ?? null } : {}) };
    const report = buildReport({ tool: TOOL, pack: 'ghes-actions-s3', target: targetInfo, startedAt, finishedAt: new Date(), results: target.results, apiCalls: target.apiCalls, interrupted: target.interrupted, environment: target.environment });
    return finish(report, { output, quiet: options.quiet, color: options.color, waivers, sarifAnchor: options.sarifAnchor });
  } finally {
    control.dispose();
  }
}
