// The second backend: the same foundation scenarios against LocalStack, started with
// testcontainers when a Docker engine answers. None does on the project's own machines: then the
// suite is skipped with the reason, visibly.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { DEMO_SCENARIO, ghesUserPolicy, seedGhesScenario } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

function dockerUnavailable(): string | undefined {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  if (info.error) return `no Docker client (${(info.error as NodeJS.ErrnoException).code}): the LocalStack backend needs a Docker engine`;
  if (info.status !== 0) return `no Docker engine answers (docker info: ${(info.stderr || '').trim().split('\n').pop()}): the LocalStack backend needs one`;
  return undefined;
}

const skip = dockerUnavailable();

describe.skipIf(skip)('LocalStack backend (testcontainers)', () => {
  let endpoint = '';
  let stop: () => Promise<unknown> = async () => undefined;
  beforeAll(async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('localstack/localstack:4')
      .withEnvironment({ SERVICES: 's3,iam,sts', EAGER_SERVICE_LOADING: '1' })
      .withExposedPorts(4566)
      .withWaitStrategy(Wait.forLogMessage('Ready.'))
      .start();
    endpoint = `http://127.0.0.1:${container.getMappedPort(4566)}`;
    stop = () => container.stop();
  });
  afterAll(async () => stop());

  test('a correct setup: the foundation and permission checks pass', async () => {
    const s = await seedGhesScenario(endpoint, { ...DEMO_SCENARIO, bucket: 'ls-ghes-ok', actionsBucket: 'ls-ghes-actions', serviceUrl: 'https://s3.us-west-2.amazonaws.com', userPolicies: { storage: ghesUserPolicy('ls-ghes-ok') }, publicReadAcl: false });
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], { endpoint, env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey } });
    for (const id of ['bucket-reachable', 'service-url', 'dedicated-bucket', 'iam-simulation']) {
      assert.ok(statusesOf(run.json, id).every((x) => x.startsWith('pass')), `${id}: ${statusesOf(run.json, id)}`);
    }
  });

  test('the demo setup is non-compliant (exit 1)', async () => {
    const s = await seedGhesScenario(endpoint, { ...DEMO_SCENARIO, bucket: 'ls-ghes-demo', actionsBucket: 'ls-ghes-demo-actions' });
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl], { endpoint, env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey } });
    assert.equal(run.code, 1);
    assert.deepEqual(statusesOf(run.json, 'service-url').at(-1), 'fail [region]');
  });
});
