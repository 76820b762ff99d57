// Networks admins work in (issue 15 item 4): every AWS request through a real forwarding proxy on
// loopback (the `proxy` package, CONNECT-capable), with basic auth whose password is a secret;
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY in both cases, --proxy, and a TLS endpoint with a self-signed
// certificate (generated here) trusted through --ca-bundle, AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS.
// The emulator speaks plain http (the HTTP proxy path); a TLS front of it tests the CONNECT path.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createProxy } from 'proxy';
import { DEMO_SCENARIO, type Seeded, seedGhesScenario } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { type CliRun, runCli } from './cli.ts';

const USER = 'preflight';
const PASSWORD = 'proxy-pass-7f3a9c1e5b';
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', 'AWS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS'];

interface LoopbackProxy {
  port: number;
  /** Plain-http requests forwarded (absolute URLs) and CONNECT tunnels opened (host:port). */
  forwarded: string[];
  tunnels: string[];
  refused: number;
  close(): Promise<void>;
}

async function startProxy(auth?: { user: string; password: string }): Promise<LoopbackProxy> {
  const server = createProxy(http.createServer());
  const p: LoopbackProxy = { port: 0, forwarded: [], tunnels: [], refused: 0, close: () => new Promise((r) => server.close(() => r())) };
  if (auth) {
    const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    server.authenticate = (req) => {
      const ok = req.headers['proxy-authorization'] === expected;
      if (!ok) p.refused += 1;
      return ok;
    };
  }
  server.prependListener('request', (req) => p.forwarded.push(req.url ?? ''));
  server.prependListener('connect', (req) => p.tunnels.push(req.url ?? ''));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  p.port = (server.address() as AddressInfo).port;
  server.unref();
  return p;
}

/** A TLS endpoint on loopback (self-signed for 127.0.0.1) that forwards every request to the emulator. */
async function startTlsFront(target: string, dir: string): Promise<{ endpoint: string; ca: string; close(): Promise<void> }> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  const upstream = new URL(target);
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return { endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: cert, close: () => new Promise((r) => server.close(() => r())) };
}

/** No proxy or CA variable of this machine leaks into a run: each test sets exactly its own. */
function networkEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of PROXY_VARIABLES) env[v] = '';
  return { ...env, ...extra };
}

function assertNoPassword(run: CliRun): void {
  for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr], ...Object.entries(run.files)] as const) {
    assert.ok(!text.includes(PASSWORD), `the proxy password appears in ${where}`);
    assert.ok(!text.includes(Buffer.from(`${USER}:${PASSWORD}`).toString('base64')), `the proxy credentials appear base64-encoded in ${where}`);
  }
}

describe('proxies and certificate authorities', { timeout: 600_000 }, () => {
  const moto = useMoto();
  let proxy: LoopbackProxy;
  let open: LoopbackProxy;
  let tls: Awaited<ReturnType<typeof startTlsFront>>;
  const dir = mkdtempSync(join(tmpdir(), 'preflight-proxy-'));
  before(async () => {
    proxy = await startProxy({ user: USER, password: PASSWORD });
    open = await startProxy();
  });
  after(async () => {
    await proxy?.close();
    await open?.close();
    await tls?.close();
  });
  const proxyUrl = (p: LoopbackProxy, password = PASSWORD) => `http://${USER}:${password}@127.0.0.1:${p.port}`;
  const reset = (p: LoopbackProxy) => {
    p.forwarded.length = 0;
    p.tunnels.length = 0;
    p.refused = 0;
  };

  async function check(s: Seeded, endpoint: string, env: Record<string, string>, extra: string[] = []): Promise<CliRun> {
    return runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--debug', '--max-attempts', '1', ...extra], {
      endpoint,
      env: networkEnv({ AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey, ...env }),
    });
  }

  test('HTTP_PROXY with basic auth: every request goes through the proxy, the report is the same, the password is never shown', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    reset(proxy);
    // DEBUG=*: the proxy libraries' own debug logging would print the proxy URL past the redaction.
    const run = await check(s, moto.endpoint, { HTTP_PROXY: proxyUrl(proxy), DEBUG: '*' });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.json?.results.filter((r) => r.status === 'error').map((r) => r.message), []);
    assert.ok(proxy.forwarded.length >= (run.json?.apiCalls.length ?? 0), `${proxy.forwarded.length} forwarded for ${run.json?.apiCalls.length} requests`);
    assert.ok(proxy.forwarded.every((u) => u.startsWith(`${moto.endpoint}/`)), proxy.forwarded.join('\n'));
    assert.match(run.stderr, new RegExp(`debug: 127\\.0\\.0\\.1:${new URL(moto.endpoint).port} via proxy http://127\\.0\\.0\\.1:${proxy.port} \\(with credentials\\) \\(HTTP_PROXY\\)`));
    assertNoPassword(run);
  });

  test('lower-case http_proxy works too; NO_PROXY (either case) sends the request directly', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    reset(open);
    const lower = await check(s, moto.endpoint, { http_proxy: `http://127.0.0.1:${open.port}` });
    assert.equal(lower.code, 1, lower.stderr);
    assert.ok(open.forwarded.length > 0, 'http_proxy was used');
    for (const noProxy of [{ NO_PROXY: '127.0.0.1' }, { no_proxy: 'localhost,127.0.0.1' }] as Array<Record<string, string>>) {
      reset(open);
      const direct = await check(s, moto.endpoint, { HTTP_PROXY: `http://127.0.0.1:${open.port}`, ...noProxy });
      assert.equal(direct.code, 1, direct.stderr);
      assert.equal(open.forwarded.length, 0, JSON.stringify(noProxy));
      assert.match(direct.stderr, /debug: 127\.0\.0\.1:\d+ direct \(NO_PROXY\)/);
    }
  });

  test('a wrong proxy password: the proxy refuses (407), checks are errors (exit 2), the password is not shown', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    reset(proxy);
    const run = await check(s, moto.endpoint, { HTTP_PROXY: proxyUrl(proxy, `${PASSWORD}-wrong`) });
    assert.equal(run.code, 2, run.stderr);
    assert.ok(proxy.refused > 0);
    assert.ok(run.json?.results.every((r) => r.status !== 'pass' || !['credentials', 'bucket-reachable'].includes(r.check)), 'nothing passes through a refusing proxy');
    assertNoPassword(run);
    assert.ok(!`${run.stderr}${run.stdout}`.includes(`${PASSWORD}-wrong`));
  });

  test('--proxy wins over the environment', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    reset(proxy);
    const run = await check(s, moto.endpoint, { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9' }, ['--proxy', proxyUrl(proxy)]);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(proxy.forwarded.length > 0);
    assert.match(run.stderr, /via proxy http:\/\/127\.0\.0\.1:\d+ \(with credentials\) \(HTTPS?_PROXY\)/);
    assertNoPassword(run);
  });

  test('HTTPS through CONNECT to a self-signed endpoint: trusted with --ca-bundle or AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS, refused without', async () => {
    tls ??= await startTlsFront(moto.endpoint, dir);
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    reset(proxy);
    const withFlag = await check(s, tls.endpoint, { HTTPS_PROXY: proxyUrl(proxy) }, ['--ca-bundle', tls.ca]);
    assert.equal(withFlag.code, 1, `${withFlag.stderr}\n${JSON.stringify(withFlag.json?.apiCalls.slice(0, 3))}\n${JSON.stringify(withFlag.json?.results.filter((r) => r.status === "error").slice(0, 2).map((r) => r.message))}`);
    assert.ok(proxy.tunnels.includes(new URL(tls.endpoint).host), `tunnels: ${proxy.tunnels.join(', ')}`);
    assert.equal(proxy.forwarded.length, 0, 'https is tunnelled, never forwarded in clear');
    assertNoPassword(withFlag);

    const withEnv = await check(s, tls.endpoint, { HTTPS_PROXY: proxyUrl(proxy), AWS_CA_BUNDLE: tls.ca });
    assert.equal(withEnv.code, 1, withEnv.stderr);
    const withNodeCas = await check(s, tls.endpoint, { HTTPS_PROXY: proxyUrl(proxy), NODE_EXTRA_CA_CERTS: tls.ca });
    assert.equal(withNodeCas.code, 1, withNodeCas.stderr);

    const untrusted = await check(s, tls.endpoint, { HTTPS_PROXY: proxyUrl(proxy) });
    assert.equal(untrusted.code, 2, untrusted.stderr);
    assert.match(JSON.stringify(untrusted.json?.results.filter((r) => r.status === 'error').map((r) => r.message)), /self-signed certificate/);
    assertNoPassword(untrusted);
  });

  test('bad --proxy or --ca-bundle: one line, exit 3, nothing sent', async () => {
    for (const [args, message] of [
      [['--proxy', 'not a url'], /--proxy .*is not a URL/],
      [['--proxy', 'socks5://127.0.0.1:1080'], /--proxy .*http:\/\/ or https:\/\//],
      [['--ca-bundle', join(dir, 'missing.pem')], /--ca-bundle .*cannot be read \(ENOENT\)/],
      [['--ca-bundle', new URL(import.meta.url).pathname], /--ca-bundle .*no PEM certificate/],
    ] as const) {
      const run = await runCli(['check', '--bucket', 'ghes-packages', '--service-url', 'https://s3.us-west-2.amazonaws.com', ...args], { env: networkEnv({}) });
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, message);
    }
  });
});
