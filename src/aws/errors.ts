// Turns whatever the SDK threw into a FactError carrying the AWS error code and request id.

import { FactError } from '../engine/fact-error.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

export function errorCode(e: unknown): string {
  const err = (e ?? {}) as SdkErrorShape;
  // Network failures carry a Node errno code (ECONNREFUSED, ECONNRESET); SDK service errors a name.
  if (err.code && /^E[A-Z]+$/.test(err.code)) return err.code;
  if (err.name === 'AbortError') return 'Interrupted';
  const code = err.Code ?? err.name ?? err.code ?? 'UnknownError';
  // Bodies the SDK cannot parse (truncated XML) surface as a generic Error: name it.
  if (code === 'Error' || code === 'SyntaxError') return 'MalformedResponse';
  return code;
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
    message: (err.message ?? '').slice(0, 300),
  });
}
