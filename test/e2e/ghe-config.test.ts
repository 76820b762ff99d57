// `--from-ghe-config -` fed a realistic `ghe-config -l` export on stdin, and --waivers, end to end.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useMoto } from '../harness/use-moto.ts';
import { DEMO_SCENARIO, seedGhesScenario } from '../harness/scenarios.ts';
import { GHE_EXPORT } from '../fixtures/ghe-config.ts';
import { runCli, statusesOf } from './cli.ts';

describe('ghe-config import and waivers through the CLI', () => {
  const moto = useMoto();

  test('--from-ghe-config - --use-ghe-credentials checks exactly what the appliance uses; the secret appears nowhere', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const exportText = GHE_EXPORT({
      'secrets.packages.s3-bucket': s.bucket,
      'secrets.packages.service-url': s.serviceUrl,
      'secrets.actions.storage.s3.bucket-name': s.actionsBucket,
      'secrets.packages.aws-access-key': s.accessKeyId,
      'secrets.packages.aws-secret-key': s.secretAccessKey,
    });
    const run = await runCli(['check', '--from-ghe-config', '-', '--use-ghe-credentials', '--debug'], { endpoint: moto.endpoint, input: exportText });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.json!.target.bucket, s.bucket);
    assert.equal(run.json!.target.serviceUrl, s.serviceUrl);
    assert.equal(run.json!.target.actionsBucket, s.actionsBucket);
    assert.equal(run.json!.target.source, 'ghe-config');
    assert.equal(run.json!.target.gheCredentials, `${s.accessKeyId.slice(0, 4)}…${s.accessKeyId.slice(-4)}`);
    // The caller is the GHES user (its key from the export), not the test's dummy key.
    assert.deepEqual(statusesOf(run.json, 'credentials'), [`pass [${s.bucket}]`]);
    assert.equal(run.json!.results.find((r) => r.check === 'credentials')!.evidence.arn, s.userArn);
    const outputs = { stdout: run.stdout, stderr: run.stderr, ...run.files };
    for (const [where, text] of Object.entries(outputs)) {
      assert.ok(!text.includes(s.secretAccessKey), `the secret key leaked into ${where}`);
      assert.ok(!text.includes(s.accessKeyId), `the access key id appears unmasked in ${where}`);
    }
  });

  test('the appliance\'s service URL is judged, not refused: the bucket name in it, or none at all, is a service-url fail with the fix', async () => {
    const s = await seedGhesScenario(moto.endpoint, { ...DEMO_SCENARIO, bucket: 'ghe-url-check', actionsBucket: 'ghe-url-check-actions', userName: 'ghe-url-user' });
    for (const value of [`https://${s.bucket}.s3.${s.region}.amazonaws.com`, '']) {
      const exportText = GHE_EXPORT({ 'secrets.packages.s3-bucket': s.bucket, 'secrets.packages.service-url': value, 'secrets.actions.storage.s3.bucket-name': s.actionsBucket });
      const run = await runCli(['check', '--from-ghe-config', '-'], { endpoint: moto.endpoint, input: exportText });
      assert.equal(run.code, 1, run.stderr);
      const form = run.json!.results.find((r) => r.check === 'service-url' && r.subject === 'endpoint-form')!;
      assert.equal(form.status, 'fail', form.message);
      assert.match(form.message, value ? /must not contain the bucket name/ : /is empty/);
      assert.ok(form.remediation.includes(`https://s3.${s.region}.amazonaws.com`), form.remediation);
      assert.ok(run.json!.results.some((r) => r.check === 'iam-simulation'), 'the other checks ran');
    }
  });

  test('--use-ghe-credentials without --from-ghe-config is bad input', async () => {
    const run = await runCli(['check', '--bucket', 'b-1', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--use-ghe-credentials'], { endpoint: 'http://127.0.0.1:9' });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^packages-preflight: --use-ghe-credentials needs --from-ghe-config FILE/);
  });

  test('--waivers: a waived failure no longer fails the run and shows as waived in every report', async () => {
    const s = await seedGhesScenario(moto.endpoint, { ...DEMO_SCENARIO, userPolicies: {}, publicReadAcl: false });
    const dir = mkdtempSync(join(tmpdir(), 'waivers-e2e-'));
    const file = join(dir, 'waivers.yml');
    const baseArgs = ['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--format', 'json'];
    const env = { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey };
    const before = await runCli(baseArgs, { endpoint: moto.endpoint, env });
    const failing = [...new Set(before.json!.results.filter((r) => r.status === 'fail').map((r) => r.check))];
    assert.ok(failing.includes('service-url'), `expected service-url to fail: ${failing}`);
    writeFileSync(file, `waivers:\n${failing.map((c) => `  - check: ${c}\n    reason: migration to the new region is planned\n    expires: 2099-12-31\n    approvedBy: platform-team\n`).join('')}`);
    const waived = await runCli([...baseArgs, '--format', 'json,junit,markdown', '--waivers', file], { endpoint: moto.endpoint, env });
    assert.notEqual(waived.code, 1, waived.stdout);
    const r = waived.json!.results.find((x) => x.check === 'service-url' && x.subject === 'region')!;
    assert.equal(r.status, 'skip');
    assert.equal((r.evidence.waived as { originalStatus: string }).originalStatus, 'fail');
    assert.match(waived.markdown!, /Waived until 2099-12-31 \(migration to the new region is planned; approved by platform-team\)/);
    assert.match(waived.junitText!, /<skipped message="Waived until 2099-12-31/);
  });
});
