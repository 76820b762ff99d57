// S3 bucket names and the ways users write them (name, s3:// URI, bucket ARN).
//
// Problems are predicates that read after the field name ("--bucket must be 3 to 63 characters
// long ..."): options.ts prefixes the flag or config key. Pure: no AWS, no I/O.
//
// Rules: Amazon S3 User Guide, "General purpose bucket naming rules". Buckets created in us-east-1
// before 1 March 2018 could use upper-case letters and underscores and up to 255 characters; such
// legacy names are rejected here too (they cannot be addressed virtual-hosted or over TLS, and GHES
// needs a new bucket anyway).

import { isPartitionId, PARTITION_IDS } from '../regions.ts';
import { redactThenCut } from '../redact.ts';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

const show = (s: string, max = 80): string => `'${redactThenCut(s, max)}'`;

/** null when `name` is a valid general purpose bucket name, else one sentence naming the problem and the fix. */
export function validateBucketName(name: string): string | null {
  if (name.length === 0) return 'is empty; give the S3 bucket name, e.g. ghes-packages';
  if (name.length < 3 || name.length > 63) {
    return `must be 3 to 63 characters long (${show(name)} has ${name.length}); use the name exactly as the S3 console lists it`;
  }
  const bad = [...new Set(name.replace(/[a-z0-9.-]/g, ''))];
  if (bad.length > 0) {
    const fixed = name.toLowerCase().replace(/_/g, '-');
    const hint = /^[a-z0-9.-]+$/.test(fixed) ? `; did you mean ${show(fixed)}?` : '; use the name exactly as the S3 console lists it';
    return `may contain only lower-case letters, digits, dots and hyphens (${show(name)} contains ${bad.map((c) => show(c)).join(', ')})${hint}`;
  }
  if (!/^[a-z0-9]/.test(name)) return `must begin with a letter or digit (${show(name)}); remove the leading '${name[0]}'`;
  if (!/[a-z0-9]$/.test(name)) return `must end with a letter or digit (${show(name)}); remove the trailing '${name[name.length - 1]}'`;
  if (name.includes('..')) return `must not contain two adjacent dots (${show(name)}); check the name for a typo`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `must not be formatted as an IP address (${show(name)}); S3 rejects such names, so use a name such as ghes-packages`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix '${prefix}' (${show(name)}); S3 rejects such names, so choose another name`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) {
    const what = suffix === '-s3alias' ? 'an access point alias' : suffix === '--ol-s3' ? 'an Object Lambda access point alias' : suffix === '.mrap' ? 'a Multi-Region Access Point alias' : suffix === '--x-s3' ? 'a directory bucket' : 'an S3 Tables bucket';
    return `must not end with the reserved suffix '${suffix}' (${show(name)} names ${what}, not a general purpose bucket); give the general purpose bucket's name`;
  }
  return null;
}

/** Facts about a valid name that do not make it invalid but that a check may judge (empty when none). */
export function bucketNameNotes(name: string): string[] {
  const notes: string[] = [];
  if (name.includes('.')) {
    notes.push(
      `bucket name ${show(name)} contains dots: over https, virtual-hosted-style requests (${name}.s3.REGION.amazonaws.com) fail TLS certificate verification because the *.s3.REGION.amazonaws.com certificate covers one label only; prefer a bucket name without dots`,
    );
  }
  if (/-\.|\.-/.test(name)) {
    notes.push(`bucket name ${show(name)} has a hyphen next to a dot, which makes a DNS label start or end with a hyphen; some clients reject such host names in virtual-hosted-style requests`);
  }
  return notes;
}

/**
 * Extracts the bucket name from `name`, `s3://name`, `s3://name/` or `arn:PARTITION:s3:::name`.
 * Does not validate the name (call validateBucketName): `{ bucket }` keeps the case as written.
 */
export function normalizeBucketRef(input: string): { bucket: string } | { problem: string } {
  const ref = input.trim();
  if (ref === '') return { problem: 'is empty; give the S3 bucket name, e.g. ghes-packages' };

  const uri = /^s3:\/\/(.*)$/i.exec(ref);
  if (uri) {
    const rest = uri[1];
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const key = slash === -1 ? '' : rest.slice(slash + 1);
    if (bucket === '') return { problem: `has no bucket name after s3:// (${show(ref)}); give the bucket name, e.g. s3://ghes-packages or ghes-packages` };
    if (key !== '') {
      return { problem: `must name the bucket only, not an object or prefix (${show(ref)} has '/${key}' after the bucket); GHES uses the whole bucket, so give ${bucket}` };
    }
    return { bucket };
  }

  if (/^arn:/i.test(ref)) {
    const parts = ref.split(':');
    if (parts.length < 6 || parts[0] !== 'arn') {
      return { problem: `is not a well-formed ARN (${show(ref)}); a bucket ARN looks like arn:aws:s3:::ghes-packages, or give just the bucket name` };
    }
    const [, partition, service, region, account] = parts;
    const resource = parts.slice(5).join(':');
    if (!isPartitionId(partition)) {
      return { problem: `has an unknown ARN partition '${partition}' (${show(ref)}); use one of ${PARTITION_IDS.join(', ')}, e.g. arn:aws:s3:::ghes-packages` };
    }
    if (service !== 's3') return { problem: `is an ARN of service '${service}', not an S3 bucket ARN (${show(ref)}); give the bucket name or arn:${partition}:s3:::BUCKET` };
    if (region !== '' || account !== '') {
      const kind = resource.startsWith('accesspoint/') ? 'an S3 access point ARN' : resource.startsWith('outpost/') ? 'an S3 on Outposts ARN' : 'not a bucket ARN (bucket ARNs have empty region and account fields)';
      return { problem: `is ${kind} (${show(ref)}); give the bucket's own name or arn:${partition}:s3:::BUCKET` };
    }
    if (resource === '') return { problem: `has no bucket name (${show(ref)}); a bucket ARN looks like arn:${partition}:s3:::ghes-packages` };
    const slash = resource.indexOf('/');
    if (slash !== -1) {
      const bucket = resource.slice(0, slash);
      return {
        problem: `must be a bucket ARN, not an object ARN (${show(ref)} has '${resource.slice(slash)}' after the bucket); give arn:${partition}:s3:::${bucket} or just ${bucket}`,
      };
    }
    return { bucket: resource };
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) {
    return { problem: `is a URL, not a bucket name (${show(ref)}); give just the bucket name (the service URL goes in --service-url)` };
  }
  if (ref.includes('/')) {
    const bucket = ref.slice(0, ref.indexOf('/'));
    return { problem: `must name the bucket only, not a path (${show(ref)}); give ${bucket === '' ? 'the bucket name' : bucket}` };
  }
  return { bucket: ref };
}

/** True when two bucket references (name, s3:// URI or ARN) name the same bucket, ignoring case and form. */
export function sameBucket(a: string, b: string): boolean {
  const key = (ref: string): string => {
    const parsed = normalizeBucketRef(ref);
    return ('bucket' in parsed ? parsed.bucket : ref.trim()).toLowerCase();
  };
  return key(a) === key(b);
}
