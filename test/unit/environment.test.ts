// The kind of credentials a session reports (never a secret), and the one-line description the
// report headers use.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsSession } from '../../src/aws/session.ts';
import { describeEnvironment } from '../../src/report/report.ts';

const keys = { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' };

test('static credentials: GHES credentials when the check says so; an assumed role names the role and what assumed it', () => {
  assert.deepEqual(new AwsSession({ credentials: keys, credentialsSource: 'ghes-credentials' }).credentialsInfo(), { source: 'ghes-credentials' });
  assert.deepEqual(new AwsSession({ credentials: keys }).credentialsInfo(), { source: 'static' });
  const role = 'arn:aws:iam::444455556666:role/preflight-auditor';
  assert.deepEqual(new AwsSession({ credentials: keys, assumeRole: { roleArn: role } }).credentialsInfo(), { source: 'assumed-role', roleArn: role, via: { source: 'static' } });
});

test('environment: "AWS" without an endpoint, the partition from the caller ARN or the region', () => {
  const aws = new AwsSession({ credentials: keys, region: 'cn-north-1' });
  assert.deepEqual(aws.environment(), { endpoint: 'AWS', aws: true, partition: 'aws-cn', credentials: { source: 'static' } });
  assert.equal(aws.environment('arn:aws-us-gov:iam::123456789012:user/x').partition, 'aws-us-gov');
  const emulator = new AwsSession({ credentials: keys, endpointUrl: 'http://127.0.0.1:5000' });
  assert.equal(emulator.environment().aws, false);
  assert.equal(emulator.environment().endpoint, 'http://127.0.0.1:5000');
});

test('describeEnvironment: AWS, NOT AWS with the endpoint, offline', () => {
  assert.equal(describeEnvironment({ endpoint: 'AWS', aws: true, partition: 'aws', credentials: { source: 'profile', profile: 'prod' } }), 'AWS; partition aws; credentials: profile prod');
  assert.match(describeEnvironment({ endpoint: 'http://127.0.0.1:9000', aws: false, partition: 'aws', credentials: { source: 'ghes-credentials' } }), /^NOT AWS: http:\/\/127\.0\.0\.1:9000 .*credentials: the GHES Packages access key/);
  assert.match(describeEnvironment({ endpoint: null, aws: false, partition: null, credentials: { source: 'none' } }), /^no AWS request \(offline\); partition unknown; credentials: none$/);
});
