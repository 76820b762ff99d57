// Reports say where they were run against (issue 15 item 5): the endpoint (an --endpoint-url, or
// "AWS"), the partition and the kind of credentials, in the JSON, the JUnit suite properties and
// the Markdown header; a run against the emulator is marked NOT AWS in all three.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEMO_SCENARIO, seedGhesScenario } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli } from './cli.ts';

type Suite = { properties?: { property: Array<{ '@name': string; '@value': string }> | { '@name': string; '@value': string } } };
function suiteProperties(junit: Record<string, unknown> | undefined): Array<Record<string, string>> {
  const suites = (junit?.testsuites as { testsuite: Suite | Suite[] }).testsuite;
  return (Array.isArray(suites) ? suites : [suites]).map((s) => {
    const props = s.properties?.property ?? [];
    return Object.fromEntries((Array.isArray(props) ? props : [props]).map((p) => [p['@name'], p['@value']]));
  });
}

describe('run environment in every report', { timeout: 300_000 }, () => {
  const moto = useMoto();

  test('check against the emulator: endpoint, not AWS, partition, credentials from the environment', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl], { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey } });
    assert.deepEqual(run.json?.environment, { endpoint: moto.endpoint, aws: false, partition: 'aws', credentials: { source: 'env' } });
    const [props] = suiteProperties(run.junit);
    assert.equal(props.endpoint, moto.endpoint);
    assert.equal(props.aws, 'false');
    assert.equal(props.partition, 'aws');
    assert.equal(props.credentials, 'environment variables');
    const header = run.markdown!.split('\n## ')[0];
    assert.match(header, new RegExp(`\\*\\*Run against:\\*\\* NOT AWS: \`${moto.endpoint.replace(/[.:/]/g, '\\$&')}\` \\(--endpoint-url`));
    assert.match(header, /credentials: environment variables/);
  });

  test('a named profile is reported by name (never its keys)', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const dir = mkdtempSync(join(tmpdir(), 'preflight-env-'));
    const config = join(dir, 'config');
    writeFileSync(config, `[profile auditor]\naws_access_key_id = ${s.accessKeyId}\naws_secret_access_key = ${s.secretAccessKey}\nregion = us-west-2\n`);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--profile', 'auditor'], {
      endpoint: moto.endpoint,
      env: { AWS_CONFIG_FILE: config, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    });
    assert.deepEqual(run.json?.environment?.credentials, { source: 'profile', profile: 'auditor' }, run.stderr);
    assert.match(run.markdown!, /credentials: profile auditor/);
  });

  test('fleet: each target carries its environment; the header names the shared endpoint', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const dir = mkdtempSync(join(tmpdir(), 'preflight-env-fleet-'));
    const targets = join(dir, 'fleet.yml');
    writeFileSync(targets, `targets:\n  - name: a\n    bucket: ${s.bucket}\n    serviceUrl: ${s.serviceUrl}\n  - name: b\n    bucket: ${s.actionsBucket}\n    serviceUrl: ${s.serviceUrl}\n`);
    const run = await runCli(['fleet', '--targets', targets], { endpoint: moto.endpoint });
    assert.ok(run.json?.targets?.every((t) => t.environment?.endpoint === moto.endpoint && t.environment.aws === false), run.stderr);
    assert.equal(run.json?.environment?.endpoint, moto.endpoint);
    assert.equal(run.json?.environment?.aws, false);
    assert.ok(suiteProperties(run.junit).every((p) => p.endpoint === moto.endpoint && p.aws === 'false'));
    assert.match(run.markdown!, /\*\*Run against:\*\* NOT AWS/);
  });

  test('codeartifact --policy-file: no AWS request, said so', async () => {
    const policy = new URL('../fixtures/codeartifact/seed-organization.json', import.meta.url).pathname;
    const run = await runCli(['codeartifact', '--domain', 'packages', '--domain-owner', '111122223333', '--region', 'eu-west-1', '--policy-file', policy]);
    assert.deepEqual(run.json?.environment, { endpoint: null, aws: false, partition: 'aws', credentials: { source: 'none' } });
    assert.equal(suiteProperties(run.junit)[0].endpoint, 'none (offline)');
    assert.match(run.markdown!, /\*\*Run against:\*\* no AWS request \(offline\)/);
  });
});
