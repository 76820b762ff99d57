// The live OidcFacts (checks/ghes-actions-s3/oidc-facts.ts): the IAM OIDC provider and the role's
// trust policy from IAM, the certificate chain the appliance presents (TLS, or a PEM file), and its
// discovery document and key set over HTTPS. Each fact is memoized; an IAM failure is a FactError
// (error, never pass).
//
// Network: like the AWS requests (src/aws/network.ts), the appliance is reached through the proxy
// HTTPS_PROXY / NO_PROXY choose for its URL (an HTTP CONNECT tunnel), or directly. The chain is read
// WITHOUT verifying it (the point is to see what it is, self-signed or not) and with an empty trust
// store, so Node does not append a root from the local store: what is described is what the server
// sent, as `openssl s_client -showcerts` shows it. A chain ending at one of the --ca-bundle CAs when
// read through a proxy was presented by a TLS-inspecting proxy, not the appliance: an error saying so.

import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
import type { GhesCertificateChain, HttpAnswer, OidcDiscovery, OidcFacts, OidcProviderLookup, OidcTarget, RoleTrustPolicy } from '../../checks/ghes-actions-s3/oidc-facts.ts';
import { parsePrincipalArn } from '../config/arn.ts';
import { readCaBundle, readUserFile } from '../config/input-file.ts';
import { FactError } from '../engine/fact-error.ts';
import { discoveryUrl, normalizeHost, providerUrlAsIssuer } from '../oidc/issuer.ts';
import { certificatesFromPem, describeChain, issuedByTrustedRoot } from '../oidc/thumbprint.ts';
import { errorCode, toFactError } from './errors.ts';
import { FactCache } from './fact-cache.ts';
import { displayProxy } from './network.ts';
import type { AwsSession } from './session.ts';

export interface LiveOidcOptions {
  /** --ca-bundle / AWS_CA_BUNDLE: a TLS-inspecting proxy's CA, recognised when it signed the chain read. */
  caBundle?: string;
  /** Total time one connection or request to the appliance may take (default 10 s). */
  deadlineMs?: number;
  cache?: FactCache;
}

/** The most of an answer body read (a discovery document or key set is a few KiB). */
const MAX_BODY = 1024 * 1024;

const PUBLIC_ROOTS = rootCertificates.map((pem) => new X509Certificate(pem));

/** Where this run reaches the appliance: --ghes-url, else https://HOST. */
export function applianceOrigin(target: OidcTarget): URL {
  const url = new URL(target.ghesUrl ?? `https://${normalizeHost(target.ghesHost ?? '')}`);
  return new URL(url.origin);
}

/** The name to send in SNI: the URL's host, or HOST when the URL names an address (SNI carries no addresses). */
const serverName = (origin: URL, target: OidcTarget): string | undefined => {
  const host = origin.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return host;
  return target.ghesHost ? normalizeHost(target.ghesHost) : undefined;
};

const portOf = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

class NetworkProblem extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NetworkProblem';
    this.code = code;
  }
}

/** Rejects after `ms` with a TimeoutError, calling `onTimeout` (which destroys the socket). */
function withDeadline<T>(ms: number, what: string, start: (settle: { resolve: (v: T) => void; reject: (e: Error) => void }) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let stop: () => void = () => undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new NetworkProblem('TimeoutError', `${what} took longer than ${ms} ms`));
    }, ms);
    const done = <A>(f: (a: A) => void) => (a: A) => {
      clearTimeout(timer);
      f(a);
    };
    stop = start({ resolve: done(resolve), reject: done(reject) });
  });
}

/** A socket to host:port: a CONNECT tunnel through `proxy`, or a direct TCP connection made by tls.connect itself (undefined). */
function tunnel(proxy: string, host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const p = new URL(proxy);
    const auth = p.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`).toString('base64')}` } : {};
    const request = (p.protocol === 'https:' ? https : http).request({ host: p.hostname, port: portOf(p), method: 'CONNECT', path: `${host}:${port}`, headers: { Host: `${host}:${port}`, ...auth } });
    request.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new NetworkProblem(`ProxyHTTP${res.statusCode}`, `the proxy ${displayProxy(proxy)} refused CONNECT ${host}:${port} with HTTP ${res.statusCode}`));
      } else resolve(socket);
    });
    request.once('error', (e) => reject(new NetworkProblem(errorCode(e), `the proxy ${displayProxy(proxy)} could not be reached (${errorCode(e)})`)));
    request.end();
  });
}

/** The certificates the server sent, leaf first, following each one's issuer among them. */
function sentChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let cert = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(new X509Certificate(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

export class LiveOidcFacts implements OidcFacts {
  private readonly cache: FactCache;
  private readonly deadlineMs: number;
  private readonly session: AwsSession;
  private readonly target: OidcTarget;
  private readonly options: LiveOidcOptions;

  constructor(session: AwsSession, target: OidcTarget, options: LiveOidcOptions = {}) {
    this.session = session;
    this.target = target;
    this.options = options;
    this.cache = options.cache ?? new FactCache();
    this.deadlineMs = options.deadlineMs ?? 10_000;
  }

  openIdConnectProvider(issuerUrl: string): Promise<OidcProviderLookup> {
    return this.cache.get(`oidcProvider:${issuerUrl}`, async () => {
      const iam = this.session.iam();
      let arns: string[];
      try {
        const out = await iam.send(new ListOpenIDConnectProvidersCommand({}));
        arns = (out.OpenIDConnectProviderList ?? []).map((p) => p.Arn).filter((a): a is string => typeof a === 'string');
      } catch (e) {
        throw toFactError(e, 'openIdConnectProvider', 'iam:ListOpenIDConnectProviders');
      }
      const urlOf = (arn: string): string => arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
      const arn = arns.find((a) => a.includes(':oidc-provider/') && providerUrlAsIssuer(urlOf(a)) === providerUrlAsIssuer(issuerUrl));
      if (!arn) return { found: false, issuerUrl, account: arns[0]?.split(':')[4] ?? (await this.account()), providerUrls: arns.map(urlOf) };
      try {
        const out = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
        if (typeof out.Url !== 'string') throw new FactError({ fact: 'openIdConnectProvider', api: 'iam:GetOpenIDConnectProvider', resource: arn, code: 'MalformedResponse', requestId: out.$metadata.requestId, message: 'the answer names no provider URL' });
        return { found: true, provider: { arn, url: out.Url, clientIds: out.ClientIDList ?? [], thumbprints: out.ThumbprintList ?? [] } };
      } catch (e) {
        throw toFactError(e, 'openIdConnectProvider', 'iam:GetOpenIDConnectProvider', arn);
      }
    });
  }

  /** The account whose providers were listed: the role's, else the caller's. */
  private async account(): Promise<string> {
    const role = this.target.roleArn ? parsePrincipalArn(this.target.roleArn) : undefined;
    if (role?.ok) return role.value.account;
    try {
      const out = await this.session.sts().send(new GetCallerIdentityCommand({}));
      return out.Account ?? 'unknown';
    } catch (e) {
      throw toFactError(e, 'openIdConnectProvider', 'sts:GetCallerIdentity');
    }
  }

  roleTrustPolicy(roleArn: string): Promise<RoleTrustPolicy> {
    return this.cache.get(`roleTrust:${roleArn}`, async () => {
      const parsed = parsePrincipalArn(roleArn);
      const name = parsed.ok ? parsed.value.name : roleArn.slice(roleArn.lastIndexOf('/') + 1);
      const fail = (code: string, message: string, requestId?: string) => new FactError({ fact: 'roleTrustPolicy', api: 'iam:GetRole', resource: roleArn, code, requestId, message });
      try {
        const out = await this.session.iam().send(new GetRoleCommand({ RoleName: name }));
        const role = out.Role;
        if (role?.Arn !== roleArn) throw fail('NoSuchEntity', `the account's role ${name} is ${role?.Arn ?? 'unnamed'}, not ${roleArn}`, out.$metadata.requestId);
        if (typeof role.AssumeRolePolicyDocument !== 'string') throw fail('MalformedResponse', 'the answer holds no AssumeRolePolicyDocument', out.$metadata.requestId);
        let document: string;
        try {
          document = decodeURIComponent(role.AssumeRolePolicyDocument);
        } catch {
          throw fail('MalformedResponse', 'the AssumeRolePolicyDocument is not URL-encoded text', out.$metadata.requestId);
        }
        return { roleArn, document };
      } catch (e) {
        throw toFactError(e, 'roleTrustPolicy', 'iam:GetRole', roleArn);
      }
    });
  }

  ghesCertificateChain(): Promise<GhesCertificateChain> {
    // A fleet shares one cache between the targets of a credential: the key names the appliance.
    const where = this.target.ghesCertificate ? `file:${this.target.ghesCertificate}` : `${applianceOrigin(this.target).href}|${this.target.ghesHost ?? ''}`;
    return this.cache.get(`ghesCertificateChain:${where}`, async () => {
      if (this.target.ghesCertificate) {
        const file = this.target.ghesCertificate;
        const certificates = certificatesFromPem(readUserFile(file, `--ghes-certificate ${file}`, 'give the PEM certificate chain the appliance presents'));
        return { source: 'file', from: file, ...describeChain(certificates, PUBLIC_ROOTS) };
      }
      const origin = applianceOrigin(this.target);
      const proxy = getProxyForUrl(origin.href) || null;
      const route = proxy ? `proxy ${displayProxy(proxy)}` : 'direct';
      const host = origin.hostname.replace(/^\[|\]$/g, '');
      const chain = await this.tls(origin, proxy);
      if (proxy && this.options.caBundle) {
        const inspecting = certificatesFromPem(readCaBundle(this.options.caBundle, `--ca-bundle ${this.options.caBundle}`));
        if (issuedByTrustedRoot(chain[chain.length - 1], inspecting)) {
          throw new NetworkProblem('TlsInspected', `the certificate ${host} presented through ${route} was issued by a --ca-bundle CA: a TLS-inspecting proxy answered, not the appliance; add ${host} to NO_PROXY or give --ghes-certificate`);
        }
      }
      return { source: 'tls', from: origin.href.replace(/\/$/, ''), route, ...describeChain(chain, PUBLIC_ROOTS) };
    });
  }

  private async tls(origin: URL, proxy: string | null): Promise<X509Certificate[]> {
    const host = origin.hostname.replace(/^\[|\]$/g, '');
    const port = portOf(origin);
    const socket = proxy ? await tunnel(proxy, host, port) : undefined;
    // The tunnel is ours to close: destroying the TLS socket on top of it does not end the CONNECT.
    return withDeadline<X509Certificate[]>(this.deadlineMs, `the TLS handshake with ${host}:${port}`, ({ resolve, reject }) => {
      // ca: [] — an empty trust store: nothing is verified, and no local root is appended to the chain.
      const tls = tlsConnect({ host, port, socket, servername: serverName(origin, this.target), rejectUnauthorized: false, ca: [] });
      tls.once('secureConnect', () => {
        const chain = sentChain(tls);
        tls.destroy();
        if (chain.length === 0) reject(new NetworkProblem('NoCertificate', `${host}:${port} presented no certificate`));
        else resolve(chain);
      });
      tls.once('error', (e) => reject(new NetworkProblem(errorCode(e), `TLS with ${host}:${port} failed: ${errorCode(e)}`)));
      return () => tls.destroy();
    }).finally(() => socket?.destroy());
  }

  oidcDiscovery(): Promise<OidcDiscovery> {
    return this.cache.get(`oidcDiscovery:${this.target.ghesHost ?? ''}|${applianceOrigin(this.target).href}`, async () => {
      const host = normalizeHost(this.target.ghesHost ?? '');
      const hostAddresses = await lookup(host, { all: true, verbatim: true }).then(
        (all) => all.map((a) => a.address),
        () => [] as string[],
      );
      const origin = applianceOrigin(this.target);
      const official = discoveryUrl(host);
      const configuration = await this.get(official, origin);
      const jwksUri = (configuration.json as { jwks_uri?: unknown } | undefined)?.jwks_uri;
      if (typeof jwksUri !== 'string') return { hostAddresses, configuration };
      let jwksUrl: URL | undefined;
      try {
        jwksUrl = new URL(jwksUri);
      } catch {
        return { hostAddresses, configuration, jwks: { url: jwksUri, problem: 'the jwks_uri is not a URL' } };
      }
      // On the appliance's own host, reach it the way the discovery document was reached (--ghes-url).
      const jwks = await this.get(jwksUri, jwksUrl.hostname.toLowerCase() === host ? origin : new URL(jwksUrl.origin));
      return { hostAddresses, configuration, jwks };
    });
  }

  /** GET `url`'s path from `origin` (the same host, or --ghes-url): status, who answered, the JSON body. */
  private async get(url: string, origin: URL): Promise<HttpAnswer> {
    const target = new URL(url);
    const from = new URL(target.pathname + target.search, origin);
    const proxy = getProxyForUrl(from.href) || null;
    const answer: HttpAnswer = { url, ...(from.origin !== target.origin ? { fetchedFrom: from.href } : {}), route: proxy ? `proxy ${displayProxy(proxy)}` : 'direct' };
    let socket: Socket | undefined;
    try {
      socket = proxy && from.protocol === 'https:' ? await tunnel(proxy, from.hostname.replace(/^\[|\]$/g, ''), portOf(from)) : undefined;
      const tunnelled = socket;
      const { status, body, remote } = await withDeadline<{ status: number; body: Buffer; remote?: string }>(this.deadlineMs, `GET ${from.href}`, ({ resolve, reject }) => {
        const request = (from.protocol === 'https:' ? https : http).request(from, {
          method: 'GET',
          headers: { Accept: 'application/json' },
          // The appliance's certificate may be self-signed: reachability is the question, and nothing secret is sent.
          rejectUnauthorized: false,
          servername: serverName(origin, this.target),
          ...(tunnelled ? { createConnection: () => tlsConnect({ socket: tunnelled, servername: serverName(origin, this.target), rejectUnauthorized: false }) } : {}),
          agent: false,
        });
        request.once('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) request.destroy(new NetworkProblem('BodyTooLarge', `the answer is larger than ${MAX_BODY} bytes`));
            else chunks.push(c);
          });
          const remote = res.socket?.remoteAddress;
          res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), remote }));
          res.once('error', (e) => reject(e));
        });
        request.once('error', (e) => reject(e));
        request.end();
        return () => request.destroy();
      });
      answer.status = status;
      if (remote) answer.answeredBy = remote;
      try {
        answer.json = JSON.parse(body.toString('utf8'));
      } catch {
        answer.problem = /^\s*</.test(body.toString('utf8', 0, 64)) ? 'the body is markup, not JSON' : 'the body is not JSON';
      }
    } catch (e) {
      answer.problem = e instanceof NetworkProblem ? e.code : errorCode(e);
    } finally {
      socket?.destroy();
    }
    return answer;
  }
}

/**
 * `facts` with the four OpenID Connect getters of `oidc` added (the Actions pack's context: its
 * storage checks read the S3 facts, its OIDC checks these). Every other member is `facts`' own,
 * bound to it, so its memoization and fields are untouched.
 */
export function withOidcFacts<F extends object>(facts: F, oidc: OidcFacts): F & OidcFacts {
  const own: OidcFacts = {
    openIdConnectProvider: (issuerUrl) => oidc.openIdConnectProvider(issuerUrl),
    roleTrustPolicy: (roleArn) => oidc.roleTrustPolicy(roleArn),
    ghesCertificateChain: () => oidc.ghesCertificateChain(),
    oidcDiscovery: () => oidc.oidcDiscovery(),
  };
  return new Proxy(facts, {
    get(target, property) {
      if (typeof property === 'string' && property in own) return own[property as keyof OidcFacts];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as F & OidcFacts;
}
