// The pure OpenID Connect logic: issuer names, thumbprints (against openssl's own fingerprint),
// which certificate of a chain AWS fingerprints, private addresses, the generated policies.

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'vitest';
import { isPrivateAddress } from '../../src/oidc/addresses.ts';
import { claimKey, discoveryUrl, issuerUrl, providerArn, providerUrlAsIssuer } from '../../src/oidc/issuer.ts';
import { actionsPermissionPolicy, actionsTrustPolicy } from '../../src/oidc/policies.ts';
import { certificatesFromPem, describeChain, expectedThumbprint, normalizeThumbprint } from '../../src/oidc/thumbprint.ts';
import { analyzeTrustPolicy } from '../../src/oidc/trust.ts';
import { certificateAuthority, hasOpenssl, issuedBy, opensslThumbprint, selfSigned } from '../harness/oidc-appliance.ts';
import { skipWhen } from '../harness/skip.ts';

const HOST = 'ghes.example.com';

describe('issuer names', () => {
  test('issuer, provider ARN, claim keys and discovery URL as the GHES docs write them', () => {
    assert.equal(issuerUrl('GHES.Example.com.'), 'https://ghes.example.com/_services/token');
    assert.equal(providerArn('aws', '111122223333', HOST), 'arn:aws:iam::111122223333:oidc-provider/ghes.example.com/_services/token');
    assert.equal(claimKey(HOST, 'sub'), 'ghes.example.com/_services/token:sub');
    assert.equal(discoveryUrl(HOST), 'https://ghes.example.com/_services/token/.well-known/openid-configuration');
  });
  test('IAM\'s provider URL (no scheme, host in any case) compares equal to the issuer; a trailing slash or another path does not', () => {
    assert.equal(providerUrlAsIssuer('GHES.example.com/_services/token'), issuerUrl(HOST));
    assert.notEqual(providerUrlAsIssuer('ghes.example.com/_services/token/'), issuerUrl(HOST));
    assert.notEqual(providerUrlAsIssuer('ghes.example.com'), issuerUrl(HOST));
  });
});

describe('thumbprints', () => {
  test('normalised as IAM stores them', () => {
    assert.equal(normalizeThumbprint('AB:12:CD'), 'ab12cd');
  });
  test(
    'a self-signed certificate: one certificate, fingerprinted itself, equal to openssl x509 -fingerprint -sha1',
    skipWhen(!hasOpenssl && 'the openssl CLI is not installed', () => {
      const pem = selfSigned(HOST);
      const chain = describeChain(certificatesFromPem(pem.cert));
      const choice = expectedThumbprint(chain);
      assert.equal(chain.certificates.length, 1);
      assert.equal(choice.certificate.selfSigned, true);
      assert.equal(choice.certificate.sha1, opensslThumbprint(pem.cert));
      assert.match(choice.why, /self-signed/);
      assert.equal(chain.publiclyTrusted, false);
    }),
  );
  test(
    'a CA-issued chain: the top intermediate (last presented) is fingerprinted, not the leaf; a known root makes it trusted',
    skipWhen(!hasOpenssl && 'the openssl CLI is not installed', () => {
      const root = certificateAuthority('Test Root CA');
      const intermediate = certificateAuthority('Test Issuing CA', root);
      const leaf = issuedBy(HOST, intermediate);
      const certs = certificatesFromPem(leaf.cert + intermediate.cert);
      const choice = expectedThumbprint(describeChain(certs));
      assert.equal(choice.position, 1);
      assert.equal(choice.certificate.sha1, opensslThumbprint(intermediate.cert));
      assert.notEqual(choice.certificate.sha1, opensslThumbprint(leaf.cert));
      assert.match(choice.why, /top intermediate/);
      assert.equal(describeChain(certs, [new X509Certificate(root.cert)]).publiclyTrusted, true);
    }),
  );
  test('a PEM without a certificate, or with a broken one, is refused with a sentence', () => {
    assert.throws(() => certificatesFromPem('hello'), /holds no PEM certificate/);
    assert.throws(() => certificatesFromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), /certificate 1 of 1 is not a valid X.509 certificate/);
  });
});

describe('addresses the internet cannot reach', () => {
  for (const [address, isPrivate] of [
    ['10.1.2.3', true],
    ['172.31.255.1', true],
    ['192.168.0.1', true],
    ['127.0.0.1', true],
    ['100.64.0.1', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['fd12::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['203.0.113.10', false],
    ['172.32.0.1', false],
    ['2001:db8::1', false],
    ['not-an-address', false],
  ] as const) {
    test(`${address}: ${isPrivate ? 'private' : 'not private'}`, () => assert.equal(isPrivateAddress(address), isPrivate));
  }
});

describe('generated policies', () => {
  test('the trust policy is exactly the GHES docs\' statement and analyses clean', () => {
    const doc = actionsTrustPolicy('aws', '111122223333', HOST);
    assert.deepEqual(doc.Statement[0], {
      Sid: 'GhesActionsOidc',
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/ghes.example.com/_services/token' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'ghes.example.com/_services/token:aud': 'sts.amazonaws.com', 'ghes.example.com/_services/token:sub': 'ghes.example.com' } },
    });
    const analysis = analyzeTrustPolicy(doc, { host: HOST, providerArn: providerArn('aws', '111122223333', HOST) });
    assert.ok(analysis.ok);
    assert.deepEqual(analysis.problems, []);
  });
  test('the permission policy: the seven actions on the Actions bucket, KMS only when asked', () => {
    const doc = actionsPermissionPolicy('ghes-actions');
    assert.deepEqual(doc.Statement.map((s) => s.Sid), ['GhesActionsBucket', 'GhesActionsObjects']);
    assert.deepEqual(doc.Statement.flatMap((s) => s.Action as string[]).sort(), ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:PutObject']);
    assert.equal(actionsPermissionPolicy('b', 'arn:aws:kms:us-east-1:111122223333:key/k').Statement.length, 3);
  });
  test('several problems at once: the gravest is named first', () => {
    const analysis = analyzeTrustPolicy(
      { Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn('aws', '111122223333', HOST) }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }] },
      { host: HOST, providerArn: providerArn('aws', '111122223333', HOST) },
    );
    assert.ok(analysis.ok);
    assert.deepEqual(analysis.problems.map((p) => p.id), ['otherAction', 'missingSub', 'missingAud']);
  });
});
