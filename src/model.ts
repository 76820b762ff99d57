// The one result model every pack, report and renderer shares (DESIGN.md "Results").

import type { TextRef } from './i18n/text.ts';

export const STATUSES = ['pass', 'fail', 'warn', 'error', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Structured evidence: what was looked at (api, resource ARN, account, region, statement, grant...). Rendered by the reports. */
export type Evidence = Record<string, unknown>;

export interface Result {
  check: string;
  subject: string;
  status: Status;
  severity: Severity;
  title: string;
  message: string;
  evidence: Evidence;
  remediation: string;
  references: string[];
  durationMs: number;
  /**
   * The language-neutral form of `message`: the message ids and data it was made from, in order
   * (several when findings for one subject were combined). Renderings in another language use
   * these (src/i18n); `message` is the English text. Absent in reports written before i18n.
   */
  messageRefs?: TextRef[];
  /** The language-neutral form of `remediation` (absent when `remediation` is empty). */
  remediationRefs?: TextRef[];
  /**
   * Only on a `skip` that leaves unproven something the run was asked to prove (e.g. the permission
   * checks when the principal cannot be evaluated): the verdict can then be at best incomplete.
   * Absent on neutral skips (nothing to prove: no --actions-bucket given, no KMS key, a waived finding).
   */
  incomplete?: true;
}

/** One AWS request the run made. Never holds a secret, signature or token. */
export interface ApiCall {
  service: string;
  operation: string;
  resource: string;
  /** `ok` or the AWS error code. */
  outcome: string;
  durationMs: number;
  requestId?: string;
}

export type Summary = Record<Status, number>;
export type Verdict = 'compliant' | 'non-compliant' | 'incomplete';

export const EXIT = { compliant: 0, failed: 1, incomplete: 2, usage: 3 } as const;

export function summarize(results: readonly Pick<Result, 'status'>[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/** A skip that leaves unproven what the run was asked to prove (see Result.incomplete). */
export const leavesIncomplete = (r: Pick<Result, 'status' | 'incomplete'>): boolean => r.status === 'skip' && r.incomplete === true;

/**
 * The one verdict rule. fail beats error: a definite finding is the more useful answer even when
 * something else could not be read. Incomplete: an error, an interruption, or a skip flagged as
 * leaving the run's question unanswered.
 */
export function verdictOf(results: readonly Pick<Result, 'status' | 'incomplete'>[], interrupted = false): { verdict: Verdict; exitCode: number } {
  const summary = summarize(results);
  if (summary.fail > 0) return { verdict: 'non-compliant', exitCode: EXIT.failed };
  if (summary.error > 0 || interrupted || results.some(leavesIncomplete)) return { verdict: 'incomplete', exitCode: EXIT.incomplete };
  return { verdict: 'compliant', exitCode: EXIT.compliant };
}

export const VERDICT_RANK: Record<Verdict, number> = { compliant: 0, incomplete: 1, 'non-compliant': 2 };
