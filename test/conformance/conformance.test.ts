// The conformance suite: table rows written from AWS's own pages (./rows.ts lists them; every row
// names page and section in `source`), run against the project's evaluator (src/policy), the
// public-policy analysis and the CodeArtifact domain evaluation. Where two pages disagree the row
// says so (`contradiction`) and expects the side that can never produce a false pass.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateOnDomain, resourceArnFor } from '../../checks/codeartifact/context.ts';
import { parsePolicyDocument } from '../../src/policy/document.ts';
import { evaluateCondition, evaluateRequest, type PolicySource } from '../../src/policy/evaluate.ts';
import { analyzeResourcePolicy } from '../../src/policy/public.ts';
import { codeArtifactRows } from './codeartifact.table.ts';
import { conditionRows } from './conditions.table.ts';
import { evaluationRows } from './evaluation.table.ts';
import { publicRows } from './public.table.ts';
import { ACCOUNT, type Cited, doc, PRINCIPALS, SOURCES } from './rows.ts';

const MINIMUM_ROWS = 250;
const all: Cited[] = [...evaluationRows, ...conditionRows, ...publicRows, ...codeArtifactRows];

test(`the suite has at least ${MINIMUM_ROWS} rows, each citing an AWS page and section`, () => {
  assert.ok(all.length >= MINIMUM_ROWS, `only ${all.length} rows`);
  for (const row of all) {
    const [page, section] = row.source.split(' § ');
    assert.ok(page in SOURCES, `${row.name}: unknown page "${page}"`);
    assert.ok(section && section.trim().length > 0, `${row.name}: no section`);
  }
  const names = all.map((r) => `${r.source} ${r.name}`);
  assert.equal(new Set(names).size, names.length, 'row names are unique within a section');
  console.log(`conformance: ${all.length} rows (evaluation and elements ${evaluationRows.length}, conditions ${conditionRows.length}, S3 public ${publicRows.length}, CodeArtifact ${codeArtifactRows.length}); pages: ${new Set(all.map((r) => r.source.split(' § ')[0])).size}; rows noting a contradiction between pages: ${all.filter((r) => r.contradiction).length}`);
});

describe('policy evaluation logic and policy elements', () => {
  for (const row of evaluationRows) {
    test(`${row.name} [${row.source}]`, () => {
      const principal = PRINCIPALS[row.principal ?? 'alice'];
      const identity: PolicySource[] = row.identity ? [{ kind: 'user-inline', name: 'identity', document: doc(...row.identity) }] : [];
      const result = evaluateRequest(
        { action: row.action ?? 's3:GetObject', resource: row.resource ?? '', principal, resourceAccount: row.resourceAccount ?? principal.accountId, context: row.context },
        {
          identity,
          ...(row.boundary ? { permissionsBoundary: { kind: 'permissions-boundary', name: 'boundary', document: doc(...row.boundary) } } : {}),
          ...(row.resourcePolicy ? { resourcePolicy: { kind: 'resource-policy', name: 'resource policy', document: doc(...row.resourcePolicy) } } : {}),
        },
      );
      if (row.expect === 'error') {
        assert.ok(result.errors.length > 0, `expected the evaluator to report the policy as unevaluable, got ${result.decision} without errors`);
        return;
      }
      assert.deepEqual(result.errors, [], 'the policies are valid');
      assert.equal(result.decision, row.expect, `${result.decision} (${result.reason})`);
    });
  }
});

describe('condition operators, IfExists, set operators, Null', () => {
  for (const row of conditionRows) {
    test(`${row.name} [${row.source}]`, () => {
      const block = row.block as Parameters<typeof evaluateCondition>[0];
      // Values go through the shared parser first (booleans and numbers become strings, as IAM reads them).
      const parsed = parsePolicyDocument(doc({ Effect: row.effect ?? 'Allow', Action: '*', Resource: '*', Condition: block }));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const r = evaluateCondition(parsed.policy.statements[0].condition, row.context, { lean: row.effect === 'Deny' ? 'apply' : 'skip' });
      if (row.expect === 'error') {
        assert.ok(r.errors.length > 0, `expected an error, got ${r.result}`);
        return;
      }
      assert.deepEqual(r.errors, []);
      assert.equal(r.result, row.expect);
    });
  }
});

describe('S3: the meaning of "public"', () => {
  for (const row of publicRows) {
    test(`${row.name} [${row.source}]`, () => {
      const parsed = parsePolicyDocument(doc(...row.statements));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const analysis = analyzeResourcePolicy(parsed.policy, { ownerAccount: ACCOUNT });
      assert.equal(analysis.publicStatements.length > 0, row.expect, JSON.stringify(analysis.publicStatements.map((s) => s.reasons.map((r) => r.text))));
    });
  }
});

describe('CodeArtifact: domain policy and repository policy', () => {
  const target = { domain: 'packages', domainOwner: ACCOUNT, region: 'eu-west-1', policySource: 'file' as const, allowedAccounts: [] };
  const parts = { partition: 'aws', region: 'eu-west-1', account: ACCOUNT, notes: [] };
  for (const row of codeArtifactRows) {
    test(`${row.name} [${row.source}]`, () => {
      // Both policies are evaluated and either may allow; a Deny in either wins: their statements together.
      const parsed = parsePolicyDocument(doc(...(row.domainPolicy ?? []), ...(row.repositoryPolicy ?? [])));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const base = `arn:aws:codeartifact:eu-west-1:${ACCOUNT}`;
      const resource =
        row.on === 'domain' ? `${base}:domain/packages` : row.on === 'repository' ? `${base}:repository/packages/any` : row.on === 'package' ? `${base}:package/packages/any/npm//pkg` : resourceArnFor(row.action, 'packages', parts);
      const { result } = evaluateOnDomain(parsed.policy, { action: row.action, caller: { principal: PRINCIPALS[row.caller], context: row.context ?? {} }, resource }, target, parts);
      assert.equal(result.decision, row.expect, `${result.decision} (${result.reason}) on ${resource}`);
    });
  }
});
