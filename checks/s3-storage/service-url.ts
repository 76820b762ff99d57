import { dnsSuffixOf } from '../../src/regions.ts';
import { regionOfEndpoint } from '../../src/config/service-url.ts';
import { explainFactError } from '../../src/engine/fact-error.ts';
import { defineS3StorageCheck, GHES_ACTIONS_STORAGE_DOC, GHES_STORAGE_DOC } from './context.ts';

const LEGACY_FORMS = new Set(['legacy-dash', 'global', 'external-1']);

/** The endpoint GHES should use for a region, in that region's partition (.amazonaws.com.cn in China). */
const regionalUrl = (region: string): string => `https://s3.${region}.${dnsSuffixOf(region) ?? 'amazonaws.com'}`;

export default defineS3StorageCheck({
  id: 'service-url',
  title: 'The AWS Service URL matches the bucket',
  severity: 'high',
  rationale: 'GHES sends every Packages (or Actions storage) request to this URL; it must be an https S3 endpoint, without the bucket name, in the bucket\'s own region.',
  remediation: 'Set the GHES "AWS Service URL" to https://s3.<bucket-region>.amazonaws.com (no bucket name, no path).',
  references: [GHES_STORAGE_DOC, GHES_ACTIONS_STORAGE_DOC, 'AWS General Reference: Amazon S3 endpoints and quotas', 'Amazon S3 User Guide: Virtual hosting of buckets / Methods for accessing a bucket', 'Amazon S3 API Reference: HeadBucket (x-amz-bucket-region), GetBucketLocation'],
  messages: {
    https: '{{url}} uses https.',
    httpAws: '{{url}} uses http: GHES would send package contents and signed requests unencrypted. Use https://.',
    httpCompatible: '{{url}} uses http: package contents cross the network unencrypted. Use https:// on the S3-compatible store if it supports it.',
    form: '{{url}} is a recognised S3 endpoint ({{form}}).',
    legacyForm: '{{url}} is a legacy S3 endpoint form ({{form}}); it still works but AWS recommends the regional form {{suggested}}.',
    compatible: '{{url}} is not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks are skipped.',
    regionMatch: '{{url}} serves {{endpointRegion}}, the bucket\'s region.',
    regionMismatch: '{{url}} serves {{endpointRegion}} but bucket {{bucket}} is in {{bucketRegion}}: GHES requests would be redirected or refused. Use {{suggested}}.',
    flagMismatch: '--region {{flagRegion}} differs from the bucket\'s region {{bucketRegion}}; the GHES region field must be {{bucketRegion}}.',
    regionCompatible: 'Region not compared: an S3-compatible store has no AWS region.',
    regionNoBucket: 'Region not compared: bucket {{bucket}} does not exist (see bucket-reachable).',
    regionUnknown:
      'The bucket\'s region could not be determined ({{why}}), so {{url}} cannot be confirmed to serve it. S3 names it in HeadBucket\'s x-amz-bucket-region header (a proxy may strip it); grant the checker s3:GetBucketLocation on the bucket.',
    missing: 'No service URL was given, so the GHES "AWS Service URL" setting was not checked. {{fix}}',
    unusable: 'The AWS Service URL {{problem}}.',
    notUsable: 'Not evaluated: the service URL is {{state}} (see endpoint-form).',
    fixSetUrl: 'Set the GHES "AWS Service URL" to {{url}} (bucket {{bucket}} is in {{region}}).',
    fixSetUrlTemplate: 'Set the GHES "AWS Service URL" to {{url}}, the Regional endpoint of the bucket\'s Region (no bucket name, no path).',
    fixPassFlag: 'Pass --service-url with the value from the GHES management console to check it. {{fix}}',
    stateNotGiven: 'not given',
    stateNotUsable: 'not usable',
  },
  subjects: () => ['https', 'endpoint-form', 'region'],
  async run({ target, facts, report }) {
    const ep = target.serviceEndpoint;
    if (!ep) {
      // Not usable or not given: a fail with the exact fix, the bucket's own Region when S3 names it.
      const head = await facts.bucketHead().catch(() => undefined);
      const bucketRegion = head && head.status !== 'not-found' ? head.region : null;
      const fix = bucketRegion
        ? { message: 'fixSetUrl', data: { url: regionalUrl(bucketRegion), bucket: target.bucket, region: bucketRegion } }
        : { message: 'fixSetUrlTemplate', data: { url: 'https://s3.<bucket-region>.amazonaws.com' } };
      const evidence = { serviceUrl: target.serviceUrl ?? null, problem: target.serviceUrlProblem ?? 'not given', bucketRegion, ...(bucketRegion ? { api: 's3:HeadBucket' } : {}) };
      const state = { message: target.serviceUrl === undefined ? 'stateNotGiven' : 'stateNotUsable' };
      report.skip('notUsable', { state }, { subject: 'https', evidence });
      if (target.serviceUrl === undefined) report.fail('missing', { fix: { message: 'fixPassFlag', data: { fix } } }, { subject: 'endpoint-form', evidence, remediation: fix });
      else report.fail('unusable', { problem: target.serviceUrlProblem }, { subject: 'endpoint-form', evidence, remediation: fix });
      return report.skip('notUsable', { state }, { subject: 'region', evidence });
    }
    const url = ep.url;
    const evidence = { serviceUrl: target.serviceUrl, host: ep.host, form: ep.form, kind: ep.kind, endpointRegion: ep.region };
    if (ep.scheme === 'https') report.pass('https', { url }, { subject: 'https', evidence });
    else if (ep.kind === 'aws') report.fail('httpAws', { url }, { subject: 'https', evidence, severity: 'critical' });
    else report.warn('httpCompatible', { url }, { subject: 'https', evidence });

    if (ep.kind === 's3-compatible') {
      report.pass('compatible', { url }, { subject: 'endpoint-form', evidence, severity: 'info' });
      return report.skip('regionCompatible', {}, { subject: 'region', evidence });
    }
    const endpointRegion = regionOfEndpoint(ep) ?? 'us-east-1';
    const legacySpelling = ep.notes.some((n) => /legacy/i.test(n));
    if (LEGACY_FORMS.has(ep.form) || legacySpelling) report.warn('legacyForm', { url, form: ep.form, suggested: regionalUrl(endpointRegion) }, { subject: 'endpoint-form', evidence });
    else report.pass('form', { url, form: ep.form }, { subject: 'endpoint-form', evidence });

    const head = await facts.bucketHead();
    if (head.status === 'not-found') return report.skip('regionNoBucket', { bucket: target.bucket }, { subject: 'region', evidence: { ...evidence, api: 's3:HeadBucket', bucketHead: head.status } });
    const bucketRegion = head.region;
    // An AWS service URL is never left unconfirmed: no region (header stripped, GetBucketLocation unreadable) is an error.
    if (!bucketRegion) {
      const why = head.regionError ? explainFactError(head.regionError) : `HeadBucket answered ${head.status === 'forbidden' ? '403' : '200'} without the region`;
      return report.error('regionUnknown', { why, url }, { subject: 'region', evidence: { ...evidence, api: 's3:HeadBucket', bucketHead: head.status, ...(head.regionError ? { regionError: head.regionError } : {}) } });
    }
    const regionEvidence = { ...evidence, api: head.regionFrom === 's3:GetBucketLocation' ? 's3:GetBucketLocation' : 's3:HeadBucket', resource: `arn:aws:s3:::${target.bucket}`, bucketRegion, regionFrom: head.regionFrom, flagRegion: target.region };
    if (endpointRegion !== bucketRegion) {
      return report.fail('regionMismatch', { url, endpointRegion, bucket: target.bucket, bucketRegion, suggested: regionalUrl(bucketRegion) }, { subject: 'region', evidence: regionEvidence });
    }
    if (target.region && target.region !== bucketRegion) {
      return report.fail('flagMismatch', { flagRegion: target.region, bucketRegion }, { subject: 'region', evidence: regionEvidence });
    }
    report.pass('regionMatch', { url, endpointRegion }, { subject: 'region', evidence: regionEvidence });
  },
});
