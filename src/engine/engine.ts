// Runs a pack's checks against one context: bounded concurrency, a per-check timeout, and the
// rule that decides trust: a throw or an unreadable fact makes that check `error`, never `pass`,
// and the other checks go on.

import type { Result } from '../model.ts';
import { type CheckDefinition, createReporter, remediationFor } from './check.ts';
import { explainFactError, isFactError } from './fact-error.ts';

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
    const report = createReporter(check, defaultSubject, (r) => emitted.push(r));
    const errorResult = (message: string, evidence: Record<string, unknown>, remediation?: string): Omit<Result, 'durationMs'> => ({
      check: check.id,
      subject: defaultSubject,
      status: 'error',
      severity: check.severity,
      title: check.title,
      message,
      evidence,
      remediation: remediationFor('error', check, evidence, remediation),
      references: check.references,
    });
    try {
      if (signal?.aborted) throw new Interrupted();
      await raceWith(Promise.resolve().then(() => check.run({ ...ctx, report })), timeoutMs, signal);
      if (emitted.length === 0) emitted.push(errorResult('The check finished without a result; treat it as not evaluated.', {}));
    } catch (e) {
      if (isFactError(e)) {
        emitted.push(errorResult(explainFactError(e.info), { ...e.info }));
      } else if (e instanceof CheckTimeout) {
        emitted.push(
          errorResult(`The check did not finish within ${Math.round(timeoutMs / 1000)} s; treat it as not evaluated.`, { timeoutMs }, 'Check that the endpoint answers promptly from this host (--debug shows each request and its duration), then run again.'),
        );
      } else if (e instanceof Interrupted) {
        emitted.push(errorResult('The run was interrupted before this check finished.', { interrupted: true }, 'Run the check again and let it finish.'));
      } else {
        const err = e as Error;
        emitted.push(
          errorResult(
            `The check itself failed (${err?.name ?? 'Error'}: ${err?.message ?? String(e)}); this is a bug in packages-preflight, please report it.`,
            { exception: err?.name ?? 'Error' },
            'Run again with --debug and report the output as a bug in packages-preflight.',
          ),
        );
      }
    }
    const durationMs = Math.round(now() - started);
    perCheck[i] = emitted.map((r) => ({ ...r, durationMs }));
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
