// Test harness: a forwarding front for the moto server that corrects the few answers in which moto
// (5.2.5) is not S3. The tool checks that every successful answer is the document it asked for
// (src/aws/answer-shapes.ts), so it rightly refuses these moto answers; the front lets the tests
// see S3's answer instead of an emulator gap:
//   GET ?requestPayment           moto: the bucket listing (<ListBucketResult>): not implemented.
//                                 S3 for a bucket never made Requester Pays: Payer BucketOwner.
//   GET ?intelligent-tiering      moto: the bucket listing: not implemented.
//     (the list, no id)           S3 for a bucket without configurations: an empty list.
//   GET ?versioning               moto: root <GetBucketVersioningResponse>; S3: <VersioningConfiguration>.
// Everything else, errors included, passes through unchanged (so does each of these when moto
// answers anything but the wrong document, e.g. NoSuchBucket).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** The corrected body for a request moto answers wrongly, or undefined to pass moto's answer through. */
export function correctedMotoAnswer(method: string, target: string, status: number, body: string): string | undefined {
  if (method !== 'GET' || status !== 200) return undefined;
  const url = new URL(target, 'http://front');
  const bucketOnly = url.pathname.split('/').filter(Boolean).length === 1;
  if (!bucketOnly) return undefined;
  const listing = /^(<\?xml[^>]*\?>\s*)?<ListBucketResult[\s>]/.test(body);
  if (url.searchParams.has('requestPayment') && listing) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<RequestPaymentConfiguration xmlns="${S3_NS}"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>`;
  }
  if (url.searchParams.has('intelligent-tiering') && !url.searchParams.has('id') && listing) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketIntelligentTieringConfigurationsOutput xmlns="${S3_NS}"><IsTruncated>false</IsTruncated></ListBucketIntelligentTieringConfigurationsOutput>`;
  }
  if (url.searchParams.has('versioning') && body.includes('<GetBucketVersioningResponse')) {
    return body.replaceAll('<GetBucketVersioningResponse', '<VersioningConfiguration').replaceAll('</GetBucketVersioningResponse>', '</VersioningConfiguration>');
  }
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
  stop(): Promise<void>;
}

/** Starts the front on a free 127.0.0.1 port, forwarding to `upstream` (moto). */
export async function startMotoFront(upstream: string): Promise<MotoFront> {
  const up = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    res.on('error', () => undefined);
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
      const corrected = correctedMotoAnswer(req.method ?? 'GET', req.url ?? '/', upRes.statusCode ?? 502, answer.toString('utf8'));
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
  // Like the moto child process: never the reason a test process stays alive.
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
