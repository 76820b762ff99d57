// headerDemandingDenies: which Deny statements refuse a plain upload (no extra headers), and what
// they demand. The IAM evaluation reuses `statement` and `keys`, so their shape is tested here.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { parsePolicyDocument } from '../../src/policy/document.ts';
import { headerDemandingDenies, matchesWhenAbsent, requestHeaderOf } from '../../src/policy/request-headers.ts';

const policy = (...statements: object[]) => {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  assert.ok(parsed.ok);
  return parsed.policy;
};
const sse = { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } };

test('matchesWhenAbsent: how each operator treats a missing key', () => {
  const rows: Array<[string, string[], boolean]> = [
    ['StringNotEquals', ['x'], true],
    ['StringNotLike', ['x*'], true],
    ['StringNotEqualsIgnoreCase', ['x'], true],
    ['ArnNotLike', ['arn:*'], true],
    ['NumericNotEquals', ['1'], true],
    ['StringEquals', ['x'], false],
    ['StringLike', ['*'], false],
    ['Bool', ['true'], false],
    ['StringEqualsIfExists', ['x'], true],
    ['StringNotEqualsIfExists', ['x'], true],
    ['Null', ['true'], true],
    ['Null', ['false'], false],
    ['ForAllValues:StringEquals', ['x'], true],
    ['ForAnyValue:StringNotEquals', ['x'], false],
  ];
  for (const [op, values, expected] of rows) assert.equal(matchesWhenAbsent(op, values), expected, op + ' ' + values.join(','));
});

test('requestHeaderOf maps condition keys to headers', () => {
  assert.deepEqual(requestHeaderOf('s3:x-amz-acl'), { header: 'x-amz-acl', kind: 'acl' });
  assert.deepEqual(requestHeaderOf('s3:x-amz-grant-full-control'), { header: 'x-amz-grant-full-control', kind: 'acl' });
  assert.deepEqual(requestHeaderOf('S3:X-Amz-Server-Side-Encryption'), { header: 'x-amz-server-side-encryption', kind: 'encryption' });
  assert.deepEqual(requestHeaderOf('s3:object-lock-remaining-retention-days'), { header: 'x-amz-object-lock-retain-until-date', kind: 'object-lock' });
  assert.deepEqual(requestHeaderOf('s3:RequestObjectTag/classification'), { header: 'x-amz-tagging', kind: 'tagging' });
  assert.equal(requestHeaderOf('s3:x-amz-content-sha256'), undefined);
  assert.equal(requestHeaderOf('aws:SecureTransport'), undefined);
});

test('shape: statement, label, keys, operator, conditions', () => {
  const p = policy({ Effect: 'Deny', Principal: '*', Action: 's3:Put*', Resource: 'arn:aws:s3:::pkg/*', Condition: sse });
  const [d] = headerDemandingDenies(p, { bucket: 'pkg' });
  assert.equal(d.label, 'statement #1');
  assert.equal(d.statement, p.statements[0]);
  assert.deepEqual(d.keys, ['s3:x-amz-server-side-encryption']);
  assert.equal(d.operator, 'StringNotEquals');
  assert.deepEqual(d.conditions, [{ operator: 'StringNotEquals', key: 's3:x-amz-server-side-encryption', values: ['aws:kms'], header: 'x-amz-server-side-encryption', kind: 'encryption', demand: 'aws:kms' }]);
  assert.deepEqual(d.actions, ['s3:PutObject']);
  assert.equal(d.demandsAcl, false);
  assert.equal(d.appliesToEveryone, true);
});

test('a header condition false on absence makes the statement not demanding', () => {
  // Denies only requests that DO send an ACL other than bucket-owner-full-control.
  const p = policy({ Sid: 'X', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: { Null: { 's3:x-amz-acl': 'false' }, StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } });
  assert.deepEqual(headerDemandingDenies(p), []);
});

test('Allow statements and Denies without header conditions are ignored', () => {
  const p = policy(
    { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: sse },
    { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' },
  );
  assert.deepEqual(headerDemandingDenies(p), []);
});

test('NotAction and NotResource are honoured', () => {
  const notAction = policy({ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: 'arn:aws:s3:::pkg/*', Condition: sse });
  assert.equal(headerDemandingDenies(notAction, { bucket: 'pkg' }).length, 1);
  const notActionPut = policy({ Effect: 'Deny', Principal: '*', NotAction: 's3:Put*', Resource: 'arn:aws:s3:::pkg/*', Condition: sse });
  assert.equal(headerDemandingDenies(notActionPut, { bucket: 'pkg' }).length, 0);
  const notResourceOther = policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::other/*', Condition: sse });
  assert.equal(headerDemandingDenies(notResourceOther, { bucket: 'pkg' }).length, 1);
  const notResourceAll = policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::pkg/*', Condition: sse });
  assert.equal(headerDemandingDenies(notResourceAll, { bucket: 'pkg' }).length, 0);
});

test('resource patterns: wildcards, part of the bucket, the bucket ARN alone', () => {
  const on = (resource: string) => headerDemandingDenies(policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: resource, Condition: sse }), { bucket: 'pkg' }).length;
  assert.equal(on('*'), 1);
  assert.equal(on('arn:aws:s3:::pk?/*'), 1);
  assert.equal(on('arn:aws:s3:::pkg/uploads/*'), 1);
  assert.equal(on('arn:aws:s3:::pkg/${aws:username}/*'), 1);
  assert.equal(on('arn:aws:s3:::pkg'), 0);
  assert.equal(on('arn:aws:s3:::pkg-other/*'), 0);
  assert.equal(on('arn:aws:sqs:*:*:pkg/*'), 0);
});

test('principal scope and other condition keys are reported', () => {
  const p = policy({ Effect: 'Deny', Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
  const [d] = headerDemandingDenies(p);
  assert.equal(d.demandsAcl, true);
  assert.equal(d.appliesToEveryone, false);
  assert.deepEqual(d.principals, ['arn:aws:iam::222222222222:root']);
  assert.deepEqual(d.otherConditionKeys, ['aws:SourceIp']);
  const notPrincipal = policy({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::1:user/x' }, Action: 's3:*', Resource: '*', Condition: sse });
  assert.equal(headerDemandingDenies(notPrincipal)[0].appliesToEveryone, true);
});
