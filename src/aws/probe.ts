// The opt-in active probe (--probe): the only code in the tool that writes to a bucket
// (DESIGN.md non-negotiable 3). Every step is confined to one prefix the run invents
// (`packages-preflight/<run-id>/`), and everything the probe creates is recorded in a ledger the
// moment S3 answers, so `cleanup()` can remove it on success, on a failed step, on an exception,
// on SIGINT/SIGTERM and on --timeout. The cleanup then also removes what earlier runs, killed
// before their own cleanup, left under `packages-preflight/` (keys of the probe's exact shape
// only: src/aws/probe-leftovers.ts).
//
// Two sessions:
// - the run's session (bound to the run's abort signal): the probe steps. After an abort its
//   middleware refuses new requests, and every step also passes the signal to `send`, so an
//   in-flight upload is cancelled at once instead of finishing after the cleanup.
// - a cleanup session that is NOT bound to the run's signal (an aborted run must still clean up)
//   but to the cleanup's own deadline. It shares the run's resolved credentials, endpoint and
//   region and logs into the run's apiCalls, so the report shows every cleanup request.
//
// cleanup() is idempotent and safe to call concurrently (a signal handler and the runner's
// `finally` get the same promise); it never rejects: what it could not remove is in `leftovers`.

import { guardExit } from '../engine/exit-guard.ts';
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ERROR_MESSAGE_MAX, errorCode, httpStatus } from './errors.ts';
import type {
  EarlierRunsReport,
  FoundProbeItem,
  GhesS3Probe,
  ProbeCall,
  ProbeCleanupReport,
  ProbeFailure,
  ProbeItemKind,
  ProbeLeftover,
  RemovedItem,
} from '../../checks/ghes-s3/facts.ts';
import { describeProbeItem, PROBE_OBJECT_NAME, PROBE_ROOT } from '../probe/naming.ts';
import { listProbeRoot } from './probe-leftovers.ts';
import { redactThenCut } from '../redact.ts';
import { AwsSession } from './session.ts';

export { PROBE_ROOT };
export type { EarlierRunsReport, ProbeCall, ProbeCleanupReport, ProbeFailure, ProbeItemKind, ProbeLeftover, RemovedItem };

/** A run id that sorts by time and cannot collide: `20250102T030405Z-1a2b3c4d5e6f`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(6).toString('hex')}`;
}

export const sha256Base64 = (data: Uint8Array): string => createHash('sha256').update(data).digest('base64');
export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export class ProbeError extends Error {
  readonly info: ProbeFailure;
  constructor(info: ProbeFailure) {
    super(`${info.operation} on ${info.resource}: ${info.code}${info.message ? ` (${info.message})` : ''}`);
    this.name = 'ProbeError';
    this.info = info;
  }
}

export interface S3ProbeOptions {
  bucket: string;
  /** The run's abort signal: no step starts after it fires, in-flight steps are cancelled, cleanup starts. */
  signal?: AbortSignal;
  runId?: string;
  /** Session for the cleanup; by default derived from the run's session without its abort signal. */
  cleanupSession?: AwsSession;
  /** The cleanup's whole budget (default 30 s), independent of the run's signal. */
  cleanupTimeoutMs?: number;
  /** Per-request timeout of the derived cleanup session (default 5 s). */
  cleanupRequestTimeoutMs?: number;
}

interface LedgerObject {
  kind: 'object' | 'object-version' | 'delete-marker';
  key: string;
  versionId?: string;
  present: boolean;
  removedBy?: 'probe' | 'cleanup';
}

interface LedgerUpload {
  key: string;
  uploadId: string;
  state: 'open' | 'completed' | 'aborted';
  abortedBy?: 'probe' | 'cleanup';
}

interface LastError {
  code: string;
  requestId?: string;
}

const NAME = PROBE_OBJECT_NAME;
/** Operations whose lost answer may leave an object, a delete marker or an upload we have no id for. */
const CREATES = new Set(['PutObject', 'CreateMultipartUpload', 'CompleteMultipartUpload', 'DeleteObject']);

/** 4xx answers mean S3 refused the request: it was not applied. Everything else may have been. */
function outcomeOf(e: unknown): 'failed' | 'unknown' {
  const status = httpStatus(e);
  const code = errorCode(e);
  if (status === undefined || status >= 500 || status === 408 || status === 429) return 'unknown';
  if (/^(Throttling|SlowDown|RequestTimeout|TooManyRequests)/.test(code)) return 'unknown';
  return 'failed';
}

function requestIdOf(e: unknown): string | undefined {
  return (e as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
}

const elapsed = (started: number): number => Math.round(performance.now() - started);

/**
 * Builds the cleanup session from the run's session through public API only: the S3 client's
 * resolved credentials (no new credential-chain lookup, so no second MFA prompt or SSO refresh),
 * the same endpoint and region, its own short timeouts and no run signal. It logs into the run's
 * apiCalls so the report lists the cleanup requests too.
 */
export async function deriveCleanupSession(session: AwsSession, requestTimeoutMs = 5_000): Promise<AwsSession> {
  const identity = await session.s3().config.credentials();
  return new AwsSession({
    region: session.region,
    endpointUrl: session.endpointUrl,
    caBundle: session.caBundle,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, sessionToken: identity.sessionToken },
    maxAttempts: 3,
    requestTimeoutMs,
    onApiCall: (call) => session.apiCalls.push(call),
  });
}

export class S3Probe implements GhesS3Probe {
  readonly bucket: string;
  readonly runId: string;
  /** `packages-preflight/<run-id>/`: no step reads or writes outside it (the cleanup also sweeps earlier runs' folders). */
  readonly prefix: string;
  /** The endpoint the probe's requests go to (`--endpoint-url`), or undefined for AWS's own (https). */
  readonly endpointUrl?: string;
  /** Whether the probe's requests use TLS (what `aws:SecureTransport` is for them). */
  readonly secureTransport: boolean;
  private readonly work: AwsSession;
  private readonly cleanupSession: AwsSession;
  private readonly runSignal?: AbortSignal;
  private readonly stop = new AbortController();
  private readonly stepSignal: AbortSignal;
  private readonly cleanupTimeoutMs: number;
  private readonly objects: LedgerObject[] = [];
  private readonly uploads = new Map<string, LedgerUpload>();
  /** Writes whose answer was lost: the key may exist (or an upload id we never learned). */
  private readonly uncertain: Array<{ operation: string; key: string }> = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly lastError = new Map<string, LastError>();
  private attemptedWrites = false;
  private observedVersioning = false;
  private closed = false;
  private cleanupPromise?: Promise<ProbeCleanupReport>;
  private cleanupDone = false;
  /** Earlier runs' items the cleanup found under packages-preflight/ (for the last words). */
  private earlierFound: FoundProbeItem[] = [];
  private readonly earlierRemoved = new Set<string>();

  /** Use `S3Probe.start`: it derives the cleanup session before the first write. */
  constructor(work: AwsSession, cleanupSession: AwsSession, options: S3ProbeOptions) {
    this.work = work;
    this.endpointUrl = work.endpointUrl;
    this.secureTransport = work.endpointUrl ? new URL(work.endpointUrl).protocol === 'https:' : true;
    this.cleanupSession = cleanupSession;
    this.bucket = options.bucket;
    this.runId = options.runId ?? newRunId();
    if (!/^[A-Za-z0-9._-]+$/.test(this.runId)) throw new Error(`invalid probe run id ${this.runId}`);
    this.prefix = `${PROBE_ROOT}${this.runId}/`;
    this.runSignal = options.signal;
    this.cleanupTimeoutMs = options.cleanupTimeoutMs ?? 30_000;
    this.stepSignal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
    // Ctrl-C / --timeout: start removing at once; the runner awaits the same promise.
    options.signal?.addEventListener('abort', () => void this.cleanup(), { once: true });
  }

  static async start(work: AwsSession, options: S3ProbeOptions): Promise<S3Probe> {
    const cleanupSession = options.cleanupSession ?? (await deriveCleanupSession(work, options.cleanupRequestTimeoutMs));
    return new S3Probe(work, cleanupSession, options);
  }

  /** The full key of a probe object; names are fixed by the probe, never taken from input. */
  keyOf(name: string): string {
    if (!NAME.test(name)) throw new Error(`invalid probe object name ${name}`);
    return `${this.prefix}${name}`;
  }

  private arn(key?: string): string {
    return key === undefined ? `arn:aws:s3:::${this.bucket}` : `arn:aws:s3:::${this.bucket}/${key}`;
  }

  private inPrefix(key: string | undefined): key is string {
    return typeof key === 'string' && key.startsWith(this.prefix) && !key.slice(this.prefix.length).split('/').includes('..');
  }

  /** Runs one probe request on the run's session; `record` runs the moment S3 answers. */
  private async step<T, O>(
    operation: string,
    key: string | undefined,
    writes: boolean,
    send: (s3: S3Client, abortSignal: AbortSignal) => Promise<O>,
    read: (out: O) => T | Promise<T>,
  ): Promise<ProbeCall<T>> {
    const resource = this.arn(key);
    if (key !== undefined && !this.inPrefix(key)) throw new Error(`probe key ${key} is outside ${this.prefix}`);
    if (this.closed || this.runSignal?.aborted) {
      throw new ProbeError({ operation, key, resource, code: 'Interrupted', message: 'the probe was stopped before this step', latencyMs: 0, outcome: 'failed' });
    }
    if (writes) this.attemptedWrites = true;
    const started = performance.now();
    const work = (async () => {
      const out = await send(this.work.s3(), this.stepSignal);
      return { out, value: await read(out) };
    })();
    this.pending.add(work);
    try {
      const { out, value } = await work;
      return { operation, key, resource, latencyMs: elapsed(started), requestId: (out as { $metadata?: { requestId?: string } }).$metadata?.requestId, value };
    } catch (e) {
      if (e instanceof ProbeError) throw e;
      const outcome = outcomeOf(e);
      // A lost answer may mean S3 created it anyway. A part cannot outlive its upload (which is
      // recorded and aborted), so only these can leave something the ledger does not know.
      if (writes && outcome === 'unknown' && key !== undefined && CREATES.has(operation)) this.uncertain.push({ operation, key });
      throw new ProbeError({
        operation,
        key,
        resource,
        code: errorCode(e),
        httpStatus: httpStatus(e),
        requestId: requestIdOf(e),
        message: redactThenCut(String((e as Error)?.message ?? ''), ERROR_MESSAGE_MAX),
        latencyMs: elapsed(started),
        outcome,
      });
    } finally {
      this.pending.delete(work);
    }
  }

  private recordObject(key: string, version: string | undefined): void {
    // "null" is the only version an unversioned (or suspended) bucket has: a plain DeleteObject
    // removes it, and needs no s3:DeleteObjectVersion, which GHES's credentials lack.
    const versionId = version === 'null' ? undefined : version;
    if (versionId !== undefined) this.observedVersioning = true;
    const kind = versionId === undefined ? 'object' : 'object-version';
    const existing = this.objects.find((o) => o.key === key && o.versionId === versionId && o.kind === kind);
    if (existing) existing.present = true;
    else this.objects.push({ kind, key, versionId, present: true });
  }

  putObject(name: string, body: Uint8Array): Promise<ProbeCall<{ key: string; size: number; sha256: string; etag?: string; versionId?: string; checksumSha256?: string }>> {
    const key = this.keyOf(name);
    const sha256 = sha256Base64(body);
    return this.step(
      'PutObject',
      key,
      true,
      (s3, abortSignal) => s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ChecksumSHA256: sha256, ContentType: 'application/octet-stream' }), { abortSignal }),
      (out) => {
        this.recordObject(key, out.VersionId);
        return { key, size: body.byteLength, sha256, etag: out.ETag, versionId: out.VersionId, checksumSha256: out.ChecksumSHA256 };
      },
    );
  }

  getObject(name: string): Promise<ProbeCall<{ key: string; body: Uint8Array; etag?: string; versionId?: string; checksumSha256?: string }>> {
    const key = this.keyOf(name);
    return this.step(
      'GetObject',
      key,
      false,
      (s3, abortSignal) => s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }), { abortSignal }),
      async (out) => ({ key, body: (await out.Body?.transformToByteArray()) ?? new Uint8Array(), etag: out.ETag, versionId: out.VersionId, checksumSha256: out.ChecksumSHA256 }),
    );
  }

  /** ListObjectsV2 with the run's prefix (first page: the probe writes a handful of keys). */
  listObjects(): Promise<ProbeCall<{ keys: string[] }>> {
    return this.step(
      'ListObjectsV2',
      undefined,
      false,
      (s3, abortSignal) => s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 100 }), { abortSignal }),
      (out) => ({ keys: (out.Contents ?? []).map((c) => c.Key ?? '').filter((k) => this.inPrefix(k)) }),
    );
  }

  createMultipartUpload(name: string): Promise<ProbeCall<{ key: string; uploadId: string }>> {
    const key = this.keyOf(name);
    return this.step(
      'CreateMultipartUpload',
      key,
      true,
      (s3, abortSignal) => s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: 'application/octet-stream' }), { abortSignal }),
      (out) => {
        const uploadId = out.UploadId ?? '';
        if (uploadId) this.uploads.set(uploadId, { key, uploadId, state: 'open' });
        return { key, uploadId };
      },
    );
  }

  uploadPart(name: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<ProbeCall<{ etag: string; size: number }>> {
    const key = this.keyOf(name);
    return this.step(
      'UploadPart',
      key,
      true,
      (s3, abortSignal) => s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }), { abortSignal }),
      (out) => ({ etag: out.ETag ?? '', size: body.byteLength }),
    );
  }

  listParts(name: string, uploadId: string): Promise<ProbeCall<{ parts: Array<{ partNumber: number; size: number; etag: string }> }>> {
    const key = this.keyOf(name);
    return this.step(
      'ListParts',
      key,
      false,
      (s3, abortSignal) => s3.send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }), { abortSignal }),
      (out) => ({ parts: (out.Parts ?? []).map((p) => ({ partNumber: p.PartNumber ?? 0, size: p.Size ?? 0, etag: p.ETag ?? '' })) }),
    );
  }

  /** ListMultipartUploads with the run's prefix. */
  listMultipartUploads(): Promise<ProbeCall<{ uploads: Array<{ key: string; uploadId: string }> }>> {
    return this.step(
      'ListMultipartUploads',
      undefined,
      false,
      (s3, abortSignal) => s3.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix, MaxUploads: 100 }), { abortSignal }),
      (out) => ({ uploads: (out.Uploads ?? []).filter((u) => this.inPrefix(u.Key)).map((u) => ({ key: u.Key ?? '', uploadId: u.UploadId ?? '' })) }),
    );
  }

  completeMultipartUpload(name: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<ProbeCall<{ key: string; etag?: string; versionId?: string }>> {
    const key = this.keyOf(name);
    return this.step(
      'CompleteMultipartUpload',
      key,
      true,
      (s3, abortSignal) =>
        s3.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) } }), { abortSignal }),
      (out) => {
        const upload = this.uploads.get(uploadId);
        if (upload) upload.state = 'completed';
        this.recordObject(key, out.VersionId);
        return { key, etag: out.ETag, versionId: out.VersionId };
      },
    );
  }

  abortMultipartUpload(name: string, uploadId: string): Promise<ProbeCall<{ key: string; uploadId: string }>> {
    const key = this.keyOf(name);
    return this.step(
      'AbortMultipartUpload',
      key,
      false,
      (s3, abortSignal) => s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }), { abortSignal }),
      () => {
        const upload = this.uploads.get(uploadId);
        if (upload) Object.assign(upload, { state: 'aborted', abortedBy: 'probe' });
        return { key, uploadId };
      },
    );
  }

  /** DeleteObject without a version id, as GHES does. On a versioned bucket S3 answers with a delete marker, which is recorded. */
  deleteObject(name: string): Promise<ProbeCall<{ key: string; deleteMarker: boolean; versionId?: string }>> {
    const key = this.keyOf(name);
    return this.step(
      'DeleteObject',
      key,
      true,
      (s3, abortSignal) => s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal }),
      (out) => {
        const deleteMarker = Boolean(out.DeleteMarker);
        if (deleteMarker) {
          this.observedVersioning = true;
          this.objects.push({ kind: 'delete-marker', key, versionId: out.VersionId ?? 'null', present: true });
          // Suspended versioning: the null version is replaced by the null delete marker.
          for (const o of this.objects) if (o.key === key && o.present && o.kind === 'object') Object.assign(o, { present: false, removedBy: 'probe' });
        } else {
          for (const o of this.objects) if (o.key === key && o.present && o.kind === 'object') Object.assign(o, { present: false, removedBy: 'probe' });
        }
        return { key, deleteMarker, versionId: out.VersionId };
      },
    );
  }

  /**
   * What really remains right now (for the last-words message on a hard exit, e.g. a third
   * Ctrl-C during the cleanup): every ledger entry not yet confirmed removed, including delete
   * markers and what the cleanup's listings found, each named exactly; writes whose answer was
   * lost; and earlier runs' items found and not yet removed.
   */
  outstanding(): string[] {
    const objects = this.objects.filter((o) => o.present);
    const uploads = [...this.uploads.values()].filter((u) => u.state === 'open');
    const unconfirmed = this.uncertain.map((u) => u.key).filter((k) => !objects.some((o) => o.key === k));
    const earlier = this.earlierFound.filter((f) => !this.earlierRemoved.has(this.itemId(f.kind, f.key, f.versionId ?? f.uploadId)));
    return [
      ...objects.map((o) => describeProbeItem(this.bucket, o)),
      ...uploads.map((u) => describeProbeItem(this.bucket, { kind: 'multipart-upload', key: u.key, uploadId: u.uploadId })),
      ...[...new Set(unconfirmed)].map((key) => describeProbeItem(this.bucket, { kind: 'unconfirmed', key })),
      ...earlier.map((f) => `${describeProbeItem(this.bucket, f)} (left by earlier run ${f.runId})`),
    ];
  }

  get cleanupFinished(): boolean {
    return this.cleanupDone;
  }

  /** Removes everything the probe created. Idempotent; concurrent callers share one run; never rejects. */
  cleanup(): Promise<ProbeCleanupReport> {
    if (!this.cleanupPromise) {
      // A second Ctrl-C must not abandon objects in the user's bucket: hold the exit until done.
      const release = guardExit('removing the probe\'s test objects');
      this.cleanupPromise = this.runCleanup().finally(() => {
        this.cleanupDone = true;
        release();
      });
    }
    return this.cleanupPromise;
  }

  private async runCleanup(): Promise<ProbeCleanupReport> {
    const started = performance.now();
    const interrupted = Boolean(this.runSignal?.aborted);
    // No new step from now on; cancel the ones in flight and wait until each has settled, so
    // every answer that creates something is in the ledger before we read it.
    this.closed = true;
    this.stop.abort(new Error('probe cleanup started'));
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('cleanup timeout')), this.cleanupTimeoutMs);
    timer.unref?.();
    const removed: RemovedItem[] = [];
    let verification: ProbeCleanupReport['verification'] = { listed: false, operation: 'none', code: 'NotNeeded' };
    const leftovers: ProbeLeftover[] = [];
    try {
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }))]);
      // What the probe's own DeleteObject and AbortMultipartUpload steps removed (all settled now).
      for (const o of this.objects) if (!o.present && o.removedBy === 'probe') removed.push({ kind: o.kind, key: o.key, versionId: o.versionId, by: 'probe' });
      for (const u of this.uploads.values()) if (u.state === 'aborted' && u.abortedBy === 'probe') removed.push({ kind: 'multipart-upload', key: u.key, uploadId: u.uploadId, by: 'probe' });
      if (this.attemptedWrites) {
        await this.removeRecorded(deadline.signal, removed);
        verification = await this.sweep(deadline.signal, removed, leftovers);
      }
    } catch (e) {
      // A bug here must not lose the ledger: everything still present is reported as a leftover.
      verification = { listed: false, operation: 'cleanup', code: `InternalError: ${(e as Error)?.message ?? String(e)}` };
    }
    // The ledger wins over a listing: a listing can lag, or be a 200 that is not the listing at
    // all, while a delete S3 refused is certain. Whatever the probe failed to remove is a leftover.
    leftovers.push(...(verification.listed ? this.ledgerLeftovers(deadline.signal.aborted, { failedOnly: true }) : this.ledgerLeftovers(deadline.signal.aborted)));
    // Then what earlier runs left (they were killed before their own cleanup): ours by the
    // prefix's construction, removed with the remaining budget.
    let earlierRuns: EarlierRunsReport;
    try {
      earlierRuns = await this.sweepEarlierRuns(deadline.signal);
    } catch (e) {
      earlierRuns = { runIds: [], removed: [], leftovers: [], listed: [], refused: [{ operation: 'cleanup', code: `InternalError: ${(e as Error)?.message ?? String(e)}` }], versionsListed: false, verified: false, ignoredKeys: 0 };
    } finally {
      clearTimeout(timer);
    }
    return {
      bucket: this.bucket,
      prefix: this.prefix,
      runId: this.runId,
      attemptedWrites: this.attemptedWrites,
      versioned: this.observedVersioning,
      removed,
      leftovers: dedupe(leftovers),
      verification,
      earlierRuns,
      interrupted,
      timedOut: deadline.signal.aborted,
      durationMs: elapsed(started),
    };
  }

  private itemId(kind: string, key: string, id?: string): string {
    return `${kind}\u0000${key}\u0000${id ?? ''}`;
  }

  /** One cleanup request on the cleanup session (its own deadline, not the run's signal). */
  private async clean<O>(deadline: AbortSignal, send: (s3: S3Client, abortSignal: AbortSignal) => Promise<O>): Promise<O> {
    if (deadline.aborted) {
      const e = new Error('the cleanup ran out of time');
      e.name = 'CleanupTimeout';
      throw e;
    }
    return send(this.cleanupSession.s3(), deadline);
  }

  private failure(id: string, e: unknown, deadline: AbortSignal): void {
    this.lastError.set(id, { code: deadline.aborted ? 'CleanupTimeout' : errorCode(e), requestId: requestIdOf(e) });
  }

  /** DeleteObject (by version id when known); a delete marker S3 answers with is removed too. */
  private async deleteKey(deadline: AbortSignal, key: string, versionId: string | undefined, kind: ProbeItemKind, removed: RemovedItem[]): Promise<boolean> {
    if (!this.inPrefix(key)) return false;
    const id = this.itemId(kind, key, versionId);
    try {
      const out = await this.clean(deadline, (s3, abortSignal) => s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}) }), { abortSignal }));
      this.lastError.delete(id);
      removed.push({ kind, key, versionId, by: 'cleanup' });
      if (versionId === undefined && out.DeleteMarker) {
        // The bucket keeps versions: our delete only hid the object. Remove the marker now; the
        // versions behind it are found by the ListObjectVersions sweep.
        this.observedVersioning = true;
        const marker = out.VersionId ?? 'null';
        this.objects.push({ kind: 'delete-marker', key, versionId: marker, present: true });
        await this.deleteLedger(deadline, this.objects[this.objects.length - 1], removed);
      }
      return true;
    } catch (e) {
      this.failure(id, e, deadline);
      return false;
    }
  }

  private async deleteLedger(deadline: AbortSignal, o: LedgerObject, removed: RemovedItem[]): Promise<void> {
    if (!o.present) return;
    if (await this.deleteKey(deadline, o.key, o.versionId, o.kind, removed)) Object.assign(o, { present: false, removedBy: 'cleanup' });
  }

  private async abortUpload(deadline: AbortSignal, key: string, uploadId: string, removed: RemovedItem[]): Promise<boolean> {
    if (!this.inPrefix(key)) return false;
    const id = this.itemId('multipart-upload', key, uploadId);
    try {
      await this.clean(deadline, (s3, abortSignal) => s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }), { abortSignal }));
    } catch (e) {
      // Already gone (aborted by a concurrent attempt, or completed): nothing left to free.
      if (errorCode(e) !== 'NoSuchUpload') {
        this.failure(id, e, deadline);
        return false;
      }
    }
    this.lastError.delete(id);
    removed.push({ kind: 'multipart-upload', key, uploadId, by: 'cleanup' });
    const upload = this.uploads.get(uploadId);
    if (upload) Object.assign(upload, { state: 'aborted', abortedBy: 'cleanup' });
    return true;
  }

  private async removeRecorded(deadline: AbortSignal, removed: RemovedItem[]): Promise<void> {
    for (const u of [...this.uploads.values()]) if (u.state === 'open') await this.abortUpload(deadline, u.key, u.uploadId, removed);
    for (const o of [...this.objects]) {
      // A plain key in a bucket we now know to be versioned is handled by the version sweep.
      if (o.kind === 'object' && this.observedVersioning) continue;
      await this.deleteLedger(deadline, o, removed);
    }
  }

  /**
   * Lists the prefix (ListMultipartUploads; ListObjectVersions on a versioned bucket, else
   * ListObjectsV2), removes whatever is there (all of it ours: the prefix is unique to this run)
   * and lists again. What the second listing still shows is a leftover.
   */
  private async sweep(deadline: AbortSignal, removed: RemovedItem[], leftovers: ProbeLeftover[]): Promise<ProbeCleanupReport['verification']> {
    const operations = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const versionedBefore = this.observedVersioning;
      const listing = await this.listPrefix(deadline);
      if ('error' in listing) return { listed: false, operation: listing.operation, code: listing.error.code, requestId: listing.error.requestId };
      for (const op of listing.operations) operations.add(op);
      // A listing settles every lost answer: what such a write created is now in the listing (and the ledger).
      this.uncertain.length = 0;
      const empty = listing.uploads.length === 0 && listing.objects.length === 0;
      if (empty && this.observedVersioning === versionedBefore) return { listed: true, operations: [...operations] };
      if (round === 2) {
        for (const u of listing.uploads) leftovers.push({ kind: 'multipart-upload', key: u.key, uploadId: u.uploadId, ...this.reasonFor(this.itemId('multipart-upload', u.key, u.uploadId)) });
        for (const o of listing.objects) leftovers.push({ kind: o.kind, key: o.key, versionId: o.versionId, ...this.reasonFor(this.itemId(o.kind, o.key, o.versionId)) });
        return { listed: true, operations: [...operations] };
      }
      for (const u of listing.uploads) {
        if (!this.uploads.has(u.uploadId)) this.uploads.set(u.uploadId, { key: u.key, uploadId: u.uploadId, state: 'open' });
        await this.abortUpload(deadline, u.key, u.uploadId, removed);
      }
      for (const o of listing.objects) {
        // What the listing shows is in the ledger from now on, so the last words name it exactly.
        if (!this.objects.some((l) => sameItem(l, o))) this.objects.push({ kind: o.kind as LedgerObject['kind'], key: o.key, versionId: o.versionId, present: true });
        const ok = await this.deleteKey(deadline, o.key, o.versionId, o.kind, removed);
        if (ok) for (const l of this.objects) if (sameItem(l, o)) Object.assign(l, { present: false, removedBy: 'cleanup' });
      }
    }
    return { listed: true, operations: [...operations] };
  }

  private reasonFor(id: string): { reason: string; requestId?: string } {
    const last = this.lastError.get(id);
    return last ? { reason: last.code, requestId: last.requestId } : { reason: 'StillListed' };
  }

  private async listPrefix(deadline: AbortSignal): Promise<
    | { operations: string[]; uploads: Array<{ key: string; uploadId: string }>; objects: Array<{ kind: ProbeItemKind; key: string; versionId?: string }> }
    | { operation: string; error: LastError }
  > {
    const uploads: Array<{ key: string; uploadId: string }> = [];
    const objects: Array<{ kind: ProbeItemKind; key: string; versionId?: string }> = [];
    const operations: string[] = [];
    let operation = 'ListMultipartUploads';
    try {
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const out = await this.clean(deadline, (s3, abortSignal) =>
          s3.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }), { abortSignal }),
        );
        for (const u of out.Uploads ?? []) if (this.inPrefix(u.Key) && u.UploadId) uploads.push({ key: u.Key, uploadId: u.UploadId });
        keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        uploadIdMarker = out.IsTruncated ? out.NextUploadIdMarker : undefined;
      } while (keyMarker);
      operations.push(operation);
      if (this.observedVersioning) {
        operation = 'ListObjectVersions';
        let versionKeyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        do {
          const out = await this.clean(deadline, (s3, abortSignal) =>
            s3.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: this.prefix, KeyMarker: versionKeyMarker, VersionIdMarker: versionIdMarker }), { abortSignal }),
          );
          for (const v of out.Versions ?? []) if (this.inPrefix(v.Key)) objects.push({ kind: 'object-version', key: v.Key, versionId: v.VersionId ?? 'null' });
          for (const m of out.DeleteMarkers ?? []) if (this.inPrefix(m.Key)) objects.push({ kind: 'delete-marker', key: m.Key, versionId: m.VersionId ?? 'null' });
          versionKeyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
          versionIdMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
        } while (versionKeyMarker);
      } else {
        operation = 'ListObjectsV2';
        let token: string | undefined;
        do {
          const out = await this.clean(deadline, (s3, abortSignal) => s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }), { abortSignal }));
          for (const c of out.Contents ?? []) if (this.inPrefix(c.Key)) objects.push({ kind: 'object', key: c.Key });
          token = out.IsTruncated ? out.NextContinuationToken : undefined;
        } while (token);
      }
      operations.push(operation);
    } catch (e) {
      return { operation, error: { code: deadline.aborted ? 'CleanupTimeout' : errorCode(e), requestId: requestIdOf(e) } };
    }
    return { operations, uploads, objects };
  }

  /**
   * Earlier runs' folders under packages-preflight/ (a run killed with SIGKILL could not clean
   * up): list them (never this run's own prefix, never a key without the probe's exact shape),
   * remove every version, delete marker, object and upload, and list again. What is still there,
   * or whose removal S3 refused, is a leftover with its exact key.
   */
  private async sweepEarlierRuns(deadline: AbortSignal): Promise<EarlierRunsReport> {
    const report: EarlierRunsReport = { runIds: [], removed: [], leftovers: [], listed: [], refused: [], versionsListed: false, verified: false, ignoredKeys: 0 };
    const list = async () => {
      if (deadline.aborted) {
        report.refused.push({ operation: 'ListMultipartUploads', code: 'CleanupTimeout' });
        return undefined;
      }
      const l = await listProbeRoot(this.cleanupSession.s3(), this.bucket, { signal: deadline, exclude: this.prefix });
      report.listed.push(...l.listed);
      report.refused.push(...l.refused.map((r) => (deadline.aborted ? { ...r, code: 'CleanupTimeout' } : r)));
      report.versionsListed ||= l.versionsListed;
      report.ignoredKeys = l.ignoredKeys;
      return l;
    };
    const first = await list();
    if (!first) return report;
    this.earlierFound = first.items;
    report.runIds = [...new Set(first.items.map((i) => i.runId))].sort();
    if (first.items.length === 0) {
      report.verified = first.uploadsListed && first.objectsListed;
      return report;
    }
    const failed: ProbeLeftover[] = [];
    for (const item of first.items) {
      const ok = await this.removeFound(deadline, item, report.removed);
      if (ok === true) continue;
      if (ok === 'versions-remain') {
        failed.push({ kind: 'unconfirmed', key: item.key, reason: 'VersionsNotListed' });
        continue;
      }
      const last = this.lastError.get(this.itemId(item.kind, item.key, item.versionId ?? item.uploadId));
      failed.push({ kind: item.kind, key: item.key, versionId: item.versionId, uploadId: item.uploadId, reason: last?.code ?? 'NotRemoved', requestId: last?.requestId });
    }
    const second = await list();
    const complete = Boolean(second && second.uploadsListed && second.objectsListed);
    report.verified = complete;
    const still = complete && second ? second.items.filter((i) => first.items.some((f) => f.key === i.key)) : first.items.filter((f) => !this.earlierRemoved.has(this.itemId(f.kind, f.key, f.versionId ?? f.uploadId)));
    for (const i of still) {
      const last = this.lastError.get(this.itemId(i.kind, i.key, i.versionId ?? i.uploadId));
      failed.push({ kind: i.kind, key: i.key, versionId: i.versionId, uploadId: i.uploadId, reason: last?.code ?? (complete ? 'StillListed' : 'NotVerified'), requestId: last?.requestId });
    }
    report.leftovers = dedupe(failed);
    return report;
  }

  /** Removes one item an earlier run left; `versions-remain`: a plain delete answered with a delete marker and versions could not be listed. */
  private async removeFound(deadline: AbortSignal, item: FoundProbeItem, removed: RemovedItem[]): Promise<boolean | 'versions-remain'> {
    const id = this.itemId(item.kind, item.key, item.versionId ?? item.uploadId);
    try {
      if (item.kind === 'multipart-upload') {
        try {
          await this.clean(deadline, (s3, abortSignal) => s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: item.key, UploadId: item.uploadId }), { abortSignal }));
        } catch (e) {
          if (errorCode(e) !== 'NoSuchUpload') throw e;
        }
        removed.push({ kind: 'multipart-upload', key: item.key, uploadId: item.uploadId, by: 'cleanup' });
        this.earlierRemoved.add(id);
        return true;
      }
      const out = await this.clean(deadline, (s3, abortSignal) =>
        s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: item.key, ...(item.versionId !== undefined ? { VersionId: item.versionId } : {}) }), { abortSignal }),
      );
      removed.push({ kind: item.kind, key: item.key, versionId: item.versionId, by: 'cleanup' });
      this.earlierRemoved.add(id);
      if (item.versionId === undefined && out.DeleteMarker) {
        // Versioning is on but its versions could not be listed: our delete only hid the object.
        const marker: FoundProbeItem = { kind: 'delete-marker', key: item.key, runId: item.runId, versionId: out.VersionId ?? 'null' };
        this.earlierFound.push(marker);
        const gone = await this.removeFound(deadline, marker, removed);
        return gone === true ? 'versions-remain' : gone;
      }
      return true;
    } catch (e) {
      this.failure(id, e, deadline);
      return false;
    }
  }

  /** Without a listing, the ledger is all we know: what is still recorded as present, plus lost answers. */
  private ledgerLeftovers(timedOut: boolean, options: { failedOnly?: boolean } = {}): ProbeLeftover[] {
    const out: ProbeLeftover[] = [];
    const fallback = timedOut ? 'CleanupTimeout' : 'NotRemoved';
    for (const u of this.uploads.values()) {
      if (u.state !== 'open') continue;
      const last = this.lastError.get(this.itemId('multipart-upload', u.key, u.uploadId));
      if (options.failedOnly && !last) continue;
      out.push({ kind: 'multipart-upload', key: u.key, uploadId: u.uploadId, reason: last?.code ?? fallback, requestId: last?.requestId });
    }
    for (const o of this.objects) {
      if (!o.present) continue;
      const last = this.lastError.get(this.itemId(o.kind, o.key, o.versionId));
      if (options.failedOnly && !last) continue;
      out.push({ kind: o.kind, key: o.key, versionId: o.versionId, reason: last?.code ?? fallback, requestId: last?.requestId });
    }
    for (const u of options.failedOnly ? [] : this.uncertain) {
      if (out.some((l) => l.key === u.key)) continue;
      out.push({ kind: 'unconfirmed', key: u.key, reason: `${u.operation} answer lost` });
    }
    return out;
  }
}

/** The same stored item: a version id of `null` is the unversioned object itself. */
function sameItem(a: { kind: string; key: string; versionId?: string }, b: { kind: string; key: string; versionId?: string }): boolean {
  return a.key === b.key && (a.versionId ?? 'null') === (b.versionId ?? 'null') && (a.kind === 'delete-marker') === (b.kind === 'delete-marker');
}

function dedupe(list: ProbeLeftover[]): ProbeLeftover[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const id = `${l.kind}\u0000${l.key}\u0000${l.versionId ?? ''}\u0000${l.uploadId ?? ''}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
