// The SDK honours AWS_ENDPOINT_URL and a per-service AWS_ENDPOINT_URL_<SERVICE> for every client
// (S3, S3_CONTROL, IAM, STS, CODEARTIFACT, SSO, SSO_OIDC, ...). A bad value there used to surface as
// an SDK stack trace or one "Invalid URL" error per check; every such variable is validated up front
// like --endpoint-url: one line naming the variable, exit 3, nothing sent to AWS.

import { z } from 'zod';
import { awsOptionsShape, UsageError, validate } from './options.ts';

const endpointSchema = z.object({ endpointUrl: awsOptionsShape.endpointUrl });
/** AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE ID>, as the SDK spells them. */
const ENDPOINT_VARIABLE = /^AWS_ENDPOINT_URL(?:_[A-Z0-9_]+)?$/;

function validateVariable(name: string, value: string): string {
  try {
    return validate(endpointSchema, { endpointUrl: value }, 'flag').endpointUrl as string;
  } catch (e) {
    // The value came from the environment: say so, or the user looks for a flag they never gave.
    if (e instanceof UsageError) throw new UsageError(`${e.message.replace(/^--endpoint-url/, `the environment variable ${name}`).replace(/; e\.g\. --endpoint-url .*$/, '')}; fix it or unset ${name}`);
    throw e;
  }
}

/** Validates every endpoint variable the SDK would use (none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true). */
export function validateEndpointEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return;
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (ENDPOINT_VARIABLE.test(name) && value) validateVariable(name, value);
  }
}

/** --endpoint-url, else AWS_ENDPOINT_URL; every endpoint variable of the environment is validated either way. */
export function endpointFromEnv(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  validateEndpointEnvironment(env);
  if (flag) return flag;
  const fromEnv = env.AWS_ENDPOINT_URL;
  if (!fromEnv || env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  return validateVariable('AWS_ENDPOINT_URL', fromEnv);
}
