// Non-negotiable 3, read-only by default: without --probe every AWS request a run makes is a read.
// Call assertReadOnly(report) on any JSON report an e2e test produced without --probe.

import assert from 'node:assert/strict';
import type { ApiCall } from '../../src/model.ts';

/** Read operations by name: Get*, List*, Head*, Describe*, Simulate* (IAM's simulator reads, it changes nothing) and sts:GetCallerIdentity. */
export const READ_ONLY_OPERATION = /^(?:Get|List|Head|Describe|Simulate)[A-Z][A-Za-z0-9]*$/;

export interface ReadOnlyOptions {
  /** Operations a caller accepts on top of the allow-list, each named on purpose (e.g. sts AssumeRole in a fleet run). */
  alsoAllow?: readonly string[];
  /** Label for the failure message (scenario, seed). */
  context?: string;
}

/** Operations in `calls` that are not reads. */
export function writeOperations(calls: ReadonlyArray<Pick<ApiCall, 'service' | 'operation'>>, options: ReadOnlyOptions = {}): string[] {
  const extra = new Set(options.alsoAllow ?? []);
  return calls.filter((c) => !READ_ONLY_OPERATION.test(c.operation) && !extra.has(c.operation)).map((c) => `${c.service}:${c.operation}`);
}

/**
 * Fails unless every entry of the report's `apiCalls` (all targets' for a fleet) is a read. Also
 * fails on a report without any API call log at all: "no calls" must be visible, not assumed.
 */
export function assertReadOnly(report: { apiCalls?: ReadonlyArray<Pick<ApiCall, 'service' | 'operation'>> } | undefined, options: ReadOnlyOptions = {}): void {
  const where = options.context ? ` (${options.context})` : '';
  assert.ok(report, `no report to check for read-only access${where}`);
  assert.ok(Array.isArray(report.apiCalls), `the report has no apiCalls log${where}`);
  assert.deepEqual(writeOperations(report.apiCalls, options), [], `a run without --probe made non-read AWS calls${where}`);
}
