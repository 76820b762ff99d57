// Table tests for `probe-leftovers` in a read-only run: each row gives the listing of
// packages-preflight/ (fact `earlierProbeRuns`); the --probe side (S3Probe's removal of earlier
// runs' folders) is in test/unit/probe-ledger.test.ts and test/e2e/probe-sigkill.test.ts.

import probeLeftovers from '../../../checks/s3-storage/probe-leftovers.ts';
import type { ProbeRootListing } from '../../../src/aws/probe-leftovers.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const RUN = '20250101T000000Z-abcdef012345';
const listing = (overrides: Partial<ProbeRootListing>): ProbeRootListing => ({
  items: [],
  listed: ['ListMultipartUploads', 'ListObjectVersions'],
  refused: [],
  versionsListed: true,
  objectsListed: true,
  uploadsListed: true,
  ignoredKeys: 0,
  ...overrides,
});
const noVersions = { versionsListed: false, listed: ['ListMultipartUploads', 'ListObjectsV2'], refused: [{ operation: 'ListObjectVersions', code: 'AccessDenied' }] };

checkTable(probeLeftovers, [
  { name: 'nothing under packages-preflight/', facts: { earlierProbeRuns: listing({}) }, expect: { status: 'pass', messageId: 'none', message: 'ListMultipartUploads and ListObjectVersions' } },
  {
    name: 'a killed run left an object version, a delete marker and an upload: fail with exact keys',
    facts: {
      earlierProbeRuns: listing({
        items: [
          { kind: 'object-version', key: `packages-preflight/${RUN}/object.bin`, versionId: 'v1', runId: RUN },
          { kind: 'delete-marker', key: `packages-preflight/${RUN}/object.bin`, versionId: 'm1', runId: RUN },
          { kind: 'multipart-upload', key: `packages-preflight/${RUN}/multipart.bin`, uploadId: 'up-1', runId: RUN },
        ],
      }),
    },
    expect: { status: 'fail', messageId: 'found', message: `delete marker m1 of s3://ghes-packages/packages-preflight/${RUN}/object.bin`, evidence: { runIds: [RUN] } },
  },
  { name: 'uploads cannot be listed: skip with the reason (a read-only run is not asked to prove it)', facts: { earlierProbeRuns: listing({ uploadsListed: false, refused: [{ operation: 'ListMultipartUploads', code: 'AccessDenied' }] }) }, expect: { status: 'skip', messageId: 'notListedReadOnly', message: 'ListMultipartUploads: AccessDenied' } },
  { name: 'versions not listed, bucket never versioned: the plain listing is complete', facts: { earlierProbeRuns: listing(noVersions), versioning: { status: 'Never' } }, expect: { status: 'pass', messageId: 'none' } },
  { name: 'versions not listed, bucket keeps versions: skip, never pass', facts: { earlierProbeRuns: listing(noVersions), versioning: { status: 'Enabled' } }, expect: { status: 'skip', messageId: 'versionsNotListedReadOnly' } },
  { name: 'versions not listed, versioning unreadable: skip, never pass', facts: { earlierProbeRuns: listing(noVersions), versioning: deniedFact('versioning', 's3:GetBucketVersioning') }, expect: { status: 'skip', messageId: 'versionsNotListedReadOnly' } },
]);
