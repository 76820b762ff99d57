// The part of `check` (Packages) and `actions` (Actions storage) after the options are settled:
// one storage target run against AWS, its report written and the exit code returned.

import type { CheckOptions } from '../config/options.ts';
import { endpointFromEnv } from '../config/endpoint-env.ts';
import { buildReport, type TargetReport } from '../report/report.ts';
import type { RunTargetOptions } from '../run/ghes-s3.ts';
import { TOOL } from '../version.ts';
import { finish, loadWaivers, planOutput, runControl, sourcePath } from './common.ts';
import { commandSession } from './session.ts';

type CommandOptions = Pick<CheckOptions, 'endpointUrl' | 'format' | 'outputDir' | 'stdout' | 'output' | 'waivers' | 'timeout' | 'quiet' | 'color' | 'sarifAnchor' | 'useGheCredentials'> &
  Parameters<typeof commandSession>[0];

export interface StorageCommand {
  pack: string;
  checkIds: string[];
  options: CommandOptions;
  /** --config FILE: the report says where the target was defined. */
  configFile?: string;
  /** --use-ghe-credentials: the appliance's own key (never printed). */
  gheCredentials?: { accessKeyId: string; secretAccessKey: string };
  /** Added to the report's target block (e.g. where --from-ghe-config took the settings from). */
  targetInfo?: Record<string, unknown>;
  run: (run: Pick<RunTargetOptions, 'session' | 'signal'>) => Promise<TargetReport>;
}

export async function runStorageCommand(c: StorageCommand): Promise<number> {
  const { options } = c;
  const endpointUrl = endpointFromEnv(options.endpointUrl);
  const output = planOutput(options);
  const waivers = loadWaivers(options.waivers, c.checkIds);
  const control = runControl(options.timeout);
  try {
    const session = await commandSession(options, { endpointUrl, signal: control.signal, credentials: options.useGheCredentials ? c.gheCredentials : undefined, credentialsSource: 'ghes-credentials' });
    const startedAt = new Date();
    const target = await c.run({ session, signal: control.signal });
    const targetInfo = { ...target.target, ...(c.configFile ? { definedIn: sourcePath(c.configFile) } : {}), ...(c.targetInfo ?? {}) };
    const report = buildReport({ tool: TOOL, pack: c.pack, target: targetInfo, startedAt, finishedAt: new Date(), results: target.results, apiCalls: target.apiCalls, interrupted: target.interrupted, environment: target.environment });
    return finish(report, { output, quiet: options.quiet, color: options.color, waivers, sarifAnchor: options.sarifAnchor });
  } finally {
    control.dispose();
  }
}
