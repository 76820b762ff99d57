// The live OIDC facts against a stand-in appliance on loopback (test/harness/oidc-appliance.ts):
// the chain read over TLS is what the server sent and its thumbprint is the one AWS's documented
// openssl procedure gives; the discovery document and key set are fetched through --ghes-url; a
// renewed certificate makes oidc-provider fail with the new thumbprint. No AWS: the IAM facts are
// covered by the emulator test (test/e2e/oidc-facts.test.ts).

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createProxy } from 'proxy';
import oidcDiscovery from '../../checks/ghes-actions-s3/oidc-discovery.ts';
import type { OidcFacts, OidcTarget } from '../../checks/ghes-actions-s3/oidc-facts.ts';
import oidcProvider from '../../checks/ghes-actions-s3/oidc-provider.ts';
import type { AwsSession } from '../../src/aws/session.ts';
import { FactCache } from '../../src/aws/fact-cache.ts';
import { LiveOidcFacts } from '../../src/aws/oidc-facts.ts';
import { runChecks } from '../../src/engine/engine.ts';
import { type Appliance, awsDocumentedThumbprint, certificateAuthority, hasOpenssl, issuedBy, opensslThumbprint, type Pem, selfSigned, startAppliance } from '../harness/oidc-appliance.ts';

const HOST = 'ghes.example.test';
const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${HOST}/_services/token`;
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

/** Live chain and discovery; the provider is a plain value holding `thumbprints`. */
function facts(target: OidcTarget, thumbprints: string[]): OidcFacts {
  const live = new LiveOidcFacts(undefined as unknown as AwsSession, target, { deadlineMs: 5_000 });
  return {
    openIdConnectProvider: async () => ({ found: true, provider: { arn: PROVIDER_ARN, url: `${HOST}/_services/token`, clientIds: ['sts.amazonaws.com'], thumbprints } }),
    roleTrustPolicy: async () => {
      throw new Error('not used');
    },
    ghesCertificateChain: () => live.ghesCertificateChain(),
    oidcDiscovery: () => live.oidcDiscovery(),
  };
}

describe.skipIf(!hasOpenssl)('live OIDC facts against a loopback appliance', () => {
  let self: Pem;
  let appliance: Appliance;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    // No proxy of this machine applies unless a test sets one.
    for (const v of PROXY_VARIABLES) {
      saved[v] = process.env[v];
      delete process.env[v];
    }
    self = selfSigned(HOST);
    appliance = await startAppliance({ host: HOST, key: self.key, chain: self.cert });
  });
  afterAll(async () => {
    await appliance.close();
    for (const v of PROXY_VARIABLES) if (saved[v] !== undefined) process.env[v] = saved[v];
  });
  const target = (): OidcTarget => ({ ghesHost: HOST, ghesUrl: appliance.url, roleArn: 'arn:aws:iam::111122223333:role/ghes-actions' });

  test('self-signed: one certificate read over TLS, its thumbprint the one AWS\'s openssl procedure gives', async () => {
    const chain = await new LiveOidcFacts(undefined as unknown as AwsSession, target()).ghesCertificateChain();
    assert.equal(chain.source, 'tls');
    assert.equal(chain.route, 'direct');
    assert.equal(chain.certificates.length, 1);
    assert.equal(chain.certificates[0].sha1, opensslThumbprint(self.cert));
    assert.equal(chain.certificates[0].sha1, await awsDocumentedThumbprint(appliance.port));
  });

  test('the discovery document and key set answer through --ghes-url; loopback only is a warn saying AWS fetches them from the internet', async () => {
    const [result] = await runChecks([oidcDiscovery], { target: target(), facts: facts(target(), []) }, { defaultSubject: 'b' });
    assert.equal(result.status, 'warn', result.message);
    assert.equal(result.evidence.messageId, 'privateOnly');
    assert.match(result.message, /AWS fetches them from the internet/);
    const configuration = result.evidence.configuration as Record<string, unknown>;
    assert.equal(configuration.status, 200);
    assert.equal(configuration.answeredBy, '127.0.0.1');
    assert.ok(appliance.requests.includes('/_services/token/.well-known/jwks'), 'the key set was fetched');
  });

  test('the thumbprint matches, then the certificate is renewed: oidc-provider fails with the new thumbprint to add', async () => {
    const old = opensslThumbprint(self.cert);
    const [before] = await runChecks([oidcProvider], { target: target(), facts: facts(target(), [old]) }, { defaultSubject: 'b' });
    assert.equal(before.status, 'pass', before.message);
    const renewed = selfSigned(HOST);
    appliance.useCertificate(renewed.key, renewed.cert);
    const [after] = await runChecks([oidcProvider], { target: target(), facts: facts(target(), [old]) }, { defaultSubject: 'b' });
    assert.equal(after.status, 'fail', after.message);
    assert.equal(after.evidence.messageId, 'stale');
    assert.ok(after.message.includes(`add ${opensslThumbprint(renewed.cert)}`), after.message);
    assert.ok(after.remediation.includes(`--thumbprint-list ${old} ${opensslThumbprint(renewed.cert)}`), after.remediation);
    appliance.useCertificate(self.key, self.cert);
  });

  test('a CA-issued chain: the server sends leaf and intermediate; the intermediate is fingerprinted, as s_client -showcerts shows it last', async () => {
    const root = certificateAuthority('Loopback Root CA');
    const intermediate = certificateAuthority('Loopback Issuing CA', root);
    const leaf = issuedBy(HOST, intermediate);
    const ca = await startAppliance({ host: HOST, key: leaf.key, chain: leaf.cert + intermediate.cert });
    try {
      const t = { ...target(), ghesUrl: ca.url };
      const chain = await new LiveOidcFacts(undefined as unknown as AwsSession, t).ghesCertificateChain();
      assert.deepEqual(chain.certificates.map((c) => c.sha1), [opensslThumbprint(leaf.cert), opensslThumbprint(intermediate.cert)]);
      const [result] = await runChecks([oidcProvider], { target: t, facts: facts(t, [await awsDocumentedThumbprint(ca.port)]) }, { defaultSubject: 'b' });
      assert.equal(result.status, 'pass', result.message);
      const [leafOnly] = await runChecks([oidcProvider], { target: t, facts: facts(t, [opensslThumbprint(leaf.cert)]) }, { defaultSubject: 'b' });
      assert.equal(leafOnly.evidence.messageId, 'leafOnly');
    } finally {
      await ca.close();
    }
  });

  test('one cache for several appliances (a fleet\'s targets of one credential): each gets its own chain', async () => {
    const other = selfSigned('other-ghes.example.test');
    const second = await startAppliance({ host: 'other-ghes.example.test', key: other.key, chain: other.cert });
    try {
      const cache = new FactCache();
      const a = await new LiveOidcFacts(undefined as unknown as AwsSession, target(), { cache }).ghesCertificateChain();
      const b = await new LiveOidcFacts(undefined as unknown as AwsSession, { ghesHost: 'other-ghes.example.test', ghesUrl: second.url }, { cache }).ghesCertificateChain();
      assert.equal(a.certificates[0].sha1, opensslThumbprint(self.cert));
      assert.equal(b.certificates[0].sha1, opensslThumbprint(other.cert));
    } finally {
      await second.close();
    }
  });

  test('the PEM file of --ghes-certificate instead of TLS', async () => {
    const t = { ...target(), ghesUrl: 'https://127.0.0.1:9', ghesCertificate: self.certFile };
    const chain = await new LiveOidcFacts(undefined as unknown as AwsSession, t).ghesCertificateChain();
    assert.equal(chain.source, 'file');
    assert.equal(chain.certificates[0].sha1, opensslThumbprint(self.cert));
  });

  test('through HTTPS_PROXY (with credentials): the chain and the discovery go through a CONNECT tunnel, the route says so without the password', async () => {
    const server = createProxy(http.createServer());
    const tunnels: string[] = [];
    server.authenticate = (req) => req.headers['proxy-authorization'] === `Basic ${Buffer.from('auditor:proxy-s3cret').toString('base64')}`;
    server.prependListener('connect', (req) => tunnels.push(req.url ?? ''));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.HTTPS_PROXY = `http://auditor:proxy-s3cret@127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const live = new LiveOidcFacts(undefined as unknown as AwsSession, target());
      const chain = await live.ghesCertificateChain();
      assert.match(chain.route ?? '', /^proxy http:\/\/127\.0\.0\.1:\d+ \(with credentials\)$/);
      assert.ok(!JSON.stringify(chain).includes('s3cret'));
      assert.equal(chain.certificates[0].sha1, opensslThumbprint(self.cert));
      const discovery = await live.oidcDiscovery();
      assert.equal(discovery.configuration.status, 200);
      assert.equal(discovery.jwks?.status, 200);
      assert.ok(tunnels.length >= 3, `tunnels: ${tunnels.join(', ')}`);
      assert.ok(!JSON.stringify(discovery).includes('s3cret'));
    } finally {
      delete process.env.HTTPS_PROXY;
      await new Promise((r) => server.close(r));
    }
  });

  test('through a proxy, a chain signed by a --ca-bundle CA is a TLS-inspecting proxy\'s: an error saying so, never a thumbprint', async () => {
    const root = certificateAuthority('Inspecting Proxy Root');
    const intermediate = certificateAuthority('Inspecting Proxy CA', root);
    const leaf = issuedBy(HOST, intermediate);
    const inspected = await startAppliance({ host: HOST, key: leaf.key, chain: leaf.cert + intermediate.cert });
    const server = createProxy(http.createServer());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const t = { ...target(), ghesUrl: inspected.url };
      const live = new LiveOidcFacts(undefined as unknown as AwsSession, t, { caBundle: root.certFile });
      await assert.rejects(live.ghesCertificateChain(), /TLS-inspecting proxy answered, not the appliance; add 127\.0\.0\.1 to NO_PROXY or give --ghes-certificate/);
    } finally {
      delete process.env.HTTPS_PROXY;
      await new Promise((r) => server.close(r));
      await inspected.close();
    }
  });

  test('nothing listens: the chain is an error naming the cause, never a pass', async () => {
    const t = { ...target(), ghesUrl: 'https://127.0.0.1:9' };
    const [result] = await runChecks([oidcProvider], { target: t, facts: facts(t, ['a'.repeat(40)]) }, { defaultSubject: 'b' });
    assert.equal(result.status, 'error');
    assert.equal(result.evidence.messageId, 'certificateUnreadable');
    assert.match(result.message, /ECONNREFUSED/);
    const [discovery] = await runChecks([oidcDiscovery], { target: t, facts: facts(t, []) }, { defaultSubject: 'b' });
    assert.equal(discovery.status, 'error');
    assert.equal(discovery.evidence.messageId, 'unreachable');
  });
});
