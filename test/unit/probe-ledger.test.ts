// S3Probe's cleanup against RECORDED S3 RESPONSES (aws-sdk-client-mock): answers the emulator
// cannot be made to give on demand (a listing that is a non-S3 200 body, a delete that hangs while
// the last words are read, an earlier run's folder next to a user's look-alike keys). The probe,
// its sessions and the probe checks are the real ones; only the S3 client's answers are recorded.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, test } from 'vitest';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { GhesS3Probe } from '../../checks/ghes-s3/context.ts';
import probeCleanup from '../../checks/s3-storage/probe-cleanup.ts';
import probeLeftovers from '../../checks/s3-storage/probe-leftovers.ts';
import { malformedAnswer } from '../../src/aws/answer-shapes.ts';
import { S3Probe } from '../../src/aws/probe.ts';
import { listProbeRoot, probeRunIdOf } from '../../src/aws/probe-leftovers.ts';
import { AwsSession } from '../../src/aws/session.ts';
import { runChecks } from '../../src/engine/engine.ts';
import { fakeFacts, ghesTarget } from '../checks/check-table.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const B = 'ghes-packages';
const OLD_RUN = '20250101T000000Z-abcdef012345';
const denied = () => Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'REQ-DENIED' } });
/** What the session's answer-shape check (src/aws/answer-shapes.ts) throws for a non-S3 200 listing; recorded answers bypass the wire. */
const notAListing = (operation: string) => malformedAnswer('s3', operation, 200, undefined, 'the body is an HTML page');
const lost = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });

async function newProbe(cleanupTimeoutMs = 5_000): Promise<S3Probe> {
  const session = new AwsSession({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
  return S3Probe.start(session, { bucket: B, cleanupTimeoutMs, cleanupSession: session });
}

async function checkResult(check: typeof probeCleanup, probe: S3Probe, facts: Record<string, unknown> = {}) {
  const target = ghesTarget({ bucket: B });
  return runChecks([check], { target, facts: fakeFacts(facts) as never, probe: probe as unknown as GhesS3Probe }, { defaultSubject: B });
}

/** An empty, genuine listing of the bucket for every listing call not recorded otherwise. */
function emptyListings() {
  s3.on(ListMultipartUploadsCommand).resolves({ Bucket: B, Uploads: [] });
  s3.on(ListObjectsV2Command).resolves({ Name: B, Contents: [] });
  s3.on(ListObjectVersionsCommand).resolves({ Name: B, Versions: [], DeleteMarkers: [] });
}

test('recorded responses: deletes refused and the verifying listing is a non-S3 200 body: the ledger wins, probe-cleanup fails with the exact key', async () => {
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
  s3.on(DeleteObjectCommand).rejects(denied());
  // An HTML sign-in page or an empty 200 for every listing.
  s3.on(ListMultipartUploadsCommand).rejects(notAListing('ListMultipartUploads'));
  s3.on(ListObjectsV2Command).rejects(notAListing('ListObjectsV2'));
  s3.on(ListObjectVersionsCommand).rejects(notAListing('ListObjectVersions'));
  const probe = await newProbe();
  const put = await probe.putObject('object.bin', new Uint8Array([1, 2, 3]));
  const report = await probe.cleanup();
  assert.deepEqual(report.leftovers.map((l) => `${l.kind} ${l.key} ${l.reason}`), [`object ${put.key} AccessDenied`]);
  assert.deepEqual(report.verification, { listed: false, operation: 'ListMultipartUploads', code: 'MalformedResponse', requestId: undefined });
  const [result] = await checkResult(probeCleanup, probe);
  assert.equal(result.status, 'fail', result.message);
  assert.ok(result.message.includes(`s3://${B}/${put.key} (AccessDenied)`), result.message);
});

test('recorded responses: deletes refused while the listing answers "empty" (lagging or lying): still a leftover, never a pass', async () => {
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
  s3.on(DeleteObjectCommand).rejects(denied());
  emptyListings();
  const probe = await newProbe();
  const put = await probe.putObject('object.bin', new Uint8Array([1]));
  const report = await probe.cleanup();
  assert.equal(report.verification.listed, true);
  assert.deepEqual(report.leftovers.map((l) => `${l.key} ${l.reason}`), [`${put.key} AccessDenied`]);
  const [result] = await checkResult(probeCleanup, probe);
  assert.equal(result.status, 'fail', result.message);
});

test('recorded responses: every delete confirmed but the listing is not S3\'s: probe-cleanup is error, never pass', async () => {
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
  s3.on(DeleteObjectCommand).resolves({});
  s3.on(ListMultipartUploadsCommand).resolves({ Bucket: B });
  s3.on(ListObjectsV2Command).rejects(notAListing('ListObjectsV2'));
  s3.on(ListObjectVersionsCommand).resolves({ Name: B });
  const probe = await newProbe();
  await probe.putObject('object.bin', new Uint8Array([1]));
  const [result] = await checkResult(probeCleanup, probe);
  assert.equal(result.status, 'error', result.message);
  assert.match(result.message, /ListObjectsV2: MalformedResponse/);
});

test('recorded responses: last words during a hung cleanup name the delete marker the listing found, not the version already removed', async () => {
  const kA = (p: S3Probe) => `${p.prefix}a.bin`;
  const kB = (p: S3Probe) => `${p.prefix}b.bin`;
  const probe = await newProbe(3_000);
  // a.bin was written before versioning was on (no version id); b.bin has version v2.
  s3.on(PutObjectCommand, { Key: kA(probe) }).resolves({});
  s3.on(PutObjectCommand, { Key: kB(probe) }).resolves({ VersionId: 'v2' });
  // GHES-style DeleteObject of b.bin: its answer is lost, so the marker it made is unknown to the ledger.
  s3.on(DeleteObjectCommand).rejectsOnce(lost()).resolves({});
  s3.on(ListMultipartUploadsCommand).resolves({ Bucket: B, Uploads: [] });
  s3.on(ListObjectVersionsCommand)
    .resolvesOnce({ Name: B, Versions: [{ Key: kA(probe), VersionId: 'null' }], DeleteMarkers: [{ Key: kB(probe), VersionId: 'm2' }] })
    .resolves({ Name: B, Versions: [], DeleteMarkers: [] });
  // The marker's removal hangs: that is when a third Ctrl-C reads the last words.
  let release!: () => void;
  s3.on(DeleteObjectCommand, { Key: kB(probe), VersionId: 'm2' }).callsFake(() => new Promise((resolve) => (release = () => resolve({}))));
  await probe.putObject('a.bin', new Uint8Array([1]));
  await probe.putObject('b.bin', new Uint8Array([2]));
  await assert.rejects(probe.deleteObject('b.bin'));
  const cleanup = probe.cleanup();
  for (let i = 0; i < 200 && !release; i++) await sleep(10);
  assert.ok(release, 'the cleanup reached the delete marker');
  const words = probe.outstanding();
  assert.deepEqual(words, [`delete marker m2 of s3://${B}/${kB(probe)}`]);
  release();
  const report = await cleanup;
  assert.deepEqual(report.leftovers, []);
  assert.deepEqual(probe.outstanding(), []);
});

test('recorded responses: earlier runs\' folders are removed (versions, markers, uploads); look-alike keys and this run\'s own folder are never touched', async () => {
  const old = (name: string) => `packages-preflight/${OLD_RUN}/${name}`;
  const lookAlikes = ['packages-preflight/not-a-run/object.bin', `packages-preflight/${OLD_RUN}/nested/object.bin`, 'packages-preflight/20250101T000000Z-ABCDEF012345/object.bin', `packages-preflight/${OLD_RUN}/Object.bin`];
  s3.on(ListMultipartUploadsCommand)
    .resolvesOnce({ Bucket: B, Uploads: [{ Key: old('aborted.bin'), UploadId: 'up-1' }] })
    .resolves({ Bucket: B, Uploads: [] });
  s3.on(ListObjectVersionsCommand)
    .resolvesOnce({
      Name: B,
      Versions: [{ Key: old('object.bin'), VersionId: 'v1' }, ...lookAlikes.map((k) => ({ Key: k, VersionId: 'x' }))],
      DeleteMarkers: [{ Key: old('object.bin'), VersionId: 'm1' }],
    })
    .resolves({ Name: B, Versions: lookAlikes.map((k) => ({ Key: k, VersionId: 'x' })), DeleteMarkers: [] });
  s3.on(DeleteObjectCommand).resolves({});
  s3.on(AbortMultipartUploadCommand).resolves({});
  const probe = await newProbe();
  const report = await probe.cleanup();
  const deletes = s3.commandCalls(DeleteObjectCommand).map((c) => `${c.args[0].input.Key} ${c.args[0].input.VersionId}`);
  assert.deepEqual(deletes.sort(), [`${old('object.bin')} m1`, `${old('object.bin')} v1`]);
  assert.deepEqual(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input.UploadId), ['up-1']);
  assert.deepEqual(report.earlierRuns.runIds, [OLD_RUN]);
  assert.equal(report.earlierRuns.removed.length, 3);
  assert.deepEqual(report.earlierRuns.leftovers, []);
  assert.equal(report.earlierRuns.ignoredKeys, lookAlikes.length);
  const [result] = await checkResult(probeLeftovers, probe);
  assert.equal(result.status, 'pass', result.message);
  assert.equal(result.evidence.messageId, 'removed');
  assert.ok(result.message.includes(`delete marker m1 of s3://${B}/${old('object.bin')}`), result.message);
});

test('recorded responses: an earlier run\'s object whose delete is refused is a leftover with its exact key and the command to remove it', async () => {
  const key = `packages-preflight/${OLD_RUN}/object.bin`;
  s3.on(ListMultipartUploadsCommand).resolves({ Bucket: B, Uploads: [] });
  // GHES's credentials: no s3:ListBucketVersions, so the plain listing is used.
  s3.on(ListObjectVersionsCommand).rejects(denied());
  s3.on(ListObjectsV2Command).resolves({ Name: B, Contents: [{ Key: key }] });
  s3.on(DeleteObjectCommand).rejects(denied());
  const probe = await newProbe();
  const report = await probe.cleanup();
  assert.deepEqual(report.earlierRuns.leftovers.map((l) => `${l.kind} ${l.key} ${l.reason}`), [`object ${key} AccessDenied`]);
  const [result] = await checkResult(probeLeftovers, probe, { versioning: { status: 'Never' } });
  assert.equal(result.status, 'fail', result.message);
  assert.ok(result.remediation.includes(`aws s3api delete-object --bucket '${B}' --key '${key}'`), result.remediation);
});

test('recorded responses: the read-only listing reports earlier runs\' leftovers without touching them, and a non-S3 200 listing is never "nothing there"', async () => {
  const key = `packages-preflight/${OLD_RUN}/multipart.bin`;
  s3.on(ListMultipartUploadsCommand).resolves({ Bucket: B, Uploads: [{ Key: key, UploadId: 'up-9' }] });
  s3.on(ListObjectVersionsCommand).resolves({ Name: B, Versions: [], DeleteMarkers: [] });
  const session = new AwsSession({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' }, maxAttempts: 1 });
  const listing = await listProbeRoot(session.s3(), B);
  assert.deepEqual(listing.items, [{ kind: 'multipart-upload', key, uploadId: 'up-9', runId: OLD_RUN }]);
  const target = ghesTarget({ bucket: B });
  const [found] = await runChecks([probeLeftovers], { target, facts: fakeFacts({ earlierProbeRuns: listing }) as never }, { defaultSubject: B });
  assert.equal(found.status, 'fail');
  assert.ok(found.message.includes(`multipart upload up-9 of s3://${B}/${key}`), found.message);
  assert.equal(s3.commandCalls(AbortMultipartUploadCommand).length + s3.commandCalls(DeleteObjectCommand).length, 0, 'read-only');

  s3.reset();
  s3.on(ListMultipartUploadsCommand).rejects(notAListing('ListMultipartUploads'));
  s3.on(ListObjectVersionsCommand).rejects(notAListing('ListObjectVersions'));
  s3.on(ListObjectsV2Command).rejects(notAListing('ListObjectsV2'));
  const html = await listProbeRoot(session.s3(), B);
  const [notListed] = await runChecks([probeLeftovers], { target, facts: fakeFacts({ earlierProbeRuns: html }) as never }, { defaultSubject: B });
  assert.equal(notListed.status, 'skip', notListed.message);
  assert.match(notListed.message, /MalformedResponse/);
});

test('probe run-id shape: only packages-preflight/<run id>/<probe object name> is the tool\'s own', () => {
  assert.equal(probeRunIdOf(`packages-preflight/${OLD_RUN}/object.bin`), OLD_RUN);
  for (const key of ['packages-preflight/x/object.bin', `packages-preflight/${OLD_RUN}/a/b.bin`, `packages-preflight/${OLD_RUN}/`, `other/${OLD_RUN}/object.bin`, `packages-preflight/${OLD_RUN}/../x`, `packages-preflight/${OLD_RUN}x/object.bin`]) {
    assert.equal(probeRunIdOf(key), undefined, key);
  }
});
