// Table tests for `storage-drift`. The baseline each row compares with is produced by the check
// itself in --write-baseline mode from BASE facts, so the tests also prove write → compare agree.
// Then: the pure diff helpers and the baseline file (zod validation, atomic write).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import storageDrift from '../../../checks/s3-storage/storage-drift.ts';
import { UsageError } from '../../../src/config/options.ts';
import { type Baseline, canonicalJson, diffStatements, fingerprintPolicy, REORDERED, type DriftContext } from '../../../src/drift/baseline.ts';
import { checkBaselineWritable, readBaselineFile, writeBaselineFile } from '../../../src/drift/file.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import type { Result } from '../../../src/model.ts';
import { assertResults, deniedFact, type Expected, fakeFacts, ghesTarget } from '../check-table.ts';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/ghes-packages`;
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const bucketPolicy = (statements: object[]) => ({ present: true, text: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
const DENY_HTTP = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::ghes-packages/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const NO_SID = { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::ghes-packages' };
const GHES_DOC = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::ghes-packages' },
    { Sid: 'Objects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload', 's3:DeleteObject'], Resource: 'arn:aws:s3:::ghes-packages/*' },
  ],
};
const policies = (doc: object, extra: object[] = []) => ({ identity: [{ kind: 'user-inline', name: 'storage', document: encodeURIComponent(JSON.stringify(doc)) }, ...extra], via: 'GetAccountAuthorizationDetails' });

const BASE: Record<string, unknown> = {
  bucketHead: { status: 'found', region: 'us-west-2' },
  principal: { arn: USER, kind: 'user', name: 'ghes-packages', accountId: ACCOUNT },
  encryption: { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: KEY, bucketKeyEnabled: true },
  versioning: { status: 'Enabled' },
  bucketPolicy: bucketPolicy([DENY_HTTP, NO_SID]),
  principalPolicies: policies(GHES_DOC),
};
const TARGET = { bucket: 'ghes-packages', serviceUrl: 'https://s3.us-west-2.amazonaws.com' };
const TOOL = { name: 'packages-preflight', version: '0.0.0-test' };

async function run(facts: Record<string, unknown>, drift: DriftContext | undefined, target: Parameters<typeof ghesTarget>[0] = TARGET): Promise<Result[]> {
  const t = ghesTarget(target);
  return runChecks([storageDrift], { target: t, facts: fakeFacts(facts) as never, ...(drift ? { drift } : {}) }, { defaultSubject: t.bucket });
}

async function writeBaseline(facts: Record<string, unknown> = BASE, target = TARGET): Promise<Baseline> {
  let written: Baseline | undefined;
  const results = await run(facts, { tool: TOOL, now: () => new Date('2025-01-02T03:04:05Z'), write: { file: 'baseline.json', write: (b) => (written = b) } }, target);
  assert.equal(results[0].status, 'skip', results[0].message);
  assert.ok(written);
  return written;
}

const baseline = await writeBaseline();
const compare = (b: Baseline = baseline): DriftContext => ({ tool: TOOL, compare: { file: 'baseline.json', baseline: b } });
const UNCHANGED: Expected = { status: 'pass', subject: 'unchanged', messageId: 'unchanged' };

const rows: Array<{ name: string; facts?: Record<string, unknown>; target?: Parameters<typeof ghesTarget>[0]; drift?: DriftContext | null; expect: Expected | Expected[] }> = [
  { name: 'no --baseline: skip with the reason', drift: null, expect: { status: 'skip', messageId: 'notRequested', message: 'No --baseline given' } },
  { name: 'nothing changed', expect: { ...UNCHANGED, message: 'bucket ghes-packages, region us-west-2, service-url https://s3.us-west-2.amazonaws.com, account 123456789012' } },
  { name: 'the same service URL spelled differently is unchanged', target: { ...TARGET, serviceUrl: 'https://S3.us-west-2.amazonaws.com/' }, expect: UNCHANGED },
  {
    name: 'another bucket: fail, packages unreachable',
    target: { ...TARGET, bucket: 'ghes-packages-new' },
    expect: [{ status: 'fail', subject: 'bucket', messageId: 'bucketChanged', message: 'from ghes-packages to ghes-packages-new since the baseline of 2025-01-02T03:04:05.000Z: GHES packages already stored in s3://ghes-packages (us-west-2, account 123456789012, via https://s3.us-west-2.amazonaws.com) would become unreachable' }, UNCHANGED],
  },
  { name: 'another region: fail', facts: { ...BASE, bucketHead: { status: 'found', region: 'eu-west-1' } }, expect: [{ status: 'fail', subject: 'region', messageId: 'regionChanged', message: 'from us-west-2 to eu-west-1' }, UNCHANGED] },
  { name: 'the bucket is gone: fail', facts: { ...BASE, bucketHead: { status: 'not-found' } }, expect: [{ status: 'fail', subject: 'region', messageId: 'bucketGone' }, UNCHANGED] },
  { name: 'HeadBucket 403 still names the region: compared', facts: { ...BASE, bucketHead: { status: 'forbidden', region: 'us-west-2' } }, expect: UNCHANGED },
  { name: 'HeadBucket 403 without region: error for the region only', facts: { ...BASE, bucketHead: { status: 'forbidden', region: null } }, expect: [{ status: 'error', subject: 'region', messageId: 'unreadable' }, UNCHANGED] },
  { name: 'another service URL: fail', target: { ...TARGET, serviceUrl: 'https://s3.dualstack.us-west-2.amazonaws.com' }, expect: [{ status: 'fail', subject: 'service-url', messageId: 'serviceUrlChanged' }, UNCHANGED] },
  {
    name: 'another account (and so another principal): fail and warn',
    facts: { ...BASE, principal: { arn: 'arn:aws:iam::210987654321:user/ghes-packages', kind: 'user', name: 'ghes-packages', accountId: '210987654321' } },
    expect: [{ status: 'fail', subject: 'account', messageId: 'accountChanged', message: 'from 123456789012 to 210987654321' }, { status: 'warn', subject: 'principal', messageId: 'principalChanged' }, UNCHANGED],
  },
  {
    name: 'another KMS key: warn with the key ids',
    facts: { ...BASE, encryption: { configured: true, rules: [], algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/other`, bucketKeyEnabled: true } },
    expect: [{ status: 'warn', subject: 'encryption', messageId: 'encryptionChanged', message: `kmsKeyId from ${KEY} to arn:aws:kms:us-west-2:${ACCOUNT}:key/other` }, UNCHANGED],
  },
  {
    name: 'SSE-KMS replaced by SSE-S3: warn',
    facts: { ...BASE, encryption: { configured: true, rules: [], algorithm: 'AES256' } },
    expect: [{ status: 'warn', subject: 'encryption', message: 'algorithm from aws:kms to AES256; kmsKeyId from arn:aws:kms' }, UNCHANGED],
  },
  { name: 'versioning suspended: warn', facts: { ...BASE, versioning: { status: 'Suspended' } }, expect: [{ status: 'warn', subject: 'versioning', message: 'from Enabled to Suspended' }, UNCHANGED] },
  {
    name: 'bucket policy: a statement added by Sid',
    facts: { ...BASE, bucketPolicy: bucketPolicy([DENY_HTTP, NO_SID, { Sid: 'AllowPartner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::ghes-packages/*' }]) },
    expect: [{ status: 'warn', subject: 'bucket-policy', messageId: 'bucketPolicyChanged', message: 'added Sid "AllowPartner" (sha256 ' }, UNCHANGED],
  },
  { name: 'bucket policy: a Sid statement changed', facts: { ...BASE, bucketPolicy: bucketPolicy([{ ...DENY_HTTP, Resource: '*' }, NO_SID]) }, expect: [{ status: 'warn', subject: 'bucket-policy', message: 'changed Sid "DenyInsecureTransport"' }, UNCHANGED] },
  { name: 'bucket policy: a statement without Sid removed', facts: { ...BASE, bucketPolicy: bucketPolicy([DENY_HTTP]) }, expect: [{ status: 'warn', subject: 'bucket-policy', message: 'removed statement #2' }, UNCHANGED] },
  { name: 'bucket policy: only the order changed', facts: { ...BASE, bucketPolicy: bucketPolicy([NO_SID, DENY_HTTP]) }, expect: [{ status: 'warn', subject: 'bucket-policy', message: REORDERED }, UNCHANGED] },
  { name: 'bucket policy: same content, other key order and whitespace, is unchanged', facts: { ...BASE, bucketPolicy: { present: true, text: JSON.stringify({ Statement: [JSON.parse(canonicalJson(DENY_HTTP)), NO_SID], Version: '2012-10-17' }, null, 4) } }, expect: UNCHANGED },
  { name: 'bucket policy deleted', facts: { ...BASE, bucketPolicy: { present: false } }, expect: [{ status: 'warn', subject: 'bucket-policy', message: 'the bucket policy was deleted (it had 2 statement(s)' }, UNCHANGED] },
  {
    name: 'principal policies: a statement removed and a policy attached',
    facts: { ...BASE, principalPolicies: policies({ ...GHES_DOC, Statement: [GHES_DOC.Statement[1]] }, [{ kind: 'user-managed', name: 'ReadOnly', arn: `arn:aws:iam::${ACCOUNT}:policy/ReadOnly`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } }]) },
    expect: [{ status: 'warn', subject: 'principal-policies', messageId: 'principalPoliciesChanged', message: `The policies of ${USER} changed since the baseline of 2025-01-02T03:04:05.000Z: policy user-inline:storage: removed Sid "Bucket"; policy user-managed:ReadOnly was added (1 statement(s))` }, UNCHANGED],
  },
  {
    name: 'an unreadable fact: error for that field, the others are still compared',
    facts: { ...BASE, bucketPolicy: deniedFact('bucketPolicy', 's3:GetBucketPolicy') },
    expect: [{ status: 'error', subject: 'bucket-policy', messageId: 'unreadable', message: 'access denied', evidence: { code: 'AccessDenied', requestId: 'TEST-REQ-1' } }, UNCHANGED],
  },
  {
    name: 'principal policies unreadable: error',
    facts: { ...BASE, principalPolicies: deniedFact('principalPolicies', 'iam:GetAccountAuthorizationDetails') },
    expect: [{ status: 'error', subject: 'principal-policies', messageId: 'unreadable' }, UNCHANGED],
  },
];

for (const row of rows) {
  test(`storage-drift: ${row.name}`, async () => {
    const results = await run(row.facts ?? BASE, row.drift === null ? undefined : (row.drift ?? compare()), row.target ?? TARGET);
    assertResults(results, row.expect, row.name);
  });
}

test('storage-drift: the baseline holds the identity and hashes, never a policy text', () => {
  assert.equal(baseline.baselineVersion, 1);
  assert.deepEqual(
    { ...baseline.storage, bucketPolicy: undefined, principalPolicies: undefined },
    {
      bucket: 'ghes-packages',
      region: 'us-west-2',
      serviceUrl: 'https://s3.us-west-2.amazonaws.com',
      accountId: ACCOUNT,
      principalArn: USER,
      encryption: { configured: true, algorithm: 'aws:kms', kmsKeyId: KEY, bucketKeyEnabled: true },
      versioning: 'Enabled',
      bucketPolicy: undefined,
      principalPolicies: undefined,
    },
  );
  assert.deepEqual(baseline.storage.bucketPolicy.fingerprint?.statements.map((s) => s.sid ?? `#${s.index}`), ['DenyInsecureTransport', '#1']);
  assert.deepEqual(baseline.storage.principalPolicies?.policies.map((p) => p.ref), ['user-inline:storage']);
  const text = JSON.stringify(baseline);
  assert.doesNotMatch(text, /SecureTransport|s3:PutObject|Statement/, 'policy content must not be stored, only hashes');
});

test('storage-drift: write and compare in one run: compare results, then the written file', async () => {
  let written: Baseline | undefined;
  const results = await run(BASE, { ...compare(), write: { file: 'new.json', write: (b) => (written = b) } });
  assertResults(results, [UNCHANGED, { status: 'pass', subject: 'new.json', messageId: 'written', evidence: { file: 'new.json' } }], 'write+compare');
  assert.ok(written);
});

test('storage-drift: an unreadable fact writes no baseline (error); an I/O error is an error', async () => {
  let calls = 0;
  const denied = await run({ ...BASE, encryption: deniedFact('encryption', 's3:GetEncryptionConfiguration') }, { tool: TOOL, write: { file: 'b.json', write: () => (calls += 1) } });
  assertResults(denied, { status: 'error', messageId: 'notWritten', message: 'encryption could not be read' }, 'unreadable');
  assert.equal(calls, 0);
  const gone = await run({ ...BASE, bucketHead: { status: 'not-found' } }, { tool: TOOL, write: { file: 'b.json', write: () => (calls += 1) } });
  assertResults(gone, { status: 'error', messageId: 'notWritten' }, 'bucket gone');
  assert.equal(calls, 0);
  const io = await run(BASE, { tool: TOOL, write: { file: 'b.json', write: () => { throw Object.assign(new Error('disk full'), { code: 'ENOSPC' }); } } });
  assertResults(io, { status: 'error', messageId: 'writeFailed', message: 'ENOSPC' }, 'io');
});

test('storage-drift: an S3-compatible store records no account or principal and compares the rest', async () => {
  const minio = { bucket: 'ghes-packages', serviceUrl: 'https://minio.example.internal:9000' };
  const facts = { ...BASE, principal: new Error('must not be asked'), principalPolicies: new Error('must not be asked') };
  const b = await writeBaseline(facts, minio);
  assert.equal(b.storage.accountId, null);
  assert.equal(b.storage.principalPolicies, null);
  assertResults(await run(facts, compare(b), minio), UNCHANGED, 'minio unchanged');
});

// --- pure helpers ----------------------------------------------------------------------------

test('diffStatements: by Sid, and by content for statements without one', () => {
  const fp = (statements: object[]) => fingerprintPolicy({ Version: '2012-10-17', Statement: statements }).statements;
  assert.deepEqual(diffStatements(fp([DENY_HTTP, NO_SID]), fp([DENY_HTTP, NO_SID])), { added: [], removed: [], changed: [] });
  assert.deepEqual(diffStatements(fp([DENY_HTTP, NO_SID]), fp([{ ...NO_SID, Action: 's3:*' }])), { added: ['statement #1'], removed: ['Sid "DenyInsecureTransport"', 'statement #2'], changed: [] });
  assert.equal(fingerprintPolicy('%7B%22Statement%22%3A%5B%5D%7D').sha256, fingerprintPolicy({ Statement: [] }).sha256, 'URL-encoded IAM documents hash like the decoded JSON');
  assert.ok(fingerprintPolicy('{not json').parseError);
});

// --- the baseline file -----------------------------------------------------------------------

test('baseline file: round trip, atomic write leaves no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-baseline-'));
  const file = join(dir, 'baseline.json');
  checkBaselineWritable(file);
  writeBaselineFile(file, baseline);
  writeBaselineFile(file, baseline);
  assert.deepEqual(readBaselineFile(file), baseline);
  assert.deepEqual(readdirSync(dir), ['baseline.json']);
});

test('baseline file: every unreadable or invalid file is a one-line UsageError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-baseline-'));
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['missing.json', undefined, /cannot read the file \(no such file\)/],
    ['bad.json', '{"baselineVersion": 1,', /not valid JSON/],
    ['other.json', '{"bucket": "x"}', /not a packages-preflight baseline \(baselineVersion: /],
    ['future.json', JSON.stringify({ ...baseline, baselineVersion: 2 }), /baselineVersion 2 is not supported/],
    ['partial.json', JSON.stringify({ ...baseline, storage: { ...baseline.storage, region: undefined } }), /storage\.region/],
    ['badhash.json', JSON.stringify({ ...baseline, storage: { ...baseline.storage, bucketPolicy: { present: true, fingerprint: { sha256: 'xyz', statements: [] } } } }), /sha256 hex digest/],
  ];
  for (const [name, content, pattern] of cases) {
    const file = join(dir, name);
    if (content !== undefined) writeFileSync(file, content);
    assert.throws(() => readBaselineFile(file), (e: unknown) => e instanceof UsageError && pattern.test(e.message) && e.message.startsWith(`--baseline ${file}: `) && !e.message.includes('\n'), name);
  }
  assert.throws(() => checkBaselineWritable(join(dir, 'no-such-folder', 'b.json')), (e: unknown) => e instanceof UsageError && /--write-baseline .*cannot write to its folder/.test(e.message));
  assert.throws(() => checkBaselineWritable(dir), (e: unknown) => e instanceof UsageError && /is a directory/.test(e.message));
  assert.ok(!existsSync(join(dir, 'no-such-folder')));
  assert.equal(readFileSync(join(dir, 'bad.json'), 'utf8'), '{"baselineVersion": 1,');
});
