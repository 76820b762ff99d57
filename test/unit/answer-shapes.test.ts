// The table of what each successful answer must be (src/aws/answer-shapes.ts), row by row: the
// minimal document each row describes is accepted, and for every row an HTML page, an empty body,
// another operation's valid document, a JSON page and an incomplete document are refused, with a
// reason that never repeats the body's text.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { ANSWER_SHAPES, type AnswerShape, answerProblem, malformedAnswer } from '../../src/aws/answer-shapes.ts';

/** A value that satisfies a required field (patterned fields get a real-looking value). */
function sampleValue(path: string): string {
  if (/Account$/.test(path)) return '123456789012';
  if (/Role\.Arn$/.test(path)) return 'arn:aws:iam::123456789012:role/ghes';
  if (/Arn$/.test(path)) return 'arn:aws:iam::123456789012:user/ghes';
  return 'x';
}

function nest(paths: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    const parts = path.split('.');
    let node = root;
    parts.forEach((part, i) => {
      // A required container (`GetRoleResult`) may also hold required fields (`GetRoleResult.Role.Arn`).
      if (i === parts.length - 1) node[part] ??= sampleValue(path);
      else node = (typeof node[part] === 'object' ? node[part] : (node[part] = {})) as Record<string, unknown>;
    });
  }
  return root;
}

const toXml = (node: unknown): string =>
  typeof node === 'object' && node !== null ? Object.entries(node).map(([k, v]) => `<${k}>${toXml(v)}</${k}>`).join('') : String(node);

function minimalDocument(shape: AnswerShape): string {
  const fields = nest((shape.required ?? []).map((r) => r.path));
  return shape.format === 'json' ? JSON.stringify(fields) : `<?xml version="1.0" encoding="UTF-8"?>\n<${shape.root} xmlns="http://example/doc/">${toXml(fields)}</${shape.root}>`;
}

const SECRET_IN_BODY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const REFUSED: Array<[string, string]> = [
  ['an HTML page', `<!DOCTYPE html><html><head><title>Sign in</title></head><body>${SECRET_IN_BODY}</body></html>`],
  ['an empty body', ''],
  ['whitespace', '  \n'],
  ['another valid S3 document', `<?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>other</Name><Contents><Key>${SECRET_IN_BODY}</Key></Contents></ListBucketResult>`],
  ['an IAM GetUser answer', '<GetUserResponse><GetUserResult><User><Arn>arn:aws:iam::123456789012:user/x</Arn></User></GetUserResult></GetUserResponse>'],
  ['a JSON page', `{"message":"${SECRET_IN_BODY}"}`],
  ['plain text', `Service Unavailable ${SECRET_IN_BODY}`],
];

describe('answer shapes', () => {
  for (const [key, shape] of Object.entries(ANSWER_SHAPES)) {
    test(`${key}: the minimal ${shape.format === 'xml' ? `<${shape.root}>` : shape.document} is accepted; anything else is refused`, () => {
      assert.equal(answerProblem(shape, minimalDocument(shape)), undefined, minimalDocument(shape));
      for (const [label, body] of REFUSED) {
        if (shape.format === 'xml' && new RegExp(`<${shape.root}[\\s>]`).test(body)) continue; // the document itself
        const problem = answerProblem(shape, body);
        assert.ok(problem, `${label} was accepted`);
        assert.ok(!problem.includes(SECRET_IN_BODY), `the reason repeats the body: ${problem}`);
      }
      for (const field of shape.required ?? []) {
        if ((shape.required ?? []).some((f) => f.path.startsWith(`${field.path}.`))) continue; // a container of other required fields
        const without = { ...shape, required: (shape.required ?? []).filter((f) => f !== field) };
        assert.match(answerProblem(shape, minimalDocument(without)) ?? '', new RegExp(`${field.path.replace(/\./g, '\\.')} is (missing|not a valid value)`), `${field.path} missing`);
      }
    });
  }

  test('a listing must name the bucket asked for: another bucket\'s listing or none is refused (never "nothing there")', () => {
    for (const [key, named] of [['s3:ListObjectsV2', 'Name'], ['s3:ListObjectVersions', 'Name'], ['s3:ListMultipartUploads', 'Bucket']] as const) {
      const shape = ANSWER_SHAPES[key];
      assert.equal(shape.format, 'xml');
      const listing = (bucket: string) => `<${shape.format === 'xml' ? shape.root : ''}><${named}>${bucket}</${named}></${shape.format === 'xml' ? shape.root : ''}>`;
      assert.equal(answerProblem(shape, listing('ghes-packages'), { Bucket: 'ghes-packages' }), undefined, key);
      assert.equal(answerProblem(shape, listing('other-bucket'), { Bucket: 'ghes-packages' }), `<${shape.format === 'xml' ? shape.root : ''}> is incomplete: ${named} is not the Bucket asked for`, key);
      assert.match(answerProblem(shape, `<${shape.format === 'xml' ? shape.root : ''}/>`, { Bucket: 'ghes-packages' }) ?? '', new RegExp(`${named} is missing`), key);
    }
  });

  test('patterned fields: a GetCallerIdentity answer with an empty ARN or a non-numeric account is refused', () => {
    const shape = ANSWER_SHAPES['sts:GetCallerIdentity'];
    const doc = (arn: string, account: string) => `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDA</UserId><Account>${account}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`;
    assert.equal(answerProblem(shape, doc('arn:aws:iam::123456789012:user/ghes', '123456789012')), undefined);
    assert.match(answerProblem(shape, doc('', '123456789012')) ?? '', /Arn is not a valid value/);
    assert.match(answerProblem(shape, doc('arn:aws:iam::123456789012:user/ghes', 'acme')) ?? '', /Account is not a valid value/);
  });

  test('an S3 <Error> inside a 200 is named, its code only when it looks like one', () => {
    const shape = ANSWER_SHAPES['s3:GetBucketAcl'];
    assert.equal(answerProblem(shape, '<Error><Code>InternalError</Code><Message>x</Message></Error>'), 'the body is an error document (InternalError)');
    assert.equal(answerProblem(shape, `<Error><Code>${SECRET_IN_BODY}</Code></Error>`), 'the body is an error document');
  });

  test('the thrown error has the SDK shape: name MalformedResponse, HTTP status and request id', () => {
    const e = malformedAnswer('s3', 'GetBucketAcl', 200, 'REQ-1', 'the body is empty') as Error & { $metadata: { httpStatusCode: number; requestId: string } };
    assert.equal(e.name, 'MalformedResponse');
    assert.deepEqual(e.$metadata, { httpStatusCode: 200, requestId: 'REQ-1' });
    assert.match(e.message, /^s3:GetBucketAcl answered HTTP 200, but the answer is not valid: expected the <AccessControlPolicy> document, and the body is empty$/);
  });
});
