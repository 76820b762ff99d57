// Runs a pack's checks against one context: bounded concurrency, a per-check timeout, and the
// rule that decides trust: a throw or an unreadable fact makes that check `error`, never `pass`,
// and the other checks go on. Result identities are stable (issue 22 item 7): a check that
// declares its subjects keeps every one of them on error, and each (check, subject) pair is one
// result (several findings for one subject are combined), so JUnit names are unique per target.

import type { Result, Status } from '../model.ts';
import type { TextRef } from '../i18n/text.ts';
import { type CheckDefinition, createReporter, englishText, remediationWithRefs, uiRef } from './check.ts';
import { explainFactErrorText, isFactError } from './fact-error.ts';

export interface EngineOptions {
  concurrency?: number;
  timeoutMs?: number;
  /** Aborted on SIGINT/SIGTERM or the overall --timeout: checks not finished become `error`. */
  signal?: AbortSignal;
  /** Subject for results that don't name one (the bucket, the domain). */
  defaultSubject: string;
  now?: () => number;
}

class CheckTimeout extends Error {}
class Interrupted extends Error {}

// The timer and the abort listener go as soon as the race is decided, not when the check's work
// settles: a check still hanging after a timeout or Ctrl-C must not keep the process alive.
function raceWith<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new CheckTimeout())), timeoutMs);
    const onAbort = () => settle(() => reject(new Interrupted()));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => settle(() => resolve(value)),
      (e: unknown) => settle(() => reject(e)),
    );
  });
}

export async function runChecks<Ctx extends object>(
  checks: readonly CheckDefinition<Ctx>[],
  ctx: Ctx,
  options: EngineOptions,
): Promise<Result[]> {
  const { concurrency = 8, timeoutMs = 120_000, signal, defaultSubject, now = () => performance.now() } = options;
  const perCheck: Result[][] = checks.map(() => []);
  let next = 0;

  async function runOne(i: number): Promise<void> {
    const check = checks[i];
    const started = now();
    const emitted: Omit<Result, 'durationMs'>[] = [];
    let subjects: readonly string[] | undefined;
    const errorResult = (message: TextRef, evidence: Record<string, unknown>, remediation?: TextRef, subject = defaultSubject): Omit<Result, 'durationMs'> => ({
      check: check.id,
      subject,
      status: 'error',
      severity: check.severity,
      title: check.title,
      message: englishText(message, check),
      evidence,
      ...remediationWithRefs('error', check, evidence, remediation),
      references: check.references,
      messageRefs: [message],
    });
    /**
     * What stopped the check stands for every declared subject it had not reported yet (without
     * declared subjects: for the check). When every subject was already reported, an error that
     * stopped the check still shows, on the first subject (combined with what it reported there).
     */
    const stopped = (message: TextRef, evidence: Record<string, unknown>, remediation?: TextRef): Omit<Result, 'durationMs'>[] => {
      if (!subjects) return [errorResult(message, evidence, remediation)];
      const reported = new Set(emitted.map((r) => r.subject));
      const rest = subjects.filter((s) => !reported.has(s));
      return rest.length ? rest.map((s) => errorResult(message, evidence, remediation, s)) : [errorResult(message, evidence, remediation, subjects[0])];
    };
    try {
      subjects = check.subjects?.(ctx);
      const report = createReporter(check, defaultSubject, (r) => emitted.push(r), subjects);
      if (signal?.aborted) throw new Interrupted();
      await raceWith(Promise.resolve().then(() => check.run({ ...ctx, report })), timeoutMs, signal);
      if (emitted.length === 0 && !subjects) emitted.push(errorResult(uiRef('engine.noResult'), {}));
      const reported = new Set(emitted.map((r) => r.subject));
      for (const s of subjects ?? []) if (!reported.has(s)) emitted.push(errorResult(uiRef('engine.noResultForSubject'), {}, undefined, s));
    } catch (e) {
      if (isFactError(e)) {
        emitted.push(...stopped(explainFactErrorText(e.info), { ...e.info }));
      } else if (e instanceof CheckTimeout) {
        emitted.push(
          ...stopped(uiRef('engine.timeout', { seconds: Math.round(timeoutMs / 1000) }), { timeoutMs }, uiRef('engine.timeoutFix')),
        );
      } else if (e instanceof Interrupted) {
        emitted.push(...stopped(uiRef('engine.interrupted'), { interrupted: true }, uiRef('fix.runAgain')));
      } else {
        const err = e as Error;
        emitted.push(
          ...stopped(uiRef('engine.bug', { error: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}` }), { exception: err?.name ?? 'Error' }, uiRef('engine.bugFix')),
        );
      }
    }
    const durationMs = Math.round(now() - started);
    // Declared subjects come in their declared order, so a report lists them the same way on every run.
    const order = (r: { subject: string }) => subjects?.indexOf(r.subject) ?? 0;
    perCheck[i] = onePerSubject(emitted)
      .sort((a, b) => order(a) - order(b))
      .map((r) => ({ ...r, durationMs }));
  }

  async function worker(): Promise<void> {
    while (next < checks.length) {
      const i = next++;
      await runOne(i);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, checks.length)) }, worker));
  return perCheck.flat();
}

/** Worst first: a definite finding, then what could not be evaluated, then warnings, passes, skips. */
const STATUS_RANK: Record<Status, number> = { fail: 4, error: 3, warn: 2, pass: 1, skip: 0 };

/**
 * One result per subject, in the order subjects first appear. Several findings for one subject
 * (two lifecycle rules, two public statements) become one result: the worst status with its
 * severity, remediation and evidence, every message in order, and each finding in
 * `evidence.findings`. So a check's (check, subject) pairs do not depend on how many items a
 * setting holds, and a JUnit name appears once per target.
 */
export function onePerSubject<R extends Omit<Result, 'durationMs'>>(results: readonly R[]): R[] {
  const bySubject = new Map<string, R[]>();
  for (const r of results) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
  return [...bySubject.values()].map((group) => {
    if (group.length === 1) return group[0];
    const worst = group.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
    // The combined message's language-neutral form: every finding's refs, in order (none if any finding has none).
    const refs = group.every((r) => r.messageRefs) ? { messageRefs: group.flatMap((r) => r.messageRefs!) } : {};
    const { messageRefs: _ignored, ...rest } = worst;
    return {
      ...(rest as R),
      ...refs,
      message: group.map((r) => r.message).join(' '),
      evidence: { ...worst.evidence, findings: group.map((r) => ({ status: r.status, severity: r.severity, message: r.message, evidence: r.evidence })) },
    };
  });
}
