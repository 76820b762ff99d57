// Issue 22 item 4: one statement of a domain policy the evaluator cannot evaluate (an unknown
// condition operator, a malformed value) makes every check that evaluates requests `error`, as on
// the S3 side (iam-simulation). Before, the error went into the evidence and the decision of the
// other statements was used: here the Deny that takes DeleteRepository back would be skipped and
// overly-broad would judge the partner on the Allow alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import createRepositoryTagging from '../../../checks/codeartifact/create-repository-tagging.ts';
import expectedAccess from '../../../checks/codeartifact/expected-access.ts';
import overlyBroad from '../../../checks/codeartifact/overly-broad.ts';
import tokenAccess from '../../../checks/codeartifact/token-access.ts';
import { expectEntry, PARTNER, runRow } from './table.ts';

const partnerRoot = `arn:aws:iam::${PARTNER}:root`;
const policyWith = (condition: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Use', Effect: 'Allow', Principal: { AWS: partnerRoot }, Action: ['codeartifact:GetAuthorizationToken', 'codeartifact:CreateRepository', 'codeartifact:TagResource', 'codeartifact:ReadFromRepository'], Resource: '*' },
    { Sid: 'NoTokensOffHours', Effect: 'Deny', Principal: '*', Action: 'codeartifact:GetAuthorizationToken', Resource: '*', Condition: condition },
  ],
});

const broken: Array<[string, Record<string, unknown>]> = [
  ['an unknown operator', { DateLessThanish: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }],
  ['a malformed date', { DateGreaterThan: { 'aws:CurrentTime': 'next tuesday' } }],
  ['a malformed CIDR', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }],
  ['a malformed number', { NumericLessThan: { 'aws:MultiFactorAuthAge': 'one hour' } }],
  ['a malformed boolean', { Bool: { 'aws:SecureTransport': 'no' } }],
];

for (const [label, condition] of broken) {
  test(`a Deny with ${label}: the evaluating checks are error, never a verdict`, async () => {
    const target = { expect: [expectEntry(partnerRoot, 'codeartifact:GetAuthorizationToken', 'allow')] };
    const results = await runRow([overlyBroad, tokenAccess, createRepositoryTagging, expectedAccess], { policy: policyWith(condition), target });
    for (const check of ['overly-broad', 'token-access', 'create-repository-tagging', 'expected-access']) {
      const mine = results.filter((r) => r.check === check);
      assert.ok(mine.length > 0, check);
      assert.ok(mine.some((r) => r.status === 'error'), `${check}: ${mine.map((r) => `${r.status} ${r.message}`).join(' | ')}`);
      assert.ok(!mine.some((r) => r.status === 'pass'), `${check} must not pass: ${mine.map((r) => `${r.status} ${r.message}`).join(' | ')}`);
      const error = mine.find((r) => r.status === 'error');
      assert.match(error?.message ?? '', /NoTokensOffHours/);
      assert.equal(error?.evidence.code, 'MalformedPolicy');
    }
  });
}

test('the same policy with a well-formed condition is judged (control)', async () => {
  const results = await runRow([overlyBroad], { policy: policyWith({ DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }) });
  assert.deepEqual(results.map((r) => r.status), ['pass']);
});
