// What earlier --probe runs left behind (DESIGN.md non-negotiable 3: what a killed run left, the
// next run finds). A run killed with SIGKILL cannot clean up; every later run looks under
// `packages-preflight/` for other runs' folders of the probe's exact shape.
// - Read-only run: lists them (a read) and fails with the exact keys; the next --probe run removes them.
// - --probe run: S3Probe's cleanup removed them; this check reports what it removed and what not.
//   The runner runs it after the cleanup, like probe-cleanup (no AWS request from here but the
//   memoized versioning read).

import { describeProbeItem, PROBE_ROOT, removalCommand } from '../../src/probe/naming.ts';
import type { EarlierRunsReport, FoundProbeItem, ListingRefusal, ProbeRootListing } from '../ghes-s3/facts.ts';
import { defineS3StorageCheck, GHES_STORAGE_DOC, type S3StorageContext } from './context.ts';

export const PROBE_LEFTOVERS_ID = 'probe-leftovers';

interface Item {
  kind: FoundProbeItem['kind'] | 'unconfirmed';
  key: string;
  versionId?: string;
  uploadId?: string;
  reason?: string;
}

const refusals = (list: ListingRefusal[]): string => list.map((r) => `${r.operation}: ${r.code}`).join(', ');

/** Whether a listing without versions is complete: only when the bucket never kept versions. */
async function neverVersioned(facts: S3StorageContext['facts']): Promise<boolean> {
  try {
    return (await facts.versioning()).status === 'Never';
  } catch {
    return false;
  }
}

export default defineS3StorageCheck({
  id: PROBE_LEFTOVERS_ID,
  title: 'No earlier probe run left objects or uploads behind',
  severity: 'medium',
  rationale:
    'A --probe run killed before its cleanup (SIGKILL, e.g. a cancelled CI job escalating SIGINT) leaves test objects, versions, delete markers and unfinished multipart uploads under packages-preflight/<run-id>/ in the production bucket, where they cost storage (unfinished uploads are billed and invisible in normal listings).',
  remediation:
    'Run the check once with --probe: it removes what earlier runs left under packages-preflight/. Or remove the listed items by hand with the commands in the result (s3:DeleteObject, s3:DeleteObjectVersion on a versioned bucket, s3:AbortMultipartUpload).',
  references: [
    GHES_STORAGE_DOC,
    'Amazon S3 API Reference: ListObjectVersions, ListObjectsV2, ListMultipartUploads, DeleteObject, AbortMultipartUpload',
    'Amazon S3 User Guide: Deleting object versions from a versioning-enabled bucket',
  ],
  messages: {
    none: 'No earlier probe run left anything under {{location}} ({{listing}} show no probe folder).',
    found:
      'Earlier probe runs ({{runs}}) left {{count}} item(s) under {{location}}: {{items}}. The next run with --probe removes them; or remove them by hand (commands in the fix).',
    removed: 'Removed {{count}} item(s) that earlier probe runs ({{runs}}), stopped before their own cleanup, left under {{location}}: {{items}}; {{listing}} afterwards show none.',
    leftovers: 'Could not remove {{count}} item(s) that earlier probe runs ({{runs}}) left under {{location}}: {{items}}. Remove them by hand (commands in the fix).',
    notListedReadOnly: 'Could not look for what earlier probe runs left under {{location}} ({{refused}}); grant the checker s3:ListBucket, s3:ListBucketVersions and s3:ListBucketMultipartUploads, or run with --probe.',
    notListed: 'Could not confirm that nothing earlier probe runs left remains under {{location}} ({{refused}}): not evaluated.',
    versionsNotListedReadOnly:
      'Objects and uploads under {{location}} show nothing from earlier probe runs, but versions and delete markers could not be listed ({{refused}}) and the bucket keeps (or kept) versions; grant s3:ListBucketVersions to look.',
    versionsNotListed:
      'Objects and uploads under {{location}} show nothing from earlier probe runs, but versions and delete markers could not be listed ({{refused}}) and the bucket keeps (or kept) versions: not evaluated.',
    fixRemove: 'Remove them with credentials allowed to:{{commands}}',
  },
  async run({ target, facts, probe, report }) {
    const location = `s3://${target.bucket}/${PROBE_ROOT}`;
    const endpoint = target.serviceEndpoint?.kind === 's3-compatible' ? target.serviceEndpoint.url : undefined;
    const fix = (items: Item[]) => ({ message: 'fixRemove', data: { commands: `\n${[...new Set(items.map((i) => removalCommand(target.bucket, i, endpoint, i.key)))].join('\n')}` } });
    const describe = (items: Item[]) => items.map((i) => `${describeProbeItem(target.bucket, i)}${i.reason ? ` (${i.reason})` : ''}`);
    if (!probe) {
      const l: ProbeRootListing = await facts.earlierProbeRuns();
      const runs = [...new Set(l.items.map((i) => i.runId))].sort();
      const evidence = { bucket: target.bucket, prefix: PROBE_ROOT, runIds: runs, found: l.items, listed: l.listed, refused: l.refused, versionsListed: l.versionsListed, ignoredKeys: l.ignoredKeys };
      if (l.items.length > 0) return report.fail('found', { runs, count: l.items.length, location, items: describe(l.items) }, { evidence, remediation: fix(l.items) });
      if (!l.uploadsListed || !l.objectsListed) return report.skip('notListedReadOnly', { location, refused: refusals(l.refused) }, { evidence });
      if (!l.versionsListed && !(await neverVersioned(facts))) return report.skip('versionsNotListedReadOnly', { location, refused: refusals(l.refused) }, { evidence });
      return report.pass('none', { location, listing: l.listed.join(' and ') }, { evidence });
    }

    const e: EarlierRunsReport = (await probe.cleanup()).earlierRuns;
    const evidence = { bucket: target.bucket, prefix: PROBE_ROOT, runIds: e.runIds, removed: e.removed, leftovers: e.leftovers, listed: e.listed, refused: e.refused, versionsListed: e.versionsListed, verified: e.verified, ignoredKeys: e.ignoredKeys, at: new Date().toISOString() };
    if (e.leftovers.length > 0) return report.fail('leftovers', { runs: e.runIds, count: e.leftovers.length, location, items: describe(e.leftovers) }, { evidence, remediation: fix(e.leftovers) });
    if (!e.verified) return report.error('notListed', { location, refused: refusals(e.refused) || 'the listing did not finish' }, { evidence });
    if (!e.versionsListed && !(await neverVersioned(facts))) return report.error('versionsNotListed', { location, refused: refusals(e.refused) }, { evidence });
    const listing = [...new Set(e.listed)].join(' and ');
    if (e.removed.length > 0) return report.pass('removed', { runs: e.runIds, count: e.removed.length, location, items: describe(e.removed), listing }, { evidence });
    report.pass('none', { location, listing }, { evidence });
  },
});
