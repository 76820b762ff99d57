// What earlier --probe runs left behind. A run killed with SIGKILL (CI cancellation escalates
// SIGINT to SIGKILL within seconds) cannot clean up, so every later run looks under
// `packages-preflight/` for other runs' folders: the read-only run reports them (listing is a
// read), a --probe run removes them (S3Probe) and reports what it could not.
//
// Only keys of the exact shape the probe creates count as the tool's own:
// `packages-preflight/<run id as newRunId() makes it>/<one probe object name>`. Anything else
// under `packages-preflight/` (a user's own folder that happens to share the name) is never
// touched, only counted.

import { ListMultipartUploadsCommand, ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FoundProbeItem, ListingRefusal, ProbeItemKind, ProbeRootListing } from '../../checks/ghes-s3/facts.ts';
import { PROBE_ROOT, probeRunIdOf } from '../probe/naming.ts';
import { errorCode } from './errors.ts';

export type { FoundProbeItem, ListingRefusal, ProbeItemKind, ProbeRootListing };
export { describeProbeItem, PROBE_OBJECT_NAME, PROBE_ROOT, probeRunIdOf, removalCommand, RUN_ID_SHAPE } from '../probe/naming.ts';

const requestIdOf = (e: unknown): string | undefined => (e as { $metadata?: { requestId?: string } })?.$metadata?.requestId;

/**
 * Lists every probe folder under `packages-preflight/` except `exclude` (the current run's own):
 * ListMultipartUploads, then ListObjectVersions (versions and delete markers), falling back to
 * ListObjectsV2 when the versions cannot be listed (GHES's credentials have no
 * s3:ListBucketVersions). Never throws: what could not be listed is in `refused`. An answer that is
 * not the listing of this bucket (an HTML page from a proxy, an empty 200, another bucket's listing)
 * is refused as MalformedResponse by the session's answer-shape check (src/aws/answer-shapes.ts: a
 * listing must name the bucket asked for), so it is never read as "nothing there".
 */
export async function listProbeRoot(s3: S3Client, bucket: string, options: { signal?: AbortSignal; exclude?: string } = {}): Promise<ProbeRootListing> {
  const out: ProbeRootListing = { items: [], listed: [], refused: [], versionsListed: false, objectsListed: false, uploadsListed: false, ignoredKeys: 0 };
  const send = <O>(command: unknown): Promise<O> => (s3.send as (c: unknown, o: unknown) => Promise<O>)(command, options.signal ? { abortSignal: options.signal } : {});
  const ignored = new Set<string>();
  const take = (item: Omit<FoundProbeItem, 'runId'>): void => {
    if (options.exclude && item.key.startsWith(options.exclude)) return;
    const runId = probeRunIdOf(item.key);
    if (runId) out.items.push({ ...item, runId });
    else ignored.add(item.key);
  };
  const attempt = async (operation: string, run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      out.listed.push(operation);
      return true;
    } catch (e) {
      out.refused.push({ operation, code: errorCode(e), requestId: requestIdOf(e) });
      return false;
    }
  };

  out.uploadsListed = await attempt('ListMultipartUploads', async () => {
    const found: Array<Omit<FoundProbeItem, 'runId'>> = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await send<{ Bucket?: string; Uploads?: Array<{ Key?: string; UploadId?: string }>; IsTruncated?: boolean; NextKeyMarker?: string; NextUploadIdMarker?: string }>(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: PROBE_ROOT, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const u of page.Uploads ?? []) if (u.Key && u.UploadId) found.push({ kind: 'multipart-upload', key: u.Key, uploadId: u.UploadId });
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    found.forEach(take);
  });

  out.versionsListed = await attempt('ListObjectVersions', async () => {
    const found: Array<Omit<FoundProbeItem, 'runId'>> = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await send<{
        Name?: string;
        Versions?: Array<{ Key?: string; VersionId?: string }>;
        DeleteMarkers?: Array<{ Key?: string; VersionId?: string }>;
        IsTruncated?: boolean;
        NextKeyMarker?: string;
        NextVersionIdMarker?: string;
      }>(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: PROBE_ROOT, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      for (const v of page.Versions ?? []) if (v.Key) found.push({ kind: 'object-version', key: v.Key, versionId: v.VersionId ?? 'null' });
      for (const m of page.DeleteMarkers ?? []) if (m.Key) found.push({ kind: 'delete-marker', key: m.Key, versionId: m.VersionId ?? 'null' });
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    found.forEach(take);
  });

  out.objectsListed =
    out.versionsListed ||
    (await attempt('ListObjectsV2', async () => {
      const found: Array<Omit<FoundProbeItem, 'runId'>> = [];
      let token: string | undefined;
      do {
        const page = await send<{ Name?: string; Contents?: Array<{ Key?: string }>; IsTruncated?: boolean; NextContinuationToken?: string }>(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: PROBE_ROOT, ContinuationToken: token }),
        );
        for (const c of page.Contents ?? []) if (c.Key) found.push({ kind: 'object', key: c.Key });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      found.forEach(take);
    }));
  out.ignoredKeys = ignored.size;
  return out;
}
