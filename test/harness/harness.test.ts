// Proves the emulator harness and the fault proxy work, using the real AWS SDK over HTTP.
import { afterAll, beforeAll, describe, test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  S3Client, AbortMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  DeleteObjectsCommand, GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetObjectCommand,
  GetPublicAccessBlockCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, ListMultipartUploadsCommand,
  ListObjectsV2Command, ListPartsCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutObjectCommand,
  PutPublicAccessBlockCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  S3ControlClient, GetPublicAccessBlockCommand as GetAccountPabCommand, PutPublicAccessBlockCommand as PutAccountPabCommand,
} from '@aws-sdk/client-s3-control';
import { IAMClient, ListUsersCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import {
  MOTO_REQUIREMENT, REPO_ROOT, VENV_DIR, ensureMotoInstalled, freePort, s3ControlConfig, sdkConfig, startMoto,
  testEnv, withFileLock, type Moto,
} from './moto.ts';
import {
  FAULT_KINDS, TRANSIENT_FAULTS, faultSchedule, identifyOperation, malformedBody, mulberry32, startFaultProxy, type FaultProxy,
} from './fault-proxy.ts';

const ACCOUNT = '123456789012'; // moto's default account

interface SdkErrorLike {
  name: string;
  message: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  $response?: { headers: Record<string, string> };
}

/** Runs `fn`, which must reject, and returns the error. */
async function failure(fn: () => Promise<unknown>): Promise<SdkErrorLike> {
  try {
    await fn();
  } catch (err) {
    return err as SdkErrorLike;
  }
  assert.fail('expected the call to fail');
}

let moto: Moto;
beforeAll(async () => { moto = await startMoto(); });
afterAll(async () => { await moto?.stop(); });

describe('moto install', () => {
  test('ensureMotoInstalled returns the pinned moto_server inside the git-ignored .venv, fast the second time', async () => {
    const server = await ensureMotoInstalled();
    assert.equal(server, path.join(VENV_DIR, 'bin', 'moto_server'));
    fs.accessSync(server, fs.constants.X_OK);
    assert.equal(VENV_DIR, path.join(REPO_ROOT, '.venv'));
    assert.equal(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name, 'packages-preflight');
    assert.equal(fs.readFileSync(path.join(VENV_DIR, '.moto-installed'), 'utf8').trim(), MOTO_REQUIREMENT);
    assert.match(MOTO_REQUIREMENT, /^moto\[server\]==\d+\.\d+\.\d+$/);
    const version = execFileSync(path.join(VENV_DIR, 'bin', 'python'), ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim();
    assert.equal(`moto[server]==${version}`, MOTO_REQUIREMENT);
    execFileSync('git', ['check-ignore', '-q', VENV_DIR], { cwd: REPO_ROOT }); // throws if not ignored
    const t0 = performance.now();
    const again = await Promise.all([ensureMotoInstalled(), ensureMotoInstalled(), ensureMotoInstalled()]);
    assert.deepEqual(again, [server, server, server]);
    assert.ok(performance.now() - t0 < 1000, 'already installed: no pip run');
  });

  test('withFileLock serialises concurrent holders and releases the lock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-lock-'));
    const lock = path.join(dir, 'sub', 'x.lock');
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => withFileLock(lock, async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid));
      await sleep(50);
      order.push(i);
      inside--;
    })));
    assert.equal(maxInside, 1);
    assert.equal(order.length, 3);
    assert.equal(fs.existsSync(lock), false);
    fs.rmSync(dir, { recursive: true });
  });

  test('withFileLock takes over a stale lock of a dead process, but waits for a live one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-lock-'));
    const lock = path.join(dir, 'x.lock');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(lock, String(dead.pid));
    assert.equal(await withFileLock(lock, async () => 'ran', { waitMs: 5000 }), 'ran');

    fs.writeFileSync(lock, String(process.pid)); // alive: must not be stolen
    await assert.rejects(withFileLock(lock, async () => 'ran', { waitMs: 600 }), /timed out waiting for lock/);
    fs.writeFileSync(lock, ''); // no owner recorded: stale only by age
    assert.equal(await withFileLock(lock, async () => 'aged', { waitMs: 5000, staleMs: 100 }), 'aged');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('moto server', () => {
  test('listens on 127.0.0.1 at the advertised port', async () => {
    assert.equal(moto.endpoint, `http://127.0.0.1:${moto.port}`);
    const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
    assert.equal(res.status, 200);
    assert.equal(typeof (await res.json()), 'object');
  });

  test('a bucket created is visible, reset() empties the emulator', async () => {
    const s3 = new S3Client(sdkConfig(moto.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: 'harness-visible' }));
    const listed = await s3.send(new ListBucketsCommand({}));
    assert.ok(listed.Buckets?.some((b) => b.Name === 'harness-visible'));
    await moto.reset();
    const after = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(after.Buckets ?? [], []);
  });

  test('S3 Control account Block Public Access put/get works through s3ControlConfig', async () => {
    await moto.reset();
    const control = new S3ControlClient(s3ControlConfig(moto.endpoint));
    const missing = await failure(() => control.send(new GetAccountPabCommand({ AccountId: ACCOUNT })));
    assert.equal(missing.name, 'NoSuchPublicAccessBlockConfiguration');
    const config = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    await control.send(new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: config }));
    const got = await control.send(new GetAccountPabCommand({ AccountId: ACCOUNT }));
    assert.deepEqual(got.PublicAccessBlockConfiguration, config);
  });

  test('enforceIam(true) makes moto check credentials; reset() turns enforcement off again', async () => {
    const iam = new IAMClient(sdkConfig(moto.endpoint));
    await iam.send(new ListUsersCommand({}));
    await moto.enforceIam(true);
    try {
      const denied = await failure(() => iam.send(new ListUsersCommand({})));
      assert.equal(denied.name, 'InvalidClientTokenId'); // the fake test key is no IAM user
    } finally {
      await moto.reset();
    }
    await iam.send(new ListUsersCommand({}));
  });

  test('a port taken by another server (even one answering data.json) is not mistaken for moto', async () => {
    const impostor = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const taken = (impostor.address() as net.AddressInfo).port;
    try {
      const second = await startMoto({ port: taken });
      try {
        assert.notEqual(second.port, taken);
        const s3 = new S3Client(sdkConfig(second.endpoint));
        await s3.send(new CreateBucketCommand({ Bucket: 'harness-second' }));
        assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['harness-second']);
      } finally {
        await second.stop();
      }
      const gone = await failure(() => fetch(`${second.endpoint}/moto-api/data.json`));
      assert.match(String((gone as { cause?: { code?: string } }).cause?.code), /ECONNREFUSED/, 'stop() ended the server');
    } finally {
      impostor.closeAllConnections();
      await new Promise((r) => impostor.close(r));
    }
  });

  test('freePort gives a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => { srv.once('error', reject); srv.listen(port, '127.0.0.1', resolve); });
    await new Promise((r) => srv.close(r));
  });
});

describe('testEnv / sdkConfig', () => {
  test('testEnv drops every AWS_* variable of the parent and sets the fake ones', () => {
    const saved = { ...process.env };
    process.env.AWS_PROFILE = 'harness-must-not-leak';
    process.env.AWS_SESSION_TOKEN = 'harness-must-not-leak';
    process.env.aws_secret_access_key = 'harness-must-not-leak';
    try {
      const env = testEnv('http://127.0.0.1:1', { EXTRA_VAR: 'yes' });
      assert.equal(env.AWS_PROFILE, undefined);
      assert.equal(env.AWS_SESSION_TOKEN, undefined);
      assert.equal(env.aws_secret_access_key, undefined);
      assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIATESTFAKEKEY00000');
      assert.equal(env.AWS_SECRET_ACCESS_KEY, 'test-secret-not-real');
      assert.equal(env.AWS_REGION, 'us-east-1');
      assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:1');
      assert.equal(env.AWS_EC2_METADATA_DISABLED, 'true');
      assert.equal(env.NO_COLOR, '1');
      assert.equal(env.EXTRA_VAR, 'yes');
      assert.equal(env.PATH, process.env.PATH);
      for (const f of [env.AWS_CONFIG_FILE, env.AWS_SHARED_CREDENTIALS_FILE]) {
        assert.ok(f !== undefined && f.startsWith(os.tmpdir()));
        assert.equal(fs.existsSync(f), false);
      }
      const awsKeys = Object.keys(env).filter((k) => k.toUpperCase().startsWith('AWS_')).sort();
      assert.deepEqual(awsKeys, ['AWS_ACCESS_KEY_ID', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL',
        'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWS_SHARED_CREDENTIALS_FILE']);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  test('a child process with testEnv and default SDK config reaches the emulator (seen by the proxy)', async () => {
    const proxy = await startFaultProxy(moto.endpoint);
    try {
      const code = `import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
        const r = await new STSClient({}).send(new GetCallerIdentityCommand({}));
        process.stdout.write(JSON.stringify({ account: r.Account }));`;
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO_ROOT, env: testEnv(proxy.endpoint) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b: Buffer) => { stdout += b; });
        child.stderr.on('data', (b: Buffer) => { stderr += b; });
        child.on('error', reject);
        child.on('close', (c) => (c === 0 ? resolve(stdout) : reject(new Error(`child exit ${c}: ${stderr}`))));
      });
      assert.deepEqual(JSON.parse(out), { account: ACCOUNT });
      assert.deepEqual(proxy.requests, [{ service: 'sts', operation: 'GetCallerIdentity' }]);
    } finally {
      await proxy.stop();
    }
  });

  test('sdkConfig has fake credentials, path style and a single attempt', () => {
    const c = sdkConfig('http://127.0.0.1:9');
    assert.deepEqual(c, {
      endpoint: 'http://127.0.0.1:9', region: 'us-east-1',
      credentials: { accessKeyId: 'AKIATESTFAKEKEY00000', secretAccessKey: 'test-secret-not-real' },
      forcePathStyle: true, maxAttempts: 1,
    });
    const sc = s3ControlConfig('http://127.0.0.1:9');
    assert.equal('forcePathStyle' in sc, false);
    assert.equal(sc.endpointProvider().url.href, 'http://127.0.0.1:9/');
  });
});

describe('fault proxy', () => {
  let proxy: FaultProxy;
  let s3: S3Client;
  let iam: IAMClient;
  let sts: STSClient;
  const BUCKET = 'harness-faults';

  beforeAll(async () => {
    await moto.reset();
    proxy = await startFaultProxy(moto.endpoint);
    s3 = new S3Client(sdkConfig(proxy.endpoint));
    iam = new IAMClient(sdkConfig(proxy.endpoint));
    sts = new STSClient(sdkConfig(proxy.endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => { await proxy?.stop(); });

  const last = () => proxy.requests.at(-1);

  test('forwards bodies and headers faithfully (binary object round trip)', async () => {
    proxy.setRules([]);
    const body = randomBytes(100_000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'dir/bin ary.dat', Body: body, Metadata: { origin: 'harness' } }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'dir/bin ary.dat' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    assert.equal(got.Metadata?.origin, 'harness');
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dir/bin ary.dat' }));
    assert.equal(head.ContentLength, body.length);
    assert.deepEqual(proxy.requests.slice(-3).map((r) => r.operation), ['PutObject', 'GetObject', 'HeadObject']);
  });

  test('accessDenied403 on S3 surfaces as AccessDenied with the FAULT-REQ request id', async () => {
    proxy.setRules([{ operation: 'GetBucketPolicy', fault: 'accessDenied403' }]);
    const err = await failure(() => s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })));
    assert.equal(err.name, 'AccessDenied');
    assert.equal(err.$metadata?.httpStatusCode, 403);
    assert.match(err.$metadata?.requestId ?? '', /^FAULT-REQ-\d+$/);
    assert.equal(err.$response?.headers['x-amz-request-id'], err.$metadata?.requestId);
    assert.deepEqual(last(), { service: 's3', operation: 'GetBucketPolicy', fault: 'accessDenied403' });
    // Other operations pass untouched.
    await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    assert.deepEqual(last(), { service: 's3', operation: 'GetBucketAcl' });
  });

  test('slowDown503 surfaces as SlowDown 503 with Retry-After', async () => {
    proxy.setRules([{ operation: 'ListObjectsV2', fault: 'slowDown503' }]);
    const err = await failure(() => s3.send(new ListObjectsV2Command({ Bucket: BUCKET })));
    assert.equal(err.name, 'SlowDown');
    assert.equal(err.$metadata?.httpStatusCode, 503);
    assert.match(err.$metadata?.requestId ?? '', /^FAULT-REQ-\d+$/);
    assert.equal(err.$response?.headers['retry-after'], '1');
  });

  test('http500 surfaces as InternalError on S3 and ServiceFailure on IAM', async () => {
    proxy.setRules([{ operation: 'GetBucketVersioning', fault: 'http500' }, { service: 'iam', fault: 'http500' }]);
    const e1 = await failure(() => s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET })));
    assert.equal(e1.name, 'InternalError');
    assert.equal(e1.$metadata?.httpStatusCode, 500);
    const e2 = await failure(() => iam.send(new ListUsersCommand({})));
    assert.equal(e2.name, 'ServiceFailureException');
    assert.equal(e2.$metadata?.httpStatusCode, 500);
    assert.match(e2.$metadata?.requestId ?? '', /^FAULT-REQ-\d+$/);
  });

  test('throttling400 on GetCallerIdentity surfaces as Throttling (query protocol)', async () => {
    proxy.setRules([{ service: 'sts', operation: 'GetCallerIdentity', fault: 'throttling400' }]);
    const err = await failure(() => sts.send(new GetCallerIdentityCommand({})));
    assert.equal(err.name, 'Throttling');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    assert.match(err.$metadata?.requestId ?? '', /^FAULT-REQ-\d+$/);
    assert.match(err.message, /Rate exceeded/);
    assert.equal(err.$response?.headers['x-amzn-requestid'], err.$metadata?.requestId);
  });

  test('accessDenied403 on IAM and on S3 Control parse as AccessDenied; service filter is honoured', async () => {
    proxy.setRules([{ service: 'iam', fault: 'accessDenied403' }, { service: 's3control', fault: 'accessDenied403' }]);
    const e1 = await failure(() => iam.send(new ListUsersCommand({})));
    assert.equal(e1.name, 'AccessDenied');
    assert.match(e1.message, /not authorized to perform: iam:ListUsers/);
    const control = new S3ControlClient(s3ControlConfig(proxy.endpoint));
    const e2 = await failure(() => control.send(new GetAccountPabCommand({ AccountId: ACCOUNT })));
    assert.equal(e2.name, 'AccessDenied');
    assert.equal(e2.$metadata?.httpStatusCode, 403);
    assert.match(e2.$metadata?.requestId ?? '', /^FAULT-REQ-\d+$/);
    const ok = await sts.send(new GetCallerIdentityCommand({})); // sts is not covered by the rules
    assert.equal(ok.Account, ACCOUNT);
  });

  test('reset destroys the connection: a network error, no HTTP status', async () => {
    proxy.setRules([{ operation: 'ListBuckets', fault: 'reset' }]);
    const err = await failure(() => s3.send(new ListBucketsCommand({})));
    assert.equal(err.code, 'ECONNRESET');
    assert.equal(err.$metadata?.httpStatusCode, undefined);
  });

  test('truncated returns half the body: a deserialization error with the upstream status', async () => {
    proxy.setRules([{ operation: 'ListBuckets', fault: 'truncated' }]);
    const err = await failure(() => s3.send(new ListBucketsCommand({})));
    assert.match(err.message, /Deserialization error|XML parse error/);
    assert.equal(err.$metadata?.httpStatusCode, 200);
  });

  test('delay longer than the client requestTimeout is a TimeoutError; without the fault it succeeds', async () => {
    const handler = new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true });
    const slow = new STSClient({ ...sdkConfig(proxy.endpoint), requestHandler: handler });
    proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'delay', delayMs: 1500 }]);
    const t0 = performance.now();
    const err = await failure(() => slow.send(new GetCallerIdentityCommand({})));
    assert.equal(err.name, 'TimeoutError');
    assert.ok(performance.now() - t0 < 1400, 'the client gave up before the proxy answered');
    proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'delay', delayMs: 100 }]);
    const t1 = performance.now();
    assert.equal((await slow.send(new GetCallerIdentityCommand({}))).Account, ACCOUNT);
    assert.ok(performance.now() - t1 >= 95, 'short delay is applied and tolerated');
  });

  test('answer200 answers 200 with the given body and content type, nothing else (HEAD: no body, no region header)', async () => {
    const page = malformedBody('html', 'GetBucketAcl');
    proxy.setRules([{ operation: 'GetBucketAcl', fault: 'answer200', ...page }, { operation: 'HeadBucket', fault: 'answer200' }]);
    const res = await fetch(`${proxy.endpoint}/${BUCKET}?acl`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), page.contentType);
    assert.equal(await res.text(), page.body);
    assert.deepEqual(last(), { service: 's3', operation: 'GetBucketAcl', fault: 'answer200' });
    // What the SDK makes of it, unaided: an empty answer, indistinguishable from "no grants".
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    assert.equal(acl.Grants, undefined);
    const head = await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    assert.equal(head.BucketRegion, undefined);
    assert.equal(malformedBody('otherDocument', 'GetCallerIdentity').body.startsWith('<GetUserResponse'), true);
    assert.match(malformedBody('otherDocument', 'GetBucketAcl').body, /<ListBucketResult /);
    assert.match(malformedBody('otherDocument', 'ListObjectsV2').body, /<AccessControlPolicy /);
  });

  test('dropHeader removes one header of the real answer', async () => {
    proxy.setRules([]);
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).BucketRegion, 'us-east-1');
    proxy.setRules([{ operation: 'HeadBucket', fault: 'dropHeader', header: 'x-amz-bucket-region' }]);
    const head = await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    assert.equal(head.BucketRegion, undefined);
    assert.ok(head.$metadata.requestId, 'the other headers are kept');
    assert.deepEqual(last(), { service: 's3', operation: 'HeadBucket', fault: 'dropHeader' });
  });

  test('trickle sends the real answer one body byte per trickleMs', async () => {
    proxy.setRules([]);
    const real = await (await fetch(`${proxy.endpoint}/${BUCKET}?versioning`)).text();
    proxy.setRules([{ operation: 'GetBucketVersioning', fault: 'trickle', trickleMs: 10 }]);
    const t0 = performance.now();
    const res = await fetch(`${proxy.endpoint}/${BUCKET}?versioning`);
    assert.equal(await res.text(), real);
    assert.ok(performance.now() - t0 >= real.length * 10 * 0.9, `${Math.round(performance.now() - t0)} ms for ${real.length} bytes`);
  });

  test('echo answers 200 with the request itself, signature included', async () => {
    proxy.setRules([{ operation: 'GetBucketPolicy', fault: 'echo' }]);
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }));
    const echoed = JSON.parse(out.Policy ?? '{}') as { method: string; url: string; headers: Record<string, string> };
    assert.equal(echoed.method, 'GET');
    assert.match(echoed.url, new RegExp(`^/${BUCKET}/?\\?policy`));
    assert.match(echoed.headers.authorization, /Signature=[0-9a-f]{64}/);
  });

  test('times: 1 faults once, so an SDK with maxAttempts 3 succeeds on the retry', async () => {
    proxy.setRules([{ operation: 'GetCallerIdentity', fault: 'throttling400', times: 1 }]);
    const retrying = new STSClient({ ...sdkConfig(proxy.endpoint), maxAttempts: 3 });
    const before = proxy.requests.length;
    const ok = await retrying.send(new GetCallerIdentityCommand({}));
    assert.equal(ok.Account, ACCOUNT);
    assert.equal(ok.$metadata.attempts, 2);
    assert.deepEqual(proxy.requests.slice(before), [
      { service: 'sts', operation: 'GetCallerIdentity', fault: 'throttling400' },
      { service: 'sts', operation: 'GetCallerIdentity' },
    ]);
    // Used up: a single-attempt client now succeeds too.
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, ACCOUNT);
  });

  test('the SDK honours Retry-After of a 503 (times: 1 SlowDown costs about one second)', async () => {
    proxy.setRules([{ operation: 'ListObjectsV2', fault: 'slowDown503', times: 1 }]);
    const retrying = new S3Client({ ...sdkConfig(proxy.endpoint), maxAttempts: 3 });
    const ok = await retrying.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    assert.equal(ok.$metadata.attempts, 2);
    assert.ok((ok.$metadata.totalRetryDelay ?? 0) >= 900, `totalRetryDelay ${ok.$metadata.totalRetryDelay}`);
  });

  test('reset with times: 2 is overcome by SDK retries (3 attempts)', async () => {
    proxy.setRules([{ operation: 'HeadBucket', fault: 'reset', times: 2 }]);
    const retrying = new S3Client({ ...sdkConfig(proxy.endpoint), maxAttempts: 3 });
    const ok = await retrying.send(new HeadBucketCommand({ Bucket: BUCKET }));
    assert.equal(ok.$metadata.attempts, 3);
  });

  test('latency adds a fixed delay to every request; moto-api calls are never faulted', async () => {
    proxy.setRules([{ fault: 'http500' }]);
    const api = await fetch(`${proxy.endpoint}/moto-api/data.json`);
    assert.equal(api.status, 200);
    await api.arrayBuffer();
    proxy.setRules([]);
    proxy.setLatency(200);
    try {
      const t0 = performance.now();
      await sts.send(new GetCallerIdentityCommand({}));
      assert.ok(performance.now() - t0 >= 195);
    } finally {
      proxy.setLatency(0);
    }
    const t1 = performance.now();
    await sts.send(new GetCallerIdentityCommand({}));
    assert.ok(performance.now() - t1 < 195);
  });

  test('probability uses the seeded PRNG: same seed, same faults', async () => {
    const run = async (seed: number): Promise<string> => {
      const p = await startFaultProxy(moto.endpoint, { seed, rules: [{ operation: 'ListBuckets', fault: 'http500', probability: 0.5 }] });
      try {
        let pattern = '';
        for (let i = 0; i < 24; i++) {
          const res = await fetch(`${p.endpoint}/`);
          await res.arrayBuffer();
          pattern += res.status === 500 ? 'F' : res.status === 200 ? '.' : '?';
        }
        assert.equal(p.requests.filter((r) => r.fault).length, [...pattern].filter((c) => c === 'F').length);
        return pattern;
      } finally {
        await p.stop();
      }
    };
    const a = await run(42);
    assert.equal(await run(42), a);
    assert.match(a, /^[F.]+$/);
    assert.ok(a.includes('F') && a.includes('.'), `p=0.5 gives a mix: ${a}`);
    assert.notEqual(await run(43), a);
  });

  test('identification of real SDK requests matches the command names', async () => {
    proxy.setRules([]);
    const control = new S3ControlClient(s3ControlConfig(proxy.endpoint));
    const commands: Array<[string, () => Promise<unknown>]> = [];
    const add = (name: string, fn: () => Promise<unknown>) => commands.push([name, fn]);
    const B = BUCKET;
    add('HeadBucket', () => s3.send(new HeadBucketCommand({ Bucket: B })));
    add('PutBucketPolicy', () => s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${B}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) })));
    add('GetBucketPolicy', () => s3.send(new GetBucketPolicyCommand({ Bucket: B })));
    add('GetBucketAcl', () => s3.send(new GetBucketAclCommand({ Bucket: B })));
    add('PutPublicAccessBlock', () => s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: { BlockPublicAcls: true } })));
    add('GetPublicAccessBlock', () => s3.send(new GetPublicAccessBlockCommand({ Bucket: B })));
    add('PutBucketOwnershipControls', () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })));
    add('GetBucketOwnershipControls', () => s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B })));
    add('GetBucketEncryption', () => s3.send(new GetBucketEncryptionCommand({ Bucket: B })));
    add('GetBucketVersioning', () => s3.send(new GetBucketVersioningCommand({ Bucket: B })));
    add('GetBucketLocation', () => s3.send(new GetBucketLocationCommand({ Bucket: B })));
    add('ListObjectsV2', () => s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'preflight/' })));
    add('PutObject', () => s3.send(new PutObjectCommand({ Bucket: B, Key: 'preflight/object', Body: 'x' })));
    add('HeadObject', () => s3.send(new HeadObjectCommand({ Bucket: B, Key: 'preflight/object' })));
    add('GetObject', () => s3.send(new GetObjectCommand({ Bucket: B, Key: 'preflight/object' })).then((r) => r.Body?.transformToString()));
    let uploadId = '';
    add('CreateMultipartUpload', async () => { uploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'preflight/mpu' }))).UploadId ?? ''; });
    add('UploadPart', () => s3.send(new UploadPartCommand({ Bucket: B, Key: 'preflight/mpu', UploadId: uploadId, PartNumber: 1, Body: 'part' })));
    add('ListParts', () => s3.send(new ListPartsCommand({ Bucket: B, Key: 'preflight/mpu', UploadId: uploadId })));
    add('ListMultipartUploads', () => s3.send(new ListMultipartUploadsCommand({ Bucket: B })));
    add('AbortMultipartUpload', () => s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'preflight/mpu', UploadId: uploadId })));
    add('DeleteObject', () => s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'preflight/object' })));
    add('DeleteObjects', () => s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'a' }] } })));
    add('ListBuckets', () => s3.send(new ListBucketsCommand({})));
    add('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
    add('ListUsers', () => iam.send(new ListUsersCommand({})));
    add('CreateUser', () => iam.send(new CreateUserCommand({ UserName: 'harness-user' })));
    add('PutPublicAccessBlock', () => control.send(new PutAccountPabCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true } })));
    add('GetPublicAccessBlock', () => control.send(new GetAccountPabCommand({ AccountId: ACCOUNT })));
    const seen: string[] = [];
    for (const [name, fn] of commands) {
      const before = proxy.requests.length;
      await fn().catch(() => undefined); // e.g. no encryption configured: identification is what counts
      const reqs = proxy.requests.slice(before);
      assert.equal(reqs.length, 1, `${name}: one request`);
      seen.push(reqs[0].operation);
    }
    assert.deepEqual(seen, commands.map(([n]) => n));
    assert.deepEqual(proxy.requests.slice(-2).map((r) => r.service), ['s3control', 's3control']);
    assert.deepEqual(proxy.requests.slice(-5, -2).map((r) => r.service), ['sts', 'iam', 'iam']);
  });
});

describe('identifyOperation', () => {
  const sigv4 = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=AKIATESTFAKEKEY00000/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00` });
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const rows: Array<[method: string, target: string, headers: Record<string, string>, body: string | undefined, service: string, operation: string]> = [
    ['GET', '/', {}, undefined, 's3', 'ListBuckets'],
    ['PUT', '/bkt', {}, undefined, 's3', 'CreateBucket'],
    ['HEAD', '/bkt', {}, undefined, 's3', 'HeadBucket'],
    ['HEAD', '/bkt/', sigv4('s3'), undefined, 's3', 'HeadBucket'],
    ['DELETE', '/bkt/', {}, undefined, 's3', 'DeleteBucket'],
    ['GET', '/bkt?policy', {}, undefined, 's3', 'GetBucketPolicy'],
    ['PUT', '/bkt/?policy=', {}, '{}', 's3', 'PutBucketPolicy'],
    ['DELETE', '/bkt?policy', {}, undefined, 's3', 'DeleteBucketPolicy'],
    ['GET', '/bkt?acl', {}, undefined, 's3', 'GetBucketAcl'],
    ['PUT', '/bkt?acl', {}, undefined, 's3', 'PutBucketAcl'],
    ['GET', '/bkt?publicAccessBlock', {}, undefined, 's3', 'GetPublicAccessBlock'],
    ['PUT', '/bkt?publicAccessBlock', {}, undefined, 's3', 'PutPublicAccessBlock'],
    ['GET', '/bkt?ownershipControls', {}, undefined, 's3', 'GetBucketOwnershipControls'],
    ['GET', '/bkt?encryption', {}, undefined, 's3', 'GetBucketEncryption'],
    ['PUT', '/bkt?encryption', {}, undefined, 's3', 'PutBucketEncryption'],
    ['GET', '/bkt?versioning', {}, undefined, 's3', 'GetBucketVersioning'],
    ['GET', '/bkt?lifecycle', {}, undefined, 's3', 'GetBucketLifecycleConfiguration'],
    ['GET', '/bkt?object-lock', {}, undefined, 's3', 'GetObjectLockConfiguration'],
    ['GET', '/bkt?requestPayment', {}, undefined, 's3', 'GetBucketRequestPayment'],
    ['GET', '/bkt?replication', {}, undefined, 's3', 'GetBucketReplication'],
    ['GET', '/bkt?location', {}, undefined, 's3', 'GetBucketLocation'],
    ['GET', '/bkt?policyStatus', {}, undefined, 's3', 'GetBucketPolicyStatus'],
    ['GET', '/bkt?uploads', {}, undefined, 's3', 'ListMultipartUploads'],
    ['GET', '/bkt?list-type=2&prefix=preflight%2F', {}, undefined, 's3', 'ListObjectsV2'],
    ['GET', '/bkt?prefix=a', {}, undefined, 's3', 'ListObjects'],
    ['GET', '/bkt?versions', {}, undefined, 's3', 'ListObjectVersions'],
    ['POST', '/bkt?delete', { 'content-type': 'application/xml' }, '<Delete/>', 's3', 'DeleteObjects'],
    ['POST', '/bkt/preflight/object?uploads', {}, undefined, 's3', 'CreateMultipartUpload'],
    ['PUT', '/bkt/preflight/object?partNumber=1&uploadId=u1', {}, 'data', 's3', 'UploadPart'],
    ['PUT', '/bkt/preflight/object?partNumber=1&uploadId=u1', { 'x-amz-copy-source': '/bkt/other' }, undefined, 's3', 'UploadPartCopy'],
    ['GET', '/bkt/preflight/object?uploadId=u1', {}, undefined, 's3', 'ListParts'],
    ['POST', '/bkt/preflight/object?uploadId=u1', {}, '<CompleteMultipartUpload/>', 's3', 'CompleteMultipartUpload'],
    ['DELETE', '/bkt/preflight/object?uploadId=u1', {}, undefined, 's3', 'AbortMultipartUpload'],
    ['GET', '/bkt/a/b%20c.txt', {}, undefined, 's3', 'GetObject'],
    ['PUT', '/bkt/preflight/object', {}, 'x', 's3', 'PutObject'],
    ['PUT', '/bkt/copy', { 'X-Amz-Copy-Source': '/bkt/preflight/object' }, undefined, 's3', 'CopyObject'],
    ['DELETE', '/bkt/preflight/object', {}, undefined, 's3', 'DeleteObject'],
    ['HEAD', '/bkt/preflight/object', {}, undefined, 's3', 'HeadObject'],
    ['GET', '/bkt/k?acl', {}, undefined, 's3', 'GetObjectAcl'],
    ['GET', '/bkt/k?x-id=GetObject', {}, undefined, 's3', 'GetObject'],
    ['GET', '/v20180820/configuration/publicAccessBlock', { 'x-amz-account-id': '123456789012' }, undefined, 's3control', 'GetPublicAccessBlock'],
    ['PUT', '/v20180820/configuration/publicAccessBlock', {}, '<x/>', 's3control', 'PutPublicAccessBlock'],
    ['DELETE', '/v20180820/configuration/publicAccessBlock', {}, undefined, 's3control', 'DeletePublicAccessBlock'],
    ['GET', '/v20180820/accesspoint/ap1/policy', {}, undefined, 's3control', 'GetAccessPointPolicy'],
    ['POST', '/', { ...form, ...sigv4('sts') }, 'Action=GetCallerIdentity&Version=2011-06-15', 'sts', 'GetCallerIdentity'],
    ['POST', '/', { ...form, ...sigv4('iam') }, 'Action=GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User', 'iam', 'GetAccountAuthorizationDetails'],
    ['POST', '/', { ...form, ...sigv4('iam') }, 'Version=2010-05-08&Action=SimulatePrincipalPolicy', 'iam', 'SimulatePrincipalPolicy'],
    ['POST', '/', form, 'Action=AssumeRole&RoleArn=x', 'sts', 'AssumeRole'],
    ['POST', '/', form, 'Action=GetRole&RoleName=x', 'iam', 'GetRole'],
    ['GET', '/?Action=GetUser&Version=2010-05-08', sigv4('iam'), undefined, 'iam', 'GetUser'],
    ['POST', '/', { ...form, ...sigv4('sqs') }, 'Action=SendMessage', 'unknown', 'SendMessage'],
  ];

  test(`names ${rows.length} hand-built requests`, () => {
    assert.ok(rows.length >= 20);
    for (const [method, target, headers, body, service, operation] of rows) {
      assert.deepEqual(identifyOperation(method, target, headers, body), { service, operation }, `${method} ${target}`);
    }
  });

  test('accepts Buffer bodies and is case-insensitive for header names', () => {
    assert.deepEqual(
      identifyOperation('POST', '/', { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: sigv4('sts').authorization }, Buffer.from('Action=GetCallerIdentity')),
      { service: 'sts', operation: 'GetCallerIdentity' },
    );
  });
});

describe('faultSchedule / PRNG', () => {
  const ops = ['GetBucketPolicy', 'GetBucketAcl', 'PutObject', 'GetObject', 'ListObjectsV2', 'GetCallerIdentity'];

  test('is deterministic per seed and varies across seeds', () => {
    assert.deepEqual(faultSchedule(1, ops), faultSchedule(1, ops));
    const distinct = new Set(Array.from({ length: 50 }, (_, s) => JSON.stringify(faultSchedule(s, ops))));
    assert.ok(distinct.size > 30, `${distinct.size} distinct schedules of 50`);
    assert.deepEqual(Array.from({ length: 5 }, mulberry32(9)), Array.from({ length: 5 }, mulberry32(9)));
  });

  test('schedules name a few distinct given operations; transient faults fire at most twice', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const rules = faultSchedule(seed, ops);
      assert.ok(rules.length >= 1 && rules.length <= 3);
      const names = rules.map((r) => r.operation ?? '');
      assert.equal(new Set(names).size, names.length);
      for (const r of rules) {
        assert.ok(ops.includes(r.operation ?? ''));
        assert.ok(FAULT_KINDS.includes(r.fault));
        kinds.add(r.fault);
        if (TRANSIENT_FAULTS.includes(r.fault)) assert.ok(r.times === 1 || r.times === 2, JSON.stringify(r));
        if (r.fault === 'delay') assert.ok((r.delayMs ?? 0) > 0 && (r.delayMs ?? 0) <= 50);
      }
    }
    assert.deepEqual([...kinds].sort(), [...FAULT_KINDS].sort());
    assert.equal(faultSchedule(3, ['Only']).length, 1);
    assert.deepEqual(faultSchedule(3, []), []);
  });
});
