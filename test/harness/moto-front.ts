// Test harness: a forwarding front for the moto server that corrects the few answers in which moto
// (5.2.5) is not S3. The tool checks that every successful answer is the document it asked for
// (src/aws/answer-shapes.ts), so it rightly refuses these moto answers; the front lets the tests
// see S3's answer instead of an emulator gap:
//   GET ?requestPayment           moto: the bucket listing (<ListBucketResult>): not implemented.
//                                 S3: the Payer last put (the front remembers PUT ?requestPayment),
//                                 else BucketOwner.
//   GET ?intelligent-tiering      moto: the bucket listing: not implemented. S3 for a bucket never
//     (the list, no id)           given a configuration: an empty list. Once one was put, moto's
//                                 answer passes through (the tool refuses it; recorded responses
//                                 test those cases): the front never invents what it did not see.
//   GET ?versioning               moto: root <GetBucketVersioningResponse>; S3: <VersioningConfiguration>.
//   GET key?uploadId= (ListParts) moto: root <ListPartsResponse>; S3: <ListPartsResult>.
//   sts:GetCallerIdentity with    moto: `arn:aws:sts::ACCOUNT:user/moto`, an ARN AWS never gives.
//     a key of no IAM user        Such a key acts as the account itself (moto allows it everything):
//                                 S3's answer for it is the root user, `arn:aws:iam::ACCOUNT:root`.
// Everything else, errors included, passes through unchanged (so does each of these when moto
// answers anything but the wrong document, e.g. NoSuchBucket).

import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * fetch for the emulators' control calls (reset, reset-auth), which are idempotent: retried once
 * when a pooled keep-alive socket turns out closed. A test that blocks its event loop (spawnSync of
 * the CLI) for longer than the server's keep-alive timeout leaves such a socket in the pool, and on
 * a loaded machine the next reset then failed with "other side closed".
 */
export async function controlFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    const code = ((e as { cause?: { code?: string } }).cause ?? {}).code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw e;
    return fetch(url, init);
  }
}

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

const renameRoot = (body: string, from: string, to: string): string => body.replaceAll(`<${from}`, `<${to}`).replaceAll(`</${from}>`, `</${to}>`);

/** What the front saw put for a bucket's settings moto does not implement (cleared by Moto.reset()). */
export interface FrontMemory {
  payer: Map<string, string>;
  tieringConfigured: Set<string>;
}

export const emptyMemory = (): FrontMemory => ({ payer: new Map(), tieringConfigured: new Set() });

/** Remembers a successful PUT of a setting moto ignores. */
export function rememberPut(memory: FrontMemory, method: string, target: string, status: number, requestBody: string): void {
  if (method !== 'PUT' || status < 200 || status >= 300) return;
  const url = new URL(target, 'http://front');
  const bucket = url.pathname.split('/').filter(Boolean)[0] ?? '';
  const payer = /<Payer>([A-Za-z]+)<\/Payer>/.exec(requestBody);
  if (url.searchParams.has('requestPayment') && payer) memory.payer.set(bucket, payer[1]);
  if (url.searchParams.has('intelligent-tiering')) memory.tieringConfigured.add(bucket);
}

/** The corrected body for a request moto answers wrongly, or undefined to pass moto's answer through. */
export function correctedMotoAnswer(method: string, target: string, status: number, body: string, memory: FrontMemory = emptyMemory()): string | undefined {
  if (status !== 200) return undefined;
  const identity = /<GetCallerIdentityResponse[\s>]/.test(body) ? /<Arn>arn:aws:sts::(\d{12}):user\/moto<\/Arn>/.exec(body) : null;
  if (identity) {
    return body.replace(identity[0], `<Arn>arn:aws:iam::${identity[1]}:root</Arn>`).replace(/<UserId>[^<]*<\/UserId>/, `<UserId>${identity[1]}</UserId>`);
  }
  if (method !== 'GET') return undefined;
  const url = new URL(target, 'http://front');
  if (url.searchParams.has('uploadId') && body.includes('<ListPartsResponse')) return renameRoot(body, 'ListPartsResponse', 'ListPartsResult');
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length !== 1) return undefined;
  const bucket = segments[0];
  const listing = /^(<\?xml[^>]*\?>\s*)?<ListBucketResult[\s>]/.test(body);
  if (url.searchParams.has('requestPayment') && listing) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<RequestPaymentConfiguration xmlns="${S3_NS}"><Payer>${memory.payer.get(bucket) ?? 'BucketOwner'}</Payer></RequestPaymentConfiguration>`;
  }
  if (url.searchParams.has('intelligent-tiering') && !url.searchParams.has('id') && listing && !memory.tieringConfigured.has(bucket)) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketIntelligentTieringConfigurationsOutput xmlns="${S3_NS}"><IsTruncated>false</IsTruncated></ListBucketIntelligentTieringConfigurationsOutput>`;
  }
  if (url.searchParams.has('versioning') && body.includes('<GetBucketVersioningResponse')) return renameRoot(body, 'GetBucketVersioningResponse', 'VersioningConfiguration');
  return undefined;
}

function readAll(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export interface MotoFront {
  endpoint: string;
  port: number;
  /** Forgets what was put (with moto's own reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const RESET_PATH = '/__moto-front/reset';

/**
 * Starts the front in a process of its own (a test that blocks its event loop, e.g. with
 * spawnSync, must not stall every request to the emulator), on a free 127.0.0.1 port, forwarding
 * to `upstream` (moto). The process ends when this one does (its stdin closes).
 */
export async function startMotoFront(upstream: string): Promise<MotoFront> {
  const child = spawn(process.execPath, [import.meta.filename, upstream], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b;
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`moto front exited early (code ${code})`)));
  });
  child.unref();
  for (const s of [child.stdin, child.stdout]) (s as unknown as { unref?: () => void }).unref?.();
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    port,
    reset: async () => {
      const res = await controlFetch(`${endpoint}${RESET_PATH}`, { method: 'POST' });
      await res.arrayBuffer();
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The child is unref'd: a pending timer keeps the event loop alive until its exit event
      // arrives (else a script awaiting stop() at top level ends with "unsettled top-level await").
      const escalate = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(escalate);
    },
  };
}

async function serveFront(upstream: string): Promise<number> {
  const up = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  let memory = emptyMemory();
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
    if (req.url === RESET_PATH) {
      memory = emptyMemory();
      res.end();
      return;
    }
    void (async () => {
      const body = await readAll(req);
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
      // Host unchanged: moto verifies SigV4 signatures (which cover it) when IAM enforcement is on.
      if (body.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
      const upRes = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const out = http.request({ hostname: up.hostname, port: up.port, method: req.method, path: req.url, headers, agent }, resolve);
        out.on('error', reject);
        out.end(body);
      });
      const outHeaders: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) outHeaders[k] = v;
      const answer = await readAll(upRes);
      rememberPut(memory, req.method ?? 'GET', req.url ?? '/', upRes.statusCode ?? 502, body.toString('utf8'));
      const corrected = correctedMotoAnswer(req.method ?? 'GET', req.url ?? '/', upRes.statusCode ?? 502, answer.toString('utf8'), memory);
      const bytes = corrected === undefined ? answer : Buffer.from(corrected);
      if (req.method !== 'HEAD') outHeaders['content-length'] = String(bytes.length);
      res.writeHead(upRes.statusCode ?? 502, outHeaders);
      res.end(req.method === 'HEAD' ? undefined : bytes);
    })().catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`moto front: upstream ${upstream} failed: ${(err as Error).message}`);
      } else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

// As a process of its own: `node moto-front.ts UPSTREAM` prints the port, serves until its stdin closes.
if (process.argv[1] === import.meta.filename) {
  const port = await serveFront(process.argv[2]);
  process.stdout.write(`${port}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
