// --probe end to end: the built CLI against the emulator (through the fault proxy where a fault
// or a slow request is needed). After every run the test lists the bucket itself with the SDK:
// the probe must leave nothing behind — on success, on a failed step, on SIGINT, in a versioned
// bucket — and what it cannot remove must be named exactly by probe-cleanup. And without --probe,
// nothing but reads ever reaches the endpoint.

import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { S3Probe } from '../../src/aws/probe.ts';
import { AwsSession } from '../../src/aws/session.ts';
import type { Report } from '../../src/report/report.ts';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { ghesUserPolicy, type Scenario, seedGhesScenario, type Seeded } from '../harness/scenarios.ts';
import { runCli, statusesOf } from './cli.ts';

const BUCKET = 'ghes-packages-probe';
const REGION = 'us-west-2';
const UNRELATED = 'docker/registry/v2/blobs/sha256/ab/unrelated-package-blob';
const PROBE_STEPS = ['PutObject', 'GetObject', 'ListObjectsV2', 'CreateMultipartUpload', 'UploadPart 1', 'UploadPart 2', 'ListParts', 'ListMultipartUploads', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'DeleteObject'];

const scenario: Scenario = {
  bucket: BUCKET,
  region: REGION,
  serviceUrl: `https://s3.${REGION}.amazonaws.com`,
  actionsBucket: 'ghes-actions-probe',
  userName: 'ghes-packages',
  userPolicies: { storage: ghesUserPolicy(BUCKET) },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  problems: [],
};

/** Only reads: what a run without --probe may send (DESIGN.md non-negotiable 3). */
const READ_ONLY = /^(Get\w*|List\w*|Head\w*|Describe\w*|Simulate\w*)$/;

interface BucketState {
  keys: string[];
  versions: Array<{ key: string; versionId: string }>;
  deleteMarkers: Array<{ key: string; versionId: string }>;
  uploads: Array<{ key: string; uploadId: string }>;
}

describe('--probe against the emulator', () => {
  let moto: Moto;
  let s3: S3Client;
  let seeded: Seeded;
  const proxies: FaultProxy[] = [];

  before(async () => {
    moto = await startMoto();
    s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: REGION });
  });
  after(async () => {
    s3?.destroy();
    for (const p of proxies) await p.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    seeded = await seedGhesScenario(moto.endpoint, scenario);
    // A package GHES already stored: the probe must neither read nor touch it.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: UNRELATED, Body: 'a package blob' }));
  });

  const asGhes = () => ({ AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey });
  const args = (...extra: string[]) => ['check', '--bucket', BUCKET, '--service-url', scenario.serviceUrl, '--actions-bucket', scenario.actionsBucket, '--format', 'json', ...extra];
  const proxy = async (...p: Parameters<typeof startFaultProxy>) => {
    const fp = await startFaultProxy(...p);
    proxies.push(fp);
    return fp;
  };

  async function bucketState(): Promise<BucketState> {
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    const u = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    return {
      keys: [...new Set((v.Versions ?? []).map((x) => x.Key ?? ''))].sort(),
      versions: (v.Versions ?? []).map((x) => ({ key: x.Key ?? '', versionId: x.VersionId ?? '' })),
      deleteMarkers: (v.DeleteMarkers ?? []).map((x) => ({ key: x.Key ?? '', versionId: x.VersionId ?? '' })),
      uploads: (u.Uploads ?? []).map((x) => ({ key: x.Key ?? '', uploadId: x.UploadId ?? '' })),
    };
  }

  async function assertOnlyUnrelatedLeft(label: string): Promise<void> {
    const state = await bucketState();
    assert.deepEqual(state.keys, [UNRELATED], `${label}: objects left in the bucket`);
    assert.equal(state.versions.length, 1, `${label}: versions left: ${JSON.stringify(state.versions)}`);
    assert.deepEqual(state.deleteMarkers, [], `${label}: delete markers left`);
    assert.deepEqual(state.uploads, [], `${label}: multipart uploads left`);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: UNRELATED }))).Body?.transformToString();
    assert.equal(body, 'a package blob', `${label}: the unrelated object was changed`);
  }

  const prefixOf = (report: Report | undefined): string => String(report?.results.find((r) => r.check === 'probe-cleanup')?.evidence.prefix ?? '');

  /** Every request that names an object key stays under the run's prefix; nothing else is written. */
  function assertConfinedToPrefix(report: Report | undefined): void {
    const prefix = prefixOf(report);
    assert.match(prefix, /^packages-preflight\/\d{8}T\d{6}Z-[0-9a-f]{12}\/$/);
    for (const call of report?.apiCalls ?? []) {
      if (call.service !== 's3') continue;
      if (call.resource.startsWith(`arn:aws:s3:::${BUCKET}/`)) assert.ok(call.resource.startsWith(`arn:aws:s3:::${BUCKET}/${prefix}`), `${call.operation} on ${call.resource} is outside ${prefix}`);
      else if (!READ_ONLY.test(call.operation)) assert.fail(`${call.operation} on ${call.resource} writes without naming a key under ${prefix}`);
    }
  }

  test('success: every step passes, the cleanup leaves zero objects and zero uploads, nothing outside the prefix is touched', async () => {
    const run = await runCli(args('--probe'), { endpoint: moto.endpoint, env: asGhes() });
    assert.deepEqual(statusesOf(run.json, 'probe'), PROBE_STEPS.map((s) => `pass [${s}]`), run.stdout + run.stderr);
    assert.deepEqual(statusesOf(run.json, 'probe-cleanup'), [`pass [${BUCKET}]`]);
    const cleanup = run.json!.results.find((r) => r.check === 'probe-cleanup')!;
    assert.equal(cleanup.evidence.messageId, 'removed');
    assert.deepEqual(cleanup.evidence.leftovers, []);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const r of run.json!.results.filter((x) => x.check === 'probe')) assert.equal(typeof r.evidence.latencyMs, 'number', `${r.subject} has a latency`);
    assertConfinedToPrefix(run.json);
    // probe and probe-cleanup are reported in registry order, after the read-only checks.
    const ids = run.json!.results.map((r) => r.check);
    assert.ok(ids.lastIndexOf('probe') < ids.indexOf('probe-cleanup') && ids.indexOf('probe-cleanup') < ids.indexOf('storage-drift'), ids.join(','));
    await assertOnlyUnrelatedLeft('after a successful probe');
  });

  test('read-only without --probe: the API log and the wire both show reads only', async () => {
    const fp = await proxy(moto.endpoint);
    const run = await runCli(args(), { endpoint: moto.endpoint, env: asGhes() });
    assert.deepEqual(statusesOf(run.json, 'probe'), [`skip [${BUCKET}]`]);
    assert.match(run.json!.results.find((r) => r.check === 'probe')!.message, /not requested; read-only run/i);
    const writes = run.json!.apiCalls.filter((c) => !READ_ONLY.test(c.operation));
    assert.deepEqual(writes, [], 'apiCalls of a run without --probe');
    // The same run through the proxy: what actually reached the endpoint.
    const wired = await runCli(args('--endpoint-url', fp.endpoint), { endpoint: moto.endpoint, env: asGhes() });
    assert.ok(wired.json, wired.stderr);
    assert.ok(fp.requests.length > 10, `the proxy saw the run (${fp.requests.length} requests)`);
    assert.deepEqual(fp.requests.filter((r) => !READ_ONLY.test(r.operation)).map((r) => `${r.service}:${r.operation}`), []);
    await assertOnlyUnrelatedLeft('after a read-only run');
  });

  test('a failed GetObject (403 from the fault proxy) fails that step and the cleanup still removes everything', async () => {
    const fp = await proxy(moto.endpoint, { rules: [{ operation: 'GetObject', fault: 'accessDenied403' }] });
    const run = await runCli(args('--probe', '--endpoint-url', fp.endpoint), { endpoint: moto.endpoint, env: asGhes() });
    assert.deepEqual(statusesOf(run.json, 'probe'), PROBE_STEPS.map((s) => (s === 'GetObject' ? 'fail [GetObject]' : `pass [${s}]`)), run.stdout);
    const get = run.json!.results.find((r) => r.check === 'probe' && r.subject === 'GetObject')!;
    // The policies the checker can read allow it (the 403 came from the proxy): the message says so instead of "GHES needs s3:GetObject".
    assert.match(get.message, /GetObject on arn:aws:s3:::ghes-packages-probe\/packages-preflight\/.*object\.bin was denied \(AccessDenied\) although the policies the checker can read allow s3:GetObject there/);
    assert.equal(get.evidence.messageId, 'deniedUnexplained');
    assert.match(String(get.evidence.requestId), /^FAULT-REQ-/);
    assert.deepEqual(statusesOf(run.json, 'probe-cleanup'), [`pass [${BUCKET}]`]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assertConfinedToPrefix(run.json);
    await assertOnlyUnrelatedLeft('after a failed GetObject');
  });

  test('SIGINT during the 5 MiB UploadPart: the run stops, cleans up with its own session, reports interrupted, exit 2', async () => {
    // The first UploadPart is held by the proxy for 4 s: the signal arrives while it is in flight.
    const HOLD_MS = 4_000;
    const fp = await proxy(moto.endpoint, { rules: [{ operation: 'UploadPart', fault: 'delay', delayMs: HOLD_MS, times: 1 }] });
    const started = Date.now();
    let signalled = 0;
    const run = await runCli(args('--probe', '--endpoint-url', fp.endpoint), {
      endpoint: moto.endpoint,
      env: asGhes(),
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
    const exited = Date.now();
    assert.ok(signalled > 0, 'the UploadPart was seen and SIGINT sent');
    assert.ok(exited - signalled < HOLD_MS - 1_000, `the in-flight upload was cancelled, not waited for (exit ${exited - signalled} ms after SIGINT)`);
    assert.match(run.stderr, /SIGINT received/);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.equal(run.json?.interrupted, true);
    assert.equal(run.json?.verdict, 'incomplete');
    // The steps finished before the signal keep their results; the engine adds the interruption.
    assert.deepEqual(statusesOf(run.json, 'probe'), [...PROBE_STEPS.slice(0, 4).map((s) => `pass [${s}]`), `error [${BUCKET}]`]);
    assert.match(run.json!.results.filter((r) => r.check === 'probe').at(-1)!.message, /interrupted/);
    assert.deepEqual(statusesOf(run.json, 'probe-cleanup'), [`pass [${BUCKET}]`]);
    const cleanup = run.json!.results.find((r) => r.check === 'probe-cleanup')!;
    assert.equal(cleanup.evidence.interrupted, true);
    assert.ok((cleanup.evidence.removed as Array<{ kind: string }>).some((r) => r.kind === 'multipart-upload'), 'the open upload was aborted');
    // The cleanup requests went out after the abort (the run's session refuses them): they are in the log.
    const afterAbort = run.json!.apiCalls.slice(run.json!.apiCalls.findIndex((c) => c.outcome === 'Interrupted'));
    assert.ok(afterAbort.some((c) => c.operation === 'AbortMultipartUpload' && c.outcome === 'ok'), JSON.stringify(afterAbort));
    assert.ok(afterAbort.some((c) => c.operation === 'DeleteObject' && c.outcome === 'ok'), 'the object written before the signal was deleted');
    assertConfinedToPrefix(run.json);
    await assertOnlyUnrelatedLeft('after SIGINT');
    // The held UploadPart reaches moto only after the cleanup: it must find the upload gone.
    await sleep(Math.max(0, signalled + HOLD_MS + 500 - Date.now()));
    await assertOnlyUnrelatedLeft('after the held UploadPart arrived');
  });

  test('SIGINT while the cleanup cannot delete (DeleteObject 403 from the proxy): probe-cleanup fails with the key, exit 1', async () => {
    const fp = await proxy(moto.endpoint, { rules: [{ operation: 'UploadPart', fault: 'delay', delayMs: 4_000, times: 1 }, { operation: 'DeleteObject', fault: 'accessDenied403' }] });
    const run = await runCli(args('--probe', '--endpoint-url', fp.endpoint), {
      endpoint: moto.endpoint,
      env: asGhes(),
      onSpawn: (child) => {
        void (async () => {
          for (let i = 0; i < 3000 && !fp.requests.some((r) => r.operation === 'UploadPart'); i++) await sleep(20);
          child.kill('SIGINT');
        })();
      },
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.json?.interrupted, true);
    const cleanup = run.json!.results.find((r) => r.check === 'probe-cleanup')!;
    assert.equal(cleanup.status, 'fail');
    const prefix = prefixOf(run.json);
    assert.deepEqual((cleanup.evidence.leftovers as Array<{ key: string; reason: string }>).map((l) => `${l.key} ${l.reason}`), [`${prefix}object.bin AccessDenied`]);
    assert.match(cleanup.message, new RegExp(`s3://${BUCKET}/${prefix}object\\.bin \\(AccessDenied\\)`));
    const state = await bucketState();
    assert.deepEqual(state.keys, [`${prefix}object.bin`, UNRELATED].sort(), 'exactly the named key is left');
    assert.deepEqual(state.uploads, [], 'the upload open at the signal was aborted');
  });

  test('without s3:DeleteObject (moto enforcing IAM): DeleteObject fails, uploads are still aborted, probe-cleanup names the exact keys, exit 1', async () => {
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new CreateUserCommand({ UserName: 'ghes-no-delete' }));
    const policy = ghesUserPolicy(BUCKET) as { Statement: Array<{ Action: string[] }> };
    policy.Statement[1].Action = policy.Statement[1].Action.filter((a) => a !== 's3:DeleteObject');
    await iam.send(new PutUserPolicyCommand({ UserName: 'ghes-no-delete', PolicyName: 'storage', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ghes-no-delete' }))).AccessKey!;
    iam.destroy();
    await moto.enforceIam(true);
    let run;
    try {
      run = await runCli(args('--probe'), { endpoint: moto.endpoint, env: { AWS_ACCESS_KEY_ID: key.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey! } });
    } finally {
      await moto.enforceIam(false);
    }
    const probe = statusesOf(run.json, 'probe');
    assert.deepEqual(probe.slice(0, -1), PROBE_STEPS.slice(0, -1).map((s) => `pass [${s}]`), `moto enforces the allowed object actions: ${run.stdout}`);
    // One result per step (stable subjects): both refused deletes in the one DeleteObject result.
    assert.deepEqual(probe.slice(-1), ['fail [DeleteObject]']);
    assert.equal((run.json!.results.find((r) => r.check === 'probe' && r.subject === 'DeleteObject')!.evidence.findings as unknown[]).length, 2);
    assert.match(run.json!.results.find((r) => r.check === 'probe' && r.subject === 'DeleteObject')!.message, /denied \(AccessDenied\): GHES needs s3:DeleteObject/);
    const cleanup = run.json!.results.find((r) => r.check === 'probe-cleanup')!;
    assert.equal(cleanup.status, 'fail');
    const prefix = prefixOf(run.json);
    const expectedKeys = [`${prefix}multipart.bin`, `${prefix}object.bin`];
    const leftovers = (cleanup.evidence.leftovers as Array<{ kind: string; key: string; reason: string }>).map((l) => `${l.kind} ${l.key} ${l.reason}`).sort();
    assert.deepEqual(leftovers, expectedKeys.map((k) => `object ${k} AccessDenied`));
    for (const k of expectedKeys) {
      assert.ok(cleanup.message.includes(`s3://${BUCKET}/${k} (AccessDenied)`), cleanup.message);
      assert.ok(cleanup.remediation.includes(`aws s3api delete-object --bucket '${BUCKET}' --key '${k}'`), cleanup.remediation);
    }
    assert.equal(run.code, 1, run.stdout + run.stderr);
    // What is really left is exactly what probe-cleanup named; the uploads were aborted.
    const state = await bucketState();
    assert.deepEqual(state.keys, [...expectedKeys, UNRELATED].sort());
    assert.deepEqual(state.uploads, []);
  });

  test('a TLS-only bucket policy over the emulator\'s plain http: the refused write names the Deny, not a missing s3:PutObject', async () => {
    const tlsOnly = { Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(tlsOnly) }));
    const run = await runCli(args('--probe'), { endpoint: moto.endpoint, env: asGhes() });
    const put = run.json?.results.find((r) => r.check === 'probe' && r.subject === 'PutObject');
    assert.ok(put, run.stdout + run.stderr);
    assert.equal(put.status, 'fail', put.message);
    assert.equal(put.evidence.messageId, 'deniedTls', put.message);
    assert.match(put.message, /Sid "DenyInsecureTransport" in bucket policy of ghes-packages-probe, which refuses requests without TLS/);
    assert.doesNotMatch(put.message, /GHES needs s3:PutObject/);
  });

  test('deletes refused (403) and every listing of the prefix answered by a non-S3 200 page: the ledger wins, probe-cleanup fails with the exact keys', async () => {
    // A minimal proxy in front of moto (a captive portal, say): listings under packages-preflight/
    // get an HTML page with status 200, DeleteObject gets S3's AccessDenied; the rest is forwarded.
    const target = new URL(moto.endpoint);
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const listing = req.method === 'GET' && (url.searchParams.has('list-type') || url.searchParams.has('versions') || url.searchParams.has('uploads')) && (url.searchParams.get('prefix') ?? '').startsWith('packages-preflight/');
      if (listing) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Sign in to continue</h1></body></html>');
        return;
      }
      if (req.method === 'DELETE' && !url.searchParams.has('uploadId')) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>STUB-403</RequestId></Error>');
        return;
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const run = await runCli(args('--probe', '--endpoint-url', `http://127.0.0.1:${port}`), { endpoint: moto.endpoint, env: asGhes() });
      const cleanup = run.json?.results.find((r) => r.check === 'probe-cleanup');
      assert.ok(cleanup, run.stdout + run.stderr);
      assert.equal(cleanup.status, 'fail', cleanup.message);
      const prefix = prefixOf(run.json);
      const named = (cleanup.evidence.leftovers as Array<{ key: string; reason: string }>).map((l) => `${l.key} ${l.reason}`).sort();
      assert.deepEqual(named, [`${prefix}multipart.bin AccessDenied`, `${prefix}object.bin AccessDenied`]);
      assert.equal((cleanup.evidence.verification as { code: string }).code, 'MalformedResponse');
      assert.notEqual(run.code, 0);
      const state = await bucketState();
      assert.deepEqual(state.keys, [`${prefix}multipart.bin`, `${prefix}object.bin`, UNRELATED].sort(), 'exactly the named keys are left');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('versioned bucket: the versions and delete markers the probe created are deleted by VersionId, and the report says so', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    const run = await runCli(args('--probe'), { endpoint: moto.endpoint, env: asGhes() });
    assert.deepEqual(statusesOf(run.json, 'probe'), PROBE_STEPS.map((s) => `pass [${s}]`), run.stdout);
    const del = run.json!.results.find((r) => r.check === 'probe' && r.subject === 'DeleteObject')!;
    assert.equal(del.evidence.messageId, 'deleteOkVersioned');
    const cleanup = run.json!.results.find((r) => r.check === 'probe-cleanup')!;
    assert.equal(cleanup.status, 'pass', cleanup.message);
    assert.equal(cleanup.evidence.messageId, 'removedVersioned');
    assert.match(cleanup.message, /2 object version\(s\) and 2 delete marker\(s\), each deleted by VersionId/);
    assert.ok(run.json!.apiCalls.some((c) => c.operation === 'ListObjectVersions'), 'the prefix was listed by version');
    await assertOnlyUnrelatedLeft('after a probe in a versioned bucket');
  });

  test('S3Probe.cleanup(): idempotent, concurrent callers share one run; an abort signal starts it; nothing outside the prefix is listed', async () => {
    const controller = new AbortController();
    const session = new AwsSession({ region: REGION, endpointUrl: moto.endpoint, credentials: sdkConfig(moto.endpoint).credentials, maxAttempts: 1, signal: controller.signal });
    const probe = await S3Probe.start(session, { bucket: BUCKET, signal: controller.signal });
    await probe.putObject('object.bin', new Uint8Array([1, 2, 3]));
    const upload = await probe.createMultipartUpload('multipart.bin');
    assert.ok(upload.value.uploadId);
    assert.equal((await bucketState()).uploads.length, 1);
    controller.abort();
    // The signal started the cleanup: the next call (as from a signal handler) joins it.
    const [a, b] = [probe.cleanup(), probe.cleanup()];
    assert.equal(a, b);
    const report = await a;
    assert.deepEqual(report.leftovers, []);
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.removed.map((r) => `${r.kind} ${r.key.slice(probe.prefix.length)}`).sort(), ['multipart-upload multipart.bin', 'object object.bin']);
    assert.equal(await probe.cleanup(), report);
    await assert.rejects(probe.putObject('late.bin', new Uint8Array([1])), /Interrupted/);
    // Everything the cleanup sent went through the cleanup session, with the prefix.
    const cleanupCalls = session.apiCalls.filter((c) => ['ListMultipartUploads', 'ListObjectsV2', 'DeleteObject', 'AbortMultipartUpload'].includes(c.operation));
    assert.ok(cleanupCalls.length >= 4 && cleanupCalls.every((c) => c.outcome === 'ok'), JSON.stringify(cleanupCalls));
    await assertOnlyUnrelatedLeft('after a direct S3Probe cleanup');
  });
});
