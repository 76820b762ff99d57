// The foundation end to end: the built CLI against the moto server, every exit code reached,
// the three reports written and parseable.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useMoto } from '../harness/use-moto.ts';
import { DEMO_SCENARIO, ghesUserPolicy, seedGhesScenario, type Scenario } from '../harness/scenarios.ts';
import { assertRoundTrip, runCli, statusesOf } from './cli.ts';

const FOUNDATION = ['credentials', 'bucket-reachable', 'service-url', 'dedicated-bucket'];

const good: Scenario = {
  bucket: 'ghes-packages-ok',
  region: 'us-west-2',
  serviceUrl: 'https://s3.us-west-2.amazonaws.com',
  actionsBucket: 'ghes-actions-ok',
  userName: 'ghes-packages',
  userPolicies: { storage: ghesUserPolicy('ghes-packages-ok') },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  bucketPolicy: {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::ghes-packages-ok', 'arn:aws:s3:::ghes-packages-ok/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  },
  problems: [],
};

describe('foundation: check against the emulator', () => {
  const moto = useMoto();

  test('the foundation checks pass on a correct setup and all three reports are written', async () => {
    const s = await seedGhesScenario(moto.endpoint, good);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    });
    for (const id of FOUNDATION) {
      assert.ok(statusesOf(run.json, id).length > 0, `${id} has results`);
      assert.ok(statusesOf(run.json, id).every((st) => st.startsWith('pass')), `${id}: ${statusesOf(run.json, id)}\n${run.stdout}`);
    }
    const json = run.json!;
    assert.equal(json.schemaVersion, 1);
    assert.equal(json.tool.name, 'packages-preflight');
    assert.equal(json.target.bucket, s.bucket);
    assert.equal(json.target.region, 'us-west-2');
    assert.equal(json.target.account, '123456789012');
    assert.equal(json.target.principalArn, s.userArn);
    assert.ok(json.apiCalls.some((c) => c.operation === 'GetCallerIdentity' && c.outcome === 'ok'));
    assert.ok(json.apiCalls.some((c) => c.operation === 'HeadBucket' && c.resource === `arn:aws:s3:::${s.bucket}`));
    // A correct GHES setup is compliant: exit 0, whatever checks the pack grows.
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(json.exitCode, 0);
    assert.equal(json.verdict, 'compliant');
    // JUnit: one suite for the pack, one case per result, classname = check id.
    const suite = (run.junit as { testsuites: { testsuite: { '@name': string; testcase: Array<{ '@classname': string; '@name': string }> } } }).testsuites.testsuite;
    assert.equal(suite['@name'], 'ghes-s3');
    const cases = ([] as Array<{ '@classname': string; '@name': string }>).concat(suite.testcase);
    assert.equal(cases.length, json.results.length);
    assert.ok(cases.some((c) => c['@classname'] === 'dedicated-bucket' && c['@name'] === s.bucket));
    // Markdown: verdict first, summary table.
    assert.match(run.markdown!, /^# packages-preflight report \(ghes-s3\)\n\n\*\*Verdict: /);
    assert.match(run.markdown!, /\| pass \| fail \| warn \| error \| skip \|/);
    assert.match(run.stdout, /PASS {2}dedicated-bucket/);
    await assertRoundTrip(run);
  });

  test('exit 1: the demo setup is non-compliant (region mismatch) and the fix is in the Markdown', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.json?.verdict, 'non-compliant');
    assert.deepEqual(statusesOf(run.json, 'service-url'), ['pass [https]', 'pass [endpoint-form]', 'fail [region]']);
    assert.match(run.markdown!, /FAIL \(severity high\) `service-url` — region/);
    assert.match(run.markdown!, /https:\/\/s3\.us-west-2\.amazonaws\.com/);
    const junit = run.junitText!;
    assert.match(junit, /<failure message="[^"]*us-west-2/);
    await assertRoundTrip(run);
  });

  test('exit 1: a missing bucket fails bucket-reachable', async () => {
    const run = await runCli(['check', '--bucket', 'no-such-bucket-here', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--format', 'json'], { endpoint: moto.endpoint });
    assert.equal(run.code, 1);
    assert.deepEqual(statusesOf(run.json, 'bucket-reachable'), ['fail [no-such-bucket-here]']);
    assert.deepEqual(Object.keys(run.files), ['packages-preflight.json']);
    const rendered = await runCli(['report', '--from', `${run.outputDir}/packages-preflight.json`, '--format', 'junit,markdown']);
    assert.equal(rendered.code, 1);
    assert.match(rendered.files['packages-preflight.md'], /FAIL \(severity \w+\) `bucket-reachable`/);
  });

  test('exit 2: an endpoint that refuses connections makes the run incomplete, never compliant', async () => {
    const run = await runCli(['check', '--bucket', 'ghes-packages', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1'], { endpoint: moto.endpoint });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.equal(run.json?.verdict, 'incomplete');
    assert.equal(run.json?.summary.pass, run.json?.results.filter((r) => r.check === 'dedicated-bucket' || (r.check === 'service-url' && r.subject !== 'region')).filter((r) => r.status === 'pass').length, 'only checks that need no AWS fact may pass');
    assert.deepEqual(statusesOf(run.json, 'credentials'), ['error [ghes-packages]']);
    assert.equal(run.json?.results.find((r) => r.check === 'credentials')?.evidence.code, 'ECONNREFUSED');
    assert.match(run.stderr, /no AWS request succeeded \(ECONNREFUSED\)/);
    await assertRoundTrip(run);
  });

  test('exit 3: bad input is one line on stderr, no report, no AWS call', async () => {
    const run = await runCli(['check', '--bucket', 'Bad_Bucket', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--debug'], { endpoint: 'http://127.0.0.1:9' });
    assert.equal(run.code, 3);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^packages-preflight: --bucket /);
    assert.deepEqual(Object.keys(run.files), []);
    assert.equal(run.stdout, '');
  });

  test('exit 3: unknown command and unknown flag', async () => {
    for (const args of [['chek'], ['check', '--buckett', 'x']]) {
      const run = await runCli(args);
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });

  test('--help documents the exit codes; --version prints the version', async () => {
    const help = await runCli(['check', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--service-url/);
    assert.match(help.stdout, /3 {2}bad input or usage/);
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });
});

test('the help texts embedded at build time equal what yargs renders from the source', async () => {
  for (const command of ['', 'check', 'fleet', 'codeartifact', 'report', 'policy', 'checks', 'completion']) {
    const args = command ? [command, '--help'] : ['--help'];
    const bundled = await runCli(args);
    const source = await runCli(args, { source: true });
    assert.equal(bundled.code, 0);
    assert.equal(bundled.stdout, source.stdout, `${args.join(' ')} differs between the bundle and the source`);
  }
});
