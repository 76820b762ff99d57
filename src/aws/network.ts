// How AWS requests reach AWS on networks admins work in: through the proxy that HTTPS_PROXY /
// HTTP_PROXY / NO_PROXY (upper or lower case) or --proxy name, trusting the extra CAs of
// AWS_CA_BUNDLE / --ca-bundle (a TLS-inspecting proxy's CA) and NODE_EXTRA_CA_CERTS. Built from
// the proxy-agents libraries: proxy-from-env decides per request URL (NO_PROXY), http-proxy-agent
// forwards plain-http requests (an emulator), https-proxy-agent tunnels https with CONNECT.

import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { checkServerIdentity, type PeerCertificate, rootCertificates } from 'node:tls';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import { registerSecret } from '../redact.ts';

export interface NetworkOptions {
  /** --ca-bundle or AWS_CA_BUNDLE: PEM file of extra certificate authorities to trust. */
  caBundle?: string;
  /** Called once per host with the proxy chosen for it (without credentials), or null: direct. */
  onRoute?: (route: { host: string; proxy: string | null; from: string }) => void;
}

/** A proxy URL as it may be shown: user name and password removed. */
export function displayProxy(url: string): string {
  try {
    const u = new URL(url);
    const hadCredentials = Boolean(u.username || u.password);
    u.username = '';
    u.password = '';
    return `${u.href.replace(/\/$/, '')}${hadCredentials ? ' (with credentials)' : ''}`;
  } catch {
    return '(unparseable proxy URL)';
  }
}

/** The proxy's password (and user) are secrets: registered before anything could print them. */
function registerProxySecrets(url: string): void {
  try {
    const u = new URL(url);
    registerSecret(u.password);
    registerSecret(decodeURIComponent(u.password));
  } catch {
    // Validated as a URL before (options); nothing to register.
  }
}

/** The CA list for TLS: Node's own roots, NODE_EXTRA_CA_CERTS and the bundle (a `ca` option replaces Node's default list). */
function trustedCas(caBundle: string): string[] {
  const extra = process.env.NODE_EXTRA_CA_CERTS ? [readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8')] : [];
  return [...rootCertificates, ...extra, readFileSync(caBundle, 'utf8')];
}

/**
 * https-proxy-agent takes the TLS options of the tunnelled connection from each request, which the
 * SDK's handler does not let us set; this adds the CA list to every tunnelled connection (the
 * constructor's options only reach the connection to the proxy).
 */
class TrustingHttpsProxyAgent extends HttpsProxyAgent<string> {
  private readonly targetTls: https.AgentOptions;

  constructor(proxy: string, tls: https.AgentOptions) {
    super(proxy, { keepAlive: true, ...tls });
    this.targetTls = tls;
  }

  override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    // It also drops `host` before the TLS handshake, so Node would check the certificate against
    // "localhost" for an IP endpoint (e.g. MinIO by address): check it against the real host.
    const host = opts.host ?? '';
    return super.connect(req, { ...opts, ...this.targetTls, checkServerIdentity: (_: string, cert: PeerCertificate) => checkServerIdentity(host, cert) } as typeof opts);
  }
}

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HttpHandlerOptions = Parameters<NodeHttpHandler['handle']>[1];

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** The proxy for a request URL (proxy-from-env: *_PROXY and NO_PROXY, either case), and which variable said so. */
function route(url: string): { proxy: string | null; from: string } {
  const proxy = getProxyForUrl(url);
  if (proxy) return { proxy, from: PROXY_VARIABLES.find((v) => process.env[v] === proxy) ?? 'environment' };
  return { proxy: null, from: PROXY_VARIABLES.some((v) => process.env[v]) ? 'NO_PROXY' : 'no proxy configured' };
}

/**
 * The SDK request handler of one client: for each request, the proxy for its URL (or a direct
 * connection), each through a NodeHttpHandler of its own whose agents are the proxy agents (the
 * SDK's documented way of using a proxy). Choosing per request keeps NO_PROXY exact for clients
 * whose hosts differ (virtual-hosted S3), and no socket is ever shared between a route and another.
 */
export class RoutingHttpHandler {
  private readonly handlers = new Map<string, NodeHttpHandler>();
  private readonly announced = new Set<string>();
  private readonly config: NodeHttpHandlerOptions;
  private readonly network: NetworkOptions;
  private readonly tls: https.AgentOptions;

  constructor(config: NodeHttpHandlerOptions, network: NetworkOptions) {
    this.config = config;
    this.network = network;
    this.tls = network.caBundle ? { ca: trustedCas(network.caBundle) } : {};
    for (const v of PROXY_VARIABLES) if (process.env[v]) registerProxySecrets(process.env[v] as string);
  }

  private handlerFor(request: HttpRequest): NodeHttpHandler {
    const host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
    const { proxy, from } = route(`${request.protocol}//${host}${request.path}`);
    if (!this.announced.has(host)) {
      this.announced.add(host);
      this.network.onRoute?.({ host, proxy: proxy ? displayProxy(proxy) : null, from });
    }
    const key = proxy ?? '';
    let handler = this.handlers.get(key);
    if (!handler) {
      handler = new NodeHttpHandler({
        ...this.config,
        httpAgent: proxy ? new HttpProxyAgent(proxy, { keepAlive: true }) : new http.Agent({ keepAlive: true }),
        httpsAgent: proxy ? new TrustingHttpsProxyAgent(proxy, this.tls) : new https.Agent({ keepAlive: true, ...this.tls }),
      });
      this.handlers.set(key, handler);
    }
    return handler;
  }

  handle(request: HttpRequest, options?: HttpHandlerOptions) {
    return this.handlerFor(request).handle(request, options);
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
    (this.config as Record<string, unknown>)[key] = value;
    for (const h of this.handlers.values()) h.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.config;
  }

  destroy(): void {
    for (const h of this.handlers.values()) h.destroy();
  }
}

/**
 * --proxy URL: as if HTTPS_PROXY and HTTP_PROXY were URL (NO_PROXY still applies). proxy-from-env
 * reads the lower-case variables first, so those are removed for this process.
 */
export function useProxy(url: string): void {
  for (const v of PROXY_VARIABLES) delete process.env[v];
  process.env.HTTPS_PROXY = url;
  process.env.HTTP_PROXY = url;
}

