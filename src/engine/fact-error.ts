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
    // The Terraform plan fact source (src/terraform/plan-facts.ts): not a failed read, a value the plan does not give.
    case 'UnknownUntilApply':
      return `Not evaluated from the plan: ${info.fact} is ${info.message}.`;
    case 'NotInPlan':
      return `Not evaluated from the plan: ${info.message}.`;
    case 'MalformedPolicy':
      return `Could not evaluate the policy read with ${what}: ${info.message}. IAM would reject such a statement; fix it and run again.`;
    default:
      return `Could not read ${what}: ${info.code}${info.message ? ` (${info.message})` : ''}.`;
  }
}

// The API a fact is read with → the IAM action that allows it, where the two names differ.
const PERMISSION_OF: Record<string, string> = { 's3:HeadBucket': 's3:ListBucket' };
const permissionOf = (api: string): string => PERMISSION_OF[api] ?? api;
const CHECKER_POLICY = '`packages-preflight policy checker` prints every read permission the checker needs';

/**
 * The remediation of an `error` result: how to make the fact readable (a permission to grant, an
 * endpoint to check), never the fix of the finding the check could not evaluate. Built from what
 * the evidence says was read (`api`, `resource`, `code`); without those, the generic way to find out.
 */
export function readFix(evidence: { api?: unknown; resource?: unknown; code?: unknown }): string {
  const apis = (Array.isArray(evidence.api) ? evidence.api : [evidence.api]).filter((a): a is string => typeof a === 'string' && a.includes(':'));
  if (apis.length === 0) return `Run again with --debug to see which request failed; ${CHECKER_POLICY}.`;
  const resource = typeof evidence.resource === 'string' && evidence.resource ? evidence.resource : '*';
  const what = `${apis.join(' and ')} on ${resource}`;
  const code = typeof evidence.code === 'string' ? evidence.code : '';
  const grant = `Grant the checker ${[...new Set(apis.map(permissionOf))].join(' and ')} on ${resource} (${CHECKER_POLICY}).`;
  if (/AccessDenied|AllAccessDisabled|Forbidden|UnauthorizedOperation|NotAuthorized/i.test(code)) {
    return apis.every((a) => a === 'sts:GetCallerIdentity') ? 'Check the credentials: GetCallerIdentity needs no permission, so the key itself was refused (expired, deactivated or deleted).' : grant;
  }
  if (/Throttl|SlowDown|TooManyRequests|RequestLimitExceeded/i.test(code)) return `AWS throttled ${what}: run again later, with a lower --concurrency or a higher --max-attempts.`;
  if (/Timeout|^E[A-Z]+$/.test(code)) return `Check that the endpoint answering ${what} is reachable from this host (--endpoint-url or AWS_ENDPOINT_URL, proxy, firewall), or raise --timeout.`;
  if (code === 'Interrupted') return 'Run the check again and let it finish.';
  if (code === 'NoSuchEntity' || code === 'UnsupportedPrincipal') return 'Check that --principal-arn names an IAM user or role of the account the checker reads (the whole ARN: account, path and name).';
  if (code) return `Check that the endpoint answers ${what} as AWS documents it (a proxy, an S3-compatible store or an emulator may answer otherwise; --debug shows each request); if access was refused: ${grant}`;
  return `${grant} Then check that the endpoint answers ${what} (--debug shows each request).`;
}
