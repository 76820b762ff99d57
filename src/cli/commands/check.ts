import { AwsSession } from '../../aws/session.ts';
import { checkOptionsSchema, resolveOptions, validate, awsOptionsShape } from '../../config/options.ts';
import { buildReport } from '../../report/report.ts';
import { runGhesS3Target } from '../../run/ghes-s3.ts';
import { TOOL } from '../../version.ts';
import { debugLogger, finish, pickFlags, prepareOutputDir, requireCredentials, runControl } from '../common.ts';
import { z } from 'zod';

export async function runCheckCommand(args: Record<string, unknown>): Promise<number> {
  const flags = pickFlags(args, Object.keys(checkOptionsSchema.shape));
  const options = resolveOptions(checkOptionsSchema, flags, args.config as string | undefined);
  const endpointUrl = options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL ? validate(z.object({ endpointUrl: awsOptionsShape.endpointUrl }), { endpointUrl: process.env.AWS_ENDPOINT_URL }, 'flag').endpointUrl : undefined);
  const outputDir = prepareOutputDir(options.outputDir ?? 'reports');
  const control = runControl(options.timeout);
  try {
    const session = new AwsSession({
      region: options.region,
      endpointUrl,
      profile: options.profile,
      maxAttempts: options.maxAttempts,
      signal: control.signal,
      onApiCall: debugLogger(Boolean(options.debug)),
    });
    await requireCredentials(session);
    const startedAt = new Date();
    const target = await runGhesS3Target(options, { session, signal: control.signal });
    const report = buildReport({ tool: TOOL, pack: 'ghes-s3', target: target.target, startedAt, finishedAt: new Date(), results: target.results, apiCalls: target.apiCalls, interrupted: target.interrupted });
    return finish(report, { formats: options.format, outputDir, quiet: options.quiet, color: options.color });
  } finally {
    control.dispose();
  }
}
