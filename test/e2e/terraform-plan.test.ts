// check --terraform-plan through the built CLI (dist/cli.mjs): real plan JSON files that public
// projects commit (test/fixtures/terraform/real/, origin and licence in NOTICE.md beside them) and
// plans written for this tool (test/fixtures/terraform/). No credentials are given and every AWS
// endpoint points at a local server that counts requests: a plan run must send none.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { testEnv } from '../harness/moto.ts';
import { runCli } from './cli.ts';

const FIXTURES = new URL('../fixtures/terraform/', import.meta.url).pathname;
const REAL = join(FIXTURES, 'real');
const URL_US_WEST_2 = 'https://s3.us-west-2.amazonaws.com';

let requests = 0;
let server: http.Server;
let endpoint = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** No credentials at all, and every AWS endpoint (and proxy) pointed at the counting server. */
const noCredentials = () => ({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_ENDPOINT_URL: endpoint, HTTPS_PROXY: endpoint, HTTP_PROXY: endpoint });

async function plan(file: string, args: string[]) {
  const before = requests;
  const run = await runCli(['check', '--terraform-plan', file, ...args], { endpoint, env: noCredentials() });
  assert.equal(requests, before, 'a plan run sent a request');
  assert.ok(run.json, `no JSON report: ${run.stderr}`);
  assert.deepEqual(run.json.apiCalls, [], 'the report records no AWS call');
  assert.equal(run.json.target.source, 'terraform-plan');
  assert.equal(run.code, run.json.exitCode, run.stderr);
  // Never `error` from a plan: what it cannot tell is a skip that names why.
  assert.deepEqual(run.json.results.filter((r) => r.status === 'error').map((r) => `${r.check} [${r.subject}] ${r.message}`), []);
  return run;
}
const status = (run: Awaited<ReturnType<typeof plan>>, check: string, subject?: string) =>
  run.json!.results.filter((r) => r.check === check && (subject === undefined || r.subject === subject)).map((r) => r.status);
const messages = (run: Awaited<ReturnType<typeof plan>>, check: string) => run.json!.results.filter((r) => r.check === check).map((r) => r.message).join('\n');

test('the request counter can fail: a live check in the same environment (with a key) reaches it', async () => {
  const before = requests;
  await runCli(['check', '--bucket', 'ghes-packages', '--service-url', URL_US_WEST_2, '--max-attempts', '1'], { endpoint, env: { ...noCredentials(), AWS_ACCESS_KEY_ID: 'AKIATESTFAKEKEY00000', AWS_SECRET_ACCESS_KEY: 'test-secret-not-real' } });
  assert.ok(requests > before, 'the counting endpoint saw no request from a live check');
});

describe('real plan files from public repositories', { concurrent: true }, () => {
  test('checkov: terraform-aws-modules/s3-bucket in a module with count, a public-read-write ACL with Block Public Access off', async () => {
    const run = await plan(join(REAL, 'checkov-nested-child-modules.json'), ['--bucket-address', 'module.s3_bucket.aws_s3_bucket.this[0]', '--service-url', URL_US_WEST_2]);
    // ACLs are disabled by the new bucket's default ownership, so the grant is a warning; the
    // account-level Block Public Access is not in the plan, so exposure is not decided.
    assert.equal(run.code, 2);
    assert.deepEqual(status(run, 'bucket-acl', 'public'), ['warn']);
    assert.match(messages(run, 'bucket-acl'), /WRITE to AllUsers/);
    assert.deepEqual(status(run, 'public-access-block'), ['skip']);
    assert.match(messages(run, 'public-access-block'), /not on at the bucket level/);
    assert.deepEqual(status(run, 'service-url', 'region'), ['pass']);
  });

  test('checkov: a bucket policy from a data source is unknown until apply: the policy checks skip naming it', async () => {
    const run = await plan(join(REAL, 'checkov-iam-data-block.json'), ['--bucket', 'my-tf-test-bucket', '--service-url', 'https://s3.us-east-2.amazonaws.com']);
    assert.equal(run.code, 2);
    for (const check of ['bucket-policy', 'secure-transport', 'required-request-headers']) {
      assert.ok(status(run, check).every((s) => s === 'skip'), check);
      assert.match(messages(run, check), /aws_s3_bucket_policy\.allow_access_from_another_account\.policy/);
    }
    assert.deepEqual(status(run, 'service-url', 'region'), ['pass']);
  });

  test('checkov: Block Public Access passed through a module variable and a local is not assumed to be absent', async () => {
    const run = await plan(join(REAL, 'checkov-combine-graph.json'), ['--bucket', 'example', '--service-url', URL_US_WEST_2]);
    assert.equal(run.code, 2);
    assert.deepEqual(status(run, 'public-access-block'), ['skip']);
    assert.match(messages(run, 'public-access-block'), /module\.s3_module\.module\.inner_s3_module\.aws_s3_bucket_public_access_block\.var_bucket\.bucket/);
  });

  test('checkov: a bucket two modules deep, region from the root provider: the wrong service URL fails with the right one', async () => {
    const run = await plan(join(REAL, 'checkov-modules-edges.json'), ['--bucket-address', 'module.test.module.s3-bucket-2.aws_s3_bucket.this[0]', '--service-url', URL_US_WEST_2]);
    assert.equal(run.code, 1);
    assert.deepEqual(status(run, 'service-url', 'region'), ['fail']);
    assert.match(messages(run, 'service-url'), /https:\/\/s3\.eu-central-1\.amazonaws\.com/);
    assert.deepEqual(status(run, 'public-access-block'), ['pass']);
  });

  test('terraform-compliance: no provider region in the plan: the region is not guessed', async () => {
    const run = await plan(join(REAL, 'terraform-compliance-regex-on-when.json'), ['--service-url', URL_US_WEST_2]);
    assert.equal(run.code, 2);
    assert.deepEqual(status(run, 'service-url', 'region'), ['skip']);
    assert.match(messages(run, 'service-url'), /names no region/);
  });

  test('terraform-compliance (format 0.1): the legacy inline encryption block with SSE-KMS', async () => {
    const run = await plan(join(REAL, 'terraform-compliance-s3-encryption-success.json'), ['--service-url', URL_US_WEST_2]);
    assert.deepEqual(status(run, 'bucket-encryption'), ['pass']);
    assert.match(messages(run, 'bucket-encryption'), /SSE-KMS/);
  });

  test('terraform-compliance (format 0.1): a public bucket policy linked by reference; a Deny on plain HTTP', async () => {
    const open = await plan(join(REAL, 'terraform-compliance-issue-174.json'), ['--bucket-address', 'aws_s3_bucket.c', '--service-url', 'https://s3.eu-west-1.amazonaws.com']);
    assert.deepEqual(status(open, 'bucket-policy', 'public'), ['warn']);
    assert.match(messages(open, 'bucket-policy'), /Allow S3 access/);
    const tls = await plan(join(REAL, 'terraform-compliance-issue-174.json'), ['--bucket-address', 'aws_s3_bucket.b', '--service-url', 'https://s3.eu-west-1.amazonaws.com']);
    assert.match(messages(tls, 'secure-transport'), /Only allow SSL\/TLS access/);
  });

  test('terraform-compliance: two modules create a bucket of the same name: its Block Public Access is not decided', async () => {
    const run = await plan(join(REAL, 'terraform-compliance-multi-module.json'), ['--bucket-address', 'module.root_layer.module.second_layer.module.third_layer.aws_s3_bucket.test', '--service-url', 'https://s3.eu-west-1.amazonaws.com']);
    assert.deepEqual(status(run, 'public-access-block'), ['skip']);
    assert.deepEqual(status(run, 'service-url', 'region'), ['pass']);
  });
});

describe('plans written for this tool', { concurrent: true }, () => {
  const user = ['--user-address', 'aws_iam_user.ghes', '--service-url', URL_US_WEST_2];

  test('a compliant plan: exit 0, the permissions judged by the local evaluator, live-only checks skipped neutrally', async () => {
    const run = await plan(join(FIXTURES, 'compliant.json'), user);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual([...new Set(status(run, 'iam-simulation'))], ['pass']);
    assert.equal(run.json!.results.find((r) => r.check === 'iam-simulation')?.evidence.engine, 'local');
    for (const check of ['credentials', 'bucket-reachable', 'probe', 'storage-drift']) {
      const r = run.json!.results.find((x) => x.check === check);
      assert.equal(r?.status, 'skip', check);
      assert.equal(r?.incomplete, undefined, `${check} leaves the plan run complete`);
    }
  });

  test('a public ACL: exit 1', async () => {
    const run = await plan(join(FIXTURES, 'public-acl.json'), user);
    assert.equal(run.code, 1);
    assert.deepEqual(status(run, 'bucket-acl', 'public'), ['fail']);
  });

  test('a policy known only after apply: exit 2, every check that needs it names the path', async () => {
    const run = await plan(join(FIXTURES, 'unknown-policy.json'), user);
    assert.equal(run.code, 2);
    for (const r of run.json!.results.filter((x) => x.incomplete)) assert.match(r.message, /aws_s3_bucket_policy\.packages\.policy/, r.check);
    assert.deepEqual([...new Set(status(run, 'iam-simulation'))], ['skip']);
  });

  test('the region from a variable, another than the service URL\'s: exit 1 with the URL to type', async () => {
    const run = await plan(join(FIXTURES, 'wrong-region.json'), user);
    assert.equal(run.code, 1);
    assert.match(messages(run, 'service-url'), /Use https:\/\/s3\.eu-central-1\.amazonaws\.com/);
    assert.equal(run.json!.target.region, 'eu-central-1');
  });

  test('legacy inline arguments of aws_s3_bucket (format 0.1): compliant', async () => {
    const run = await plan(join(FIXTURES, 'legacy-inline-v3.json'), user);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(status(run, 'secure-transport'), ['pass']);
    assert.deepEqual(status(run, 'lifecycle-rules', 'abort-incomplete-multipart'), ['pass']);
  });

  test('for_each buckets in a module and an AWS-managed policy the plan does not hold', async () => {
    const run = await plan(join(FIXTURES, 'module-for-each.json'), ['--bucket-address', 'module.storage.aws_s3_bucket.this["packages"]', ...user]);
    assert.equal(run.code, 2);
    assert.deepEqual(status(run, 'public-access-block'), ['pass']);
    assert.deepEqual(status(run, 'secure-transport'), ['pass']);
    assert.match(messages(run, 'iam-simulation'), /arn:aws:iam::aws:policy\/AmazonS3ReadOnlyAccess \(AWS-managed\)/);
  });
});

describe('what is not a plan, or not in it: exit 3, one line, no report, no request', { concurrent: true }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const compliant = join(FIXTURES, 'compliant.json');
  const rows: Array<{ name: string; args: string[]; line: RegExp }> = [
    { name: 'a JSON file that is not a plan', args: ['--terraform-plan', file('package.json', '{"name":"x","version":"1.0.0"}')], line: /not a Terraform plan JSON \(a JSON file without "format_version"\); make it with "terraform plan -out plan && terraform show -json plan > plan\.json"/ },
    { name: 'the JSON of a state', args: ['--terraform-plan', file('state.json', '{"format_version":"1.0","values":{"root_module":{}}}')], line: /the JSON of a state, not of a plan/ },
    { name: 'the binary plan file', args: ['--terraform-plan', file('plan.tfplan', Buffer.from('PK\u0003\u0004binary'))], line: /the binary plan file .*terraform show -json/ },
    { name: 'the log of terraform plan -json', args: ['--terraform-plan', file('log.json', '{"@level":"info","@message":"Terraform 1.9.8","type":"version"}\n{"@level":"info"}\n')], line: /the log of "terraform plan -json"/ },
    { name: 'a newer major format version', args: ['--terraform-plan', file('v2.json', '{"format_version":"2.0","planned_values":{}}')], line: /format_version "2\.0" is not one this tool reads/ },
    { name: 'not JSON at all', args: ['--terraform-plan', file('plan.txt', 'Plan: 3 to add, 0 to change, 0 to destroy.\n')], line: /not a Terraform plan JSON \(not valid JSON/ },
    { name: 'a missing file', args: ['--terraform-plan', join(dir, 'missing.json')], line: /cannot read the file \(no such file\)/ },
    { name: 'a bucket address the plan does not hold', args: ['--terraform-plan', compliant, '--bucket-address', 'aws_s3_bucket.nope'], line: /holds no aws_s3_bucket at that address; its buckets: aws_s3_bucket\.packages \("ghes-packages"\)/ },
    { name: 'a bucket name the plan does not hold', args: ['--terraform-plan', compliant, '--bucket', 'other-bucket'], line: /holds no aws_s3_bucket named so/ },
    { name: 'a user address the plan does not hold', args: ['--terraform-plan', compliant, '--user-address', 'aws_iam_user.nope'], line: /holds no aws_iam_user at that address; its users: aws_iam_user\.ghes/ },
    { name: '--bucket and --bucket-address together', args: ['--terraform-plan', compliant, '--bucket', 'ghes-packages', '--bucket-address', 'aws_s3_bucket.packages'], line: /--bucket-address cannot be combined with --bucket/ },
    { name: '--probe with a plan', args: ['--terraform-plan', compliant, '--probe'], line: /--probe cannot be combined with --terraform-plan/ },
    { name: '--engine aws with a plan', args: ['--terraform-plan', compliant, '--engine', 'aws'], line: /--engine aws cannot be used with --terraform-plan/ },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const before = requests;
      const run = await runCli(['check', ...row.args, '--service-url', URL_US_WEST_2], { endpoint, env: noCredentials() });
      const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(run.code, 3, run.stderr);
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], row.line);
      assert.equal(run.stdout, '');
      assert.deepEqual(Object.keys(run.files), []);
      assert.equal(requests, before);
    });
  }

  test('the hand-written plans are what terraform show -json writes (format, resource_changes, configuration)', () => {
    for (const name of ['compliant', 'public-acl', 'unknown-policy', 'wrong-region', 'legacy-inline-v3', 'module-for-each']) {
      const doc = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
      assert.match(doc.format_version, /^[01]\.\d+$/, name);
      assert.ok(Array.isArray(doc.resource_changes) && doc.configuration?.root_module, name);
    }
  });
});

test('the GitHub Action takes terraform-plan, bucket-address and user-address: a pull-request job with no AWS credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'action-plan-'));
  const output = join(dir, 'output.txt');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const before = requests;
  const run = spawnSync(process.execPath, [new URL('../../dist/action.mjs', import.meta.url).pathname], {
    cwd: dir,
    encoding: 'utf8',
    env: testEnv(endpoint, {
      ...noCredentials(),
      'INPUT_TERRAFORM-PLAN': join(FIXTURES, 'public-acl.json'),
      'INPUT_BUCKET-ADDRESS': 'aws_s3_bucket.packages',
      'INPUT_USER-ADDRESS': 'aws_iam_user.ghes',
      'INPUT_SERVICE-URL': URL_US_WEST_2,
      'INPUT_OUTPUT-DIR': 'out',
      INPUT_FORMAT: 'json,markdown',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    }),
  });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(requests, before, 'the Action sent a request');
  assert.match(readFileSync(output, 'utf8'), /^verdict=non-compliant$/m);
  assert.match(run.stdout, /^::error title=bucket-acl \[public\]::/m);
  assert.match(readFileSync(summary, 'utf8'), /Verdict: NON-COMPLIANT/);
});
