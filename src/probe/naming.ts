// How the --probe names what it writes, and how a leftover is described and removed by hand:
// pure functions with no AWS client, shared by the probe (src/aws/probe.ts), the listing of earlier
// runs' leftovers (src/aws/probe-leftovers.ts) and the ghes-s3 checks that report them.
//
// Only keys of the exact shape the probe creates count as the tool's own:
// `packages-preflight/<run id as newRunId() makes it>/<one probe object name>`.

import type { ProbeItemKind } from '../../checks/ghes-s3/facts.ts';

/** Every probe key starts with this; each run adds its own unique folder below it. */
export const PROBE_ROOT = 'packages-preflight/';
/** The run id newRunId() makes: `20250102T030405Z-1a2b3c4d5e6f` (UTC second + 48 random bits). */
export const RUN_ID_SHAPE = /^\d{8}T\d{6}Z-[0-9a-f]{12}$/;
/** Object names the probe may write under its folder (S3Probe.keyOf enforces the same). */
export const PROBE_OBJECT_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** The run id of a key the probe could have written, or undefined for any other key. */
export function probeRunIdOf(key: string | undefined): string | undefined {
  if (typeof key !== 'string' || !key.startsWith(PROBE_ROOT)) return undefined;
  const rest = key.slice(PROBE_ROOT.length).split('/');
  if (rest.length !== 2 || !RUN_ID_SHAPE.test(rest[0]) || !PROBE_OBJECT_NAME.test(rest[1])) return undefined;
  return rest[0];
}

/** One line per item, exact key and version or upload id, for messages and last words. */
export function describeProbeItem(bucket: string, item: { kind: ProbeItemKind | 'unconfirmed'; key: string; versionId?: string; uploadId?: string }): string {
  const url = `s3://${bucket}/${item.key}`;
  switch (item.kind) {
    case 'multipart-upload':
      return `multipart upload ${item.uploadId} of ${url}`;
    case 'delete-marker':
      return `delete marker ${item.versionId} of ${url}`;
    case 'object-version':
      return `${url} version ${item.versionId}`;
    case 'unconfirmed':
      return `${url} (may exist: the answer to a write was lost)`;
    default:
      return url;
  }
}

/** The shell command that removes one item by hand (the admin runs it with enough permissions). */
export function removalCommand(bucket: string, item: { kind: ProbeItemKind | 'unconfirmed'; key: string; versionId?: string; uploadId?: string }, endpointUrl?: string, prefix?: string): string {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const endpoint = endpointUrl ? ` --endpoint-url ${endpointUrl}` : '';
  const b = quote(bucket);
  if (item.kind === 'multipart-upload') return `aws s3api abort-multipart-upload${endpoint} --bucket ${b} --key ${quote(item.key)} --upload-id ${quote(item.uploadId ?? '')}`;
  if (item.kind === 'unconfirmed') {
    const p = quote(prefix ?? item.key);
    return `aws s3api list-object-versions${endpoint} --bucket ${b} --prefix ${p}; aws s3api list-multipart-uploads${endpoint} --bucket ${b} --prefix ${p}`;
  }
  return `aws s3api delete-object${endpoint} --bucket ${b} --key ${quote(item.key)}${item.versionId !== undefined ? ` --version-id ${quote(item.versionId)}` : ''}`;
}
