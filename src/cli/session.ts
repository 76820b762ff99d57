// Kept apart from common.ts so commands that never talk to AWS (report, policy) do not load the SDK.

import { useProxy } from '../aws/network.ts';
import { AwsSession, type StaticCredentials } from '../aws/session.ts';
import { debugLogger, requireCredentials } from './common.ts';
import { awsOptionsShape, UsageError } from '../config/options.ts';
import { err } from './output.ts';

/**
 * The session a command's run uses: the user's AWS options, the run's abort signal, --debug request
 * lines and the credential chain's warnings on the redacting stderr. Credentials are resolved up
 * front, so "no credentials" is bad input (exit 3) before any check runs.
 */
export async function commandSession(
  options: { region?: string; profile?: string; maxAttempts?: number; debug?: boolean; proxy?: string; caBundle?: string },
  run: { endpointUrl?: string; signal: AbortSignal; credentials?: StaticCredentials; credentialsSource?: string },
): Promise<AwsSession> {
  if (options.proxy) useProxy(options.proxy);
  const session = new AwsSession({
    caBundle: caBundleOf(options),
    onRoute: routeLogger(Boolean(options.debug)),
    region: options.region,
    endpointUrl: run.endpointUrl,
    profile: options.profile,
    credentials: run.credentials,
    credentialsSource: run.credentialsSource,
    maxAttempts: options.maxAttempts,
    signal: run.signal,
    onApiCall: debugLogger(Boolean(options.debug)),
    onWarning: (message) => err(`packages-preflight: warning: ${message}`),
  });
  await requireCredentials(session);
  return session;
}


/** --ca-bundle, else AWS_CA_BUNDLE (checked like the flag: bad input is exit 3). */
export function caBundleOf(options: { caBundle?: string }): string | undefined {
  const file = options.caBundle ?? (process.env.AWS_CA_BUNDLE || undefined);
  if (file && !options.caBundle) {
    const parsed = awsOptionsShape.caBundle.safeParse(file);
    if (!parsed.success) throw new UsageError(`AWS_CA_BUNDLE ${file}: ${parsed.error.issues[0]?.message ?? 'is not usable'}`);
  }
  return file;
}

/** --debug: which proxy each host is reached through (credentials never shown). */
export function routeLogger(enabled: boolean) {
  return enabled
    ? (route: { host: string; proxy: string | null; from: string }) =>
        err(`debug: ${route.host} ${route.proxy ? `via proxy ${route.proxy} (${route.from})` : `direct (${route.from})`}`)
    : undefined;
}
