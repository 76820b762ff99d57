// Untrusted documents are bounded (issue 14, item 11): a bucket policy nested thousands of levels or
// longer than any AWS policy is an error of that fact (never a pass, never a stack overflow), a
// lifecycle answer with more rules than S3 allows is an error of that fact, and reports with
// thousands of results still render in every format.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { MAX_POLICY_CHARS, parsePolicyDocument } from '../../src/policy/document.ts';
import { MAX_LIFECYCLE_RULES, S3Facts } from '../../src/aws/s3-facts.ts';
import type { AwsSession } from '../../src/aws/session.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import { redactDeep } from '../../src/redact.ts';
import { buildReport } from '../../src/report/report.ts';
import { renderFormat } from '../../src/report/write.ts';
import type { Result } from '../../src/model.ts';

const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepList = (n: number) => `${'['.repeat(n)}"x"${']'.repeat(n)}`;
const statement = (extra: string) => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",${extra}}]}`;

describe('bounded untrusted documents', () => {
  test('a bucket policy nested 5,000 levels (in any field) is a parse error, and nothing downstream recurses on it', () => {
    for (const text of [statement(`"Extra":${deepObject(5000)}`), statement(`"Condition":{"StringEquals":{"aws:SourceVpc":${deepList(5000)}}}`), `{"Version":"2012-10-17","Statement":${deepList(5000)}}`]) {
      const parsed = parsePolicyDocument(text);
      assert.equal(parsed.ok, false);
      assert.doesNotThrow(() => redactDeep(parsed), 'the result can be written into a report');
    }
    const parsed = parsePolicyDocument(statement(`"Extra":${deepObject(5000)}`));
    assert.match(parsed.ok ? '' : parsed.error, /nested more than 64 levels deep .*not analysed/);
    // The same for an already-parsed document.
    assert.equal(parsePolicyDocument(JSON.parse(statement(`"Extra":${deepObject(100)}`))).ok, false);
    assert.equal(parsePolicyDocument(statement('"Sid":"fine"')).ok, true);
  });

  test('a policy longer than any AWS policy is a parse error naming the size', () => {
    const text = statement(`"Sid":"${'x'.repeat(MAX_POLICY_CHARS)}"`);
    const parsed = parsePolicyDocument(text);
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.error, /characters long, more than any AWS policy may be/);
  });

  test(`a lifecycle answer with more than ${MAX_LIFECYCLE_RULES} rules is an error of that fact, not 10,000 findings`, async () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => ({ ID: `r${i}`, Status: 'Enabled', Filter: { Prefix: `p${i}/` }, Expiration: { Days: 30 } }));
    const session = { s3: () => ({ send: async () => ({ Rules: rules, $metadata: {} }) }) } as unknown as AwsSession;
    const facts = new S3Facts(session, { bucket: 'ghes-packages' });
    await assert.rejects(facts.lifecycleRules(), (e: unknown) => {
      assert.ok(e instanceof FactError);
      assert.equal(e.info.code, 'OversizedAnswer');
      assert.match(e.info.message, /holds 10000 lifecycle rules, more than the 1000 S3 allows/);
      return true;
    });
    const fine = new S3Facts({ s3: () => ({ send: async () => ({ Rules: rules.slice(0, MAX_LIFECYCLE_RULES) }) }) } as unknown as AwsSession, { bucket: 'ghes-packages' });
    assert.equal((await fine.lifecycleRules())?.length, MAX_LIFECYCLE_RULES);
  });

  test('a report with 20,000 results renders in every format (no spread of thousands of lines into one call)', () => {
    const results: Result[] = Array.from({ length: 20_000 }, (_, i) => ({ check: 'lifecycle-rules', subject: `rule/r${i}`, status: 'fail', severity: 'high', title: 't', message: `rule r${i} expires objects`, evidence: { i }, remediation: 'fix', references: [], durationMs: 1 }));
    const report = buildReport({ tool: { name: 'packages-preflight', version: 't' }, pack: 'ghes-s3', target: { bucket: 'b' }, startedAt: new Date(), finishedAt: new Date(), results, apiCalls: [] });
    for (const format of ['json', 'junit', 'markdown'] as const) assert.ok(renderFormat(report, format).length > 20_000, format);
  });
});
