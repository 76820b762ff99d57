// A fact that could not be read. The engine turns it into status `error` for the checks that
// needed it (never `pass`), with the AWS error code and request id as evidence.

import { uiText, type UiId } from '../i18n/ui.ts';

/** A text of the shared catalog (src/i18n/locales) with its data. */
export interface UiRef {
  ui: UiId;
  data?: Record<string, unknown>;
}
const englishUi = (ref: UiRef): string => uiText(ref.ui, ref.data, 'en');

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

/** Sentence for the admin: what could not be read and what usually fixes it (English). */
export function explainFactError(info: FactErrorInfo): string {
  return englishUi(explainFactErrorText(info));
}

/** explainFactError as a text of the shared catalog (src/i18n/locales), for every language. */
export function explainFactErrorText(info: FactErrorInfo): UiRef {
  const what = info.resource ? { ui: 'fact.apiOn', data: { api: info.api, resource: info.resource } } : info.api;
  switch (info.code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'AllAccessDisabled':
      return { ui: 'fact.accessDenied', data: { what } };
    case 'Throttling':
    case 'ThrottlingException':
    case 'SlowDown':
    case 'TooManyRequestsException':
      return { ui: 'fact.throttled', data: { what } };
    case 'TimeoutError':
    case 'RequestTimeout':
      return { ui: 'fact.timeout', data: { what } };
    case 'Interrupted':
      return { ui: 'fact.interrupted', data: { what } };
    // The Terraform plan fact source (src/terraform/plan-facts.ts): not a failed read, a value the plan does not give.
    case 'UnknownUntilApply':
      return { ui: 'fact.unknownUntilApply', data: { fact: info.fact, message: info.message } };
    case 'NotInPlan':
      return { ui: 'fact.notInPlan', data: { message: info.message } };
    case 'MalformedPolicy':
      return { ui: 'fact.malformedPolicy', data: { what, message: info.message } };
    default:
      return info.message ? { ui: 'fact.otherWithMessage', data: { what, code: info.code, message: info.message } } : { ui: 'fact.other', data: { what, code: info.code } };
  }
}

// The API a fact is read with → the IAM action that allows it, where the two names differ.
const PERMISSION_OF: Record<string, string> = { 's3:HeadBucket': 's3:ListBucket' };
const permissionOf = (api: string): string => PERMISSION_OF[api] ?? api;

/**
 * The remediation of an `error` result: how to make the fact readable (a permission to grant, an
 * endpoint to check), never the fix of the finding the check could not evaluate. Built from what
 * the evidence says was read (`api`, `resource`, `code`); without those, the generic way to find out.
 */
export function readFix(evidence: { api?: unknown; resource?: unknown; code?: unknown }): string {
  return englishUi(readFixText(evidence));
}

/** readFix as a text of the shared catalog, for every language. */
export function readFixText(evidence: { api?: unknown; resource?: unknown; code?: unknown }): UiRef {
  const apis = (Array.isArray(evidence.api) ? evidence.api : [evidence.api]).filter((a): a is string => typeof a === 'string' && a.includes(':'));
  if (apis.length === 0) return { ui: 'fix.debug' };
  const resource = typeof evidence.resource === 'string' && evidence.resource ? evidence.resource : '*';
  const data = { apis: apis.join(' and '), resource, permissions: [...new Set(apis.map(permissionOf))].join(' and ') };
  const code = typeof evidence.code === 'string' ? evidence.code : '';
  if (/AccessDenied|AllAccessDisabled|Forbidden|UnauthorizedOperation|NotAuthorized/i.test(code)) {
    return apis.every((a) => a === 'sts:GetCallerIdentity') ? { ui: 'fix.credentialsRefused' } : { ui: 'fix.grant', data };
  }
  if (/Throttl|SlowDown|TooManyRequests|RequestLimitExceeded/i.test(code)) return { ui: 'fix.throttled', data };
  if (/Timeout|^E[A-Z]+$/.test(code)) return { ui: 'fix.unreachable', data };
  if (code === 'Interrupted') return { ui: 'fix.runAgain' };
  if (code === 'NoSuchEntity' || code === 'UnsupportedPrincipal') return { ui: 'fix.principalArn' };
  if (code) return { ui: 'fix.unexpectedAnswer', data };
  return { ui: 'fix.grantThenEndpoint', data };
}
