// The one result model every pack, report and renderer shares (DESIGN.md "Results").

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

/** fail beats error: a definite finding is the more useful answer even when something else could not be read. */
export function verdictOf(summary: Summary, interrupted = false): { verdict: Verdict; exitCode: number } {
  if (summary.fail > 0) return { verdict: 'non-compliant', exitCode: EXIT.failed };
  if (summary.error > 0 || interrupted) return { verdict: 'incomplete', exitCode: EXIT.incomplete };
  return { verdict: 'compliant', exitCode: EXIT.compliant };
}

export const VERDICT_RANK: Record<Verdict, number> = { compliant: 0, incomplete: 1, 'non-compliant': 2 };
