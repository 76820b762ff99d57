// The probe's promise (DESIGN.md non-negotiable 3): everything it created is gone before exit.
// The runner runs this check after every other check has finished and after it awaited the
// probe's cleanup (also on SIGINT/SIGTERM and --timeout), so `ctx.probe.cleanup()` here returns
// the finished report: no AWS request is made from this check.

import type { ProbeCleanupReport, ProbeLeftover, RemovedItem } from '../ghes-s3/facts.ts';
import { describeProbeItem, removalCommand } from '../../src/probe/naming.ts';
import { defineS3StorageCheck, GHES_STORAGE_DOC, type S3StorageTarget } from './context.ts';

export const PROBE_CLEANUP_ID = 'probe-cleanup';

function describeLeftover(bucket: string, l: ProbeLeftover): string {
  return l.kind === 'unconfirmed' ? `s3://${bucket}/${l.key} may exist (${l.reason})` : `${describeProbeItem(bucket, l)} (${l.reason})`;
}

/** The exact commands that remove what is left (the admin runs them with enough permissions). */
function removalCommands(target: S3StorageTarget, report: ProbeCleanupReport) {
  const endpoint = target.serviceEndpoint?.kind === 's3-compatible' ? target.serviceEndpoint.url : undefined;
  const lines = report.leftovers.map((l) => removalCommand(report.bucket, l, endpoint, report.prefix));
  return { message: 'fixRemove', data: { commands: `\n${[...new Set(lines)].join('\n')}` } };
}

function counts(removed: RemovedItem[]) {
  const unique = [...new Map(removed.map((r) => [`${r.kind}\u0000${r.key}\u0000${r.versionId ?? ''}\u0000${r.uploadId ?? ''}`, r])).values()];
  const n = (kind: RemovedItem['kind']) => unique.filter((r) => r.kind === kind).length;
  return { unique, objects: n('object') + n('object-version'), versions: n('object-version'), markers: n('delete-marker'), uploads: n('multipart-upload') };
}

export default defineS3StorageCheck({
  id: PROBE_CLEANUP_ID,
  title: 'The probe removed everything it created',
  severity: 'high',
  rationale:
    'The probe writes test objects and multipart uploads into the production storage bucket. Anything it leaves behind costs storage (unfinished multipart uploads are invisible in listings and billed until aborted) and breaks the promise that only --probe writes, and only temporarily.',
  remediation: 'Remove the listed keys, versions and uploads by hand with the commands in the result, then find out why the probe could not (usually s3:DeleteObject, s3:DeleteObjectVersion or s3:AbortMultipartUpload is not allowed to the credentials used).',
  references: [
    GHES_STORAGE_DOC,
    'Amazon S3 User Guide: Deleting object versions from a versioning-enabled bucket (DeleteObject with VersionId)',
    'Amazon S3 API Reference: AbortMultipartUpload, ListMultipartUploads, ListObjectVersions',
  ],
  messages: {
    notRequested: 'Not requested; read-only run: the probe did not run, so there is nothing to remove.',
    nothingWritten: 'The probe wrote nothing under {{location}} (no write was attempted); nothing to remove.',
    removed: 'Removed everything the probe created under {{location}}: {{objects}} object(s) and {{uploads}} multipart upload(s); {{listing}} on the prefix afterwards show nothing.',
    removedVersioned:
      'Removed everything the probe created under {{location}} in this versioned bucket: {{versions}} object version(s) and {{markers}} delete marker(s), each deleted by VersionId, and {{uploads}} multipart upload(s); {{listing}} on the prefix afterwards show nothing.',
    removedUnverified:
      'S3 confirmed the removal of every object ({{objects}}), version and delete marker ({{markers}}) and multipart upload ({{uploads}}) the probe recorded under {{location}}, but the prefix could not be listed to prove nothing else is there ({{operation}}: {{code}}): a write whose answer was lost or a listing that is not S3\'s cannot be ruled out, so the cleanup is not evaluated.',
    leftovers: 'Could not remove {{count}} item(s) the probe created under {{location}}: {{items}}. Remove them by hand (commands in the remediation).',
    fixRemove: 'Remove what the probe left, with credentials allowed to (s3:DeleteObject, s3:DeleteObjectVersion on a versioned bucket, s3:AbortMultipartUpload):{{commands}}',
  },
  async run({ target, probe, report }) {
    if (!probe) return report.skip('notRequested', {}, { severity: 'info' });
    const r = await probe.cleanup();
    const location = `s3://${r.bucket}/${r.prefix}`;
    const c = counts(r.removed);
    const evidence = {
      bucket: r.bucket,
      prefix: r.prefix,
      runId: r.runId,
      versioned: r.versioned,
      removed: c.unique,
      leftovers: r.leftovers,
      verification: r.verification,
      interrupted: r.interrupted,
      timedOut: r.timedOut,
      cleanupMs: r.durationMs,
      at: new Date().toISOString(),
    };
    if (r.leftovers.length > 0) {
      return report.fail('leftovers', { count: r.leftovers.length, location, items: r.leftovers.map((l) => describeLeftover(r.bucket, l)) }, { evidence, remediation: removalCommands(target, r) });
    }
    if (!r.attemptedWrites) return report.pass('nothingWritten', { location }, { evidence });
    if (!r.verification.listed) {
      const v = r.verification;
      // Never a pass on the ledger alone: only a listing can show what a lost answer created.
      return report.error('removedUnverified', { location, objects: c.objects, markers: c.markers, uploads: c.uploads, operation: v.operation, code: v.code }, { evidence });
    }
    const listing = r.verification.operations.join(' and ');
    if (r.versioned) return report.pass('removedVersioned', { location, versions: c.versions, markers: c.markers, uploads: c.uploads, listing }, { evidence });
    report.pass('removed', { location, objects: c.objects, uploads: c.uploads, listing }, { evidence });
  },
});
