// Secrets never leave the process. Every scenario runs with a recognisable fake secret key and
// session token (the canary); afterwards stdout, stderr, the three reports and every other file the
// tool wrote are searched for the secret, the token (also URL-encoded, also any 12-character piece
// of them), request signatures, and unmasked access key ids.
//
// Scenarios: a correct setup and a failing one with --debug (and --write-baseline, a file the tool
// writes), injected faults, an unreachable endpoint, bad input echoing a pasted secret, a bucket
// policy that contains the secret and the token, an endpoint whose error messages contain them
// (with signatures), and, in-process, a check that crashes with them in its message, rendered
// through the real writers, plus an internal error printed with --debug.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsSession } from '../../src/aws/session.ts';
import { err, reportFatal } from '../../src/cli/output.ts';
import { FORMATS } from '../../src/config/options.ts';
import { redact } from '../../src/redact.ts';
import { renderConsole } from '../../src/report/console.ts';
import { buildReport } from '../../src/report/report.ts';
import { writeReports } from '../../src/report/write.ts';
import { runGhesS3Target } from '../../src/run/ghes-s3.ts';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { GhesS3Check } from '../../checks/ghes-s3/context.ts';
import { freePort, type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { startFaultProxy } from '../harness/fault-proxy.ts';
import { DEMO_SCENARIO, ghesUserPolicy, seedGhesScenario, type Scenario } from '../harness/scenarios.ts';
import { type CliRun, runCli } from './cli.ts';
import { assertReadOnly } from './read-only.ts';

// The canary: realistic shapes (40-character secret with / and +, a token with / + =), easy to spot.
const ACCESS_KEY_ID = 'AKIACANARY0000004321';
const SECRET = 'Cnry/Secret+Key0123456789abcdefGHIJKLMNO';
const TOKEN = 'FwoGZXIvYXdzCANARYsessionTOKEN/d2hhdCBhIGxvbmcgdG9rZW4+IQ==';
const CANARY_ENV = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };
const SIGNATURE = 'Signature=0f3c8e5b7a9d1c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e';
const PRESIGNED = `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${ACCESS_KEY_ID}%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=9a8b7c6d5e4f30211f2e3d4c5b6a79880f1e2d3c4b5a69788796a5b4c3d2e1f0&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}`;

/** Spellings a secret takes on the way out (issue 14, item 8): encodings that must be redacted too. */
const b64core = (s: string, skip: number, url: boolean) => {
  const bytes = Buffer.from(s).subarray(skip);
  return bytes.subarray(0, bytes.length - (bytes.length % 3)).toString(url ? 'base64url' : 'base64');
};
const spellings = (s: string): string[] => [
  s,
  encodeURIComponent(s),
  encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  s.replace(/\//g, '\\/'),
  ...[0, 1, 2].flatMap((skip) => [b64core(s, skip, false), b64core(s, skip, true)]),
];
/** Every 12-character piece of every spelling of the secret and the token: a truncated secret is still a leak. */
const PIECES = [SECRET, TOKEN].flatMap(spellings).flatMap((s) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12)));
/** A secret from a shared-credentials profile file (no AWS_* secret in the environment). */
const PROFILE_SECRET = 'Prof1le/Secret+Key0123456789abcdefGHIJKL';
const PROFILE_PIECES = spellings(PROFILE_SECRET).flatMap((s) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12)));

/** What in `text` (named `where`) would be a leak. */
function leaks(where: string, text: string): string[] {
  const found: string[] = [];
  for (const s of [SECRET, TOKEN, encodeURIComponent(SECRET), encodeURIComponent(TOKEN)]) if (text.includes(s)) found.push(`${where}: the ${s.startsWith('Cnry') || s.startsWith('Cnry%2F') ? 'secret key' : 'session token'} (${s.slice(0, 6)}…)`);
  const piece = [...PIECES, ...PROFILE_PIECES].find((p) => text.includes(p));
  if (piece && found.length === 0) found.push(`${where}: a 12-character piece of a secret, in some spelling ("${piece}")`);
  const sig = /(?:X-Amz-)?Signature=[0-9a-fA-F]{8,}/.exec(text);
  if (sig) found.push(`${where}: a request signature (${sig[0].slice(0, 24)}…)`);
  if (text.includes(ACCESS_KEY_ID)) found.push(`${where}: the access key id unmasked`);
  return found;
}

/** Every file under `dir`, recursively: name → content. */
function filesUnder(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}

function assertNoLeak(label: string, run: CliRun, extraDirs: string[] = []): void {
  const found = [...leaks(`${label} stdout`, run.stdout), ...leaks(`${label} stderr`, run.stderr)];
  for (const dir of [run.outputDir, ...extraDirs]) {
    for (const [name, text] of Object.entries(filesUnder(dir))) found.push(...leaks(`${label} ${name}`, text));
  }
  assert.deepEqual(found, [], `${label}: secrets leaked`);
}

/** An endpoint whose every answer is an AWS error that quotes the caller's secrets and a signature. */
async function chattyErrorEndpoint() {
  const forms = [SECRET, TOKEN].flatMap(spellings).join(' | ');
  const message = `Spelled ${forms}. The request signature we calculated does not match the signature you provided. Check your key and signing method. String to sign used secret ${SECRET} and token ${TOKEN}; Authorization: AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20250101/us-east-1/s3/aws4_request, ${SIGNATURE}; presigned: ${PRESIGNED}; base64 inside a blob: ${Buffer.from(`{"k":"${SECRET}","t":"${TOKEN}"}`).toString('base64')}`;
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const query = req.method === 'POST' && req.url === '/';
      const body = query
        ? `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${escaped}</Message></Error><RequestId>CHATTY-1</RequestId></ErrorResponse>`
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>${escaped}</Message><RequestId>CHATTY-1</RequestId></Error>`;
      res.writeHead(403, { 'content-type': query ? 'text/xml' : 'application/xml', 'x-amz-request-id': 'CHATTY-1', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const GOOD: Scenario = {
  bucket: 'sec-good',
  region: 'us-west-2',
  serviceUrl: 'https://s3.us-west-2.amazonaws.com',
  actionsBucket: 'sec-good-actions',
  userName: 'sec-good-user',
  userPolicies: { storage: ghesUserPolicy('sec-good') },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  problems: [],
};
const DEMO: Scenario = { ...DEMO_SCENARIO, bucket: 'sec-demo', actionsBucket: 'sec-demo-actions', userName: 'sec-demo-user' };

describe('secrets never leave the process (canary)', () => {
  let moto: Moto;
  const target = (s: Scenario) => ['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket];

  beforeAll(async () => {
    moto = await startMoto();
    await seedGhesScenario(moto.endpoint, GOOD);
    await seedGhesScenario(moto.endpoint, DEMO);
    const s3 = new S3Client({ ...sdkConfig(moto.endpoint), region: 'us-east-1' });
    // Policies that hold the canary: a public statement quoting it, and one that is not even JSON.
    await s3.send(new CreateBucketCommand({ Bucket: 'sec-policy' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'sec-policy',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'LeakyRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sec-policy/*', Condition: { StringEquals: { 'aws:UserAgent': [SECRET, TOKEN].flatMap(spellings), 'aws:Referer': TOKEN } } },
            { Sid: 'Presigned', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::sec-policy/*', Condition: { StringLike: { 'aws:Referer': [PRESIGNED, `${SIGNATURE}*`] } } },
          ],
        }),
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: 'sec-policy-broken' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'sec-policy-broken', Policy: `{"Statement": [{"Sid": "${SECRET}", "Condition": "${TOKEN}" ${SIGNATURE}` }));
    s3.destroy();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  test('the canary is realistic', () => {
    assert.equal(SECRET.length, 40);
    assert.match(ACCESS_KEY_ID, /^AKIA[A-Z0-9]{16}$/);
  });

  test('a correct setup with --debug and --write-baseline: nothing leaks, in the reports, the logs or the baseline file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'preflight-canary-baseline-'));
    const run = await runCli([...target(GOOD), '--debug', '--write-baseline', join(out, 'baseline.json')], { endpoint: moto.endpoint, env: CANARY_ENV });
    assert.ok(run.code === 0 || run.code === 1 || run.code === 2, run.stderr);
    assert.ok(run.json && run.junit && run.markdown, 'all three reports');
    assert.match(run.stderr, /^debug: sts:GetCallerIdentity /m, '--debug logged the requests');
    assertNoLeak('correct setup', run, [out]);
    assertReadOnly(run.json);
  });

  test('a failing setup with --debug: nothing leaks', async () => {
    const run = await runCli([...target(DEMO), '--debug'], { endpoint: moto.endpoint, env: CANARY_ENV });
    assert.equal(run.code, 1, run.stderr);
    assertNoLeak('failing setup', run);
    assertReadOnly(run.json);
  });

  test('injected faults (403, 500, reset, truncated XML, throttling) with --debug: nothing leaks', async () => {
    const proxy = await startFaultProxy(moto.endpoint, {
      retryAfterSeconds: 0,
      rules: [
        { operation: 'GetBucketPolicy', fault: 'accessDenied403' },
        { operation: 'GetBucketAcl', fault: 'http500' },
        { operation: 'GetBucketEncryption', fault: 'reset' },
        { operation: 'GetAccountAuthorizationDetails', fault: 'truncated' },
        { operation: 'GetCallerIdentity', fault: 'throttling400', times: 1 },
      ],
    });
    try {
      const run = await runCli([...target(DEMO), '--debug', '--max-attempts', '2'], { endpoint: proxy.endpoint, env: CANARY_ENV });
      assert.ok(run.code === 1 || run.code === 2, run.stderr);
      assert.ok(run.json!.results.some((r) => r.evidence.code === 'AccessDenied'));
      assertNoLeak('faults', run);
      assertReadOnly(run.json);
    } finally {
      await proxy.stop();
    }
  });

  test('an unreachable endpoint with --debug: nothing leaks', async () => {
    const run = await runCli([...target(GOOD), '--debug', '--max-attempts', '1', '--endpoint-url', `http://127.0.0.1:${await freePort()}`], { env: CANARY_ENV });
    assert.equal(run.code, 2, run.stderr);
    assertNoLeak('unreachable endpoint', run);
  });

  test('bad input that quotes a secret pasted into the wrong flag: exit 3, the secret is not echoed', async () => {
    for (const args of [
      ['check', '--bucket', SECRET, '--service-url', GOOD.serviceUrl, '--debug'],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--principal-arn', TOKEN, '--debug'],
    ]) {
      const run = await runCli(args, { endpoint: moto.endpoint, env: CANARY_ENV });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /\[REDACTED\]/, run.stderr);
      assertNoLeak(`bad input ${args[1]}`, run);
    }
  });

  test('a secret pasted into --service-url is a service-url fail (the value under test) and is never echoed', async () => {
    const run = await runCli(['check', '--bucket', 'sec-good', '--service-url', SECRET, '--debug'], { endpoint: moto.endpoint, env: CANARY_ENV });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.json!.results.find((r) => r.check === 'service-url' && r.subject === 'endpoint-form')?.status, 'fail');
    assert.match(JSON.stringify(run.json), /\[REDACTED\]/, 'the value is shown in the report, redacted');
    assertNoLeak('secret in --service-url', run);
  });

  test('a bucket policy quoting the secret, the token and signatures: redacted in every output', async () => {
    for (const bucket of ['sec-policy', 'sec-policy-broken']) {
      const run = await runCli(['check', '--bucket', bucket, '--service-url', 'https://s3.us-east-1.amazonaws.com', '--debug'], { endpoint: moto.endpoint, env: CANARY_ENV });
      assert.ok(run.code === 1 || run.code === 2, run.stderr);
      const policy = run.json!.results.filter((r) => r.check === 'bucket-policy' && r.subject === 'public');
      assert.ok(policy.length > 0 && policy.every((r) => r.status === 'fail' || r.status === 'error'), policy.map((r) => `${r.status} ${r.message}`).join('\n'));
      // A policy that is JSON reaches the report, redacted; one that is not is refused as not the
      // document asked for, and its text never reaches the report at all.
      if (bucket === 'sec-policy') assert.match(JSON.stringify(run.json), /\[REDACTED\]/, 'the policy text made it into the report, redacted');
      else assert.deepEqual(policy.map((r) => r.evidence.code), ['MalformedResponse']);
      assertNoLeak(`policy ${bucket}`, run);
      assertReadOnly(run.json);
    }
  });

  test('AWS error messages quoting the secret, the token and signatures: redacted in every output', async () => {
    const chatty = await chattyErrorEndpoint();
    try {
      const run = await runCli([...target(GOOD), '--debug', '--max-attempts', '1'], { endpoint: chatty.endpoint, env: CANARY_ENV });
      assert.equal(run.code, 2, run.stderr);
      const quoted = run.json!.results.filter((r) => JSON.stringify(r).includes('Spelled '));
      assert.ok(quoted.length > 0, 'the AWS error message reached the report');
      assertNoLeak('chatty errors', run);
    } finally {
      await chatty.stop();
    }
  });

  /** A home folder whose shared credentials file, SSO cache and AWS CLI cache hold secrets; no AWS_* secret in the environment. */
  function profileHome(): { env: Record<string, string>; ssoToken: string; cliSecret: string } {
    const home = mkdtempSync(join(tmpdir(), 'preflight-canary-home-'));
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    mkdirSync(join(home, '.aws', 'cli', 'cache'), { recursive: true });
    const credentials = join(home, '.aws', 'credentials');
    writeFileSync(credentials, `[default]\naws_access_key_id = ${ACCESS_KEY_ID}\naws_secret_access_key = ${PROFILE_SECRET}\n`);
    const ssoToken = 'aoaAAAAAGcanarySSOaccessTOKEN0123456789/+abcdefghijklmnopqrstuvwxyz';
    writeFileSync(join(home, '.aws', 'sso', 'cache', '0123abcd.json'), JSON.stringify({ startUrl: 'https://d-1234.awsapps.com/start', region: 'us-east-1', accessToken: ssoToken, expiresAt: '2030-01-01T00:00:00Z' }));
    const cliSecret = 'CliCache/AssumedRole+Secret0123456789abcd';
    writeFileSync(join(home, '.aws', 'cli', 'cache', 'role.json'), JSON.stringify({ Credentials: { AccessKeyId: 'ASIACANARY0000005678', SecretAccessKey: cliSecret, SessionToken: `${cliSecret}Token`, Expiration: '2030-01-01T00:00:00Z' } }));
    const env = { HOME: home, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' };
    return { env, ssoToken, cliSecret };
  }

  test('a secret from a shared-credentials profile, the SSO cache or the AWS CLI cache, pasted into any flag: exit 3 (a service URL: a service-url fail), never echoed', async () => {
    const { env, ssoToken, cliSecret } = profileHome();
    const ghe = mkdtempSync(join(tmpdir(), 'preflight-canary-ghe-'));
    const gheSecret = 'Ghe/Packages+Secret0123456789abcdefGHIJK';
    writeFileSync(join(ghe, 'ghe-config.txt'), `secrets.packages.blob-storage-type=s3\nsecrets.packages.s3-bucket=sec-good\nsecrets.packages.service-url=https://s3.us-west-2.amazonaws.com\nsecrets.packages.aws-access-key=${ACCESS_KEY_ID}\nsecrets.packages.aws-secret-key=${gheSecret}\n`);
    const pasted = (v: string) => [
      ['check', '--bucket', 'sec-good', '--service-url', v],
      ['check', '--bucket', 'sec-good', '--service-url', `https://${v}`],
      ['check', '--bucket', v, '--service-url', GOOD.serviceUrl],
      ['check', '--bucket', `${v.toLowerCase()}_`, '--service-url', GOOD.serviceUrl],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--actions-bucket', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--principal-arn', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--region', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--engine', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--endpoint-url', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, '--source-ip', v],
      ['check', '--bucket', 'sec-good', '--service-url', GOOD.serviceUrl, v],
      ['fleet', '--targets', v],
      ['report', '--from', v],
    ];
    const extra = (v: string) => [
      ['check', '--from-ghe-config', join(ghe, 'ghe-config.txt'), '--source-vpce', v],
      ['check', '--from-ghe-config', join(ghe, 'ghe-config.txt'), '--engine', v],
    ];
    const cases = [...[PROFILE_SECRET, ssoToken, cliSecret].flatMap(pasted), ...extra(gheSecret)];
    for (const args of cases) {
      const run = await runCli(args, { endpoint: moto.endpoint, env });
      // The service URL is the value under test (a service-url fail, the run goes on: exit 1); everything else is bad input.
      const serviceUrlValue = args[args.indexOf('--service-url') + 1];
      const asServiceUrl = args.includes('--service-url') && serviceUrlValue !== GOOD.serviceUrl;
      assert.equal(run.code, asServiceUrl ? 1 : 3, `${args.join(' ')}\n${run.stderr}`);
      const all = `${run.stdout}${run.stderr}`;
      for (const s of [PROFILE_SECRET, ssoToken, cliSecret, gheSecret]) {
        for (let i = 0; i + 12 <= s.length; i++) assert.ok(!all.toLowerCase().includes(s.slice(i, i + 12).toLowerCase()), `${args.join(' ')}: a piece of a secret was echoed:\n${all}`);
      }
      assertNoLeak(`pasted ${args.slice(1, 3).join(' ')}`, run);
    }
  });

  test('credentials from a shared-credentials profile with --debug: nothing leaks', async () => {
    const { env } = profileHome();
    const run = await runCli([...target(GOOD), '--debug', '--max-attempts', '1'], { endpoint: moto.endpoint, env });
    assert.ok(run.code === 0 || run.code === 1 || run.code === 2, run.stderr);
    assert.ok(run.json, 'the run wrote its report');
    assertNoLeak('profile credentials', run);
  });

  test('a check that crashes with the secret in its message: the real writers and the console redact it', async () => {
    const session = new AwsSession({ endpointUrl: moto.endpoint, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN }, maxAttempts: 1 });
    const crashing: GhesS3Check = {
      id: 'crashing',
      title: 'crashes',
      severity: 'high',
      rationale: '-',
      remediation: '-',
      references: [],
      messages: {},
      async run({ facts }) {
        await facts.callerIdentity();
        throw new Error(`could not sign with ${ACCESS_KEY_ID}:${SECRET} (token ${TOKEN}, ${SIGNATURE}) at ${PRESIGNED}`);
      },
    };
    const t = await runGhesS3Target({ bucket: GOOD.bucket, serviceUrl: GOOD.serviceUrl, actionsBucket: GOOD.actionsBucket }, { session, checks: [...ghesS3Checks, crashing] });
    const crashed = t.results.find((r) => r.check === 'crashing');
    assert.equal(crashed?.status, 'error');
    assert.ok(crashed!.message.includes(SECRET), 'in memory the message is raw: redaction happens at the exit');
    const report = buildReport({ tool: { name: 'packages-preflight', version: 'test' }, pack: 'ghes-s3', target: t.target, startedAt: new Date(), finishedAt: new Date(), results: t.results, apiCalls: t.apiCalls });
    const dir = mkdtempSync(join(tmpdir(), 'preflight-canary-crash-'));
    const paths = writeReports(report, [...FORMATS], dir);
    assert.equal(paths.length, FORMATS.length);
    const found: string[] = [];
    for (const [name, text] of Object.entries(filesUnder(dir))) found.push(...leaks(name, text));
    found.push(...leaks('console', redact(renderConsole(report, { color: false }))));
    assert.deepEqual(found, []);
    assert.match(readFileSync(paths[0], 'utf8'), /could not sign with AKIA…4321:\[REDACTED\] \(token \[REDACTED\], Signature=\[REDACTED\]\)/);
    assertReadOnly(t);
  });

  test('an internal error printed with --debug (message and stack) is redacted, and so is anything else written to the console', () => {
    const written: string[] = [];
    const realWrite = process.stderr.write;
    const realOut = process.stdout.write;
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      const error = new Error(`unexpected answer for ${SECRET}`);
      error.stack = `Error: unexpected answer for ${SECRET}\n    at sign (${PRESIGNED})\n    at token (${TOKEN})`;
      assert.equal(reportFatal(error, true), 2);
      err(`debug: ${SIGNATURE}`);
      // Libraries that print to the console themselves (the AWS SDK does) go through redact too.
      console.error('sdk warning', { secretAccessKey: SECRET }, TOKEN);
      console.warn(`warn ${SECRET}`);
      console.log(`log ${TOKEN}`);
    } finally {
      process.stderr.write = realWrite;
      process.stdout.write = realOut;
    }
    const text = written.join('');
    assert.match(text, /internal error: unexpected answer for \[REDACTED\]/);
    assert.match(text, /at sign \(/, 'the stack is printed with --debug');
    assert.deepEqual(leaks('console', text), []);
  });
});
