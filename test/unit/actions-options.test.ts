// The actions command's options (src/config/actions-options.ts), the Actions storage keys of
// `ghe-config -l` (src/config/ghe-config.ts), fleet targets with `storage: actions`, and the target
// they make (src/run/ghes-actions-s3.ts): bad input is one line naming the option and the fix.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { actionsOptionsSchema } from '../../src/config/actions-options.ts';
import { parseFleet } from '../../src/config/fleet-options.ts';
import { GHE_ACTIONS_KEYS, parseGheActionsConfigText } from '../../src/config/ghe-config.ts';
import { resolveOptions, UsageError } from '../../src/config/options.ts';
import { redact } from '../../src/redact.ts';
import { toGhesActionsTarget } from '../../src/run/ghes-actions-s3.ts';
import { GHE_EXPORT } from '../fixtures/ghe-config.ts';
import { selfSigned } from '../harness/oidc-appliance.ts';

const ROLE = 'arn:aws:iam::123456789012:role/ghes-actions';
const keys = { bucket: 'ghes-actions', serviceUrl: 'https://s3.us-west-2.amazonaws.com' };
const oidc = { bucket: 'ghes-actions', region: 'us-west-2', roleArn: ROLE, ghesHost: 'ghes.example.com' };
const dir = mkdtempSync(join(tmpdir(), 'preflight-actions-options-'));
// A real certificate (openssl CLI): the file is parsed as X.509 up front.
const pem = selfSigned('ghes.example.com').certFile;
const brokenPem = join(dir, 'broken.pem');
writeFileSync(brokenPem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = join(dir, 'ghes.txt');
writeFileSync(notPem, 'not a certificate\n');

const parse = (flags: Record<string, unknown>) => resolveOptions(actionsOptionsSchema, flags);

test('actions options: the access-key form and the OpenID Connect form are accepted', () => {
  assert.equal(parse(keys).bucket, 'ghes-actions');
  const o = parse({ ...oidc, ghesCertificate: pem, packagesBucket: 'ghes-packages' });
  assert.equal(o.roleArn, ROLE);
  assert.equal(o.ghesCertificate, pem);
});

const bad: Array<[string, Record<string, unknown>, RegExp]> = [
  ['neither service URL nor region', { bucket: 'ghes-actions' }, /^--service-url or --region is required; give the "AWS Service URL" .* or the "AWS Region"/],
  ['role ARN of a user', { ...oidc, roleArn: 'arn:aws:iam::123456789012:user/ghes' }, /^--role-arn must be the ARN of the IAM role GHES assumes with OpenID Connect \(got a user ARN\); e\.g\. --role-arn arn:aws:iam::123456789012:role\/ghes-actions$/],
  ['role ARN malformed', { ...oidc, roleArn: 'ghes-actions' }, /^--role-arn /],
  ['role without host', { ...oidc, ghesHost: undefined }, /^--ghes-host is required with --role-arn/],
  ['host with a scheme', { ...oidc, ghesHost: 'https://ghes.example.com' }, /^--ghes-host must be the appliance's host name only, without scheme, port or path \(got "https:\/\/ghes\.example\.com"\); e\.g\. --ghes-host ghes\.example\.com$/],
  ['host with a port', { ...oidc, ghesHost: 'ghes.example.com:8443' }, /^--ghes-host must be the appliance's host name only/],
  ['URL over http', { ...oidc, ghesUrl: 'http://ghes.example.com' }, /^--ghes-url must start with https:\/\//],
  ['certificate missing', { ...oidc, ghesCertificate: join(dir, 'absent.pem') }, /^--ghes-certificate cannot be read/],
  ['certificate not PEM', { ...oidc, ghesCertificate: notPem }, /^--ghes-certificate holds no PEM certificate/],
  ['certificate block not X.509', { ...oidc, ghesCertificate: brokenPem }, /^--ghes-certificate certificate 1 of 1 is not a valid X\.509 certificate; export/],
  ['role and principal', { ...oidc, principalArn: 'arn:aws:iam::123456789012:user/ghes' }, /^--principal-arn cannot be combined with --role-arn/],
  ['role and the appliance key', { ...oidc, useGheCredentials: true }, /^--use-ghe-credentials cannot be combined with --role-arn/],
  ['the Packages pack\'s actionsBucket', { ...keys, actionsBucket: 'x-1' }, /unknown key|actionsBucket/],
  ['bad packages bucket', { ...keys, packagesBucket: 'Ghes_Packages' }, /^--packages-bucket /],
];
for (const [name, flags, error] of bad) {
  test(`actions options reject: ${name}`, () => {
    assert.throws(() => parse(flags), (e: unknown) => e instanceof UsageError && error.test(e.message) && !e.message.includes('\n'), `expected ${error}`);
  });
}

test('the target: --role-arn is the principal evaluated; the OIDC form\'s region gives the regional endpoint; --ghes-url only as given', () => {
  const t = toGhesActionsTarget({ ...oidc, packagesBucket: 's3://ghes-packages' });
  assert.equal(t.storage, 'actions');
  assert.equal(t.principalArn, ROLE);
  assert.equal(t.roleArn, ROLE);
  assert.equal(t.serviceUrl, 'https://s3.us-west-2.amazonaws.com');
  assert.equal(t.packagesBucket, 'ghes-packages');
  assert.equal(t.ghesUrl, undefined);
  assert.equal(toGhesActionsTarget({ ...oidc, ghesUrl: 'https://ghes-internal.example.com:8443' }).ghesUrl, 'https://ghes-internal.example.com:8443');
  const keyed = toGhesActionsTarget({ ...keys, principalArn: 'arn:aws:iam::123456789012:user/ghes' });
  assert.equal(keyed.principalArn, 'arn:aws:iam::123456789012:user/ghes');
  assert.equal(keyed.roleArn, undefined);
  assert.equal(keyed.ghesHost, undefined);
  assert.equal(toGhesActionsTarget({ bucket: 'a-1', region: 'eu-west-1', ghesUrl: 'https://GHES.example.com:8443' }).ghesHost, 'ghes.example.com');
});

test('ghe-config: the Actions storage keys of the GHES docs fill the Actions target; the Actions secret is redacted', () => {
  const s = parseGheActionsConfigText(
    GHE_EXPORT({
      [GHE_ACTIONS_KEYS.serviceUrl]: 'https://s3.eu-west-1.amazonaws.com',
      [GHE_ACTIONS_KEYS.accessKey]: 'AKIAGHESACTIONS00001',
      [GHE_ACTIONS_KEYS.secretKey]: 'aCt10nsS3cr3tNeverPrinted/abcdEFGH12345',
      [GHE_ACTIONS_KEYS.enabled]: 'true',
    }),
    'export.txt',
  );
  assert.deepEqual(
    { bucket: s.bucket, serviceUrl: s.serviceUrl, packagesBucket: s.packagesBucket, enabled: s.actionsEnabled, masked: s.maskedAccessKeyId, key: s.credentials?.accessKeyId },
    { bucket: 'acme-ghes-actions', serviceUrl: 'https://s3.eu-west-1.amazonaws.com', packagesBucket: 'acme-ghes-packages', enabled: true, masked: 'AKIA…0001', key: 'AKIAGHESACTIONS00001' },
  );
  assert.equal(redact('aCt10nsS3cr3tNeverPrinted/abcdEFGH12345'), '[REDACTED]');
  // The OpenID Connect form: no key, no service URL; Packages not on S3: no Packages bucket.
  const o = parseGheActionsConfigText(GHE_EXPORT({ 'secrets.packages.blob-storage-type': 'azure' }), 'export.txt');
  assert.equal(o.credentials, undefined);
  assert.equal(o.serviceUrl, undefined);
  assert.equal(o.packagesBucket, undefined);
});

const badExports: Array<[string, string, RegExp]> = [
  ['Actions on Azure', GHE_EXPORT({ [GHE_ACTIONS_KEYS.provider]: 'azure' }), /Actions storage is "azure" \(secrets\.actions\.storage\.blob-provider\), not s3/],
  ['no provider', GHE_EXPORT().replace(/secrets\.actions\.storage\.blob-provider=s3\n/, ''), /secrets\.actions\.storage\.blob-provider is missing/],
  ['no bucket', GHE_EXPORT({ [GHE_ACTIONS_KEYS.bucket]: '' }), /secrets\.actions\.storage\.s3\.bucket-name is missing or empty/],
];
for (const [name, text, error] of badExports) {
  test(`ghe-config (Actions) rejects: ${name}`, () => {
    assert.throws(() => parseGheActionsConfigText(text, 'export.txt'), (e: unknown) => e instanceof UsageError && error.test(e.message));
  });
}

test('fleet: storage: actions takes the actions keys; each storage refuses the other\'s keys, naming the target', () => {
  const [a] = parseFleet({ targets: [{ name: 'act', storage: 'actions', bucket: 'ghes-actions', region: 'us-west-2', packagesBucket: 'ghes-packages', roleArn: ROLE, ghesHost: 'ghes.example.com' }] }, 'fleet.yml');
  assert.deepEqual(a.options, { storage: 'actions', bucket: 'ghes-actions', region: 'us-west-2', packagesBucket: 'ghes-packages', roleArn: ROLE, ghesHost: 'ghes.example.com' });
  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: 'p', bucket: 'ghes-packages', roleArn: ROLE }, /targets\[0\] \(name "p"\): "roleArn" is for Actions storage targets; add "storage: actions" to this target/],
    [{ name: 'a', storage: 'actions', bucket: 'ghes-actions', actionsBucket: 'x-1' }, /"actionsBucket" is for Packages targets; an Actions target \(storage: actions\) names the other bucket with "packagesBucket"/],
    [{ name: 'a', storage: 'actions', bucket: 'ghes-actions', roleArn: ROLE }, /"ghesHost" is required with "roleArn"/],
    [{ name: 'a', storage: 'pages', bucket: 'ghes-actions' }, /"storage" must be packages \(the default\) or actions/],
  ];
  for (const [target, error] of refused) assert.throws(() => parseFleet({ targets: [target] }, 'fleet.yml'), (e: unknown) => e instanceof UsageError && error.test(e.message), String(error));
});
