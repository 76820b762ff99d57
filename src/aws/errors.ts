// Turns whatever the SDK threw into a FactError carrying the AWS error code and request id.

import { FactError } from '../engine/fact-error.ts';
import { redactThenCut } from '../redact.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

/** How much of an AWS error message is kept in evidence (redacted first: see redactThenCut). */
export const ERROR_MESSAGE_MAX = 300;

export function errorCode(e: unknown): string {
  const err = (e ?? {}) as SdkErrorShape;
  // The per-request timeout (node-http-handler, throwOnRequestTimeout) is a TimeoutError with code
  // ETIMEDOUT: name it TimeoutError, which the explanations and the "nothing succeeded" hint know.
  if (err.name === 'TimeoutError' && (err.code === 'ETIMEDOUT' || !err.code)) return 'TimeoutError';
  // Network failures carry a Node errno code (ECONNREFUSED, ECONNRESET); SDK service errors a name.
  if (err.code && /^E[A-Z]+$/.test(err.code)) return err.code;
  if (err.name === 'AbortError') return 'Interrupted';
  const code = err.Code ?? err.name ?? err.code ?? 'UnknownError';
  // HEAD responses have no body, so the SDK cannot name the error: name it from the status.
  const status = err.$metadata?.httpStatusCode;
  if ((code === 'Unknown' || code === 'UnknownError') && status) return status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : `HTTP${status}`;
  // Bodies the SDK cannot parse (truncated XML) surface as a generic Error: name it.
  if (code === 'Error' || code === 'SyntaxError') return 'MalformedResponse';
  return code;
}

/**
 * "Not configured" is an answer only in the documented form: one of `codes` with HTTP 404. The same
 * code with any other status (e.g. an <Error> document inside a 200, which S3 treats as a 5xx) is
 * an error like any other.
 */
export function isNotConfigured(e: unknown, codes: ReadonlySet<string>): boolean {
  return codes.has(errorCode(e)) && httpStatus(e) === 404;
}

export function httpStatus(e: unknown): number | undefined {
  return (e as SdkErrorShape)?.$metadata?.httpStatusCode;
}

export function responseHeader(e: unknown, name: string): string | undefined {
  return (e as SdkErrorShape)?.$response?.headers?.[name];
}

export function toFactError(e: unknown, fact: string, api: string, resource?: string): FactError {
  if (e instanceof FactError) return e;
  const err = (e ?? {}) as SdkErrorShape;
  return new FactError({
    fact,
    api,
    resource,
    code: errorCode(e),
    httpStatus: err.$metadata?.httpStatusCode,
    requestId: err.$metadata?.requestId,
    message: redactThenCut(err.message ?? '', ERROR_MESSAGE_MAX),
  });
}
