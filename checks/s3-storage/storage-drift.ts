// Storage drift: GHES keeps every package blob at (service URL, region, bucket, account) and
// reads it with one principal. Changing any of the first four after packages are in use makes the
// stored packages unreachable (seed 000: "do not change the storage settings after packages are
// in use"); a changed policy or encryption key may break reads or writes. --write-baseline
// records the identity; --baseline compares the current state with it.

import type { EncryptionFact, PrincipalPolicies, ResolvedPrincipal } from '../ghes-s3/facts.ts';
import { type Baseline, diffBucketPolicy, diffEncryption, diffPrincipalPolicies, fingerprintPolicies, fingerprintPolicy, sameServiceUrl, type StorageIdentity } from '../../src/drift/baseline.ts';
import { explainFactError, type FactErrorInfo, isFactError } from '../../src/engine/fact-error.ts';
import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC, type S3StorageTarget } from './context.ts';
import type { GhesS3Facts } from '../ghes-s3/facts.ts';

type Field = keyof StorageIdentity;
type Read<T> = { ok: true; value: T } | { ok: false; info: FactErrorInfo };

/** Field → subject in results (stable; the report groups by it). */
const SUBJECT: Record<Field, string> = {
  bucket: 'bucket',
  region: 'region',
  serviceUrl: 'service-url',
  accountId: 'account',
  principalArn: 'principal',
  encryption: 'encryption',
  versioning: 'versioning',
  bucketPolicy: 'bucket-policy',
  principalPolicies: 'principal-policies',
};

const BUCKET_GONE = 'the bucket does not exist';

async function read<T>(get: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await get() };
  } catch (e) {
    if (isFactError(e)) return { ok: false, info: e.info };
    throw e;
  }
}

const encryptionOf = (e: EncryptionFact): StorageIdentity['encryption'] => ({
  configured: e.configured,
  algorithm: e.algorithm ?? null,
  kmsKeyId: e.kmsKeyId ?? null,
  bucketKeyEnabled: e.bucketKeyEnabled ?? null,
});

/** The bucket's region from HeadBucket (also answered on 403); a missing bucket is a value, not an error. */
async function readRegion(target: S3StorageTarget, facts: GhesS3Facts): Promise<Read<string>> {
  const r = await read(() => facts.bucketHead());
  if (!r.ok) return r;
  const head = r.value;
  if (head.status === 'not-found') return { ok: true, value: BUCKET_GONE };
  if (head.region) return { ok: true, value: head.region };
  if (head.regionError) return { ok: false, info: head.regionError };
  const requestId = head.status === 'forbidden' ? head.requestId : undefined;
  return { ok: false, info: { fact: 'bucketHead', api: 's3:HeadBucket', resource: `arn:aws:s3:::${target.bucket}`, code: 'AccessDenied', httpStatus: 403, requestId, message: 'HeadBucket was denied and S3 did not name the region' } };
}

/** Reads every field independently: one unreadable fact makes only its own field `error`. */
async function collect(target: S3StorageTarget, facts: GhesS3Facts): Promise<{ [K in Field]: Read<StorageIdentity[K]> }> {
  // An S3-compatible store (MinIO) has no AWS account and no IAM: those fields are null, not errors.
  const aws = target.serviceEndpoint?.kind !== 's3-compatible';
  const notApplicable = Promise.resolve({ ok: true as const, value: null });
  const [region, principal, encryption, versioning, bucketPolicy, principalPolicies] = await Promise.all([
    readRegion(target, facts),
    aws ? read<ResolvedPrincipal | null>(() => facts.principal()) : notApplicable,
    read(() => facts.encryption()),
    read(() => facts.versioning()),
    read(() => facts.bucketPolicy()),
    aws ? read<PrincipalPolicies | null>(() => facts.principalPolicies()) : notApplicable,
  ]);
  const map = <A, B>(r: Read<A>, f: (a: A) => B): Read<B> => (r.ok ? { ok: true, value: f(r.value) } : r);
  return {
    bucket: { ok: true, value: target.bucket },
    region,
    serviceUrl: target.serviceEndpoint
      ? { ok: true, value: target.serviceEndpoint.url }
      : { ok: false, info: { fact: 'serviceUrl', api: 'the service URL', code: 'NotUsable', message: target.serviceUrlProblem ? `it ${target.serviceUrlProblem}` : 'none was given (--service-url)' } },
    accountId: map(principal, (p) => p?.accountId ?? null),
    principalArn: map(principal, (p) => p?.arn ?? null),
    encryption: map(encryption, encryptionOf),
    versioning: map(versioning, (v) => v.status),
    bucketPolicy: map(bucketPolicy, (p) => ({ present: p.present, fingerprint: p.present ? fingerprintPolicy(p.text ?? '') : null })),
    principalPolicies: map(principalPolicies, (pp) => (pp ? fingerprintPolicies([...pp.identity, ...(pp.permissionsBoundary ? [pp.permissionsBoundary] : [])]) : null)),
  };
}

const show = (v: unknown): string => (v === null || v === undefined ? 'none' : String(v));

export default defineS3StorageCheck({
  id: 'storage-drift',
  title: 'The storage GHES depends on has not drifted from the baseline',
  severity: 'critical',
  rationale:
    'GHES finds every stored package by service URL, region, bucket and account. If any of them changes after packages are in use, the packages already stored become unreachable; a changed bucket policy, identity policy or encryption key can silently break uploads or downloads. A baseline written when the setup was known to work lets the nightly run say exactly what changed.',
  remediation: 'Restore the recorded setting (or, if the change was intended and the packages were migrated, write a new baseline with --write-baseline).',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'seed 000: do not change the storage settings after packages are in use', 'Amazon S3 User Guide: Using server-side encryption with AWS KMS keys (objects keep the key they were written with)'],
  messages: {
    notRequested: 'No --baseline given: nothing to compare. Record the storage identity once with --write-baseline FILE, then compare in the nightly job with --baseline FILE.',
    writtenOnly: 'No --baseline given, so nothing was compared; the current storage identity was recorded in {{file}} (compare later with --baseline {{file}}).',
    written: 'Recorded the current storage identity in {{file}}.',
    notWritten: 'Did not write {{file}}: {{fields}} could not be read, and a baseline with gaps would report false drift later.',
    writeFailed: 'Could not write {{file}}: {{reason}}.',
    unchanged: 'Unchanged since the baseline of {{writtenAt}} ({{file}}): {{fields}}.',
    bucketChanged: 'The bucket changed from {{before}} to {{now}} since the baseline of {{writtenAt}}: GHES packages already stored in s3://{{baseBucket}} ({{baseRegion}}, account {{baseAccount}}, via {{baseServiceUrl}}) would become unreachable.',
    regionChanged: 'The bucket region changed from {{before}} to {{now}} since the baseline of {{writtenAt}}: GHES packages already stored in s3://{{baseBucket}} ({{baseRegion}}, account {{baseAccount}}, via {{baseServiceUrl}}) would become unreachable.',
    bucketGone: 'Bucket {{bucket}} no longer exists (HeadBucket: not found); at the baseline of {{writtenAt}} it was in {{before}}: GHES packages already stored in s3://{{baseBucket}} ({{baseRegion}}, account {{baseAccount}}, via {{baseServiceUrl}}) are unreachable.',
    serviceUrlChanged: 'The service URL changed from {{before}} to {{now}} since the baseline of {{writtenAt}}: GHES packages already stored in s3://{{baseBucket}} ({{baseRegion}}, account {{baseAccount}}, via {{baseServiceUrl}}) would become unreachable.',
    accountChanged: 'The AWS account changed from {{before}} to {{now}} since the baseline of {{writtenAt}}: GHES packages already stored in s3://{{baseBucket}} ({{baseRegion}}, account {{baseAccount}}, via {{baseServiceUrl}}) would become unreachable.',
    principalChanged: 'The principal changed from {{before}} to {{now}} since the baseline of {{writtenAt}}: make sure GHES uses the principal you mean; its permissions are compared under principal-policies.',
    encryptionChanged: 'Default encryption changed since the baseline of {{writtenAt}}: {{changes}}. Objects keep the key they were written with: GHES still needs kms:Decrypt on the old key to read them.',
    versioningChanged: 'Versioning changed from {{before}} to {{now}} since the baseline of {{writtenAt}}.',
    bucketPolicyChanged: 'The bucket policy changed since the baseline of {{writtenAt}}: {{changes}}.',
    principalPoliciesChanged: 'The policies of {{principal}} changed since the baseline of {{writtenAt}}: {{changes}}.',
    notComparable: '{{what}} cannot be compared: {{reason}}.',
    unreadable: 'Could not compare {{field}}: {{reason}}',
  },
  async run({ target, facts, drift, report }) {
    if (!drift || (!drift.compare && !drift.write)) return report.skip('notRequested', {}, { severity: 'info' });
    const now = await collect(target, facts);
    const fields = Object.keys(SUBJECT) as Field[];

    if (drift.compare) {
      const { file, baseline } = drift.compare;
      const before = baseline.storage;
      const base = { baseBucket: before.bucket, baseRegion: before.region, baseAccount: show(before.accountId), baseServiceUrl: before.serviceUrl, writtenAt: baseline.writtenAt };
      const unchanged: string[] = [];
      for (const field of fields) {
        const subject = SUBJECT[field];
        const current = now[field];
        const evidence: Record<string, unknown> = { baselineFile: file, baselineWrittenAt: baseline.writtenAt, field, before: before[field] };
        if (!current.ok) {
          report.error('unreadable', { field: subject, reason: explainFactError(current.info) }, { subject, evidence: { ...evidence, ...current.info } });
          continue;
        }
        evidence.now = current.value;
        const value = current.value;
        switch (field) {
          case 'bucket':
          case 'accountId':
          case 'serviceUrl': {
            const same = field === 'serviceUrl' ? sameServiceUrl(String(before.serviceUrl), String(value)) : before[field] === value;
            if (same) unchanged.push(`${subject} ${show(value)}`);
            else report.fail(field === 'bucket' ? 'bucketChanged' : field === 'accountId' ? 'accountChanged' : 'serviceUrlChanged', { ...base, before: show(before[field]), now: show(value) }, { subject, evidence });
            break;
          }
          case 'region':
            if (value === BUCKET_GONE) report.fail('bucketGone', { ...base, bucket: target.bucket, before: before.region }, { subject, evidence });
            else if (value === before.region) unchanged.push(`${subject} ${value}`);
            else report.fail('regionChanged', { ...base, before: before.region, now: show(value) }, { subject, evidence });
            break;
          case 'principalArn':
            if (value === before.principalArn) unchanged.push(`${subject} ${show(value)}`);
            else report.warn('principalChanged', { ...base, before: show(before.principalArn), now: show(value) }, { subject, evidence });
            break;
          case 'versioning':
            if (value === before.versioning) unchanged.push(`${subject} ${value}`);
            else report.warn('versioningChanged', { ...base, before: before.versioning, now: value }, { subject, evidence });
            break;
          case 'encryption': {
            const changes = diffEncryption(before.encryption, value as StorageIdentity['encryption']);
            if (!changes) unchanged.push(`${subject} ${show(before.encryption.algorithm)}${before.encryption.kmsKeyId ? ` ${before.encryption.kmsKeyId}` : ''}`);
            else report.warn('encryptionChanged', { ...base, changes }, { subject, evidence });
            break;
          }
          case 'bucketPolicy': {
            const v = value as StorageIdentity['bucketPolicy'];
            const changes = diffBucketPolicy(before.bucketPolicy, v);
            if (!changes) unchanged.push(`${subject} ${v.present ? `sha256 ${v.fingerprint?.sha256.slice(0, 12)}` : 'none'}`);
            else report.warn('bucketPolicyChanged', { ...base, changes }, { subject, evidence });
            break;
          }
          case 'principalPolicies': {
            const v = value as StorageIdentity['principalPolicies'];
            if (before.principalPolicies === null && v === null) break;
            if (before.principalPolicies === null || v === null) {
              report.warn('notComparable', { what: 'The principal\'s policies', reason: before.principalPolicies === null ? 'the baseline has none (it was written for an S3-compatible store)' : 'this is an S3-compatible store without IAM' }, { subject, evidence });
              break;
            }
            const changes = diffPrincipalPolicies(before.principalPolicies, v);
            if (!changes) unchanged.push(`${subject} sha256 ${v.sha256.slice(0, 12)}`);
            else report.warn('principalPoliciesChanged', { ...base, principal: show(now.principalArn.ok ? now.principalArn.value : before.principalArn), changes }, { subject, evidence });
            break;
          }
        }
      }
      if (unchanged.length > 0) report.pass('unchanged', { writtenAt: baseline.writtenAt, file, fields: unchanged }, { subject: 'unchanged', evidence: { baselineFile: file, baselineWrittenAt: baseline.writtenAt, baselineTool: baseline.tool, fields: unchanged } });
    }

    if (drift.write) {
      const { file, write } = drift.write;
      const missing = fields.filter((f) => !now[f].ok);
      if (missing.length > 0) {
        const infos = missing.map((f) => (now[f] as { info: FactErrorInfo }).info);
        return report.error('notWritten', { file, fields: missing.map((f) => SUBJECT[f]) }, { subject: file, evidence: { file, unreadable: infos } });
      }
      const value = <K extends Field>(f: K) => (now[f] as { value: StorageIdentity[K] }).value;
      if (value('region') === BUCKET_GONE) return report.error('notWritten', { file, fields: ['region (the bucket does not exist)'] }, { subject: file, evidence: { file } });
      const storage = Object.fromEntries(fields.map((f) => [f, value(f)])) as StorageIdentity;
      const baseline: Baseline = { baselineVersion: 1, writtenAt: (drift.now?.() ?? new Date()).toISOString(), tool: drift.tool, storage };
      try {
        write(baseline);
      } catch (e) {
        return report.error('writeFailed', { file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { subject: file, evidence: { file } });
      }
      const evidence = { file, baselineVersion: baseline.baselineVersion, writtenAt: baseline.writtenAt, storage: { ...storage, bucketPolicy: storage.bucketPolicy.fingerprint?.sha256 ?? null, principalPolicies: storage.principalPolicies?.sha256 ?? null } };
      if (drift.compare) report.pass('written', { file }, { subject: file, severity: 'info', evidence });
      else report.skip('writtenOnly', { file }, { subject: file, severity: 'info', evidence });
    }
  },
});
