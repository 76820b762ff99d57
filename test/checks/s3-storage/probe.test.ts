// Table tests for `probe`: each row scripts an in-memory probe (the write side of the context) —
// which operation fails and how, what GetObject returns — and lists the expected results. The
// S3 side itself (S3Probe against the emulator, cleanup, SIGINT) is covered by test/e2e/probe.test.ts.
// The last tests prove the read-only guarantee structurally: only src/aws/probe.ts can write.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import type { GhesS3Probe } from '../../../checks/ghes-s3/context.ts';
import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import probe from '../../../checks/s3-storage/probe.ts';
import { ProbeError, type ProbeCall, type ProbeFailure } from '../../../src/aws/probe.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import { assertResults, type Expected, fakeFacts, ghesTarget } from '../check-table.ts';

const PREFIX = 'packages-preflight/20250101T000000Z-abcdef012345/';
type Fault = Partial<Pick<ProbeFailure, 'code' | 'httpStatus' | 'outcome'>>;

interface Script {
  /** Operation → fault; `UploadPart#2` targets one part, `CreateMultipartUpload#2` the second upload. */
  fail?: Record<string, Fault>;
  /** Replaces what GetObject returns. */
  getBody?: (written: Uint8Array) => Uint8Array;
  serverChecksum?: string;
  hideFromList?: boolean;
  hideUploads?: boolean;
  keepAbortedListed?: boolean;
  deleteMarkers?: boolean;
  /** The endpoint the probe used (default: AWS's own, https). */
  endpointUrl?: string;
}

export function fakeProbe(script: Script = {}): GhesS3Probe & { calls: string[] } {
  const objects = new Map<string, Uint8Array>();
  const uploads = new Map<string, { key: string; parts: Map<number, number> }>();
  const calls: string[] = [];
  const counter = new Map<string, number>();
  let nextId = 1;
  const keyOf = (name: string) => `${PREFIX}${name}`;
  async function call<T>(operation: string, key: string | undefined, value: () => T): Promise<ProbeCall<T>> {
    const n = (counter.get(operation) ?? 0) + 1;
    counter.set(operation, n);
    calls.push(operation);
    const fault = script.fail?.[`${operation}#${n}`] ?? script.fail?.[operation];
    const resource = key ? `arn:aws:s3:::ghes-packages/${key}` : 'arn:aws:s3:::ghes-packages';
    if (fault) {
      throw new ProbeError({ operation, key, resource, code: fault.code ?? 'AccessDenied', httpStatus: 'httpStatus' in fault ? fault.httpStatus : 403, message: 'scripted', latencyMs: 3, outcome: fault.outcome ?? 'failed', requestId: 'REQ-FAIL' });
    }
    return { operation, key, resource, latencyMs: 7, requestId: `REQ-${calls.length}`, value: value() };
  }
  return {
    calls,
    bucket: 'ghes-packages',
    runId: '20250101T000000Z-abcdef012345',
    prefix: PREFIX,
    endpointUrl: script.endpointUrl,
    secureTransport: script.endpointUrl ? script.endpointUrl.startsWith('https:') : true,
    keyOf,
    putObject: (name, body) =>
      call('PutObject', keyOf(name), () => {
        objects.set(keyOf(name), body);
        return { key: keyOf(name), size: body.byteLength, sha256: 'x', etag: '"e"' };
      }),
    getObject: (name) =>
      call('GetObject', keyOf(name), () => {
        const written = objects.get(keyOf(name)) ?? new Uint8Array();
        return { key: keyOf(name), body: script.getBody ? script.getBody(written) : written, etag: '"e"', checksumSha256: script.serverChecksum };
      }),
    listObjects: () => call('ListObjectsV2', undefined, () => ({ keys: script.hideFromList ? [] : [...objects.keys()] })),
    createMultipartUpload: (name) =>
      call('CreateMultipartUpload', keyOf(name), () => {
        const uploadId = `upload-${nextId++}`;
        uploads.set(uploadId, { key: keyOf(name), parts: new Map() });
        return { key: keyOf(name), uploadId };
      }),
    uploadPart: (name, uploadId, partNumber, body) =>
      call('UploadPart', keyOf(name), () => {
        uploads.get(uploadId)?.parts.set(partNumber, body.byteLength);
        return { etag: `"p${partNumber}"`, size: body.byteLength };
      }),
    listParts: (name, uploadId) => call('ListParts', keyOf(name), () => ({ parts: [...(uploads.get(uploadId)?.parts ?? new Map()).entries()].map(([partNumber, size]) => ({ partNumber, size, etag: `"p${partNumber}"` })) })),
    listMultipartUploads: () => call('ListMultipartUploads', undefined, () => ({ uploads: script.hideUploads ? [] : [...uploads.entries()].map(([uploadId, u]) => ({ key: u.key, uploadId })) })),
    completeMultipartUpload: (name, uploadId) =>
      call('CompleteMultipartUpload', keyOf(name), () => {
        uploads.delete(uploadId);
        objects.set(keyOf(name), new Uint8Array());
        return { key: keyOf(name), etag: '"c-2"' };
      }),
    abortMultipartUpload: (name, uploadId) =>
      call('AbortMultipartUpload', keyOf(name), () => {
        if (!script.keepAbortedListed) uploads.delete(uploadId);
        return { key: keyOf(name), uploadId };
      }),
    deleteObject: (name) =>
      call('DeleteObject', keyOf(name), () => {
        objects.delete(keyOf(name));
        return { key: keyOf(name), deleteMarker: Boolean(script.deleteMarkers), versionId: script.deleteMarkers ? 'marker-1' : undefined };
      }),
    cleanup: async () => {
      throw new Error('the probe check must not clean up: the runner does');
    },
  };
}

const ALL_PASS: Expected[] = [
  { status: 'pass', subject: 'PutObject', messageId: 'putOk', message: '64 KiB' },
  { status: 'pass', subject: 'GetObject', messageId: 'getOk' },
  { status: 'pass', subject: 'ListObjectsV2', messageId: 'listOk' },
  { status: 'pass', subject: 'CreateMultipartUpload', messageId: 'createOk' },
  { status: 'pass', subject: 'UploadPart 1', messageId: 'partOk', message: '5 MiB' },
  { status: 'pass', subject: 'UploadPart 2', messageId: 'partOk', message: '1 KiB' },
  { status: 'pass', subject: 'ListParts', messageId: 'listPartsOk', message: '1 (5 MiB), 2 (1 KiB)' },
  { status: 'pass', subject: 'ListMultipartUploads', messageId: 'listUploadsOk' },
  { status: 'pass', subject: 'CompleteMultipartUpload', messageId: 'completeOk' },
  { status: 'pass', subject: 'AbortMultipartUpload', messageId: 'abortOk' },
  { status: 'pass', subject: 'DeleteObject', messageId: 'deleteOk', message: `${PREFIX}object.bin, ${PREFIX}multipart.bin` },
];
const replace = (changes: Record<string, Expected | Expected[]>): Expected[] => ALL_PASS.flatMap((e) => (e.subject && changes[e.subject] ? changes[e.subject] : [e]));

const rows: Array<{ name: string; probe?: Script | null; expect: Expected | Expected[] }> = [
  { name: 'not requested: read-only run', probe: null, expect: { status: 'skip', messageId: 'notRequested', message: 'read-only run' } },
  { name: 'every step works', probe: {}, expect: ALL_PASS },
  {
    name: 'PutObject denied: GetObject not attempted, the listing still runs, only the multipart object is deleted',
    probe: { fail: { PutObject: {} } },
    expect: replace({
      PutObject: { status: 'fail', messageId: 'denied', message: 'GHES needs s3:PutObject', evidence: { code: 'AccessDenied', httpStatus: 403, action: 's3:PutObject' } },
      GetObject: { status: 'skip', messageId: 'notAttempted' },
      ListObjectsV2: { status: 'pass', messageId: 'listOkNothingWritten' },
      DeleteObject: { status: 'pass', messageId: 'deleteOk', message: `${PREFIX}multipart.bin in` },
    }),
  },
  { name: 'GetObject denied (403)', probe: { fail: { GetObject: {} } }, expect: replace({ GetObject: { status: 'fail', messageId: 'denied', message: 's3:GetObject' } }) },
  {
    name: 'GetObject returns other content',
    probe: { getBody: (b) => b.subarray(1) },
    expect: replace({ GetObject: { status: 'fail', messageId: 'contentMismatch', message: 'expected 65536 bytes' } }),
  },
  {
    name: 'a server-side SHA-256 checksum that does not match',
    probe: { serverChecksum: 'AAAA' },
    expect: replace({ GetObject: { status: 'fail', messageId: 'checksumMismatch', message: 'AAAA' } }),
  },
  { name: 'ListObjectsV2 does not show the object just written', probe: { hideFromList: true }, expect: replace({ ListObjectsV2: { status: 'fail', messageId: 'listMissing' } }) },
  {
    name: 'CreateMultipartUpload denied: the dependent steps are not attempted',
    probe: { fail: { CreateMultipartUpload: {} } },
    expect: replace({
      CreateMultipartUpload: { status: 'fail', messageId: 'denied', message: 'CreateMultipartUpload' },
      'UploadPart 1': { status: 'skip', messageId: 'notAttempted' },
      'UploadPart 2': { status: 'skip', messageId: 'notAttempted' },
      ListParts: { status: 'skip' },
      ListMultipartUploads: { status: 'skip' },
      CompleteMultipartUpload: { status: 'skip' },
      AbortMultipartUpload: { status: 'fail', messageId: 'denied', message: 'CreateMultipartUpload' },
      DeleteObject: { status: 'pass', message: `${PREFIX}object.bin in` },
    }),
  },
  {
    name: 'UploadPart answered 500: not evaluated (error), the upload is not completed',
    probe: { fail: { 'UploadPart#2': { code: 'InternalError', httpStatus: 500, outcome: 'unknown' } } },
    expect: replace({
      'UploadPart 2': { status: 'error', messageId: 'unavailable', evidence: { outcome: 'unknown' } },
      ListParts: { status: 'pass', messageId: 'listPartsOk', message: 'shows parts 1 (5 MiB) in' },
      CompleteMultipartUpload: { status: 'skip', message: 'UploadPart did not succeed' },
      DeleteObject: { status: 'pass', message: `${PREFIX}object.bin in` },
    }),
  },
  {
    name: 'ListMultipartUploads denied (no s3:ListBucketMultipartUploads)',
    probe: { fail: { ListMultipartUploads: {} } },
    expect: replace({ ListMultipartUploads: { status: 'fail', messageId: 'denied', message: 's3:ListBucketMultipartUploads' }, AbortMultipartUpload: { status: 'fail', messageId: 'denied', message: 'ListMultipartUploads' } }),
  },
  { name: 'ListMultipartUploads does not show the open upload', probe: { hideUploads: true }, expect: replace({ ListMultipartUploads: { status: 'fail', messageId: 'listUploadsMissing' } }) },
  { name: 'an aborted upload is still listed', probe: { keepAbortedListed: true }, expect: replace({ AbortMultipartUpload: { status: 'fail', messageId: 'abortStillListed' } }) },
  { name: 'AbortMultipartUpload denied', probe: { fail: { AbortMultipartUpload: {} } }, expect: replace({ AbortMultipartUpload: { status: 'fail', messageId: 'denied', message: 's3:AbortMultipartUpload' } }) },
  {
    // One result per step (engine onePerSubject): the keys are named in its message and evidence.findings.
    name: 'DeleteObject denied: one result naming every key',
    probe: { fail: { DeleteObject: {} } },
    expect: replace({ DeleteObject: [{ status: 'fail', subject: 'DeleteObject', messageId: 'denied', message: 'multipart.bin' }] }),
  },
  { name: 'versioned bucket: delete markers, and the cleanup is announced', probe: { deleteMarkers: true }, expect: replace({ DeleteObject: { status: 'pass', messageId: 'deleteOkVersioned', message: 'by VersionId' } }) },
  {
    name: 'network failure on PutObject is an error, never a pass',
    probe: { fail: { PutObject: { code: 'ECONNRESET', httpStatus: undefined, outcome: 'unknown' } } },
    expect: replace({ PutObject: { status: 'error', messageId: 'unavailable' }, GetObject: { status: 'skip' }, ListObjectsV2: { status: 'pass', messageId: 'listOkNothingWritten' }, DeleteObject: { status: 'pass' } }),
  },
  {
    name: 'interrupted: one error, no further step',
    probe: { fail: { CreateMultipartUpload: { code: 'Interrupted', outcome: 'failed' } } },
    expect: [ALL_PASS[0], ALL_PASS[1], ALL_PASS[2], { status: 'error', subject: 'CreateMultipartUpload', messageId: 'interrupted' }],
  },
];

for (const row of rows) {
  test(`probe: ${row.name}`, async () => {
    const target = ghesTarget();
    const p = row.probe === null ? undefined : fakeProbe(row.probe);
    const results = await runChecks([probe], { target, facts: fakeFacts() as never, ...(p ? { probe: p } : {}) }, { defaultSubject: target.bucket });
    assertResults(results, row.expect, row.name);
  });
}

test('probe: every key the check uses is under the run prefix, and each step reports its latency and request id', async () => {
  const target = ghesTarget();
  const p = fakeProbe();
  const results = await runChecks([probe], { target, facts: fakeFacts() as never, probe: p }, { defaultSubject: target.bucket });
  for (const r of results) {
    assert.equal(typeof r.evidence.latencyMs, 'number', `${r.subject} latency`);
    assert.ok(String(r.evidence.requestId).startsWith('REQ-'), `${r.subject} request id`);
    if (r.evidence.key !== undefined) assert.ok(String(r.evidence.key).startsWith(PREFIX), String(r.evidence.key));
    assert.equal(r.evidence.prefix, PREFIX);
  }
});

// --- The read-only guarantee, structurally -------------------------------------------------

const root = new URL('../../../', import.meta.url);
const WRITE_COMMANDS = /\b(Put\w*|Delete\w*|Create\w*|Upload\w*|Complete\w*|Abort\w*|Copy\w*|Restore\w*|Write\w*|Update\w*|Attach\w*|Detach\w*|Tag\w*|Untag\w*|Set\w*|Assume\w*)Command\b/g;

function tsFiles(dir: string): string[] {
  return readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(`${dir}${e.name}/`) : e.name.endsWith('.ts') ? [`${dir}${e.name}`] : []));
}

test('read-only: no file under src/ or checks/ but src/aws/probe.ts names an AWS write command', () => {
  const offenders: string[] = [];
  for (const file of [...tsFiles('src/'), ...tsFiles('checks/')]) {
    if (file === 'src/aws/probe.ts') continue;
    const text = readFileSync(new URL(file, root), 'utf8');
    // AssumeRole (STS) obtains credentials for reading; it writes nothing.
    const hits = [...text.matchAll(WRITE_COMMANDS)].map((m) => m[0]).filter((c) => c !== 'AssumeRoleCommand');
    if (hits.length) offenders.push(`${file}: ${[...new Set(hits)].join(', ')}`);
  }
  assert.deepEqual(offenders, [], 'only the probe may write to AWS');
});

test('read-only: without --probe the whole ghes-s3 pack runs with no write capability and the probe checks skip', async () => {
  const target = ghesTarget();
  // A facts object that records every getter asked for: all of them are read-only fact getters.
  const asked = new Set<string>();
  const facts = new Proxy({}, { get: (_, name: string) => { asked.add(name); return async () => { throw new Error(`fact ${name} not provided`); }; } });
  const results = await runChecks(ghesS3Checks, { target, facts: facts as never }, { defaultSubject: target.bucket });
  assert.deepEqual(results.filter((r) => r.check === 'probe').map((r) => `${r.status} ${r.evidence.messageId}`), ['skip notRequested']);
  assert.deepEqual(results.filter((r) => r.check === 'probe-cleanup').map((r) => `${r.status} ${r.evidence.messageId}`), ['skip notRequested']);
  assert.deepEqual(results.filter((r) => r.check === 'storage-drift').map((r) => `${r.status} ${r.evidence.messageId}`), ['skip notRequested']);
  for (const name of asked) assert.doesNotMatch(name, /^(put|delete|create|upload|complete|abort|write|probe)/i, `fact getter ${name} looks like a write`);
});

// Issue 22.8: a refused step says why, by the local evaluator iam-simulation uses, over the facts.
const B = 'ghes-packages';
const USER = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const GHES_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${B}` },
    { Sid: 'Objects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], Resource: `arn:aws:s3:::${B}/*` },
  ],
};
const policyFact = (doc: object) => ({ present: true, text: JSON.stringify(doc), parsed: { ok: true, document: doc } });
const TLS_ONLY = { Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
const refusalFacts = (identity: object, bucketPolicy: object = { present: false }) =>
  fakeFacts({ principal: USER, bucketPolicy, bucketOwnedBy: 'yes', principalPolicies: { identity: [{ kind: 'user-inline', name: 'storage', document: JSON.stringify(identity) }], via: 'GetAccountAuthorizationDetails' } });

async function refused(script: Script, facts: ReturnType<typeof fakeFacts>, subject = 'PutObject') {
  const target = ghesTarget({ bucket: B });
  const results = await runChecks([probe], { target, facts: facts as never, probe: fakeProbe(script) }, { defaultSubject: B });
  return results.find((r) => r.subject === subject)!;
}

test('probe: a write refused by the bucket policy\'s TLS-only Deny over plain http names that Deny, not a missing permission', async () => {
  const r = await refused({ fail: { PutObject: {} }, endpointUrl: 'http://127.0.0.1:4566' }, refusalFacts(GHES_POLICY, policyFact(TLS_ONLY)));
  assert.equal(r.status, 'fail');
  assert.equal(r.evidence.messageId, 'deniedTls', r.message);
  assert.match(r.message, /Sid "DenyInsecureTransport" in bucket policy of ghes-packages, which refuses requests without TLS .*plain http \(http:\/\/127\.0\.0\.1:4566\)/);
  assert.doesNotMatch(r.message, /GHES needs s3:PutObject/);
});

test('probe: an explicit Deny is named by Sid; a missing Allow says no readable policy allows it', async () => {
  const deny = { ...GHES_POLICY, Statement: [...GHES_POLICY.Statement, { Sid: 'NoWrites', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] };
  const byDeny = await refused({ fail: { PutObject: {} } }, refusalFacts(deny));
  assert.equal(byDeny.evidence.messageId, 'deniedBy', byDeny.message);
  assert.match(byDeny.message, /by Sid "NoWrites" in storage/);
  const noAllow = await refused({ fail: { GetObject: {} } }, refusalFacts({ ...GHES_POLICY, Statement: [GHES_POLICY.Statement[0], { ...GHES_POLICY.Statement[1], Action: ['s3:PutObject'] }] }), 'GetObject');
  assert.equal(noAllow.evidence.messageId, 'deniedNoAllow', noAllow.message);
  assert.match(noAllow.message, /GHES needs s3:GetObject there, and no policy the checker can read allows it/);
});

test('probe: an aws:SourceIp condition the checking machine does not meet is named; readable policies that allow point elsewhere', async () => {
  const ipOnly = { Version: '2012-10-17', Statement: [{ Sid: 'OnlyFromGhes', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${B}/*`, Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }] };
  const network = await refused({ fail: { PutObject: {} } }, refusalFacts(GHES_POLICY, policyFact(ipOnly)));
  assert.equal(network.evidence.messageId, 'deniedNetwork', network.message);
  assert.match(network.message, /aws:SourceIp/);
  const unexplained = await refused({ fail: { PutObject: {} } }, refusalFacts(GHES_POLICY));
  assert.equal(unexplained.evidence.messageId, 'deniedUnexplained', unexplained.message);
  assert.match(unexplained.message, /allow s3:PutObject there \(Sid "Objects" in storage\).*SCP/);
});
