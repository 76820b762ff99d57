// redact(): the last line of defence for non-negotiable 2. Registered secrets (in every form they
// can take on the way out), signatures and tokens in URLs and headers, and access key ids masked.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toFactError } from '../../src/aws/errors.ts';
import { maskAccessKeyId, redact, redactDeep, registerSecret } from '../../src/redact.ts';

// Realistic shapes: a 40-character secret with `/` and `+`, a long session token with `=`.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYREDACTME01';
const TOKEN = 'IQoJb3JpZ2luX2VjEHMaCXVzLWVhc3QtMSJHMEUCIQD/canary+token==';
registerSecret(SECRET);
registerSecret(TOKEN);

const leaks = (text: string) => [SECRET, TOKEN, encodeURIComponent(SECRET), encodeURIComponent(TOKEN)].filter((s) => text.includes(s));

describe('redact', () => {
  test('registered secrets are removed wherever they appear, including inside other text', () => {
    const text = `error: The request signature we calculated does not match. secret=${SECRET} token:${TOKEN}; again ${SECRET}${SECRET}`;
    const out = redact(text);
    assert.deepEqual(leaks(out), []);
    assert.equal(out.match(/\[REDACTED\]/g)?.length, 4);
  });

  test('URL-encoded forms of a registered secret are removed too (query strings, IAM policy documents)', () => {
    const url = `https://bucket.s3.amazonaws.com/key?X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&other=1`;
    const policy = `%7B%22Condition%22%3A%7B%22StringEquals%22%3A%7B%22aws%3Auserid%22%3A%22${encodeURIComponent(SECRET)}%22%7D%7D%7D`;
    assert.deepEqual(leaks(redact(url)), []);
    assert.deepEqual(leaks(redact(policy)), []);
    assert.match(redact(url), /&other=1$/, 'the rest of the URL stays readable');
  });

  test('SigV4 signatures, security tokens and secret-key assignments are removed even when not registered', () => {
    const cases: Array<[string, RegExp]> = [
      ['AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024', /Signature=\[REDACTED\]$/],
      ['https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0123456789abcdef0123456789abcdef&X-Amz-Security-Token=FwoGZXIvYXdzEBYaD+other', /X-Amz-Signature=\[REDACTED\]&X-Amz-Security-Token=\[REDACTED\]$/],
      ['{"x-amz-security-token": "FwoGZXIvYXdzEBYaDunregistered"}', /"x-amz-security-token": "\[REDACTED\]"/],
      ['aws_secret_access_key = abcdefghij0123456789ABCDEFGHIJ0123456789', /aws_secret_access_key = \[REDACTED\]/],
      ['{"secretAccessKey":"abcdefghij0123456789ABCDEFGHIJ0123456789"}', /"secretAccessKey":"\[REDACTED\]"/],
      ['"SessionToken": "FwoGZXIvYXdzEBYaDunregistered"', /"SessionToken": "\[REDACTED\]"/],
    ];
    for (const [input, expected] of cases) {
      const out = redact(input);
      assert.match(out, expected, input);
      assert.ok(!/fe5f80f77d5fa3be|0123456789abcdef0123|FwoGZXIvYXdzEBYaD|abcdefghij0123456789/.test(out), `${input}\n-> ${out}`);
    }
  });

  test('access key ids appear only masked (AKIA…ABCD), for long-term and temporary keys', () => {
    assert.equal(redact('key AKIAIOSFODNN7EXAMPLE used'), 'key AKIA…MPLE used');
    assert.equal(redact('ASIAY34FZKBOKMUTVV7A'), 'ASIA…VV7A');
    assert.equal(maskAccessKeyId('AKIATESTFAKEKEY00000'), 'AKIA…0000');
    assert.equal(maskAccessKeyId('short'), '…');
    assert.ok(!redact('Credential=AKIAIOSFODNN7EXAMPLE/20250101').includes('AKIAIOSFODNN7EXAMPLE'));
  });

  test('short values are not registered (they would redact noise), and text without secrets is unchanged', () => {
    registerSecret('abc');
    registerSecret(undefined);
    registerSecret('');
    const text = 'abc: the bucket ghes-packages in us-east-1 (account 123456789012) is private.';
    assert.equal(redact(text), text);
  });

  test('a secret that contains another registered secret is removed whole, whatever the order of registration', () => {
    const inner = 'inner-secret-0123';
    const outer = `prefix-${inner}-suffix-9876`;
    registerSecret(inner);
    registerSecret(outer);
    const out = redact(`value ${outer} end`);
    assert.equal(out, 'value [REDACTED] end');
  });

  test('redactDeep redacts every string inside a report-shaped value and keeps its shape', () => {
    const report = { results: [{ message: `denied for ${SECRET}`, evidence: { policyText: `{"Sid":"${TOKEN}"}`, n: 3, ok: true, list: [SECRET] } }] };
    const out = redactDeep(report);
    assert.deepEqual(leaks(JSON.stringify(out)), []);
    assert.equal(out.results[0].evidence.n, 3);
    assert.equal(out.results[0].evidence.ok, true);
    assert.deepEqual(out.results[0].evidence.list, ['[REDACTED]']);
  });

  test('an AWS error message is redacted before it is cut to 300 characters: no prefix of a secret survives', () => {
    // The secret straddles the cut: cutting first would leave its first half, which redact() cannot recognise.
    const message = `${'x'.repeat(280)}${SECRET} and more`;
    const error = Object.assign(new Error(message), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'REQ-1' } });
    const fact = toFactError(error, 'bucketPolicy', 's3:GetBucketPolicy', 'arn:aws:s3:::b');
    assert.ok(!fact.info.message.includes(SECRET.slice(0, 10)), fact.info.message.slice(270));
    assert.ok(!fact.message.includes(SECRET.slice(0, 10)));
    assert.equal(fact.info.code, 'AccessDenied');
    assert.equal(fact.info.requestId, 'REQ-1');
  });

  test('credentials inside any URL are removed, however short (a proxy URL in an error message)', () => {
    for (const [input, expected] of [
      ['connect via http://alice:pw@proxy.corp:3128 failed', 'connect via http://[REDACTED]@proxy.corp:3128 failed'],
      ['HTTPS_PROXY=https://svc%40corp:p%3Ass@10.0.0.1:8443/', 'HTTPS_PROXY=https://[REDACTED]@10.0.0.1:8443/'],
      ['no credentials: https://s3.us-east-1.amazonaws.com/bucket/a@b', 'no credentials: https://s3.us-east-1.amazonaws.com/bucket/a@b'],
    ]) assert.equal(redact(input), expected);
  });
});
