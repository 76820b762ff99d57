// The same end-to-end scenarios against both emulators, parametrised: moto (reset before each test)
// and LocalStack (host mode without Docker, or its image through testcontainers where Docker
// exists; a fresh account and unique bucket names per test). Each test's name carries its backend.
// Where the two answer differently (and where either differs from AWS's documentation), the
// expectation names the difference; DESIGN.md lists them side by side.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'vitest';
import { ListMultipartUploadsCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { BACKENDS, type Backend, backendSkip, useBackend } from '../harness/backends.ts';
import { startFaultProxy } from '../harness/fault-proxy.ts';
import { s3ControlConfig } from '../harness/moto.ts';
import { DEMO_SCENARIO, ghesUserPolicy, objectActionsOnBucketArnPolicy, type Scenario, seedGhesScenario } from '../harness/scenarios.ts';
import type { Result } from '../../src/model.ts';
import type { Report } from '../../src/report/report.ts';
import { runCli, statusesOf } from './cli.ts';

const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** The compliant GHES setup from the documentation, with bucket names unique to the test. */
function goodSetup(b: Backend, extra: Partial<Scenario> = {}): Scenario {
  const bucket = b.bucket('ghes-pkg-ok');
  return {
    bucket,
    region: 'us-west-2',
    serviceUrl: 'https://s3.us-west-2.amazonaws.com',
    actionsBucket: b.bucket('ghes-act-ok'),
    userName: 'ghes-packages',
    userPolicies: { storage: ghesUserPolicy(bucket) },
    blockPublicAccess: true,
    bucketOwnerEnforced: true,
    awsBucketDefaults: b.awsBucketDefaults,
    bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    problems: [],
    ...extra,
  };
}

async function check(b: Backend, s: Scenario, extraArgs: string[] = ['--engine', 'local'], opts: { actionsBucket?: string } = {}) {
  const seeded = await seedGhesScenario(b.endpoint, s, b.admin);
  const run = await runCli(['check', '--bucket', seeded.bucket, '--service-url', seeded.serviceUrl, '--actions-bucket', opts.actionsBucket ?? seeded.actionsBucket, ...extraArgs], {
    endpoint: b.endpoint,
    env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey },
  });
  assert.ok(run.json, `no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  const all = Object.fromEntries([...new Set(run.json.results.map((r) => r.check))].map((id) => [id, statusesOf(run.json, id).map((x) => x.split(' [')[0]).join(',')]));
  return { run, seeded, all, statuses: (id: string) => statusesOf(run.json, id), result: (id: string, subject: string) => resultOf(run.json, id, subject) };
}

/** The one result of a check for a subject (checks declare fixed subjects; several findings for one subject are one result). */
function resultOf(report: Report | undefined, id: string, subject: string): Result {
  const r = report?.results.find((x) => x.check === id && x.subject === subject);
  assert.ok(r, `no ${id} result for subject ${subject}`);
  return r;
}


/** Checks whose verdict on a correct setup differs between the emulators, with the reason (DESIGN.md lists them). */
const GOOD_SETUP_DIFFERENCES: Record<string, Record<'moto' | 'localstack', string>> = {
  // moto creates buckets without default encryption; LocalStack, like AWS since January 2023, with SSE-S3.
  'bucket-encryption': { moto: 'warn', localstack: 'pass' },
  // moto answers GetBucketRequestPayment with a bucket listing; the harness's moto front
  // (test/harness/moto-front.ts) answers the Payer last put, as AWS does, so both pass here. The raw
  // moto answer is refused as not the document asked for (test/e2e/data-safety.test.ts pins that).
};

for (const name of BACKENDS) {
  describe.skipIf(backendSkip(name))(`end to end [${name}]`, () => {
    const b = useBackend(name);

    test(`[${name}] a correct GHES setup is compliant (local IAM evaluator); only the emulators' bucket defaults differ`, async () => {
      const { run, all, statuses } = await check(b, goodSetup(b));
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.json!.target.account, b.account);
      for (const id of ['credentials', 'bucket-reachable', 'service-url', 'dedicated-bucket', 'iam-simulation', 'least-privilege', 'public-access-block', 'bucket-policy', 'bucket-acl', 'object-ownership', 'secure-transport', 'bucket-versioning', 'replication', 'required-request-headers']) {
        assert.ok(all[id] && all[id].split(',').every((x) => x === 'pass'), `${id}: ${all[id]}`);
      }
      // Object Lock off: the lock passes; its default retention has nothing to judge (skip, not pass).
      assert.deepEqual(statuses('object-lock'), ['pass [object-lock]', 'skip [default-retention]']);
      for (const [id, by] of Object.entries(GOOD_SETUP_DIFFERENCES)) assert.equal(all[id], by[name], `${id} on ${name}`);
    });

    test(`[${name}] the demo setup is non-compliant: region mismatch, object actions on the bucket ARN, public-read ACL (exit 1)`, async () => {
      const bucket = b.bucket('ghes-pkg-demo');
      const { run, statuses, result } = await check(b, { ...DEMO_SCENARIO, bucket, actionsBucket: b.bucket('ghes-act-demo'), userPolicies: { storage: objectActionsOnBucketArnPolicy(bucket) }, awsBucketDefaults: b.awsBucketDefaults });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(statuses('service-url').at(-1), 'fail [region]');
      assert.deepEqual(statuses('bucket-acl'), ['fail [public]', 'pass [other-accounts]']);
      const acl = result('bucket-acl', 'public');
      assert.deepEqual(acl.evidence.grant, { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' });
      assert.match(acl.message, /READ to AllUsers/);
      assert.ok(statuses('iam-simulation').includes('fail [s3:PutObject]'), statuses('iam-simulation').join(', '));
    });

    test(`[${name}] a bucket that does not exist fails bucket-reachable (exit 1)`, async () => {
      const run = await runCli(['check', '--bucket', b.bucket('no-such-bucket'), '--service-url', 'https://s3.us-east-1.amazonaws.com', '--format', 'json'], { endpoint: b.endpoint, env: b.admin });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.deepEqual(statusesOf(run.json, 'bucket-reachable').map((x) => x.split(' [')[0]), ['fail']);
    });

    test(`[${name}] the Actions bucket used for Packages fails dedicated-bucket`, async () => {
      const s = goodSetup(b);
      const { statuses } = await check(b, s, ['--engine', 'local'], { actionsBucket: s.bucket });
      assert.deepEqual(statuses('dedicated-bucket').map((x) => x.split(' [')[0]), ['fail']);
    });

    test(`[${name}] exposure: a public bucket policy fails bucket-policy with the statement`, async () => {
      const s = goodSetup(b, { blockPublicAccess: false });
      const publicRead = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${s.bucket}/*` };
      s.bucketPolicy = { Version: '2012-10-17', Statement: [publicRead] };
      const { run, statuses, result } = await check(b, s);
      assert.deepEqual(statuses('bucket-policy'), ['fail [public]', 'pass [cross-account]']);
      const policy = result('bucket-policy', 'public');
      assert.equal(policy.evidence.statementLabel, 'Sid "PublicRead"');
      assert.deepEqual(policy.evidence.statement, publicRead);
      assert.match(policy.message, /is public: Sid "PublicRead"/);
      assert.deepEqual(statuses('public-access-block'), [`fail [${s.bucket}]`]);
      assert.equal(run.code, 1);
    });

    test(`[${name}] exposure: account-level Block Public Access (S3 Control) covers a bucket without its own`, async () => {
      const s = goodSetup(b, { blockPublicAccess: false });
      const control = new S3ControlClient(s3ControlConfig(b.endpoint, b.admin));
      await control.send(new PutAccountPublicAccessBlockCommand({ AccountId: b.account, PublicAccessBlockConfiguration: ALL_ON }));
      control.destroy();
      const { run, statuses } = await check(b, s);
      assert.deepEqual(statuses('public-access-block'), [`pass [${s.bucket}]`], run.stdout);
      const pab = run.json!.results.find((r) => r.check === 'public-access-block')!;
      assert.equal((pab.evidence.levels as { account: { state: string } }).account.state, 'configured');
    });

    test(`[${name}] data safety: a lifecycle rule expiring every object fails; versioning without a noncurrent rule warns`, async () => {
      const s = goodSetup(b);
      const seeded = await seedGhesScenario(b.endpoint, s, b.admin);
      const s3 = new S3Client({ ...b.sdk(), region: s.region });
      await s3.send(new PutBucketVersioningCommand({ Bucket: s.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: s.bucket, LifecycleConfiguration: { Rules: [{ ID: 'expire-all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 30 } }] } }));
      s3.destroy();
      const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--engine', 'local'], { endpoint: b.endpoint, env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey } });
      assert.equal(statusesOf(run.json, 'lifecycle-rules')[0], 'fail [rules]', run.stdout);
      const rules = resultOf(run.json, 'lifecycle-rules', 'rules');
      assert.equal(rules.evidence.messageId, 'expiresAll');
      assert.equal(rules.evidence.ruleId, 'expire-all');
      assert.match(rules.message, /Rule "expire-all" expires current objects/);
      assert.deepEqual(statusesOf(run.json, 'bucket-versioning'), [`warn [${s.bucket}]`]);
      assert.equal(run.code, 1);
    });

    test(`[${name}] --probe writes, reads and removes its objects: every step passes and nothing is left`, async () => {
      // No TLS-deny policy here: both emulators listen on plain HTTP (moto would refuse the writes).
      const s = goodSetup(b, { bucketPolicy: undefined });
      const { run, statuses } = await check(b, s, ['--engine', 'local', '--probe']);
      assert.ok(statuses('probe').length > 0 && statuses('probe').every((x) => x.startsWith('pass')), statuses('probe').join(', ') + run.stderr);
      assert.deepEqual(statuses('probe-cleanup'), [`pass [${s.bucket}]`]);
      const s3 = new S3Client({ ...b.sdk(), region: s.region });
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: s.bucket }))).KeyCount ?? 0, 0);
      s3.destroy();
    });

    test(`[${name}] --probe interrupted by SIGINT during UploadPart: cleanup removes everything, exit 2`, async () => {
      const s = goodSetup(b, { bucketPolicy: undefined });
      const seeded = await seedGhesScenario(b.endpoint, s, b.admin);
      const HOLD_MS = 4_000;
      const fp = await startFaultProxy(b.endpoint, { rules: [{ operation: 'UploadPart', fault: 'delay', delayMs: HOLD_MS, times: 1 }] });
      try {
        const started = Date.now();
        let signalled = 0;
        const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket, '--engine', 'local', '--probe', '--endpoint-url', fp.endpoint], {
          endpoint: b.endpoint,
          env: { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey },
          onSpawn: (child) => {
            void (async () => {
              while (!fp.requests.some((r) => r.operation === 'UploadPart')) {
                if (Date.now() - started > 60_000) return;
                await sleep(20);
              }
              signalled = Date.now();
              child.kill('SIGINT');
            })();
          },
        });
        assert.ok(signalled > 0, 'the UploadPart was seen and SIGINT sent');
        assert.equal(run.code, 2, run.stdout + run.stderr);
        assert.equal(run.json?.interrupted, true);
        assert.deepEqual(statusesOf(run.json, 'probe-cleanup'), [`pass [${s.bucket}]`]);
        // The held UploadPart reaches the emulator only after the cleanup: it must find the upload gone.
        await sleep(Math.max(0, signalled + HOLD_MS + 500 - Date.now()));
        const s3 = new S3Client({ ...b.sdk(), region: s.region });
        const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: s.bucket }));
        const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: s.bucket }));
        s3.destroy();
        assert.deepEqual([...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v) => v.Key), []);
        assert.deepEqual((uploads.Uploads ?? []).map((u) => u.Key), []);
      } finally {
        await fp.stop();
      }
    });

    test(`[${name}] fleet: two targets, each with its GHES user's profile, in two accounts (moto: one account for every key)`, async () => {
      const other = b.secondAccount();
      const sA = goodSetup(b, { userName: 'ghes-a', bucketPolicy: undefined });
      const bucketB = b.bucket('ghes-pkg-b');
      const sB = goodSetup(b, { bucket: bucketB, actionsBucket: b.bucket('ghes-act-b'), userName: 'ghes-b', userPolicies: { storage: ghesUserPolicy(bucketB) }, bucketPolicy: undefined });
      const a = await seedGhesScenario(b.endpoint, sA, b.admin);
      const bb = await seedGhesScenario(b.endpoint, sB, other.admin);
      const dir = mkdtempSync(join(tmpdir(), 'preflight-backends-fleet-'));
      const credentials = join(dir, 'credentials');
      writeFileSync(credentials, [['ghes-a', a], ['ghes-b', bb]].map(([n, u]) => `[${n as string}]\naws_access_key_id = ${(u as typeof a).accessKeyId}\naws_secret_access_key = ${(u as typeof a).secretAccessKey}\n`).join('\n'));
      const targets = join(dir, 'fleet.yml');
      writeFileSync(targets, JSON.stringify({ defaults: { engine: 'local' }, targets: [
        { name: 'a', bucket: a.bucket, serviceUrl: a.serviceUrl, actionsBucket: a.actionsBucket, profile: 'ghes-a' },
        { name: 'b', bucket: bb.bucket, serviceUrl: bb.serviceUrl, actionsBucket: bb.actionsBucket, profile: 'ghes-b' },
      ] }));
      const run = await runCli(['fleet', '--targets', targets], { endpoint: b.endpoint, env: { AWS_SHARED_CREDENTIALS_FILE: credentials } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(run.json!.targets!.map((t) => [t.name, t.verdict, t.target.account]), [['a', 'compliant', b.account], ['b', 'compliant', other.account]]);
      assert.equal(other.account === b.account, name === 'moto');
    });

    test(`[${name}] the auto engine falls back to the local evaluator when the emulator's simulator fails, and says why`, async () => {
      const { run, all } = await check(b, goodSetup(b), []);
      assert.equal(all['iam-simulation'], 'pass,pass,pass,pass,pass,pass,pass');
      const r = run.json!.results.find((x) => x.check === 'iam-simulation')!;
      assert.equal(r.evidence.engine, 'local');
      // moto has no SimulatePrincipalPolicy (HTTP 500 with a body the SDK cannot parse); LocalStack's
      // stub answers HTTP 500 InternalError for a user with inline policies (AWS: a simulation result).
      assert.match(String(r.evidence.fallbackReason), name === 'moto' ? /MalformedResponse \(HTTP 500\)/ : /InternalError \(HTTP 500\)/);
    });
  });
}
