// The one place that builds AWS SDK clients. Every client shares: the credential chain (whose
// secrets are registered for redaction the moment they are resolved), the endpoint override,
// bounded adaptive retries, per-request idle timeouts and a total deadline per attempt, the run's
// abort signal, a middleware that checks every successful answer is the document asked for
// (src/aws/answer-shapes.ts), and one that logs every request into `apiCalls` (operation,
// resource, outcome, duration; never a secret).

import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { KMSClient } from '@aws-sdk/client-kms';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Readable } from 'node:stream';
import type { ApiCall } from '../model.ts';
import type { CredentialsInfo, RunEnvironment } from '../report/report.ts';
import { redactThenCut, registerSecret } from '../redact.ts';
import { answerProblem, answerShape, malformedAnswer } from './answer-shapes.ts';
import { DeadlineHttpHandler } from './deadline-handler.ts';
import { ERROR_MESSAGE_MAX, errorCode } from './errors.ts';
import { type NetworkOptions, RoutingHttpHandler } from './network.ts';
import { partitionOf } from '../regions.ts';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Temporary credentials (assumed role): the SDK refreshes them before this time. */
  expiration?: Date;
}

/**
 * Fleet mode: check an account through a role assumed with the resolved credentials (one auditor
 * credential, many accounts). The AssumeRole call is logged like any other request; the role's
 * temporary secret key and session token are registered for redaction the moment they arrive.
 */
export interface AssumeRoleOptions {
  roleArn: string;
  externalId?: string;
  /** Shown in the account's CloudTrail (default "packages-preflight"). */
  sessionName?: string;
}

export interface SessionOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
  credentials?: StaticCredentials;
  /** What `credentials` are, for the reports (default `static`), e.g. `ghes-credentials`. */
  credentialsSource?: string;
  /** Assume this role with the credentials above (or the chain's) and use the role's credentials. */
  assumeRole?: AssumeRoleOptions;
  /** Attempts per request including the first (adaptive retry with jittered backoff). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Total time one attempt may take, answer body included (default 30 s, plus 1 s per 64 KiB uploaded). */
  requestDeadlineMs?: number;
  /**
   * Tests only: retry after this fixed delay (a Retry-After header still wins) in standard mode,
   * instead of adaptive mode's jittered exponential backoff and client-side rate limiting, which
   * after one throttling answer can hold later requests for seconds. Not a CLI option.
   */
  retryDelayMs?: number;
  signal?: AbortSignal;
  /** PEM file of extra certificate authorities (--ca-bundle / AWS_CA_BUNDLE). Proxies come from HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  caBundle?: string;
  /** Called once per host with the proxy used for it (never with its credentials), e.g. for --debug. */
  onRoute?: NetworkOptions['onRoute'];
  /** Called for every finished request, e.g. to print --debug lines. */
  onApiCall?: (call: ApiCall) => void;
  /** Warnings from the SDK's credential chain (e.g. several credential sources), instead of console.warn. */
  onWarning?: (message: string) => void;
}

interface SendingClient {
  send: (command: unknown, options?: unknown, ...rest: unknown[]) => Promise<unknown>;
}

// Minimal structural view of an SDK client, enough to add our middleware.
interface MiddlewareClient {
  middlewareStack: {
    add: (mw: unknown, options: { step: string; name: string; priority?: string; override?: boolean }) => void;
    addRelativeTo: (mw: unknown, options: { relation: 'before' | 'after'; toMiddleware: string; name: string; override?: boolean }) => void;
  };
}

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Between the HTTP handler and the SDK's deserializer: a 2xx answer to an operation with a known
 * shape must be that document (root element, required fields), or the request fails with
 * MalformedResponse (not retried: the same endpoint would answer the same). The body is read once
 * and handed on as bytes.
 */
function answerShapeMiddleware(service: string) {
  return (next: (args: unknown) => Promise<{ response?: RawResponse }>, context: { commandName?: string }) =>
    async (args: unknown) => {
      const result = await next(args);
      const response = result.response;
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const shape = answerShape(service, operation);
      const status = response?.statusCode;
      if (!shape || !response || status === undefined || status < 200 || status >= 300) return result;
      const bytes = await readBody(response.body);
      response.body = Readable.from([bytes], { objectMode: false });
      const text = bytes.toString('utf8');
      // S3 may answer 200 with an <Error> document; the SDK's own middleware turns that into a 5xx
      // error (retried), and so does this one whichever runs first.
      if ((service === 's3' || service === 's3control') && /<\/Error>\s*$/.test(text)) {
        response.statusCode = 503;
        return result;
      }
      const problem = answerProblem(shape, text, (args as { input?: Record<string, unknown> }).input);
      if (problem) {
        const headers = response.headers ?? {};
        throw malformedAnswer(service, operation, status, headers['x-amz-request-id'] ?? headers['x-amzn-requestid'] ?? headers['x-amzn-RequestId'], problem);
      }
      return result;
    };
}

const RESOURCE_KEYS: Array<[string, (v: string, input: Record<string, unknown>) => string]> = [
  [
    'Bucket',
    (v, input) =>
      `${typeof input.Key === 'string' ? `arn:aws:s3:::${v}/${input.Key}` : `arn:aws:s3:::${v}`}${typeof input.ExpectedBucketOwner === 'string' ? ` (expected owner ${input.ExpectedBucketOwner})` : ''}`,
  ],
  ['PolicySourceArn', (v) => v],
  ['PolicyArn', (v) => v],
  ['RoleArn', (v) => v],
  ['RoleName', (v) => `role/${v}`],
  ['UserName', (v) => `user/${v}`],
  ['GroupName', (v) => `group/${v}`],
  ['AccountId', (v) => `account/${v}`],
  ['domain', (v) => `domain/${v}`],
  ['KeyId', (v) => v],
];

function resourceOf(input: Record<string, unknown>): string {
  for (const [key, render] of RESOURCE_KEYS) {
    const v = input[key];
    if (typeof v === 'string') return render(v, input);
  }
  return '-';
}

export class AwsSession {
  readonly apiCalls: ApiCall[] = [];
  private readonly options: SessionOptions;
  private readonly clients = new Map<string, unknown>();
  private readonly credentialProvider: () => Promise<StaticCredentials>;
  /** The SDK's record of which provider of the chain answered (`$source` feature ids), once resolved. */
  private chainSource: Record<string, unknown> | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
    registerSecret(process.env.AWS_SECRET_ACCESS_KEY);
    registerSecret(process.env.AWS_SESSION_TOKEN);
    if (options.credentials) {
      registerSecret(options.credentials.secretAccessKey);
      registerSecret(options.credentials.sessionToken);
      const creds = options.credentials;
      this.credentialProvider = async () => creds;
    } else {
      // The chain's own logger would console.warn past the redacting output: route it to onWarning.
      const warn = (...args: unknown[]) =>
        options.onWarning?.(
          args
            .map(String)
            .join(' ')
            .replace(/^@aws-sdk\/\S+ - \S+ WARNING:\s*/, '')
            .replace(/\s+/g, ' ')
            .trim(),
        );
      const logger = { debug: () => undefined, info: () => undefined, trace: () => undefined, warn, error: warn };
      const chain = defaultProvider({ ...(options.profile ? { profile: options.profile } : {}), logger });
      this.credentialProvider = async () => {
        const creds = await chain();
        this.chainSource = (creds as { $source?: Record<string, unknown> }).$source;
        registerSecret(creds.secretAccessKey);
        registerSecret(creds.sessionToken);
        return creds;
      };
    }
    if (options.assumeRole) this.credentialProvider = this.assumedRoleProvider(this.credentialProvider, options.assumeRole);
  }

  /**
   * Credentials of `role`, assumed with `base` through an STS client of its own (logged like the
   * others). Memoized until five minutes before they expire; a failure is memoized too, so every
   * request of the run fails fast with the same reason (AssumeRoleFailed: code, message, request
   * id) instead of repeating a denied AssumeRole call.
   */
  private assumedRoleProvider(base: () => Promise<StaticCredentials>, role: AssumeRoleOptions): () => Promise<StaticCredentials> {
    let current: Promise<StaticCredentials> | undefined;
    let expiresAt = Infinity;
    const assume = async (): Promise<StaticCredentials> => {
      const sts = this.cached('sts:assume-role', () => new STSClient({ ...this.common('sts'), credentials: base }));
      try {
        const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: role.sessionName ?? 'packages-preflight', ExternalId: role.externalId }));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error('the answer held no credentials'), { name: 'MalformedResponse' });
        registerSecret(c.SecretAccessKey);
        registerSecret(c.SessionToken);
        expiresAt = c.Expiration ? c.Expiration.getTime() - 5 * 60_000 : Infinity;
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (e) {
        const requestId = (e as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
        const message = redactThenCut((e as Error)?.message ?? '', ERROR_MESSAGE_MAX);
        const failure = new Error(`sts:AssumeRole of ${role.roleArn} failed: ${errorCode(e)}${message ? ` (${message})` : ''}`);
        failure.name = 'AssumeRoleFailed';
        // The request id is evidence; no HTTP status, so the failed request is not retried.
        Object.assign(failure, { $metadata: { requestId } });
        throw failure;
      }
    };
    return () => {
      if (!current || Date.now() >= expiresAt) {
        expiresAt = Infinity;
        current = assume();
        current.catch(() => undefined);
      }
      return current;
    };
  }

  /** Resolves the credentials once (no AWS API call): lets the CLI say "no credentials" up front. */
  async resolveCredentials(): Promise<void> {
    await this.credentialProvider();
  }

  /** The named profile (--profile), when one was given. */
  get profile(): string | undefined {
    return this.options.profile;
  }

  /** The kind of credentials this session uses (known once resolved; never a secret). */
  credentialsInfo(): CredentialsInfo {
    const base: CredentialsInfo = this.options.credentials
      ? { source: this.options.credentialsSource ?? 'static' }
      : sourceOfChain(this.chainSource, this.options.profile ?? (process.env.AWS_PROFILE || undefined));
    return this.options.assumeRole ? { source: 'assumed-role', roleArn: this.options.assumeRole.roleArn, via: base } : base;
  }

  /** Where this session's requests go, for the reports; `callerArn` (from STS) gives the partition when known. */
  environment(callerArn?: string): RunEnvironment {
    const fromArn = callerArn?.match(/^arn:([^:]+):/)?.[1];
    return {
      endpoint: this.options.endpointUrl ?? 'AWS',
      aws: !this.options.endpointUrl,
      partition: fromArn ?? partitionOf(this.region),
      credentials: this.credentialsInfo(),
    };
  }

  get caBundle(): string | undefined {
    return this.options.caBundle;
  }

  get endpointUrl(): string | undefined {
    return this.options.endpointUrl;
  }

  get region(): string {
    return this.options.region ?? 'us-east-1';
  }

  private common(_service: string) {
    return {
      region: this.region,
      credentials: this.credentialProvider,
      maxAttempts: this.options.maxAttempts ?? 4,
      retryMode: 'adaptive' as const,
      ...(this.options.retryDelayMs !== undefined ? { retryStrategy: fixedDelayRetryStrategy(this.options.maxAttempts ?? 4, this.options.retryDelayMs) } : {}),
      // throwOnRequestTimeout: without it the SDK only prints a warning (to the console, bypassing
      // redaction) and keeps waiting, so a hung endpoint would hang the run.
      // Each request through the proxy for its URL (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, --proxy) or directly, trusting --ca-bundle.
      // The idle timeouts above do not bound a server that trickles bytes: the deadline handler around it adds a total one.
      requestHandler: new DeadlineHttpHandler(
        new RoutingHttpHandler(
          { requestTimeout: this.options.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000, throwOnRequestTimeout: true },
          { caBundle: this.options.caBundle, onRoute: this.options.onRoute },
        ),
        this.options.requestDeadlineMs,
      ),
      ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}),
      logger: undefined,
    };
  }

  private instrument(service: string, client: MiddlewareClient): void {
    const log = (call: ApiCall) => {
      this.apiCalls.push(call);
      this.options.onApiCall?.(call);
    };
    const signal = this.options.signal;
    client.middlewareStack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<{ output?: { $metadata?: { requestId?: string } } }>, context: { commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const started = performance.now();
          const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          const resource = resourceOf(args.input ?? {});
          if (signal?.aborted) {
            const e = new Error('The run was interrupted.');
            e.name = 'AbortError';
            throw e;
          }
          try {
            const result = await next(args);
            log({ service, operation, resource, outcome: 'ok', durationMs: Math.round(performance.now() - started), requestId: result.output?.$metadata?.requestId });
            return result;
          } catch (e) {
            const requestId = (e as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
            log({ service, operation, resource, outcome: errorCode(e), durationMs: Math.round(performance.now() - started), requestId });
            throw e;
          }
        },
      { step: 'initialize', name: 'preflightApiCallLog', priority: 'high' },
    );
    client.middlewareStack.addRelativeTo(answerShapeMiddleware(service), { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'preflightAnswerShape' });
  }

  private cached<C>(key: string, make: () => C): C {
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      client = make();
      this.instrument(key.split(':')[0], client as unknown as MiddlewareClient);
      this.abortInFlight(client as unknown as SendingClient);
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Ctrl-C / --timeout must also stop requests already on the wire and retries waiting to be sent,
   * not only new ones (the middleware above refuses those): every send() gets the run's signal.
   */
  private abortInFlight(client: SendingClient): void {
    const signal = this.options.signal;
    if (!signal) return;
    const send = client.send.bind(client);
    // A caller's own abortSignal (e.g. the probe's per-step signal) wins; callback-style calls pass through.
    // Each request gets a signal of its own that follows the run's: the SDK adds abort listeners to
    // the signal it is given (handler, retry wait), and a dozen concurrent requests on the one run
    // signal made Node 22 print MaxListenersExceededWarning on every check. AbortSignal.any adds no
    // listener to the run's signal, and Node's leak warning stays on for real leaks.
    client.send = (command: unknown, options?: unknown, ...rest: unknown[]) =>
      typeof options === 'function' ? send(command, options, ...rest) : send(command, { abortSignal: AbortSignal.any([signal]), ...((options as object | undefined) ?? {}) }, ...rest);
  }

  /** Security Hub, for `report export --security-hub` only: the one write besides --probe. */
  securityHub(): SecurityHubClient {
    return this.cached('securityhub', () => new SecurityHubClient(this.common('securityhub')));
  }

  sts(): STSClient {
    return this.cached('sts', () => new STSClient(this.common('sts')));
  }

  iam(): IAMClient {
    return this.cached('iam', () => new IAMClient(this.common('iam')));
  }

  /** S3 follows region redirects, so a bucket in another region than --region still answers. */
  s3(): S3Client {
    return this.cached('s3', () => new S3Client({ ...this.common('s3'), forcePathStyle: Boolean(this.options.endpointUrl), followRegionRedirects: true }));
  }

  s3control(): S3ControlClient {
    return this.cached('s3control', () => {
      const endpointUrl = this.options.endpointUrl;
      if (!endpointUrl) return new S3ControlClient(this.common('s3control'));
      // The endpoint rules put the account id into the host (`123456789012.127.0.0.1:PORT`), which
      // is not a valid URL: resolution failed before any request (TypeError: Invalid URL, plus a
      // stack trace printed by the SDK). A fixed endpoint provider keeps the host as given; the
      // account id still travels in the x-amz-account-id header.
      return new S3ControlClient({ ...this.common('s3control'), endpointProvider: () => ({ url: new URL(endpointUrl) }) });
    });
  }

  /** KMS in the key's region (ghes-actions-s3 and ghes-s3 kms-access read the key policy). */
  kms(region?: string): KMSClient {
    return this.cached(`kms:${region ?? this.region}`, () => new KMSClient({ ...this.common('kms'), region: region ?? this.region }));
  }

  codeartifact(region?: string): CodeartifactClient {
    return this.cached(`codeartifact:${region ?? this.region}`, () => new CodeartifactClient({ ...this.common('codeartifact'), region: region ?? this.region }));
  }
}

/** The chain's provider, from the feature ids the SDK records on resolved credentials (`$source`). */
function sourceOfChain(features: Record<string, unknown> | undefined, profile: string | undefined): CredentialsInfo {
  const ids = Object.keys(features ?? {});
  const has = (pattern: RegExp) => ids.some((id) => pattern.test(id));
  if (has(/^CREDENTIALS_PROFILE/)) return { source: 'profile', profile: profile ?? 'default' };
  if (has(/WEB_ID/)) return { source: 'web-identity' };
  if (has(/^CREDENTIALS_ENV_VARS$/)) return { source: 'env' };
  if (has(/^CREDENTIALS_SSO/)) return { source: 'sso', ...(profile ? { profile } : {}) };
  if (has(/^CREDENTIALS_PROCESS/)) return { source: 'process' };
  if (has(/^CREDENTIALS_HTTP/)) return { source: 'container' };
  if (has(/^CREDENTIALS_IMDS/)) return { source: 'instance' };
  return profile ? { source: 'profile', profile } : { source: 'unknown' };
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/**
 * SessionOptions.retryDelayMs: the SDK's retry contract (RetryStrategyV2: same retryable error
 * types, same attempt bound, Retry-After honoured as the SDK does, capped at delay + 5 s) with a
 * constant delay, which the SDK's retry middleware sleeps (abortably) before the next attempt.
 */
function fixedDelayRetryStrategy(maxAttempts: number, delayMs: number) {
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async (_scope: string) => token(0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: { errorType: string; retryAfterHint?: Date }) => {
      const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
      if (!retryable || previous.getRetryCount() + 1 >= maxAttempts) throw new Error('No retry token available');
      const retryAfter = info.retryAfterHint instanceof Date ? info.retryAfterHint.getTime() - Date.now() : 0;
      return token(previous.getRetryCount() + 1, Math.max(delayMs, Math.min(retryAfter, delayMs + 5_000)));
    },
    recordSuccess: (_token: RetryToken) => undefined,
  };
}
