// A --probe run killed with SIGKILL (what CI cancellation escalates to) cannot clean up. The next
// runs must notice: the read-only run reports the leftovers with exact keys, the next --probe run
// removes them, and nothing outside the probe's exact key shape is ever touched.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { ghesUserPolicy, type Scenario, seedGhesScenario, type Seeded } from '../harness/scenarios.ts';
import { runCli } from './cli.ts';

const BUCKET = 'ghes-packages-sigkill';
const REGION = 'us-west-2';
const UNRELATED = 'docker/registry/v2/blobs/sha256/ab/unrelated-package-blob';
/** Under packages-preflight/ but not of the probe's shape: a user's own key that must survive. */
const LOOK_ALIKE = 'packages-preflight/notes/object.bin';

const scenario: Scenario = {
  bucket: BUCKET,
  region: REGION,
  serviceUrl: `https://s3.${REGION}.amazonaws.com`,
  actionsBucket: 'ghes-actions-sigkill',
  userName: 'ghes-packages',
  userPolicies: { storage: ghesUserPolicy(BUCKET) },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  problems: [],
};

describe('SIGKILL during --probe (emulator): the next runs find and remove the leftovers', () => {
  let moto: Moto;
  let s3: S3Client;
  let seeded: Seeded;
  let proxy: FaultProxy | undefined;

  before(async () => {
    moto = await startMoto();
    s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: REGION });
    await moto.reset();
    seeded = await seedGhesScenario(moto.endpoint, scenario);
    // Versioned, so the killed run leaves an object version (and the sweep lists versions).
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: UNRELATED, Body: 'a package blob' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: LOOK_ALIKE, Body: 'a user file' }));
  });
  after(async () => {
    s3?.destroy();
    await proxy?.stop();
    await moto?.stop();
  });

  const env = () => ({ AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey });
  const args = (...extra: string[]) => ['check', '--bucket', BUCKET, '--service-url', scenario.serviceUrl, '--actions-bucket', scenario.actionsBucket, '--format', 'json', ...extra];

  async function probeState() {
    const v = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: 'packages-preflight/' }));
    const u = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'packages-preflight/' }));
    return {
      versions: (v.Versions ?? []).map((x) => `${x.Key} ${x.VersionId}`).sort(),
      deleteMarkers: (v.DeleteMarkers ?? []).map((x) => `${x.Key} ${x.VersionId}`).sort(),
      uploads: (u.Uploads ?? []).map((x) => `${x.Key} ${x.UploadId}`).sort(),
    };
  }

  test('kill -9 while a part upload is held; a read-only run reports the exact leftovers; the next --probe run removes them', async () => {
    const HOLD_MS = 3_000;
    proxy = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'UploadPart', fault: 'delay', delayMs: HOLD_MS, times: 1 }] });
    const fp = proxy;
    const started = Date.now();
    let killed = false;
    const killedRun = await runCli(args('--probe', '--endpoint-url', fp.endpoint), {
      endpoint: moto.endpoint,
      env: env(),
      onSpawn: (child) => {
        void (async () => {
          while (!fp.requests.some((r) => r.operation === 'UploadPart')) {
            if (Date.now() - started > 60_000) return;
            await sleep(20);
          }
          killed = child.kill('SIGKILL');
        })();
      },
    });
    assert.ok(killed, 'SIGKILL was sent while UploadPart was held');
    assert.equal(killedRun.json, undefined, 'a killed run writes no report');
    // The held part reaches moto after the kill: wait for it so the state below is final.
    await sleep(HOLD_MS + 500);
    const left = await probeState();
    const probeVersions = left.versions.filter((v) => !v.startsWith(LOOK_ALIKE));
    assert.equal(probeVersions.length, 1, `the killed run left its object: ${JSON.stringify(left)}`);
    assert.equal(left.uploads.length, 1, `the killed run left its open upload: ${JSON.stringify(left)}`);
    const runId = probeVersions[0].split('/')[1];
    assert.match(runId, /^\d{8}T\d{6}Z-[0-9a-f]{12}$/);

    // 1. Read-only: reported with exact keys, version ids and upload ids; nothing is written.
    const readOnly = await runCli(args(), { endpoint: moto.endpoint, env: env() });
    const found = readOnly.json?.results.find((r) => r.check === 'probe-leftovers');
    assert.ok(found, readOnly.stdout + readOnly.stderr);
    assert.equal(found.status, 'fail', found.message);
    for (const item of [...probeVersions, ...left.uploads]) {
      const [key, id] = item.split(' ');
      assert.ok(found.message.includes(key) && found.message.includes(id), `${found.message} names ${item}`);
    }
    assert.ok(!found.message.includes(LOOK_ALIKE), 'a key without the probe\'s shape is not the tool\'s');
    assert.deepEqual(readOnly.json!.apiCalls.filter((c) => !/^(Get|List|Head|Simulate)/.test(c.operation)).map((c) => c.operation), [], 'read-only');
    assert.deepEqual(await probeState(), left, 'the read-only run changed nothing');

    // 2. The next --probe run removes them and says so; its own cleanup is complete too.
    const next = await runCli(args('--probe'), { endpoint: moto.endpoint, env: env() });
    const removed = next.json?.results.find((r) => r.check === 'probe-leftovers');
    assert.ok(removed, next.stdout + next.stderr);
    assert.equal(removed.status, 'pass', removed.message);
    assert.equal(removed.evidence.messageId, 'removed');
    assert.deepEqual(removed.evidence.runIds, [runId]);
    assert.equal(next.json!.results.find((r) => r.check === 'probe-cleanup')?.status, 'pass');
    assert.equal(next.code, 0, next.stdout + next.stderr);
    const after = await probeState();
    assert.deepEqual(after, { versions: left.versions.filter((v) => v.startsWith(LOOK_ALIKE)), deleteMarkers: [], uploads: [] });
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: UNRELATED }))).Body?.transformToString();
    assert.equal(body, 'a package blob');

    // 3. And the run after that finds nothing.
    const clean = await runCli(args(), { endpoint: moto.endpoint, env: env() });
    assert.equal(clean.json?.results.find((r) => r.check === 'probe-leftovers')?.status, 'pass');
  });
  test('a third signal during the cleanup: the last words name exactly what remains at that moment', async () => {
    const HOLD_MS = 8_000;
    await proxy?.stop();
    // The first UploadPart is held (the first signal arrives during it); every cleanup DeleteObject is held too.
    proxy = await startFaultProxy(moto.endpoint, { rules: [{ operation: 'UploadPart', fault: 'delay', delayMs: 3_000, times: 1 }, { operation: 'DeleteObject', fault: 'delay', delayMs: HOLD_MS }] });
    const fp = proxy;
    const waitFor = async (operation: string) => {
      for (let i = 0; i < 3000 && !fp.requests.some((r) => r.operation === operation); i++) await sleep(20);
    };
    let state: Awaited<ReturnType<typeof probeState>> | undefined;
    const run = await runCli(args('--probe', '--endpoint-url', fp.endpoint), {
      endpoint: moto.endpoint,
      env: env(),
      onSpawn: (child) => {
        child.on('exit', () => void probeState().then((s) => (state = s)));
        void (async () => {
          await waitFor('UploadPart');
          child.kill('SIGINT');
          await waitFor('DeleteObject');
          child.kill('SIGTERM');
          await sleep(300);
          child.kill('SIGINT');
        })();
      },
    });
    assert.equal(run.code, 130, run.stderr);
    for (let i = 0; i < 100 && !state; i++) await sleep(20);
    assert.ok(state, 'the bucket was listed at the exit');
    const words = /exiting before the probe's cleanup finished: what remains under s3:\/\/\S+: (.*)$/m.exec(run.stderr);
    assert.ok(words, run.stderr);
    const named = words[1].split(', ').sort();
    // At the exit, before the held deletes land: the probe's object version is still there, named by version id.
    const expected = state.versions.filter((v) => !v.startsWith(LOOK_ALIKE)).map((v) => {
      const [key, version] = v.split(' ');
      return `s3://${BUCKET}/${key} version ${version}`;
    });
    assert.ok(expected.length > 0, JSON.stringify(state));
    assert.deepEqual(named, [...expected, ...state.uploads.map((u) => `multipart upload ${u.split(' ')[1]} of s3://${BUCKET}/${u.split(' ')[0]}`)].sort());
    assert.deepEqual(state.deleteMarkers, []);
    // Let the held deletes land, then the next --probe run sweeps whatever is left.
    await sleep(HOLD_MS + 500);
    const next = await runCli(args('--probe'), { endpoint: moto.endpoint, env: env() });
    assert.equal(next.code, 0, next.stdout + next.stderr);
    const after = await probeState();
    assert.deepEqual(after, { versions: state.versions.filter((v) => v.startsWith(LOOK_ALIKE)), deleteMarkers: [], uploads: [] });
  });
});
