// A fact that could not be read. The engine turns it into status `error` for the checks that
// needed it (never `pass`), with the AWS error code and request id as evidence.

export interface FactErrorInfo {
  fact: string;
  api: string;
  resource?: string;
  code: string;
  httpStatus?: number;
  requestId?: string;
  message: string;
}

export class FactError extends Error {
  readonly info: FactErrorInfo;
  constructor(info: FactErrorInfo) {
    super(`${info.api} failed for ${info.resource ?? info.fact}: ${info.code}${info.message ? ` (${info.message})` : ''}`);
    this.name = 'FactError';
    this.info = info;
  }
}

export const isFactError = (e: unknown): e is FactError => e instanceof FactError;

/** Sentence for the admin: what could not be read and what usually fixes it. */
export function explainFactError(info: FactErrorInfo): string {
  const what = `${info.api}${info.resource ? ` on ${info.resource}` : ''}`;
  switch (info.code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'AllAccessDisabled':
      return `Could not read ${what}: access denied. Grant the checker the read permission (see "policy checker" in the README).`;
    case 'Throttling':
    case 'ThrottlingException':
    case 'SlowDown':
    case 'TooManyRequestsException':
      return `Could not read ${what}: AWS kept throttling the request after retries. Run again later or lower --concurrency.`;
    case 'TimeoutError':
    case 'RequestTimeout':
      return `Could not read ${what}: the request timed out. Check the network path to the endpoint or raise --timeout.`;
    case 'Interrupted':
      return `Could not read ${what}: the run was interrupted before the answer arrived.`;
    case 'MalformedPolicy':
      return `Could not evaluate the policy read with ${what}: ${info.message}. IAM would reject such a statement; fix it and run again.`;
    default:
      return `Could not read ${what}: ${info.code}${info.message ? ` (${info.message})` : ''}.`;
  }
}
