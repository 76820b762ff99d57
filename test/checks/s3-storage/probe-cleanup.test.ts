// Table tests for `probe-cleanup`: each row gives the cleanup report S3Probe.cleanup() resolves
// with (the emulator tests in test/e2e/probe.test.ts produce the real ones) and the result.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { GhesS3Probe } from '../../../checks/ghes-s3/context.ts';
import probeCleanup from '../../../checks/s3-storage/probe-cleanup.ts';
import type { ProbeCleanupReport } from '../../../src/aws/probe.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import { assertResults, type Expected, fakeFacts, ghesTarget } from '../check-table.ts';

const PREFIX = 'packages-preflight/20250101T000000Z-abcdef012345/';
const K = (name: string) => `${PREFIX}${name}`;

const report = (overrides: Partial<ProbeCleanupReport>): ProbeCleanupReport => ({
  bucket: 'ghes-packages',
  prefix: PREFIX,
  runId: '20250101T000000Z-abcdef012345',
  attemptedWrites: true,
  versioned: false,
  removed: [
    { kind: 'object', key: K('object.bin'), by: 'probe' },
    { kind: 'object', key: K('multipart.bin'), by: 'probe' },
    { kind: 'multipart-upload', key: K('aborted.bin'), uploadId: 'up-2', by: 'probe' },
  ],
  leftovers: [],
  verification: { listed: true, operations: ['ListMultipartUploads', 'ListObjectsV2'] },
  earlierRuns: { runIds: [], removed: [], leftovers: [], listed: ['ListMultipartUploads', 'ListObjectVersions'], refused: [], versionsListed: true, verified: true, ignoredKeys: 0 },
  interrupted: false,
  timedOut: false,
  durationMs: 12,
  ...overrides,
});

function probeWith(r: ProbeCleanupReport): GhesS3Probe {
  let calls = 0;
  return {
    bucket: r.bucket,
    prefix: r.prefix,
    runId: r.runId,
    cleanup: async () => {
      calls += 1;
      return r;
    },
    get calls() {
      return calls;
    },
  } as unknown as GhesS3Probe;
}

const rows: Array<{ name: string; cleanup?: ProbeCleanupReport; target?: Parameters<typeof ghesTarget>[0]; expect: Expected | Expected[]; remediation?: string[] }> = [
  { name: 'no --probe: nothing to remove', expect: { status: 'skip', messageId: 'notRequested' } },
  { name: 'the probe never wrote', cleanup: report({ attemptedWrites: false, removed: [], verification: { listed: false, operation: 'none', code: 'NotNeeded' } }), expect: { status: 'pass', messageId: 'nothingWritten' } },
  {
    name: 'everything removed and the prefix listed empty',
    cleanup: report({}),
    expect: { status: 'pass', messageId: 'removed', message: '2 object(s) and 1 multipart upload(s); ListMultipartUploads and ListObjectsV2 on the prefix afterwards show nothing', evidence: { prefix: PREFIX } },
  },
  {
    name: 'versioned bucket: versions and delete markers removed by VersionId',
    cleanup: report({
      versioned: true,
      removed: [
        { kind: 'object-version', key: K('object.bin'), versionId: 'v1', by: 'cleanup' },
        { kind: 'object-version', key: K('multipart.bin'), versionId: 'v2', by: 'cleanup' },
        { kind: 'delete-marker', key: K('object.bin'), versionId: 'm1', by: 'cleanup' },
        { kind: 'delete-marker', key: K('multipart.bin'), versionId: 'm2', by: 'cleanup' },
        { kind: 'multipart-upload', key: K('aborted.bin'), uploadId: 'up-2', by: 'probe' },
      ],
      verification: { listed: true, operations: ['ListMultipartUploads', 'ListObjectVersions'] },
    }),
    expect: { status: 'pass', messageId: 'removedVersioned', message: '2 object version(s) and 2 delete marker(s), each deleted by VersionId, and 1 multipart upload(s); ListMultipartUploads and ListObjectVersions' },
  },
  {
    name: 'all recorded items removed, listing denied: error, never a pass on the ledger alone',
    cleanup: report({ verification: { listed: false, operation: 'ListObjectsV2', code: 'AccessDenied' } }),
    expect: { status: 'error', messageId: 'removedUnverified', message: 'ListObjectsV2: AccessDenied' },
  },
  {
    name: 'DeleteObject denied: the exact keys are listed and the exit is a failure',
    cleanup: report({
      removed: [{ kind: 'multipart-upload', key: K('aborted.bin'), uploadId: 'up-2', by: 'probe' }],
      leftovers: [
        { kind: 'object', key: K('object.bin'), reason: 'AccessDenied', requestId: 'R1' },
        { kind: 'object', key: K('multipart.bin'), reason: 'AccessDenied', requestId: 'R2' },
      ],
    }),
    expect: { status: 'fail', messageId: 'leftovers', message: `Could not remove 2 item(s) the probe created under s3://ghes-packages/${PREFIX}: s3://ghes-packages/${K('object.bin')} (AccessDenied), s3://ghes-packages/${K('multipart.bin')} (AccessDenied)` },
    remediation: [`aws s3api delete-object --bucket 'ghes-packages' --key '${K('object.bin')}'`, `aws s3api delete-object --bucket 'ghes-packages' --key '${K('multipart.bin')}'`],
  },
  {
    name: 'an upload that could not be aborted: the upload id is listed',
    cleanup: report({ leftovers: [{ kind: 'multipart-upload', key: K('multipart.bin'), uploadId: 'up-1', reason: 'CleanupTimeout' }], timedOut: true }),
    expect: { status: 'fail', message: `multipart upload up-1 of s3://ghes-packages/${K('multipart.bin')} (CleanupTimeout)`, evidence: { timedOut: true } },
    remediation: [`aws s3api abort-multipart-upload --bucket 'ghes-packages' --key '${K('multipart.bin')}' --upload-id 'up-1'`],
  },
  {
    name: 'versioned leftovers name their version ids',
    cleanup: report({ versioned: true, leftovers: [{ kind: 'object-version', key: K('object.bin'), versionId: 'v1', reason: 'AccessDenied' }, { kind: 'delete-marker', key: K('object.bin'), versionId: 'm1', reason: 'AccessDenied' }] }),
    expect: { status: 'fail', message: `s3://ghes-packages/${K('object.bin')} version v1 (AccessDenied), delete marker m1 of` },
    remediation: [`--key '${K('object.bin')}' --version-id 'v1'`, `--version-id 'm1'`],
  },
  {
    name: 'a lost answer in a prefix that cannot be listed: may exist, fail',
    cleanup: report({ leftovers: [{ kind: 'unconfirmed', key: K('multipart.bin'), reason: 'CreateMultipartUpload answer lost' }], verification: { listed: false, operation: 'ListMultipartUploads', code: 'AccessDenied' } }),
    expect: { status: 'fail', message: 'may exist (CreateMultipartUpload answer lost)' },
    remediation: ['aws s3api list-multipart-uploads', `--prefix '${PREFIX}'`],
  },
  {
    name: 'S3-compatible store: the commands name the endpoint',
    target: { serviceUrl: 'https://minio.example.internal:9000' },
    cleanup: report({ leftovers: [{ kind: 'object', key: K('object.bin'), reason: 'AccessDenied' }] }),
    expect: { status: 'fail' },
    remediation: ['--endpoint-url https://minio.example.internal:9000'],
  },
];

for (const row of rows) {
  test(`probe-cleanup: ${row.name}`, async () => {
    const target = ghesTarget(row.target);
    const results = await runChecks([probeCleanup], { target, facts: fakeFacts() as never, ...(row.cleanup ? { probe: probeWith(row.cleanup) } : {}) }, { defaultSubject: target.bucket });
    assertResults(results, row.expect, row.name);
    for (const fragment of row.remediation ?? []) assert.ok(results[0].remediation.includes(fragment), `remediation lacks ${fragment}:\n${results[0].remediation}`);
  });
}
