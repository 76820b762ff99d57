// redact(): the last line of defence for non-negotiable 2. Registered secrets (in every form they
// can take on the way out), signatures and tokens in URLs and headers, and access key ids masked.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { toFactError } from '../../src/aws/errors.ts';
import { maskAccessKeyId, PIECE, redact, redactDeep, redactThenCut, registerSecret } from '../../src/redact.ts';

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
    // Adjacent secrets are one removed span.
    assert.equal(out.match(/\[REDACTED\]/g)?.length, 3);
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

describe('redact: every spelling and every piece of a registered secret (issue 14, items 7 and 8)', () => {
  const S = 'Pk9/Mixed+Case0123456789abcdefGHIJKLMN=x';
  const T = 'FwoGZXIvYXdzEPieceTOKEN/aGVsbG8gd29ybGQ+with/slashes==';
  registerSecret(S);
  registerSecret(T);
  /** Any PIECE-long run of S or T, case-insensitively: what the canary tests call a leak. */
  const leaked = (text: string): string | undefined => {
    const lower = text.toLowerCase();
    for (const s of [S, T]) for (let i = 0; i + PIECE <= s.length; i++) if (lower.includes(s.slice(i, i + PIECE).toLowerCase())) return s.slice(i, i + PIECE);
    return undefined;
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');

  const FORMS: Array<[string, string]> = [
    ['upper-case percent-encoding', encodeURIComponent(S)],
    ['lower-case percent-encoding', encodeURIComponent(S).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['mixed-case percent-encoding', S.replace('/', '%2f').replace('+', '%2B').replace('=', '%3d')],
    ['double percent-encoding', encodeURIComponent(encodeURIComponent(T))],
    ['JSON-escaped slashes', S.replace(/\//g, '\\/')],
    ['JSON \\u escapes', T.replace(/\//g, '\\u002f').replace(/\+/g, '\\u002B')],
    ['HTML character references', S.replace('/', '&#x2F;').replace('+', '&#43;')],
    ['a mix of escapes', T.replace('/', '%2F').replace('+', '\\u002b').replace('/', '\\/')],
    ['base64', b64(S)],
    ['base64 of the token', b64(T)],
    ['base64url', b64url(T)],
    ['base64 at offset 1 in a blob', b64(`x${S}`)],
    ['base64 at offset 2 in a blob', b64(`xy{"token":"${T}"}`)],
    ['base64url at offset 2', b64url(`ab${S}`)],
    ['lower-cased (a bucket-name hint)', S.toLowerCase()],
    ['upper-cased', T.toUpperCase()],
  ];
  for (const [name, form] of FORMS) {
    test(`${name}: removed, surrounding text kept`, () => {
      const out = redact(`before ${form} after`);
      assert.equal(leaked(out), undefined, out);
      assert.match(out, /^before .*\[REDACTED\].* after$/, out);
    });
  }

  test('a piece of a secret (a cut message, a fix hint repeating part of a pasted value) is removed', () => {
    for (const piece of [S.slice(0, PIECE), S.slice(5, 25), T.slice(-20), `${S.slice(20)}`]) {
      const out = redact(`found '${piece}' in the host`);
      assert.equal(leaked(out), undefined, out);
    }
  });

  test('redactThenCut redacts before it cuts: no prefix of a secret survives the cut, the rest is kept', () => {
    for (let cut = 1; cut < 60; cut++) {
      const text = `${'m'.repeat(cut)}${S} tail`;
      const out = redactThenCut(text, 40);
      assert.ok(!out.includes(S.slice(0, 4)), `cut ${cut}: ${out}`);
      assert.ok(out.length <= 41);
    }
    assert.equal(redactThenCut('short text', 40), 'short text');
    assert.equal(redactThenCut('x'.repeat(50), 40), `${'x'.repeat(40)}…`);
  });

  test('text without secrets is unchanged, escapes included', () => {
    const text = 'https://s3.us-east-1.amazonaws.com/?list-type=2&prefix=a%2Fb \\/path &#x41; %zz 100%';
    assert.equal(redact(text), text);
  });

  // How fast (linear in the size) is measured in `npm run bench`, not timed here.
  test('a large report with nothing secret in it comes back unchanged', () => {
    const big = `${'{"message":"all fine here, nothing secret","evidence":{"n":1}},'.repeat(40_000)}`;
    assert.equal(redact(big), big);
  });
});
