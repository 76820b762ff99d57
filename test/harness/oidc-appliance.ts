// A stand-in GHES appliance on loopback for the OpenID Connect checks: an HTTPS server with a
// certificate the test generates (openssl CLI: Node has no X.509 generator), serving
// /_services/token/.well-known/openid-configuration and the key set it names, as GHES does.
// The certificate can be replaced while the server runs (a renewed appliance certificate).

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

export interface Pem {
  key: string;
  cert: string;
  /** Path of the certificate file. */
  certFile: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

let counter = 0;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'oidc-appliance-'));

function read(dir: string, name: string): Pem {
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), certFile: join(dir, `${name}.pem`) };
}

/** A self-signed certificate for `host` (and 127.0.0.1), as a fresh appliance has. */
export function selfSigned(host: string): Pem {
  const dir = scratch();
  const name = `self${++counter}`;
  openssl(['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host},IP:127.0.0.1`], dir);
  return read(dir, name);
}

/** A certificate authority; `issuer` signs it (an intermediate), else it is a self-signed root. */
export function certificateAuthority(cn: string, issuer?: Pem): Pem {
  const dir = scratch();
  const name = `ca${++counter}`;
  if (!issuer) {
    openssl(['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    return read(dir, name);
  }
  return signed(dir, name, `/CN=${cn}`, issuer, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
}

/** A server certificate for `host` issued by `issuer`. */
export function issuedBy(host: string, issuer: Pem): Pem {
  return signed(scratch(), `leaf${++counter}`, `/CN=${host}`, issuer, `subjectAltName=DNS:${host},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n`);
}

function signed(dir: string, name: string, subject: string, issuer: Pem, extensions: string): Pem {
  writeFileSync(join(dir, 'issuer.key'), issuer.key);
  writeFileSync(join(dir, 'issuer.pem'), issuer.cert);
  writeFileSync(join(dir, 'ext.cnf'), extensions);
  openssl(['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'issuer.pem', '-CAkey', 'issuer.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', 'ext.cnf'], dir);
  return read(dir, name);
}

/** `openssl x509 -fingerprint -sha1` of a PEM, as AWS's and GHES's documentation compute it: 40 lower-case hex digits. */
export function opensslThumbprint(pem: string): string {
  const dir = scratch();
  writeFileSync(join(dir, 'c.pem'), pem);
  const out = openssl(['x509', '-in', 'c.pem', '-fingerprint', '-sha1', '-noout'], dir).toString();
  return out.replace(/^.*=/, '').replace(/[:\s]/g, '').toLowerCase();
}

/**
 * AWS's documented procedure: the LAST certificate `openssl s_client -showcerts` displays,
 * fingerprinted. Asynchronous: the appliance runs in this process and must answer meanwhile.
 */
export async function awsDocumentedThumbprint(port: number): Promise<string> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-showcerts'], { timeout: 20_000 }, (e, stdout) => (e ? reject(e) : resolve(stdout)));
    child.stdin?.end();
  });
  const blocks = out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return opensslThumbprint(blocks[blocks.length - 1]);
}

export interface Appliance {
  port: number;
  url: string;
  /** Requests seen, by path. */
  requests: string[];
  /** Serves another certificate (chain) from now on: a renewed appliance certificate. */
  useCertificate(key: string, chainPem: string): void;
  close(): Promise<void>;
}

export interface ApplianceOptions {
  host: string;
  key: string;
  /** The chain the server sends: leaf first, then CAs. */
  chain: string;
  /** Override the discovery document (e.g. another issuer) or the key set. */
  configuration?: Record<string, unknown>;
  keys?: unknown[];
}

export async function startAppliance(options: ApplianceOptions): Promise<Appliance> {
  const issuer = `https://${options.host}/_services/token`;
  const requests: string[] = [];
  const server = https.createServer({ key: options.key, cert: options.chain }, (req, res) => {
    requests.push(req.url ?? '');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/_services/token/.well-known/openid-configuration') {
      return json(200, { issuer, jwks_uri: `${issuer}/.well-known/jwks`, subject_types_supported: ['public', 'pairwise'], response_types_supported: ['id_token'], id_token_signing_alg_values_supported: ['RS256'], ...options.configuration });
    }
    if (req.url === '/_services/token/.well-known/jwks') return json(200, { keys: options.keys ?? [{ kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'test-key', n: 'sXch', e: 'AQAB' }] });
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>not found</html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    requests,
    useCertificate: (key, chainPem) => server.setSecureContext({ key, cert: chainPem }),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
