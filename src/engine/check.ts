// A check is a plain, self-describing object (like an ESLint rule): metadata plus `run(ctx)`.
// `run` reports through `ctx.report` with a message id and data; it never builds prose itself
// and never calls AWS: it reads `ctx.facts`.

import type { Evidence, Result, Severity, Status } from '../model.ts';

export interface CheckMeta {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references: string[];
  /** Message templates keyed by id; `{{name}}` is replaced from the data. */
  messages: Record<string, string>;
}

export interface EmitOptions {
  subject?: string;
  evidence?: Evidence;
  /** Overrides the check's severity for this result (e.g. a warn that is informational). */
  severity?: Severity;
  /** Overrides the check's remediation (e.g. the exact JSON statement to add). */
  remediation?: string;
  /**
   * On a skip: it leaves unproven what the run was asked to prove, so the run cannot be compliant
   * (Result.incomplete; DESIGN.md lists which skips are neutral and which are not).
   */
  incomplete?: boolean;
}

export type Emit = (messageId: string, data?: Record<string, unknown>, options?: EmitOptions) => void;

export interface Reporter {
  pass: Emit;
  fail: Emit;
  warn: Emit;
  error: Emit;
  skip: Emit;
}

export interface CheckDefinition<Ctx> extends CheckMeta {
  run(ctx: Ctx & { report: Reporter }): Promise<void> | void;
}

export function defineCheck<Ctx>(check: CheckDefinition<Ctx>): CheckDefinition<Ctx> {
  return check;
}

export function formatMessage(template: string, data: Record<string, unknown> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) return `{{${key}}}`;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** Collects what one check run reports. An unknown message id is a bug in the check: it throws, and the engine makes it `error`. */
export function createReporter(check: CheckMeta, defaultSubject: string, sink: (r: Omit<Result, 'durationMs'>) => void): Reporter {
  const emit =
    (status: Status): Emit =>
    (messageId, data = {}, options = {}) => {
      const template = check.messages[messageId];
      if (template === undefined) throw new Error(`check ${check.id} reported unknown message id "${messageId}"`);
      sink({
        check: check.id,
        subject: options.subject ?? defaultSubject,
        status,
        severity: options.severity ?? check.severity,
        title: check.title,
        message: formatMessage(template, data),
        evidence: { messageId, ...(options.evidence ?? {}) },
        remediation: options.remediation ?? check.remediation,
        references: check.references,
        ...(status === 'skip' && options.incomplete ? { incomplete: true as const } : {}),
      });
    };
  return { pass: emit('pass'), fail: emit('fail'), warn: emit('warn'), error: emit('error'), skip: emit('skip') };
}
