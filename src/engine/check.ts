// A check is a plain, self-describing object (like an ESLint rule): metadata plus `run(ctx)`.
// `run` reports through `ctx.report` with a message id and data; it never builds prose itself
// and never calls AWS: it reads `ctx.facts`.

import { fillTemplate, isTextRef, type TextData, type TextRef } from '../i18n/text.ts';
import { type UiId, uiText } from '../i18n/ui.ts';
import type { Evidence, Result, Severity, Status } from '../model.ts';
import { readFixText } from './fact-error.ts';

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
  /**
   * Overrides the check's remediation (e.g. the exact JSON statement to add). Ignored on a pass.
   * Give it as a message id of the check with data (`{ message: 'fixStatement', data: { statement } }`)
   * so it is translated; JSON, commands and ARNs go in the data, verbatim. A plain string is shown
   * as written in every language.
   */
  remediation?: string | TextRef;
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
  /**
   * The subjects this check reports on every run, whatever fails (issue 22 item 7: the
   * (check, subject) pairs a CI history tracks must not vanish on the runs that matter). A function
   * of the target, never of facts. With it: a result without a subject is reported for every
   * declared subject not yet reported (a whole-check skip or error covers them all), a subject not
   * declared is a bug, and the engine gives each subject left unreported an `error` (the fact, the
   * timeout or the interruption that stopped the check). Without it, the check reports one subject
   * (the default: the bucket, the domain) or subjects that are the same on every run.
   */
  subjects?: (ctx: Ctx) => readonly string[];
  run(ctx: Ctx & { report: Reporter }): Promise<void> | void;
}

export function defineCheck<Ctx>(check: CheckDefinition<Ctx>): CheckDefinition<Ctx> {
  return check;
}

export function formatMessage(template: string, data: Record<string, unknown> = {}): string {
  return fillTemplate(template, data);
}

/**
 * A text by reference, in English: a check's message or remediation (`check`'s own texts) or a
 * shared text. Data values that are texts themselves are rendered first.
 */
export function englishText(ref: TextRef, check?: Pick<CheckMeta, 'id' | 'messages' | 'remediation'>): string {
  if ('remediation' in ref) return check?.remediation ?? '';
  const data: TextData = {};
  for (const [k, v] of Object.entries(ref.data ?? {})) data[k] = isTextRef(v) ? englishText(v, check) : v;
  if ('ui' in ref) return uiText(ref.ui as UiId, data, 'en');
  const template = check?.messages[ref.message];
  if (template === undefined) throw new Error(`check ${check?.id ?? '?'} has no message id "${ref.message}"`);
  return fillTemplate(template, data);
}

/** `{ message: id, data }`, without an empty data object (the JSON report stays small). */
export function messageRef(message: string, data: TextData = {}): TextRef {
  return Object.keys(data).length ? { message, data } : { message };
}
export function uiRef(ui: UiId, data: TextData = {}): TextRef {
  return Object.keys(data).length ? { ui, data } : { ui };
}

/**
 * The remediation that fits the result, decided here once for every check: a pass or a skip carries
 * none (nothing to fix; a skip's message says why), a fail or a warn the check's fix (or the one it
 * gives for this result), an error how to make the fact readable (src/engine/fact-error.ts), never
 * the fix of a finding that was not established.
 */
export function remediationFor(status: Status, check: Pick<CheckMeta, 'remediation'>, evidence: Evidence, explicit?: string): string {
  return remediationWithRefs(status, { ...check, id: '', messages: {} }, evidence, explicit).remediation;
}

/** remediationFor with its language-neutral form (Result.remediationRefs; none when there is no remediation). */
export function remediationWithRefs(
  status: Status,
  check: Pick<CheckMeta, 'id' | 'messages' | 'remediation'>,
  evidence: Evidence,
  explicit?: string | TextRef,
): Pick<Result, 'remediation' | 'remediationRefs'> {
  if (status === 'pass' || (status === 'skip' && explicit === undefined)) return { remediation: '' };
  if (typeof explicit === 'string') return { remediation: explicit };
  const ref: TextRef = explicit ?? (status === 'error' ? readFixText(evidence) : { remediation: true });
  return { remediation: englishText(ref, check), remediationRefs: [ref] };
}

/**
 * Collects what one check run reports. An unknown message id, or a subject the check did not
 * declare, is a bug in the check: it throws, and the engine makes it `error`. With declared
 * `subjects`, a result without a subject stands for every declared subject not reported yet.
 */
export function createReporter(check: CheckMeta, defaultSubject: string, sink: (r: Omit<Result, 'durationMs'>) => void, subjects?: readonly string[]): Reporter {
  const reported = new Set<string>();
  const subjectsFor = (given: string | undefined): string[] => {
    if (!subjects) return [given ?? defaultSubject];
    if (given !== undefined) {
      if (!subjects.includes(given)) throw new Error(`check ${check.id} reported subject "${given}", which it does not declare (${subjects.join(', ')})`);
      return [given];
    }
    const rest = subjects.filter((s) => !reported.has(s));
    if (rest.length === 0) throw new Error(`check ${check.id} reported a result for all subjects after reporting each of them`);
    return rest;
  };
  const emit =
    (status: Status): Emit =>
    (messageId, data = {}, options = {}) => {
      if (check.messages[messageId] === undefined) throw new Error(`check ${check.id} reported unknown message id "${messageId}"`);
      const ref = messageRef(messageId, data);
      const message = englishText(ref, check);
      const evidence = { messageId, ...(options.evidence ?? {}) };
      for (const subject of subjectsFor(options.subject)) {
        reported.add(subject);
        sink({
          check: check.id,
          subject,
          status,
          severity: options.severity ?? check.severity,
          title: check.title,
          message,
          evidence,
          ...remediationWithRefs(status, check, evidence, options.remediation),
          references: check.references,
          messageRefs: [ref],
          ...(status === 'skip' && options.incomplete ? { incomplete: true as const } : {}),
        });
      }
    };
  return { pass: emit('pass'), fail: emit('fail'), warn: emit('warn'), error: emit('error'), skip: emit('skip') };
}
