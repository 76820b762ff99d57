// Test harness: an HTTP proxy on 127.0.0.1 in front of the emulator that can inject faults shaped
// like the real AWS errors of each protocol, so the real AWS SDK parses them into the right error,
// and answers that are not AWS's at all: a 200 with a body of the test's choosing (an HTML sign-in
// page, an empty body, another API's document), the real answer without one header, the real
// answer trickled one byte at a time, and a 200 that echoes the request (headers, signature and
// all) back as its body.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type AwsService = 's3' | 's3control' | 'iam' | 'sts' | 'unknown';
export interface OperationId { service: AwsService; operation: string; }

export type FaultKind = 'http500' | 'slowDown503' | 'throttling400' | 'accessDenied403' | 'reset' | 'delay' | 'truncated' | 'answer200' | 'dropHeader' | 'trickle' | 'echo';
export const FAULT_KINDS: readonly FaultKind[] = ['http500', 'slowDown503', 'throttling400', 'accessDenied403', 'reset', 'delay', 'truncated', 'answer200', 'dropHeader', 'trickle', 'echo'];

export interface FaultRule {
  /** SDK operation name (e.g. `GetBucketPolicy`); omitted = any operation. */
  operation?: string;
  /** omitted = any service. */
  service?: string;
  fault: FaultKind;
  /** How many times the rule fires; omitted = unlimited. */
  times?: number;
  /** 0..1, rolled with the proxy's seeded PRNG for each matching request; omitted = always. */
  probability?: number;
  /** For `delay`: wait this long before forwarding (default 1000). */
  delayMs?: number;
  /** For `answer200`: the body (default empty) and its content type (default application/xml). */
  body?: string;
  contentType?: string;
  /** For `dropHeader`: the response header to remove from the real answer (default x-amz-bucket-region). */
  header?: string;
  /** For `trickle`: milliseconds between the bytes of the real answer's body (default 1000). */
  trickleMs?: number;
}

export interface ProxiedRequest { service: AwsService; operation: string; fault?: FaultKind; }

export interface FaultProxy {
  endpoint: string;
  port: number;
  /** Replaces the rules (and their `times` counters). */
  setRules(rules: FaultRule[]): void;
  /** Fixed delay added to every request. */
  setLatency(ms: number): void;
  /** Every request seen (moto-api calls excluded), in arrival order. */
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

type HeaderValue = string | string[] | undefined;
type Headers = Record<string, HeaderValue>;

function header(headers: Headers, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v.join(',') : v;
  }
  return undefined;
}

const STS_ACTIONS = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'DecodeAuthorizationMessage',
  'GetAccessKeyInfo', 'GetCallerIdentity', 'GetDelegatedAccessToken', 'GetFederationToken', 'GetSessionToken', 'GetWebIdentityToken',
]);

/** Service named in the SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`). */
function signingService(headers: Headers, query: URLSearchParams): string | undefined {
  const auth = header(headers, 'authorization') ?? '';
  const m = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  if (m) return m[1];
  const cred = query.get('X-Amz-Credential');
  return cred?.split('/')[3];
}

// Bucket sub-resources: [GET, PUT, DELETE] operation names.
const BUCKET_SUBRESOURCES: Record<string, [string?, string?, string?]> = {
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  acl: ['GetBucketAcl', 'PutBucketAcl'],
  publicAccessBlock: ['GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock'],
  ownershipControls: ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls'],
  encryption: ['GetBucketEncryption', 'PutBucketEncryption', 'DeleteBucketEncryption'],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning'],
  lifecycle: ['GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration', 'DeleteBucketLifecycle'],
  'object-lock': ['GetObjectLockConfiguration', 'PutObjectLockConfiguration'],
  requestPayment: ['GetBucketRequestPayment', 'PutBucketRequestPayment'],
  replication: ['GetBucketReplication', 'PutBucketReplication', 'DeleteBucketReplication'],
  location: ['GetBucketLocation'],
  policyStatus: ['GetBucketPolicyStatus'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging'],
  cors: ['GetBucketCors', 'PutBucketCors', 'DeleteBucketCors'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  logging: ['GetBucketLogging', 'PutBucketLogging'],
  notification: ['GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration'],
  accelerate: ['GetBucketAccelerateConfiguration', 'PutBucketAccelerateConfiguration'],
  analytics: ['GetBucketAnalyticsConfiguration', 'PutBucketAnalyticsConfiguration', 'DeleteBucketAnalyticsConfiguration'],
  inventory: ['GetBucketInventoryConfiguration', 'PutBucketInventoryConfiguration', 'DeleteBucketInventoryConfiguration'],
  metrics: ['GetBucketMetricsConfiguration', 'PutBucketMetricsConfiguration', 'DeleteBucketMetricsConfiguration'],
  'intelligent-tiering': ['GetBucketIntelligentTieringConfiguration', 'PutBucketIntelligentTieringConfiguration', 'DeleteBucketIntelligentTieringConfiguration'],
};
// Object sub-resources: [GET, PUT, DELETE].
const OBJECT_SUBRESOURCES: Record<string, [string?, string?, string?]> = {
  acl: ['GetObjectAcl', 'PutObjectAcl'],
  tagging: ['GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging'],
  retention: ['GetObjectRetention', 'PutObjectRetention'],
  'legal-hold': ['GetObjectLegalHold', 'PutObjectLegalHold'],
  attributes: ['GetObjectAttributes'],
  torrent: ['GetObjectTorrent'],
};
const VERB_INDEX: Record<string, number> = { GET: 0, PUT: 1, DELETE: 2 };

function identifyS3(method: string, pathname: string, query: URLSearchParams, headers: Headers): string {
  // The JS SDK tags some requests itself (`?x-id=GetObject`): authoritative when present.
  const xid = query.get('x-id');
  if (xid) return xid;
  const segments = pathname.split('/').filter((_, i) => i > 0);
  const bucket = segments[0] ?? '';
  const key = segments.slice(1).join('/');
  const copy = header(headers, 'x-amz-copy-source') !== undefined;
  if (!bucket) return method === 'GET' ? 'ListBuckets' : 'unknown';
  if (!key) {
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    for (const [sub, ops] of Object.entries(BUCKET_SUBRESOURCES)) {
      if (query.has(sub)) return ops[VERB_INDEX[method] ?? -1] ?? 'unknown';
    }
    switch (method) {
      case 'HEAD': return 'HeadBucket';
      case 'PUT': return 'CreateBucket';
      case 'DELETE': return 'DeleteBucket';
      case 'GET':
        if (query.has('uploads')) return 'ListMultipartUploads';
        if (query.has('versions')) return 'ListObjectVersions';
        if (query.get('list-type') === '2') return 'ListObjectsV2';
        return 'ListObjects';
      default: return 'unknown';
    }
  }
  if (query.has('uploadId')) {
    switch (method) {
      case 'PUT': return query.has('partNumber') ? (copy ? 'UploadPartCopy' : 'UploadPart') : 'unknown';
      case 'GET': return 'ListParts';
      case 'POST': return 'CompleteMultipartUpload';
      case 'DELETE': return 'AbortMultipartUpload';
      default: return 'unknown';
    }
  }
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('restore')) return 'RestoreObject';
  for (const [sub, ops] of Object.entries(OBJECT_SUBRESOURCES)) {
    if (query.has(sub)) return ops[VERB_INDEX[method] ?? -1] ?? 'unknown';
  }
  switch (method) {
    case 'GET': return 'GetObject';
    case 'PUT': return copy ? 'CopyObject' : 'PutObject';
    case 'DELETE': return 'DeleteObject';
    case 'HEAD': return 'HeadObject';
    default: return 'unknown';
  }
}

function identifyS3Control(method: string, pathname: string): string {
  const p = pathname.slice('/v20180820'.length).replace(/\/+$/, '');
  const verb = VERB_INDEX[method];
  const pick = (ops: [string?, string?, string?]): string => (verb === undefined ? undefined : ops[verb]) ?? 'unknown';
  if (p === '/configuration/publicAccessBlock') return pick(['GetPublicAccessBlock', 'PutPublicAccessBlock', 'DeletePublicAccessBlock']);
  if (p === '/accesspoint') return method === 'GET' ? 'ListAccessPoints' : 'unknown';
  if (/^\/accesspoint\/[^/]+\/policyStatus$/.test(p)) return method === 'GET' ? 'GetAccessPointPolicyStatus' : 'unknown';
  if (/^\/accesspoint\/[^/]+\/policy$/.test(p)) return pick(['GetAccessPointPolicy', 'PutAccessPointPolicy', 'DeleteAccessPointPolicy']);
  if (/^\/accesspoint\/[^/]+$/.test(p)) return pick(['GetAccessPoint', 'CreateAccessPoint', 'DeleteAccessPoint']);
  if (/^\/tags\//.test(p)) return pick(['ListTagsForResource', undefined, 'UntagResource']);
  return 'unknown';
}

/**
 * Names the AWS SDK operation of a raw request (path-style S3, S3 Control, query-protocol IAM/STS).
 * `pathAndQuery` is the request target as sent (`/bucket/key?acl`).
 */
export function identifyOperation(method: string, pathAndQuery: string, headers: Headers = {}, body?: string | Buffer | Uint8Array): OperationId {
  const m = method.toUpperCase();
  const url = new URL(pathAndQuery, 'http://placeholder');
  const pathname = url.pathname;
  const query = url.searchParams;

  if (pathname === '/v20180820' || pathname.startsWith('/v20180820/')) {
    return { service: 's3control', operation: identifyS3Control(m, pathname) };
  }

  // JSON protocols (not used by IAM/STS today, but name them properly if they ever are).
  const target = header(headers, 'x-amz-target');
  if (target) return { service: 'unknown', operation: target.split('.').pop() ?? 'unknown' };

  // Query protocol: `Action=` in a form body (POST) or in the query string (GET, presigned).
  const contentType = header(headers, 'content-type') ?? '';
  let action = query.get('Action') ?? undefined;
  if (!action && m === 'POST' && contentType.startsWith('application/x-www-form-urlencoded') && body !== undefined) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    action = new URLSearchParams(text).get('Action') ?? undefined;
  }
  const signedFor = signingService(headers, query);
  if (action && pathname === '/') {
    const service: AwsService = signedFor === 'iam' || signedFor === 'sts' ? signedFor
      : signedFor && signedFor !== 's3' ? 'unknown'
      : STS_ACTIONS.has(action) ? 'sts' : 'iam';
    return { service, operation: action };
  }
  if (signedFor && signedFor !== 's3') return { service: 'unknown', operation: 'unknown' };
  return { service: 's3', operation: identifyS3(m, pathname, query, headers) };
}

/** Small, fast, seedable PRNG (mulberry32): same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUERY_PROTOCOL_OPERATIONS = new Set([...STS_ACTIONS, 'GetAccountAuthorizationDetails', 'GetRole', 'GetPolicy', 'GetPolicyVersion', 'SimulatePrincipalPolicy', 'GetUser', 'ListUsers']);

/** Bodies that are not the answer to anything the tool asks, for `answer200`. */
export type MalformedBody = 'html' | 'empty' | 'otherDocument';
export const MALFORMED_BODIES: readonly MalformedBody[] = ['html', 'empty', 'otherDocument'];

/**
 * A 200 body that is not `operation`'s answer: a proxy's HTML sign-in page, nothing, or a complete,
 * valid AWS document of another operation of the same protocol (a <ListBucketResult> for S3 reads,
 * an IAM GetUser answer for IAM/STS reads).
 */
export function malformedBody(kind: MalformedBody, operation: string): { body: string; contentType: string } {
  switch (kind) {
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Corporate proxy</h1><p>Please sign in to continue.</p></body></html>' };
    case 'empty':
      return { contentType: 'application/xml', body: '' };
    case 'otherDocument':
      if (QUERY_PROTOCOL_OPERATIONS.has(operation)) {
        return {
          contentType: 'text/xml',
          body: '<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><Path>/</Path><UserName>someone-else</UserName><UserId>AIDAEXAMPLEEXAMPLE01</UserId><Arn>arn:aws:iam::210987654321:user/someone-else</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>OTHER-DOC-1</RequestId></ResponseMetadata></GetUserResponse>',
        };
      }
      if (operation === 'ListObjectsV2') {
        return { contentType: 'application/xml', body: '<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>abc</ID></Owner><AccessControlList/></AccessControlPolicy>' };
      }
      return {
        contentType: 'application/xml',
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>other-bucket</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>index.html</Key><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>',
      };
  }
}

/** Faults an SDK with default retries (3 attempts) can overcome when they fire at most twice. */
export const TRANSIENT_FAULTS: readonly FaultKind[] = ['http500', 'slowDown503', 'throttling400', 'reset', 'delay'];

/**
 * Deterministic random fault schedule: 1–3 of `operations`, each with a random fault kind.
 * Transient kinds fire once or twice (default SDK retries overcome them; `delay` is 5–50 ms and
 * never fails), `accessDenied403` fires always (a real permission problem), `truncated` once,
 * `answer200` (HTML, empty or another document) and `echo` once or always, `dropHeader` removes
 * x-amz-bucket-region from HeadBucket always, `trickle` sends a body byte every 20–60 ms once or twice.
 */
export function faultSchedule(seed: number, operations: string[]): FaultRule[] {
  const rnd = mulberry32(seed);
  const pool = [...new Set(operations)];
  const count = Math.min(pool.length, 1 + Math.floor(rnd() * 3));
  const rules: FaultRule[] = [];
  for (let i = 0; i < count; i++) {
    const operation = pool.splice(Math.floor(rnd() * pool.length), 1)[0];
    const fault = FAULT_KINDS[Math.floor(rnd() * FAULT_KINDS.length)];
    const times = 1 + Math.floor(rnd() * 2);
    if (fault === 'accessDenied403') rules.push({ operation, fault });
    else if (fault === 'truncated') rules.push({ operation, fault, times: 1 });
    else if (fault === 'answer200') {
      const kind = MALFORMED_BODIES[Math.floor(rnd() * MALFORMED_BODIES.length)];
      rules.push({ operation, fault, ...malformedBody(kind, operation), ...(rnd() < 0.5 ? { times: 1 } : {}) });
    } else if (fault === 'echo') rules.push({ operation, fault, ...(rnd() < 0.5 ? { times: 1 } : {}) });
    else if (fault === 'dropHeader') {
      // The header only HeadBucket carries: aim there while HeadBucket is still unscheduled.
      const head = pool.indexOf('HeadBucket');
      const target = head >= 0 ? pool.splice(head, 1, operation)[0] : operation;
      rules.push({ operation: target, fault, header: 'x-amz-bucket-region' });
    }
    else if (fault === 'trickle') rules.push({ operation, fault, times, trickleMs: 20 + Math.floor(rnd() * 41) });
    else if (fault === 'delay') rules.push({ operation, fault, times, delayMs: 5 + Math.floor(rnd() * 46) });
    else rules.push({ operation, fault, times });
  }
  return rules;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface ErrorShape { status: number; code: string; message: string; type: 'Sender' | 'Receiver'; }

function errorShape(fault: FaultKind, service: AwsService, operation: string): ErrorShape {
  const query = service === 'iam' || service === 'sts';
  switch (fault) {
    case 'http500':
      return query
        ? { status: 500, code: service === 'iam' ? 'ServiceFailure' : 'InternalFailure', message: 'Injected internal failure', type: 'Receiver' }
        : { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.', type: 'Receiver' };
    case 'slowDown503':
      return query
        ? { status: 503, code: 'ServiceUnavailable', message: 'Service is unable to handle request.', type: 'Receiver' }
        : { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.', type: 'Receiver' };
    case 'throttling400':
      return { status: 400, code: 'Throttling', message: 'Rate exceeded', type: 'Sender' };
    case 'accessDenied403':
      return query
        ? { status: 403, code: 'AccessDenied', message: `User: arn:aws:iam::123456789012:user/fault-proxy is not authorized to perform: ${service}:${operation}`, type: 'Sender' }
        : { status: 403, code: 'AccessDenied', message: 'Access Denied', type: 'Sender' };
    default:
      throw new Error(`not an error fault: ${fault}`);
  }
}

/** The wire form of an AWS error for the request's protocol. */
export function faultResponse(fault: FaultKind, id: OperationId, requestId: string, retryAfterSeconds = 1): { status: number; headers: Record<string, string>; body: string } {
  const e = errorShape(fault, id.service, id.operation);
  const headers: Record<string, string> = {
    'x-amz-request-id': requestId,
    'x-amzn-RequestId': requestId,
    'x-amz-id-2': `${requestId}-host`,
  };
  if (e.status === 503) headers['Retry-After'] = String(retryAfterSeconds);
  let body: string;
  if (id.service === 'iam' || id.service === 'sts') {
    const ns = id.service === 'iam' ? 'https://iam.amazonaws.com/doc/2010-05-08/' : 'https://sts.amazonaws.com/doc/2011-06-15/';
    headers['content-type'] = 'text/xml';
    body = `<ErrorResponse xmlns="${ns}"><Error><Type>${e.type}</Type><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  } else if (id.service === 's3control') {
    headers['content-type'] = 'application/xml';
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId><HostId>${requestId}-host</HostId></ErrorResponse>`;
  } else {
    headers['content-type'] = 'application/xml';
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}-host</HostId></Error>`;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  return { status: e.status, headers, body };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface ActiveRule { rule: FaultRule; remaining: number; }

/** Starts the proxy on a free 127.0.0.1 port, forwarding everything to `upstream`. */
export interface FaultProxyOptions {
  rules?: FaultRule[];
  /** Seed of the PRNG used for `probability` (default 0x5eed). */
  seed?: number;
  /** Fixed delay added to every request. */
  latencyMs?: number;
  /**
   * `Retry-After` sent with 503 faults (default 1). The JS SDK honours it: each retry after a 503
   * then waits at least this long. Use 0 in tests that retry many times.
   */
  retryAfterSeconds?: number;
}

export async function startFaultProxy(upstream: string, opts: FaultProxyOptions = {}): Promise<FaultProxy> {
  const up = new URL(upstream);
  if (up.protocol !== 'http:') throw new Error(`fault proxy: upstream must be http://, got ${upstream}`);
  const agent = new http.Agent({ keepAlive: true });
  const rnd = mulberry32(opts.seed ?? 0x5eed);
  let rules: ActiveRule[] = [];
  let latencyMs = opts.latencyMs ?? 0;
  let counter = 0;
  const requests: ProxiedRequest[] = [];

  const setRules = (r: FaultRule[]): void => {
    rules = r.map((rule) => ({ rule: { ...rule }, remaining: rule.times ?? Infinity }));
  };
  setRules(opts.rules ?? []);

  const pickFault = (id: OperationId): FaultRule | undefined => {
    for (const a of rules) {
      if (a.remaining <= 0) continue;
      if (a.rule.operation !== undefined && a.rule.operation !== id.operation) continue;
      if (a.rule.service !== undefined && a.rule.service !== id.service) continue;
      if (a.rule.probability !== undefined && !(rnd() < a.rule.probability)) continue;
      a.remaining--;
      return a.rule;
    }
    return undefined;
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    }
    // The Host header is forwarded unchanged: moto routes by path (path-style S3), and when IAM
    // enforcement is on it verifies SigV4 signatures, which cover the Host the client signed.
    if (body.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const out = http.request({ protocol: up.protocol, hostname: up.hostname, port: up.port, method: req.method, path: req.url, headers, agent }, resolve);
      out.on('error', reject);
      out.end(body);
    });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const motoApi = target.startsWith('/moto-api/');
    const id = motoApi ? { service: 'unknown' as const, operation: 'MotoApi' } : identifyOperation(method, target, req.headers, body);
    const n = ++counter;
    const rule = motoApi ? undefined : pickFault(id);
    if (!motoApi) requests.push(rule ? { ...id, fault: rule.fault } : { ...id });
    if (latencyMs > 0) await sleep(latencyMs);

    if (rule?.fault === 'reset') {
      const sock = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
      if (sock.resetAndDestroy) sock.resetAndDestroy();
      else sock.destroy();
      return;
    }
    if (rule?.fault === 'answer200') {
      res.writeHead(200, { 'content-type': rule.contentType ?? 'application/xml', 'content-length': String(Buffer.byteLength(rule.body ?? '')) });
      res.end(method === 'HEAD' ? undefined : (rule.body ?? ''));
      return;
    }
    if (rule?.fault === 'echo') {
      // What a misconfigured proxy or a hostile endpoint can do: reflect the request, signature and all.
      const echoed = JSON.stringify({ method, url: target, headers: req.headers, body: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(echoed)) });
      res.end(method === 'HEAD' ? undefined : echoed);
      return;
    }
    if (rule && (rule.fault === 'http500' || rule.fault === 'slowDown503' || rule.fault === 'throttling400' || rule.fault === 'accessDenied403')) {
      const f = faultResponse(rule.fault, id, `FAULT-REQ-${n}`, opts.retryAfterSeconds ?? 1);
      res.writeHead(f.status, f.headers);
      res.end(method === 'HEAD' ? undefined : f.body);
      return;
    }
    if (rule?.fault === 'delay') await sleep(rule.delayMs ?? 1000);

    let upRes: http.IncomingMessage;
    try {
      upRes = await forward(req, body);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream ${upstream} failed: ${(err as Error).message}`);
      }
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(upRes.headers)) {
      if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    }
    if (rule?.fault === 'dropHeader') {
      const drop = (rule.header ?? 'x-amz-bucket-region').toLowerCase();
      for (const k of Object.keys(headers)) if (k.toLowerCase() === drop) delete headers[k];
    }
    if (rule?.fault === 'trickle') {
      // The real answer, its body one byte at a time: every byte arrives well within any idle
      // timeout, the whole takes as long as the proxy likes.
      const full = await readBody(upRes);
      res.writeHead(upRes.statusCode ?? 502, headers);
      res.flushHeaders();
      let closed = false;
      res.on('close', () => (closed = true));
      for (let i = 0; i < full.length && !closed; i++) {
        await sleep(rule.trickleMs ?? 1000);
        if (!closed) res.write(full.subarray(i, i + 1));
      }
      if (!closed) res.end();
      return;
    }
    if (rule?.fault === 'truncated') {
      const full = await readBody(upRes);
      const half = full.subarray(0, Math.floor(full.length / 2));
      if (method !== 'HEAD') headers['content-length'] = String(half.length);
      res.writeHead(upRes.statusCode ?? 502, headers);
      res.end(method === 'HEAD' ? undefined : half);
      return;
    }
    res.writeHead(upRes.statusCode ?? 502, headers);
    upRes.pipe(res);
  };

  const server = http.createServer((req, res) => {
    res.on('error', () => { /* client went away */ });
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy error: ${(err as Error).message}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    setRules,
    setLatency: (ms) => { latencyMs = ms; },
    requests,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
