// Kept apart from common.ts so commands that never talk to AWS (report, policy) do not load the SDK.

import { AwsSession, type StaticCredentials } from '../aws/session.ts';
import { debugLogger, requireCredentials } from './common.ts';
import { err } from './output.ts';

/**
 * The session a command's run uses: the user's AWS options, the run's abort signal, --debug request
 * lines and the credential chain's warnings on the redacting stderr. Credentials are resolved up
 * front, so "no credentials" is bad input (exit 3) before any check runs.
 */
export async function commandSession(
  options: { region?: string; profile?: string; maxAttempts?: number; debug?: boolean },
  run: { endpointUrl?: string; signal: AbortSignal; credentials?: StaticCredentials; credentialsSource?: string },
): Promise<AwsSession> {
  const session = new AwsSession({
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

