// RuleTester-style table tests for checks: each row gives a target and fact VALUES (not AWS
// responses: facts are the layer below which the emulator tests cover), and the expected results.
// Rows run through the real engine, so a FactError in a row becomes `error` exactly as in a run.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { GhesActionsCheck, GhesActionsTarget } from '../../checks/ghes-actions-s3/context.ts';
import type { GhesS3Check, GhesS3Target } from '../../checks/ghes-s3/context.ts';
import { serviceUrlInput } from '../../src/config/service-url.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import { runChecks } from '../../src/engine/engine.ts';
import type { Result, Status } from '../../src/model.ts';

export interface Expected {
  status: Status;
  subject?: string;
  messageId?: string;
  /** Substring the message must contain. */
  message?: string;
  severity?: Result['severity'];
  evidence?: Record<string, unknown>;
}

/** A row's target: a Packages target, or (with `storage: 'actions'`) an Actions one. */
export type RowTarget = Partial<GhesS3Target> & Partial<Omit<GhesActionsTarget, keyof GhesS3Target>>;

export interface Row<Target = RowTarget> {
  name: string;
  target?: Target;
  /** Fact name → the value its getter resolves to, or a FactError it rejects with. */
  facts?: Record<string, unknown>;
  expect: Expected | Expected[];
}

export function deniedFact(fact: string, api: string, code = 'AccessDenied'): FactError {
  return new FactError({ fact, api, code, requestId: 'TEST-REQ-1', message: 'denied in test' });
}

export function fakeFacts(values: Record<string, unknown> = {}): Record<string, () => Promise<unknown>> {
  return new Proxy(
    {},
    {
      get(_, name: string) {
        if (!(name in values)) return async () => { throw new Error(`test row does not provide fact "${name}"`); };
        const value = values[name];
        return async () => {
          if (value instanceof Error) throw value;
          return value;
        };
      },
    },
  );
}

export function ghesTarget(overrides: RowTarget = {}): GhesS3Target {
  // A row may give an unusable service URL, or none at all (serviceUrl: undefined): that is a finding.
  const serviceUrl = 'serviceUrl' in overrides ? overrides.serviceUrl : 'https://s3.us-east-1.amazonaws.com';
  const { serviceUrl: _given, ...rest } = overrides;
  return { bucket: 'ghes-packages', ...serviceUrlInput(serviceUrl), engine: 'auto', sourceIps: [], ...rest };
}

export function assertResults(results: Result[], expected: Expected | Expected[], label: string): void {
  const list = Array.isArray(expected) ? expected : [expected];
  const actual = results.map((r) => `${r.status} [${r.subject}] ${String(r.evidence.messageId)}: ${r.message}`).join('\n  ');
  assert.equal(results.length, list.length, `${label}: expected ${list.length} result(s), got:\n  ${actual}`);
  list.forEach((e, i) => {
    const r = results[i];
    assert.equal(r.status, e.status, `${label}: result ${i} status (got ${actual})`);
    if (e.subject !== undefined) assert.equal(r.subject, e.subject, `${label}: result ${i} subject`);
    if (e.messageId !== undefined) assert.equal(r.evidence.messageId, e.messageId, `${label}: result ${i} message id (${r.message})`);
    if (e.severity !== undefined) assert.equal(r.severity, e.severity, `${label}: result ${i} severity`);
    if (e.message !== undefined) assert.ok(r.message.includes(e.message), `${label}: result ${i} message "${r.message}" lacks "${e.message}"`);
    for (const [k, v] of Object.entries(e.evidence ?? {})) assert.deepEqual(r.evidence[k], v, `${label}: result ${i} evidence.${k}`);
  });
}

export function checkTable(check: GhesS3Check | GhesActionsCheck, rows: Row[]): void {
  for (const row of rows) {
    test(`${check.id}: ${row.name}`, async () => {
      const target = ghesTarget(row.target);
      const results = await runChecks([check as GhesS3Check], { target, facts: fakeFacts(row.facts) as never }, { defaultSubject: target.bucket });
      assertResults(results, row.expect, row.name);
    });
  }
}
