import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGheConfigText } from '../../src/config/ghe-config.ts';
import { UsageError } from '../../src/config/options.ts';
import { redact } from '../../src/redact.ts';
import { GHE_EXPORT } from '../fixtures/ghe-config.ts';

test('ghe-config: a realistic export fills the target and the credentials', () => {
  const s = parseGheConfigText(GHE_EXPORT(), 'export.txt');
  assert.deepEqual(
    { bucket: s.bucket, serviceUrl: s.serviceUrl, actionsBucket: s.actionsBucket, packagesEnabled: s.packagesEnabled, masked: s.maskedAccessKeyId },
    { bucket: 'acme-ghes-packages', serviceUrl: 'https://s3.us-west-2.amazonaws.com', actionsBucket: 'acme-ghes-actions', packagesEnabled: true, masked: 'AKIA…0001' },
  );
  assert.equal(s.credentials?.accessKeyId, 'AKIAGHESPACKAGES0001');
  // Reading the export registers the secret: it is redacted from anything written afterwards.
  assert.equal(redact('key gHeS3cr3tV4lueNeverPrinted/abcdEFGH1234 leaked'), 'key [REDACTED] leaked');
});

const bad: Array<[string, string, RegExp]> = [
  ['azure storage', GHE_EXPORT({ 'secrets.packages.blob-storage-type': 'azure' }), /Packages storage is "azure".*not s3/],
  ['no storage type', GHE_EXPORT().replace(/secrets\.packages\.blob-storage-type=s3\n/, ''), /blob-storage-type is missing/],
  ['no bucket', GHE_EXPORT({ 'secrets.packages.s3-bucket': '' }), /s3-bucket is missing or empty/],
];
for (const [name, text, error] of bad) {
  test(`ghe-config rejects: ${name}`, () => {
    assert.throws(() => parseGheConfigText(text, 'export.txt'), (e: unknown) => e instanceof UsageError && error.test(e.message) && !e.message.includes('gHeS3cr3t'));
  });
}

test('ghe-config: no credentials in the export is not an error by itself', () => {
  const s = parseGheConfigText(GHE_EXPORT().replace(/secrets\.packages\.aws-.*\n/g, ''), 'x');
  assert.equal(s.credentials, undefined);
});

test('ghe-config: a missing or empty service URL is the appliance\'s finding (the value under test), not bad input', () => {
  assert.equal(parseGheConfigText(GHE_EXPORT().replace(/secrets\.packages\.service-url=.*\n/, ''), 'x').serviceUrl, '');
  assert.equal(parseGheConfigText(GHE_EXPORT({ 'secrets.packages.service-url': 'https://acme.s3.amazonaws.com' }), 'x').serviceUrl, 'https://acme.s3.amazonaws.com');
});
