// The active round trip (--probe): does, under a unique prefix, what GHES does with package
// blobs, one result per step with its latency. Writing happens only through `ctx.probe`, which
// exists only with --probe; the runner removes everything afterwards (`probe-cleanup`).

import { createHash, randomBytes } from 'node:crypto';
import type { ProbeCall, ProbeFailure } from '../ghes-s3/facts.ts';
import type { Emit } from '../../src/engine/check.ts';
import { defineS3StorageCheck, GHES_STORAGE_DOC } from './context.ts';
import type { GhesS3Probe } from '../ghes-s3/facts.ts';
import { explainRefusal } from './_permissions.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** S3's minimum size of every part but the last. */
export const PART_SIZE = 5 * MiB;
export const OBJECT_SIZE = 64 * KiB;
export const LAST_PART_SIZE = 1 * KiB;

/** The IAM action each operation needs (for the `denied` message and evidence). */
const ACTION: Record<string, string> = {
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  ListParts: 's3:ListMultipartUploadParts',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  DeleteObject: 's3:DeleteObject',
};

/** Answers that show GHES would fail the same way (as opposed to a transient or unknown outcome). */
// Others (e.g. InvalidArgument from an S3-compatible store that rejects a header GHES may not
// send) are `error`: not evaluated, rather than a finding GHES might not share.
const DEFINITE = /^(AccessDenied|AllAccessDisabled|NoSuchBucket|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidBucketState|KMS\.|EntityTooSmall|InvalidPart)/;

const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const sha256B64 = (data: Uint8Array): string => createHash('sha256').update(data).digest('base64');
const size = (bytes: number): string => (bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : bytes >= KiB && bytes % KiB === 0 ? `${bytes / KiB} KiB` : `${bytes} bytes`);

function probeFailureOf(e: unknown): ProbeFailure | undefined {
  const err = e as { name?: string; info?: ProbeFailure } | undefined;
  return err?.name === 'ProbeError' && err.info ? err.info : undefined;
}

export default defineS3StorageCheck({
  id: 'probe',
  title: 'Round trip: GHES\'s object operations work under a test prefix',
  severity: 'critical',
  rationale:
    'Policies can be read and simulated, but only doing what GHES does proves the whole path: credentials, network path, endpoint, bucket policy, KMS key, Object Lock and S3-compatible quirks. GHES writes package blobs with PutObject and multipart uploads, reads them back, lists them and deletes them.',
  remediation: 'Grant the failing action on the resource named in the result (GHES needs s3:PutObject, s3:GetObject, s3:ListBucket, s3:ListBucketMultipartUploads, s3:ListMultipartUploadParts, s3:AbortMultipartUpload and s3:DeleteObject), then run with --probe again from a host with the GHES appliance\'s network path.',
  references: [
    GHES_STORAGE_DOC,
    'Amazon S3 API Reference: PutObject, GetObject, ListObjectsV2, CreateMultipartUpload, UploadPart, ListParts, ListMultipartUploads, CompleteMultipartUpload, AbortMultipartUpload, DeleteObject',
    'Amazon S3 User Guide: Uploading and copying objects using multipart upload (5 MiB minimum part size)',
  ],
  messages: {
    notRequested: 'Not requested; read-only run. Add --probe to write, read, list and delete test objects under a unique prefix, as GHES does.',
    putOk: 'PutObject wrote {{size}} to {{key}} in {{latencyMs}} ms.',
    getOk: 'GetObject read {{key}} back in {{latencyMs}} ms; {{size}} with SHA-256 {{sha256}}, the same as written.',
    getOkChecksum: 'GetObject read {{key}} back in {{latencyMs}} ms; the content and the SHA-256 checksum S3 stored ({{checksum}}) match what was written.',
    contentMismatch: 'GetObject returned other content than was written to {{key}}: expected {{expectedSize}} bytes with SHA-256 {{expectedSha256}}, got {{actualSize}} bytes with SHA-256 {{actualSha256}}.',
    checksumMismatch: 'S3 reports SHA-256 checksum {{checksum}} for {{key}}, but the content written has {{expected}}.',
    listOk: 'ListObjectsV2 on {{prefix}} listed the object just written in {{latencyMs}} ms.',
    listOkNothingWritten: 'ListObjectsV2 on {{prefix}} answered in {{latencyMs}} ms (PutObject had failed, so there was no object to look for).',
    listMissing: 'ListObjectsV2 on {{prefix}} did not list {{key}}, which was just written: GHES would not find it.',
    createOk: 'CreateMultipartUpload for {{key}} started upload {{uploadId}} in {{latencyMs}} ms.',
    partOk: 'UploadPart {{partNumber}} ({{size}}) of upload {{uploadId}} took {{latencyMs}} ms.',
    listPartsOk: 'ListParts of upload {{uploadId}} shows parts {{parts}} in {{latencyMs}} ms.',
    listPartsMismatch: 'ListParts of upload {{uploadId}} shows {{actual}}; expected {{expected}}.',
    listUploadsOk: 'ListMultipartUploads on {{prefix}} shows the open upload {{uploadId}} in {{latencyMs}} ms.',
    listUploadsMissing: 'ListMultipartUploads on {{prefix}} does not show the open upload {{uploadId}}: GHES could not find unfinished uploads.',
    completeOk: 'CompleteMultipartUpload assembled {{key}} ({{size}}) from {{partCount}} parts in {{latencyMs}} ms.',
    abortOk: 'AbortMultipartUpload discarded upload {{uploadId}} of {{key}} in {{latencyMs}} ms; it is no longer listed.',
    abortStillListed: 'AbortMultipartUpload answered for upload {{uploadId}}, but ListMultipartUploads still shows it.',
    deleteOk: 'DeleteObject removed {{keys}} in {{latencyMs}} ms.',
    deleteOkVersioned: 'DeleteObject answered for {{keys}} in {{latencyMs}} ms; the bucket keeps versions, so S3 added delete markers and kept the data: probe-cleanup deletes the versions the probe created by VersionId.',
    denied: '{{operation}} on {{resource}} was denied ({{code}}): GHES needs {{action}} there.',
    deniedNoAllow: '{{operation}} on {{resource}} was denied ({{code}}): GHES needs {{action}} there, and no policy the checker can read allows it ({{examined}}).',
    deniedTls:
      '{{operation}} on {{resource}} was denied ({{code}}) by {{denier}}, which refuses requests without TLS (aws:SecureTransport): the probe connected over plain http ({{endpoint}}). The permissions are not the problem: use an https endpoint, as GHES must.',
    deniedBy: '{{operation}} on {{resource}} was denied ({{code}}) by {{denier}}. GHES needs {{action}} there: remove or narrow that Deny.',
    deniedNetwork:
      '{{operation}} on {{resource}} was denied ({{code}}): the policies decide {{action}} by where the request comes from ({{keys}}), and the machine running the probe evidently does not qualify. Run the probe from the GHES appliance\'s network path, and make sure GHES\'s addresses are the ones allowed.',
    deniedUnexplained:
      '{{operation}} on {{resource}} was denied ({{code}}) although the policies the checker can read allow {{action}} there ({{allowedBy}}): the refusal comes from something the checker cannot read (an SCP, a VPC endpoint policy, a KMS key policy, an ACL) or from how this machine reaches the bucket.',
    refused: '{{operation}} on {{resource}} failed with {{code}} (HTTP {{httpStatus}}): GHES would fail the same way.',
    unavailable: '{{operation}} on {{resource}} did not complete ({{code}}); this step is not evaluated.',
    notAttempted: '{{operation}} not attempted: {{prerequisite}} did not succeed.',
    interrupted: 'The run was interrupted before {{operation}}; the remaining steps were not run (probe-cleanup removes what was written).',
  },
  async run(ctx) {
    const { probe, report } = ctx;
    if (!probe) return report.skip('notRequested', {}, { severity: 'info' });
    const p: GhesS3Probe = probe;
    const at = () => new Date().toISOString();
    const base = (call: { operation: string; resource: string; key?: string; latencyMs: number; requestId?: string }) => ({
      api: `s3:${call.operation}`,
      action: ACTION[call.operation],
      resource: call.resource,
      bucket: p.bucket,
      prefix: p.prefix,
      ...(call.key ? { key: call.key } : {}),
      latencyMs: call.latencyMs,
      requestId: call.requestId,
      at: at(),
    });

    const endpoint = p.endpointUrl ?? 'the AWS S3 endpoint';
    /** Why S3 refused: the local evaluator (as iam-simulation) on the request as the probe sent it; the plain `denied` when it cannot tell. */
    async function explain(action: string, resource: string): Promise<{ messageId: string; data: Record<string, unknown>; evidence: Record<string, unknown> }> {
      const secureTransport = p.secureTransport !== false;
      try {
        const why = await explainRefusal(ctx, { action, resource }, { secureTransport });
        const a = why.answer;
        const named = (list: typeof a.deniedBy) => list.map((d) => `${d.statement} in ${d.policy}`).join(', ');
        const evidence = { engine: 'local', explanation: why.kind, decision: a.decision, allowedBy: a.allowedBy, deniedBy: a.deniedBy, missingContextKeys: a.missingContextKeys, policiesExamined: why.examined, requestContext: { 'aws:SecureTransport': String(secureTransport) }, endpoint };
        switch (why.kind) {
          case 'tls':
            return { messageId: 'deniedTls', data: { denier: named(a.deniedBy), endpoint }, evidence };
          case 'deny':
            return { messageId: 'deniedBy', data: { denier: named(a.deniedBy) }, evidence };
          case 'network':
            return { messageId: 'deniedNetwork', data: { keys: [...why.keys, ...(a.deniedBy.length ? [`in ${named(a.deniedBy)}`] : [])].join(' ') }, evidence };
          case 'allowedByReadable':
            return { messageId: 'deniedUnexplained', data: { allowedBy: named(a.allowedBy) }, evidence };
          default:
            return { messageId: 'deniedNoAllow', data: { examined: why.examined.join(', ') || 'none' }, evidence };
        }
      } catch (e) {
        return { messageId: 'denied', data: {}, evidence: { explanation: 'unknown', reason: `the policies could not be evaluated: ${(e as Error)?.message ?? String(e)}` } };
      }
    }

    // Once the run is interrupted (or the cleanup has started) no further step runs or reports.
    let stopped = false;
    /** Runs one step; a failed request becomes its result (fail, or error when the outcome is unknown). */
    async function step<T>(subject: string, run: () => Promise<ProbeCall<T>>): Promise<ProbeCall<T> | undefined> {
      if (stopped) return undefined;
      try {
        return await run();
      } catch (e) {
        const f = probeFailureOf(e);
        if (!f) throw e;
        if (f.code === 'Interrupted') {
          stopped = true;
          report.error('interrupted', { operation: f.operation }, { subject, evidence: { ...base(f), code: f.code } });
          return undefined;
        }
        const data = { operation: f.operation, resource: f.resource, code: f.code, httpStatus: f.httpStatus ?? 'none', action: ACTION[f.operation] ?? `s3:${f.operation}` };
        const evidence = { ...base(f), code: f.code, httpStatus: f.httpStatus, message: f.message, outcome: f.outcome };
        const denied = f.code === 'AccessDenied' || f.httpStatus === 403;
        if (denied) {
          const why = await explain(data.action, f.resource);
          report.fail(why.messageId, { ...data, ...why.data }, { subject, evidence: { ...evidence, refusal: why.evidence } });
          return undefined;
        }
        const emit: Emit = denied || (f.outcome === 'failed' && DEFINITE.test(f.code)) ? report.fail : report.error;
        emit(denied ? 'denied' : f.outcome === 'failed' && DEFINITE.test(f.code) ? 'refused' : 'unavailable', data, { subject, evidence });
        return undefined;
      }
    }
    const skipped = (subject: string, operation: string, prerequisite: string): void => {
      if (!stopped) report.skip('notAttempted', { operation, prerequisite }, { subject, evidence: { bucket: p.bucket, prefix: p.prefix } });
    };

    // 1. A single object: write, read back (content and checksum), list.
    const objectName = 'object.bin';
    const object = randomBytes(OBJECT_SIZE);
    const put = await step('PutObject', () => p.putObject(objectName, object));
    if (put) report.pass('putOk', { size: size(object.byteLength), key: put.key, latencyMs: put.latencyMs }, { subject: 'PutObject', evidence: { ...base(put), size: object.byteLength, sha256: sha256Hex(object), etag: put.value.etag, versionId: put.value.versionId } });

    if (!put) skipped('GetObject', 'GetObject', 'PutObject');
    else {
      const get = await step('GetObject', () => p.getObject(objectName));
      if (get) {
        const body = get.value.body;
        const expected = sha256Hex(object);
        const actual = sha256Hex(body);
        const evidence = { ...base(get), size: body.byteLength, sha256: actual, etag: get.value.etag, etagMatchesPut: get.value.etag === put.value.etag, serverChecksumSha256: get.value.checksumSha256 ?? null };
        if (actual !== expected || body.byteLength !== object.byteLength) {
          report.fail('contentMismatch', { key: get.key, expectedSize: object.byteLength, expectedSha256: expected, actualSize: body.byteLength, actualSha256: actual }, { subject: 'GetObject', evidence });
        } else if (get.value.checksumSha256 && get.value.checksumSha256 !== sha256B64(object)) {
          report.fail('checksumMismatch', { key: get.key, checksum: get.value.checksumSha256, expected: sha256B64(object) }, { subject: 'GetObject', evidence });
        } else if (get.value.checksumSha256) {
          report.pass('getOkChecksum', { key: get.key, latencyMs: get.latencyMs, checksum: get.value.checksumSha256 }, { subject: 'GetObject', evidence });
        } else {
          report.pass('getOk', { key: get.key, latencyMs: get.latencyMs, size: size(body.byteLength), sha256: actual }, { subject: 'GetObject', evidence });
        }
      }
    }

    const list = await step('ListObjectsV2', () => p.listObjects());
    if (list) {
      const evidence = { ...base(list), keys: list.value.keys };
      if (!put) report.pass('listOkNothingWritten', { prefix: p.prefix, latencyMs: list.latencyMs }, { subject: 'ListObjectsV2', evidence });
      else if (list.value.keys.includes(put.value.key)) report.pass('listOk', { prefix: p.prefix, latencyMs: list.latencyMs }, { subject: 'ListObjectsV2', evidence });
      else report.fail('listMissing', { prefix: p.prefix, key: put.value.key }, { subject: 'ListObjectsV2', evidence });
    }

    // 2. A multipart upload as GHES sends large blobs: one 5 MiB part and a small last part.
    const mpName = 'multipart.bin';
    const parts = [randomBytes(PART_SIZE), randomBytes(LAST_PART_SIZE)];
    const created = await step('CreateMultipartUpload', () => p.createMultipartUpload(mpName));
    const uploadId = created?.value.uploadId;
    if (created) report.pass('createOk', { key: created.key, uploadId, latencyMs: created.latencyMs }, { subject: 'CreateMultipartUpload', evidence: { ...base(created), uploadId } });
    const uploaded: Array<{ partNumber: number; etag: string }> = [];
    for (const [i, body] of parts.entries()) {
      const partNumber = i + 1;
      const subject = `UploadPart ${partNumber}`;
      if (!uploadId) {
        skipped(subject, 'UploadPart', 'CreateMultipartUpload');
        continue;
      }
      const part = await step(subject, () => p.uploadPart(mpName, uploadId, partNumber, body));
      if (!part) continue;
      uploaded.push({ partNumber, etag: part.value.etag });
      report.pass('partOk', { partNumber, size: size(body.byteLength), uploadId, latencyMs: part.latencyMs }, { subject, evidence: { ...base(part), uploadId, partNumber, size: body.byteLength, etag: part.value.etag } });
    }
    if (!uploadId) {
      skipped('ListParts', 'ListParts', 'CreateMultipartUpload');
      skipped('ListMultipartUploads', 'ListMultipartUploads', 'CreateMultipartUpload');
    } else {
      const listed = await step('ListParts', () => p.listParts(mpName, uploadId));
      if (listed) {
        const shown = listed.value.parts.map((x) => `${x.partNumber} (${size(x.size)})`).join(', ') || 'no parts';
        const expected = uploaded.map((u) => `${u.partNumber} (${size(parts[u.partNumber - 1].byteLength)})`).join(', ') || 'no parts';
        const evidence = { ...base(listed), uploadId, parts: listed.value.parts };
        if (shown === expected) report.pass('listPartsOk', { uploadId, parts: shown, latencyMs: listed.latencyMs }, { subject: 'ListParts', evidence });
        else report.fail('listPartsMismatch', { uploadId, actual: shown, expected }, { subject: 'ListParts', evidence });
      }
      const uploads = await step('ListMultipartUploads', () => p.listMultipartUploads());
      if (uploads) {
        const evidence = { ...base(uploads), uploadId, uploads: uploads.value.uploads };
        if (uploads.value.uploads.some((u) => u.uploadId === uploadId)) report.pass('listUploadsOk', { prefix: p.prefix, uploadId, latencyMs: uploads.latencyMs }, { subject: 'ListMultipartUploads', evidence });
        else report.fail('listUploadsMissing', { prefix: p.prefix, uploadId }, { subject: 'ListMultipartUploads', evidence });
      }
    }
    let completed: ProbeCall<{ key: string; etag?: string; versionId?: string }> | undefined;
    if (!uploadId || uploaded.length !== parts.length) skipped('CompleteMultipartUpload', 'CompleteMultipartUpload', uploadId ? 'UploadPart' : 'CreateMultipartUpload');
    else {
      completed = await step('CompleteMultipartUpload', () => p.completeMultipartUpload(mpName, uploadId, uploaded));
      const total = parts.reduce((n, b) => n + b.byteLength, 0);
      if (completed) report.pass('completeOk', { key: completed.key, size: size(total), partCount: uploaded.length, latencyMs: completed.latencyMs }, { subject: 'CompleteMultipartUpload', evidence: { ...base(completed), uploadId, size: total, etag: completed.value.etag, versionId: completed.value.versionId } });
    }

    // 3. A second multipart upload that GHES gives up on: aborted, and gone from the listing.
    const abortName = 'aborted.bin';
    const second = await step('AbortMultipartUpload', () => p.createMultipartUpload(abortName));
    if (second) {
      const secondId = second.value.uploadId;
      const part = await step('AbortMultipartUpload', () => p.uploadPart(abortName, secondId, 1, randomBytes(LAST_PART_SIZE)));
      if (part) {
        const aborted = await step('AbortMultipartUpload', () => p.abortMultipartUpload(abortName, secondId));
        if (aborted) {
          const after = await step('AbortMultipartUpload', () => p.listMultipartUploads());
          if (after) {
            const evidence = { ...base(aborted), uploadId: secondId, createLatencyMs: second.latencyMs, uploadPartLatencyMs: part.latencyMs, listedAfter: after.value.uploads };
            if (after.value.uploads.some((u) => u.uploadId === secondId)) report.fail('abortStillListed', { uploadId: secondId }, { subject: 'AbortMultipartUpload', evidence });
            else report.pass('abortOk', { uploadId: secondId, key: aborted.key, latencyMs: aborted.latencyMs }, { subject: 'AbortMultipartUpload', evidence });
          }
        }
      }
    }

    // 4. Delete what was written, as GHES deletes package versions.
    const toDelete = [put ? objectName : undefined, completed ? mpName : undefined].filter((n): n is string => n !== undefined);
    if (stopped) return;
    if (toDelete.length === 0) return skipped('DeleteObject', 'DeleteObject', 'PutObject and CompleteMultipartUpload');
    const deleted: Array<ProbeCall<{ key: string; deleteMarker: boolean; versionId?: string }>> = [];
    for (const name of toDelete) {
      const d = await step('DeleteObject', () => p.deleteObject(name));
      if (d) deleted.push(d);
    }
    if (deleted.length === 0) return;
    const keys = deleted.map((d) => d.value.key);
    const latencyMs = deleted.reduce((n, d) => n + d.latencyMs, 0);
    const versioned = deleted.some((d) => d.value.deleteMarker);
    const evidence = { ...base({ ...deleted[0], latencyMs }), keys, deleteMarkers: deleted.filter((d) => d.value.deleteMarker).map((d) => ({ key: d.value.key, versionId: d.value.versionId })), requestIds: deleted.map((d) => d.requestId) };
    report.pass(versioned ? 'deleteOkVersioned' : 'deleteOk', { keys, latencyMs }, { subject: 'DeleteObject', evidence });
  },
});
