import assert from 'node:assert/strict';
import { test } from 'vitest';
import serviceUrl from '../../../checks/s3-storage/service-url.ts';
import { runChecks } from '../../../src/engine/engine.ts';
import { checkTable, deniedFact, fakeFacts, ghesTarget } from '../check-table.ts';

const inRegion = (region: string) => ({ bucketHead: { status: 'found', region } });

checkTable(serviceUrl, [
  {
    name: 'regional https endpoint in the bucket region',
    target: { serviceUrl: 'https://s3.us-west-2.amazonaws.com' },
    facts: inRegion('us-west-2'),
    expect: [{ status: 'pass', subject: 'https' }, { status: 'pass', subject: 'endpoint-form', messageId: 'form' }, { status: 'pass', subject: 'region', messageId: 'regionMatch' }],
  },
  {
    name: 'region mismatch fails',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: inRegion('us-west-2'),
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'fail', subject: 'region', messageId: 'regionMismatch', message: 'https://s3.us-west-2.amazonaws.com' }],
  },
  {
    name: 'global endpoint serves us-east-1 and is legacy',
    target: { serviceUrl: 'https://s3.amazonaws.com' },
    facts: inRegion('us-east-1'),
    expect: [{ status: 'pass' }, { status: 'warn', messageId: 'legacyForm' }, { status: 'pass', messageId: 'regionMatch' }],
  },
  {
    name: '--region differs from the bucket region',
    target: { serviceUrl: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-central-1' },
    facts: inRegion('eu-west-1'),
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'fail', messageId: 'flagMismatch' }],
  },
  {
    name: 'http on AWS fails',
    target: { serviceUrl: 'http://s3.us-east-1.amazonaws.com' },
    facts: inRegion('us-east-1'),
    expect: [{ status: 'fail', subject: 'https', messageId: 'httpAws' }, { status: 'pass' }, { status: 'pass' }],
  },
  {
    name: 'MinIO over https: region checks skip',
    target: { serviceUrl: 'https://minio.example.internal:9000' },
    expect: [{ status: 'pass' }, { status: 'pass', messageId: 'compatible' }, { status: 'skip', messageId: 'regionCompatible' }],
  },
  {
    name: 'MinIO over http warns',
    target: { serviceUrl: 'http://10.0.0.5:9000' },
    expect: [{ status: 'warn', messageId: 'httpCompatible' }, { status: 'pass' }, { status: 'skip' }],
  },
  {
    name: 'bucket missing: region not compared',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: { bucketHead: { status: 'not-found' } },
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'skip', messageId: 'regionNoBucket' }],
  },
  {
    name: 'region header stripped, GetBucketLocation answered: compared as usual (a wrong-region URL still fails)',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: { bucketHead: { status: 'found', region: 'eu-west-1', regionFrom: 's3:GetBucketLocation' } },
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'fail', messageId: 'regionMismatch', evidence: { api: 's3:GetBucketLocation', bucketRegion: 'eu-west-1' } }],
  },
  {
    name: 'region header stripped and GetBucketLocation denied: error, never a skipped comparison',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: { bucketHead: { status: 'found', region: null, regionError: deniedFact('bucketRegion', 's3:GetBucketLocation').info } },
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'error', subject: 'region', messageId: 'regionUnknown', message: 's3:GetBucketLocation' }],
  },
  {
    name: 'HeadBucket 403 without a region and no GetBucketLocation answer: error',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: { bucketHead: { status: 'forbidden', region: null } },
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'error', subject: 'region', messageId: 'regionUnknown' }],
  },
  {
    name: 'HeadBucket failed: the check is an error, not a pass',
    target: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' },
    facts: { bucketHead: deniedFact('bucketHead', 's3:HeadBucket', 'Throttling') },
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'error', evidence: { code: 'Throttling' } }],
  },
]);

checkTable(serviceUrl, [
  {
    name: 'China bucket: the suggested URL uses .amazonaws.com.cn',
    target: { serviceUrl: 'https://s3.cn-northwest-1.amazonaws.com.cn' },
    facts: inRegion('cn-north-1'),
    expect: [{ status: 'pass' }, { status: 'pass' }, { status: 'fail', messageId: 'regionMismatch', message: 'https://s3.cn-north-1.amazonaws.com.cn' }],
  },
  {
    name: 'old FIPS spelling is legacy',
    target: { serviceUrl: 'https://s3-fips-us-gov-west-1.amazonaws.com' },
    facts: inRegion('us-gov-west-1'),
    expect: [{ status: 'pass' }, { status: 'warn', messageId: 'legacyForm', message: 'https://s3.us-gov-west-1.amazonaws.com' }, { status: 'pass' }],
  },
]);

// Issue 22 item 6: the service URL is the value under test. A missing or unusable one is a
// `service-url` fail with the exact fix (the bucket's own Region when S3 names it), never bad input,
// and the three subjects are always there.
checkTable(serviceUrl, [
  {
    name: 'bucket name in the host: fail with the fix in the bucket\'s Region',
    target: { serviceUrl: 'https://ghes-packages.s3.us-west-2.amazonaws.com' },
    facts: inRegion('eu-west-1'),
    expect: [
      { status: 'skip', subject: 'https', messageId: 'notUsable' },
      { status: 'fail', subject: 'endpoint-form', messageId: 'unusable', message: "must not contain the bucket name (found 'ghes-packages' in the host)" },
      { status: 'skip', subject: 'region', messageId: 'notUsable' },
    ],
  },
  {
    name: 'no service URL at all: fail "not given", with the bucket\'s Regional endpoint as the fix',
    target: { serviceUrl: undefined },
    facts: inRegion('eu-west-1'),
    expect: [{ status: 'skip', subject: 'https' }, { status: 'fail', subject: 'endpoint-form', messageId: 'missing', message: 'https://s3.eu-west-1.amazonaws.com' }, { status: 'skip', subject: 'region' }],
  },
  {
    name: 'unknown region, bucket region unreadable: still a fail, with the generic fix',
    target: { serviceUrl: 'https://s3.us-mars-1.amazonaws.com' },
    facts: { bucketHead: deniedFact('bucketHead', 's3:HeadBucket') },
    expect: [{ status: 'skip' }, { status: 'fail', subject: 'endpoint-form', message: "unknown AWS Region 'us-mars-1'" }, { status: 'skip' }],
  },
  {
    name: 'a non-S3 AWS host and a path-style bucket fail the same way',
    target: { serviceUrl: 'https://ec2.us-east-1.amazonaws.com' },
    facts: inRegion('us-east-1'),
    expect: [{ status: 'skip' }, { status: 'fail', message: "is AWS service 'ec2'" }, { status: 'skip' }],
  },
]);

test('the fail names the exact fix in the remediation, in the bucket\'s Region, and never repeats credentials', async () => {
  const target = ghesTarget({ serviceUrl: 'https://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI@ghes-packages.s3.amazonaws.com' });
  const results = await runChecks([serviceUrl], { target, facts: fakeFacts(inRegion('ap-southeast-2')) as never }, { defaultSubject: target.bucket });
  const form = results.find((r) => r.subject === 'endpoint-form')!;
  assert.equal(form.status, 'fail');
  assert.match(form.remediation, /https:\/\/s3\.ap-southeast-2\.amazonaws\.com/);
  const text = JSON.stringify(results) + JSON.stringify(target);
  assert.ok(!text.includes('wJalrXUtnFEMI') && !text.includes('AKIAIOSFODNN7EXAMPLE'), text);
});
