// The one place that builds AWS SDK clients. Every client shares: the credential chain (whose
// secrets are registered for redaction the moment they are resolved), the endpoint override,
// bounded adaptive retries, per-request timeouts, the run's abort signal, and a middleware that
// logs every request into `apiCalls` (operation, resource, outcome, duration; never a secret).

import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ApiCall } from '../model.ts';
import { registerSecret } from '../redact.ts';
import { errorCode } from './errors.ts';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SessionOptions {
  region?: string;
  endpointUrl?: string;
  profile?: string;
  credentials?: StaticCredentials;
  /** Attempts per request including the first (adaptive retry with jittered backoff). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called for every finished request, e.g. to print --debug lines. */
  onApiCall?: (call: ApiCall) => void;
}

// Minimal structural view of an SDK client, enough to add our middleware.
interface MiddlewareClient {
  middlewareStack: {
    add: (mw: unknown, options: { step: string; name: string; priority?: string; override?: boolean }) => void;
  };
}

const RESOURCE_KEYS: Array<[string, (v: string, input: Record<string, unknown>) => string]> = [
  ['Bucket', (v, input) => (typeof input.Key === 'string' ? `arn:aws:s3:::${v}/${input.Key}` : `arn:aws:s3:::${v}`)],
  ['PolicySourceArn', (v) => v],
  ['PolicyArn', (v) => v],
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
      const chain = defaultProvider(options.profile ? { profile: options.profile } : {});
      this.credentialProvider = async () => {
        const creds = await chain();
        registerSecret(creds.secretAccessKey);
        registerSecret(creds.sessionToken);
        return creds;
      };
    }
  }

  /** Resolves the credentials once (no AWS API call): lets the CLI say "no credentials" up front. */
  async resolveCredentials(): Promise<void> {
    await this.credentialProvider();
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
      requestHandler: { requestTimeout: this.options.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000 },
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
  }

  private cached<C>(key: string, make: () => C): C {
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      client = make();
      this.instrument(key.split(':')[0], client as unknown as MiddlewareClient);
      this.clients.set(key, client);
    }
    return client;
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
      const client = new S3ControlClient(this.common('s3control'));
      if (this.options.endpointUrl) stripAccountIdHostPrefix(client as unknown as MiddlewareClient);
      return client;
    });
  }

  codeartifact(region?: string): CodeartifactClient {
    return this.cached(`codeartifact:${region ?? this.region}`, () => new CodeartifactClient({ ...this.common('codeartifact'), region: region ?? this.region }));
  }
}

/**
 * S3 Control puts the account id into the host name (`123456789012.s3-control...`). Against a
 * custom endpoint (the emulator, LocalStack) that host does not resolve: keep the endpoint's host.
 */
function stripAccountIdHostPrefix(client: MiddlewareClient): void {
  client.middlewareStack.add(
    (next: (args: { request: { hostname?: string; headers?: Record<string, string> } }) => Promise<unknown>) =>
      async (args: { request: { hostname?: string; headers?: Record<string, string> } }) => {
        const req = args.request;
        const m = req.hostname?.match(/^\d{12}\.(.+)$/);
        if (m) {
          req.hostname = m[1];
          if (req.headers?.host) req.headers.host = req.headers.host.replace(/^\d{12}\./, '');
        }
        return next(args);
      },
    { step: 'build', name: 'preflightS3ControlHost', priority: 'low' },
  );
}
